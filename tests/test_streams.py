"""Streams: construction, views, arithmetic, split balance, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.elements import N_ELEMENTS, OXIDE_FACTOR, index
from tea.errors import InputError
from tea.streams import Stream, balance_error

pytestmark = pytest.mark.unit


def test_from_reo_round_trip_and_purity():
    s = Stream.from_reo(100.0, {"Nd": 0.75, "Pr": 0.25}, "t/yr")
    assert s.total_reo == pytest.approx(100.0)
    assert s.re[index("Nd")] == pytest.approx(75.0 / OXIDE_FACTOR[index("Nd")])
    assert s.purity("Nd", basis="oxide") == pytest.approx(0.75)
    assert s.purity(["Nd", "Pr"]) == pytest.approx(1.0)
    assert s.total_quantity("oxide").to("t_REO/yr").magnitude == pytest.approx(100.0)


def test_add_and_unit_conversion():
    a = Stream.from_elements({"La": 1.0}, "t/yr", other={"Fe": 2.0})
    b = Stream.from_elements({"La": 1000.0}, "kg/yr", other={"Th": 3.0})
    c = a + b
    assert c.re[index("La")] == pytest.approx(2.0)
    assert c.other["Th"] == pytest.approx(0.003) and c.other["Fe"] == pytest.approx(2.0)


def test_split_with_per_sample_species_recovery():
    s = Stream(np.ones((3, N_ELEMENTS)), {"Fe": np.array([1.0, 2.0, 3.0])}, "t/yr")
    p, r = s.split(0.5, {"Fe": np.array([0.0, 0.5, 1.0])})
    assert p.other["Fe"] == pytest.approx([0.0, 1.0, 3.0])
    assert balance_error([s], [p, r], ("Fe",)) == 0.0


@settings(max_examples=50, deadline=None)
@given(
    re=st.lists(st.floats(0, 1e6), min_size=N_ELEMENTS, max_size=N_ELEMENTS),
    rec=st.lists(st.floats(0, 1), min_size=N_ELEMENTS, max_size=N_ELEMENTS),
    fe=st.floats(0, 1e6), fe_rec=st.floats(0, 1),
)
def test_split_conserves_every_element(re, rec, fe, fe_rec):
    s = Stream(np.asarray(re), {"Fe": fe}, "t/yr")
    p, r = s.split(np.asarray(rec), {"Fe": fe_rec})
    assert balance_error([s], [p, r], ("Fe",)) < 1e-9


@pytest.mark.parametrize("make, match", [
    (lambda: Stream(-np.ones(N_ELEMENTS)), "negative"),
    (lambda: Stream(np.ones(5)), "16 elements"),
    (lambda: Stream(np.ones(N_ELEMENTS), unit="MWh"), "not a mass"),
    (lambda: Stream(np.ones(N_ELEMENTS), {"Fe": -1.0}), "Fe"),
    (lambda: Stream.from_reo(1.0, {"La": 0.5}), "sum"),
    (lambda: Stream.from_reo(-1.0, {"La": 1.0}), "negative TREO"),
    (lambda: Stream(np.ones(N_ELEMENTS)).split(1.5), "recovery"),
])
def test_bad_streams_are_refused(make, match):
    with pytest.raises(InputError, match=match):
        make()
