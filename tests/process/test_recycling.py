"""Recycling: collection and dismantling, hydrogen and hydromet routes, recovery cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.errors import InputError
from tea.process.magnet import get_grade
from tea.process.recycling import (
    end_of_life_feed,
    hydrogen_route,
    hydromet_route,
    recovery_cases,
    secondary_oxide_supply,
)
from tea.units import Q_

T = default_input_tables()


def scrap(mass=100.0, grade="N42"):
    return get_grade(grade, tables=T).stream(mass, "t/yr", name="scrap")


def test_recovery_cases_side_by_side(capsys):
    cases = recovery_cases(tables=T)
    # seed 003: 55 % -> 78 %; Ames/CMI 97 % (Chowdhury et al. 2021)
    assert cases == {"seed_before": 0.55, "seed_after": 0.78, "ames_cmi": 0.97}
    s = scrap(100.0)
    supply = secondary_oxide_supply(s, cases.values(), tables=T)
    treo = s.total_reo
    for r, q in supply.items():
        assert q.units == Q_(1, "t_REO/yr").units
        assert q.magnitude == pytest.approx(r * treo)  # identity: recovery x TREO in scrap
    with capsys.disabled():
        print(f"\nsecondary oxide from 100 t/yr N42 scrap (TREO {treo:.2f} t/yr):")
        for r, q in supply.items():
            print(f"  recovery {r:.2f}: {q.magnitude:.2f} t REO/yr")


def test_hydrogen_returns_alloy_hydromet_returns_oxide():
    s = scrap()
    h = hydrogen_route(s, 0.9, tables=T)
    assert h.product_kind == "alloy_powder"
    assert h.product.other["Fe"] == pytest.approx(0.9 * s.other["Fe"])
    m = hydromet_route(s, tables=T)
    assert m.product_kind == "mixed_oxide"
    assert m.product.other == {}  # RE only, to the separation feed
    assert m.residue.other["Fe"] == pytest.approx(s.other["Fe"])
    assert m.product.total_re == pytest.approx(0.55 * s.total_re)  # seed 003: 55 % at scale
    assert m.consumptions["oxalic_acid"].magnitude > 0


def test_per_element_recovery():
    s = scrap()
    m = hydromet_route(s, {"Nd": 0.9, "Pr": 0.8, "Dy": 0.5}, tables=T)
    assert m.product.as_dict()["Dy"] == pytest.approx(0.5 * s.as_dict()["Dy"])


def test_dismantling_caps_recovery():
    s = scrap(100.0)
    manual = end_of_life_feed(s, "hard_disk", "manual", tables=T)
    shred = end_of_life_feed(s, "hard_disk", "shredding", tables=T)
    # Sprecher et al. 2014: manual nearly all (0.95), shredding < 10 % (0.10)
    assert manual.feed.total == pytest.approx(100 * 0.40 * 0.95)
    assert shred.feed.total == pytest.approx(100 * 0.40 * 0.10)
    assert end_of_life_feed(s, "wind", tables=T).feed.total > end_of_life_feed(s, "motor", tables=T).feed.total


@settings(max_examples=30, deadline=None)
@given(mass=st.floats(0, 1e5), rec=st.floats(0, 1), coll=st.floats(0, 1),
       grade=st.sampled_from(["N42", "N52", "N45SH", "N42SH", "N42SH_Tb"]))
def test_recycling_balance_property(mass, rec, coll, grade):
    s = scrap(mass, grade)
    for r in (hydrogen_route(s, rec, tables=T), hydromet_route(s, rec, tables=T)):
        assert r.balance_error() < 1e-9
    assert end_of_life_feed(s, "motor", "shredding", collection_rate=coll, tables=T).balance_error() < 1e-9


def test_bad_input_refused():
    s = scrap()
    with pytest.raises(InputError, match="product class"):
        end_of_life_feed(s, "toaster", tables=T)
    with pytest.raises(InputError, match="dismantling"):
        end_of_life_feed(s, "wind", "melting", tables=T)
    with pytest.raises(InputError, match="recycling route"):
        secondary_oxide_supply(s, route="pyro", tables=T)
    with pytest.raises(InputError):
        hydromet_route(s, 1.5, tables=T)
    with pytest.raises(InputError, match="collection_rate"):
        end_of_life_feed(s, "wind", collection_rate=np.float64(-0.1), tables=T)
