"""Cracking/leaching routes: recovery, impurity rejection, reagents, balance, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.elements import N_ELEMENTS
from tea.errors import InputError
from tea.process.cracking import ROUTES, CrackingRoute, crack
from tea.process.parameters import get_cracking_route
from tea.streams import Stream, balance_error

T = default_input_tables()

pytestmark = pytest.mark.unit
SPECIES = ("Fe", "Th", "U", "gangue")


def _conc(total=1000.0):
    re = np.full(N_ELEMENTS, 0.35 * total / N_ELEMENTS)
    return Stream(re, {"Fe": 0.05 * total, "Th": 0.002 * total, "U": 0.0002 * total,
                       "gangue": total * (1 - 0.35 - 0.05 - 0.0022)}, "t/yr", "concentrate")


def test_all_routes_load():
    assert set(T.cracking_routes) == set(ROUTES)


def test_hcl_leach_reagents_from_rer_pilot():
    conc = _conc(1000.0)
    res = crack(conc, get_cracking_route("hcl_leach", T.cracking_routes))
    # Rare Element Resources pilot (PFS): HCl 350 kg/t fresh (480 dosed); domain-data sec. 5
    assert res.consumptions["HCl"].to("t/yr").magnitude == pytest.approx(0.350 * conc.total)
    # same source: leach extraction 85-90 %
    assert 0.85 <= res.recovery <= 0.90
    assert res.consumptions["energy_heat"].check("[energy]/[time]")


def test_phosphogypsum_leach_charges_far_less_acid_than_a_bake_of_the_apatite():
    """REE from Kola apatite: the bake route charges the whole sulfuric attack (1.4 t acid per t
    concentrate), the by-product route only the gypsum leach's make-up acid (50 kg/t); its
    recovery is the gypsum share x the leach extraction (0.8 x 0.6, inputs/cracking_routes.csv)."""
    conc = _conc(1000.0)
    bake = crack(conc, get_cracking_route("sulfuric_bake", T.cracking_routes))
    pg = crack(conc, get_cracking_route("phosphogypsum_leach", T.cracking_routes))
    acid = {k: r.consumptions["H2SO4"].to("t/yr").magnitude for k, r in (("bake", bake),
                                                                          ("pg", pg))}
    assert acid["pg"] == pytest.approx(0.050 * conc.total)
    assert acid["bake"] / acid["pg"] == pytest.approx(1400 / 50)
    assert pg.recovery == pytest.approx(0.48)
    assert pg.residue.other["gangue"] == pytest.approx(conc.other["gangue"])  # gypsum stays solid


def test_sulfuric_bake_rejects_thorium_and_iron():
    conc = _conc()
    route = get_cracking_route("sulfuric_bake", T.cracking_routes)
    res = crack(conc, route)
    assert res.solution.other["Th"] == pytest.approx(conc.other["Th"] * (1 - route.rejection["Th"]))
    assert res.residue.other["Fe"] == pytest.approx(conc.other["Fe"] * route.rejection["Fe"])
    assert res.solution.other["Th"] < 0.02 * conc.other["Th"]


def test_unlisted_species_go_to_residue():
    conc = _conc().with_other(Zr=5.0)
    res = crack(conc, get_cracking_route("hcl_leach", T.cracking_routes))
    assert res.residue.other["Zr"] == pytest.approx(5.0)
    assert res.solution.other["Zr"] == 0


@settings(max_examples=40, deadline=None)
@given(
    re=st.lists(st.floats(0, 1e4), min_size=N_ELEMENTS, max_size=N_ELEMENTS),
    species=st.lists(st.floats(0, 1e5), min_size=4, max_size=4),
    rec=st.floats(0, 1), rej=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    route=st.sampled_from(ROUTES),
)
def test_mass_balance_property(re, species, rec, rej, route):
    conc = Stream(np.asarray(re), dict(zip(SPECIES, species, strict=True)), "t/yr")
    r = CrackingRoute(route, recovery=rec, rejection=dict(zip(SPECIES, rej, strict=True)),
                      reagents={"acid": 100.0})
    res = crack(conc, r)
    assert balance_error([conc], [res.solution, res.residue], SPECIES) < 1e-9


@pytest.mark.parametrize("kw, match", [
    (dict(recovery=1.01), "recovery must lie in"),
    (dict(element_recovery={"Dy": -0.5}), "recovery must lie in"),
    (dict(rejection={"Th": 1.5}), "rejection_Th"),
    (dict(reagents={"HCl": -3.0}), "reagent_HCl"),
    (dict(energy={"heat": float("nan")}), "energy_heat"),
    (dict(name="fire_assay"), "unknown cracking route"),
])
def test_bad_route_parameters_are_refused(kw, match):
    base = dict(name="hcl_leach", recovery=0.9)
    base.update(kw)
    with pytest.raises(InputError, match=match):
        CrackingRoute(**base)


def test_unknown_route_name():
    with pytest.raises(InputError, match="unknown cracking route 'plasma'"):
        get_cracking_route("plasma", T.cracking_routes)
