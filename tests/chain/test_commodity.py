"""Commodity names: built and parsed in one place (tea.chain.commodity).

Identity: parsing a commodity's name gives the commodity back, for every material.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tea.chain.commodity import Commodity, element_of, material_of
from tea.elements import ELEMENTS
from tea.errors import InputError

SOURCES = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


@given(material=st.sampled_from(["conc", "mixed", "scrap"]), element=st.sampled_from(ELEMENTS),
       source=SOURCES)
def test_sourced_names_round_trip(material, element, source):
    c = Commodity(material, element, source)
    assert Commodity.parse(c.name) == c
    assert c.name == f"{material}:{source}:{element}"
    assert element_of(c.name) == element and material_of(c.name) == material


@given(material=st.sampled_from(["oxide", "byproduct", "metal"]),
       element=st.sampled_from(ELEMENTS))
def test_plain_names_round_trip(material, element):
    c = Commodity(material, element)
    assert Commodity.parse(c.name) == c and c.name == f"{material}:{element}"


def test_magnets_carry_a_grade_and_no_element():
    c = Commodity.magnet("N42")
    assert c.name == "magnet:N42" and not c.element_resolved
    assert Commodity.parse("magnet:N42") == c and element_of("magnet:N42") == ""


@pytest.mark.parametrize("name", ["oxide", "oxide:Xx", "mixed:Nd", "conc:a:b:Nd", "ore:Nd",
                                  "magnet:", "scrap::Nd"])
def test_bad_names_are_refused(name):
    with pytest.raises(InputError):
        Commodity.parse(name)
