"""The ore-to-oxides route: Tomtor to eight or more products at 99.99 %, balance, bad input."""

import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tea.config.inputs import default_input_tables
from tea.elements import index
from tea.errors import InputError
from tea.process import route as route_module
from tea.process.beneficiation import BeneficiationParams
from tea.process.cracking import CrackingRoute
from tea.process.precipitation import PrecipitationParams
from tea.process.route import RouteOptions, ore_to_oxides, route_table
from tea.streams import Stream
from tea.units import Q_

T = default_input_tables()
pytestmark = pytest.mark.unit


def _fake_train_module(loss=0.0):
    """A stand-in separation train: one product per element group, a fraction ``loss`` lost."""
    groups = {"LRE": ["La", "Ce", "Pr", "Nd"], "REST": None}

    def design_train(feed, products, purity=0.9999, factors=None, *, tables=None):
        out = {}
        light = np.zeros_like(feed.re)
        for el in groups["LRE"]:
            light[index(el)] = 1.0
        out["LRE"] = Stream(feed.re * light * (1 - loss), {}, feed.unit, "LRE")
        out["REST"] = Stream(feed.re * (1 - light) * (1 - loss), {}, feed.unit, "REST")
        return types.SimpleNamespace(products=out, cuts=[], reagents={})

    return types.SimpleNamespace(design_train=design_train)


@settings(max_examples=25, deadline=None)
@given(
    deposit=st.sampled_from(["tomtor", "lovozero", "kola_apatite", "mountain_pass", "mount_weld",
                             "bayan_obo"]),
    rate=st.floats(1.0, 1e7),
    ben_rec=st.floats(0.01, 1.0), grade=st.floats(0.05, 0.7),
    crack_rec=st.floats(0.01, 1.0), th_rej=st.floats(0, 1), gangue_rej=st.floats(0, 1),
    prec_rec=st.floats(0, 1), loss=st.sampled_from([0.0, 0.01]),
)
def test_route_bookkeeping_balance_property(deposit, rate, ben_rec, grade, crack_rec, th_rej,
                                            gangue_rej, prec_rec, loss):
    opts = RouteOptions(
        beneficiation=BeneficiationParams("flotation", recovery=ben_rec, concentrate_grade=grade,
                                          species_recovery={"Th": 0.5, "Fe": 0.2}),
        cracking=CrackingRoute("hcl_leach", recovery=crack_rec,
                               rejection={"Th": th_rej, "gangue": gangue_rej, "Fe": 0.5},
                               reagents={"HCl": 350.0}),
        precipitation=PrecipitationParams(recovery=prec_rec),
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(route_module, "design_train", _fake_train_module(loss).design_train)
        res = ore_to_oxides(deposit, Q_(rate, "t/yr"), ["LRE", "REST"], options=opts, tables=T)
    assert res.balance_error() < 1e-9
    assert ("separation losses" in res.streams) == (loss > 0)
    assert 0 <= res.recoveries["overall"] <= 1


def test_concentrate_rate_sets_the_ore_rate():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(route_module, "design_train", _fake_train_module().design_train)
        res = ore_to_oxides("tomtor", products=["LRE", "REST"],
                            concentrate_rate=Q_(10, "kt/yr"), tables=T)
        assert res.streams["concentrate"].total == pytest.approx(10_000)
        default = ore_to_oxides("tomtor", products=["LRE", "REST"], tables=T)
    # planned 160 kt/yr ore (Roskill 2018, domain-data sec. 4) is the deposit's default rate
    assert default.streams["ore"].total == pytest.approx(160_000)


@pytest.mark.parametrize("kwargs, match", [
    (dict(deposit="atlantis"), "unknown deposit"),
    (dict(ore_rate=Q_(-1, "t/yr")), "ore_rate must be >= 0"),
    (dict(ore_rate=Q_(1, "t")), "mass flow"),
    (dict(ore_rate=5.0), "mass flow"),
    (dict(ore_rate=Q_(1, "t/yr"), concentrate_rate=Q_(1, "t/yr")), "not both"),
    (dict(options=RouteOptions(cracking="plasma")), "unknown cracking route"),
    (dict(options=RouteOptions(beneficiation="sieve")), "unknown beneficiation method"),
    (dict(options=RouteOptions(mining_recovery=1.5)), "mining_recovery"),
])
def test_bad_route_input_is_refused(kwargs, match):
    args = dict(deposit="tomtor", ore_rate=Q_(1, "kt/yr"))
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        ore_to_oxides(**args, tables=T)


def test_route_table_lists_every_stream_and_closes():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(route_module, "design_train", _fake_train_module(0.02).design_train)
        res = ore_to_oxides("mountain_pass", Q_(100, "kt/yr"), ["LRE", "REST"], tables=T)
    table = route_table(res).set_index("stream")
    assert list(table.index) == list(res.streams)
    el_cols = [c for c in table.columns if c.endswith("_t_REO_per_yr") and c != "TREO_t_REO_per_yr"]
    assert table[el_cols].sum(axis=1).to_numpy() == pytest.approx(table["TREO_t_REO_per_yr"])
    ins = table.loc[table.role == "input", "TREO_t_REO_per_yr"].sum()
    outs = table.loc[table.role == "output", "TREO_t_REO_per_yr"].sum()
    assert outs == pytest.approx(ins, rel=1e-9)  # identity: ore TREO = all outputs
    # MP 10-K split (domain-data sec. 4): Ce 50.2 % of the ore TREO
    assert table.loc["ore", "Ce_t_REO_per_yr"] / table.loc["ore", "TREO_t_REO_per_yr"] \
        == pytest.approx(0.502)


# --- with the real separation train ---------------------------------------------------------
def test_tomtor_to_eight_or_more_products_at_four_nines():
    """Tomtor at the planned 160 kt/yr ore (Roskill 2018, domain-data sec. 4), JORC 2019 grade."""
    from tea.process.separation import train_table

    res = ore_to_oxides("tomtor", purity=0.9999, tables=T)
    purities = {}
    for name in res.products:
        els = res.train.product_elements[name]
        oxide = res.oxide(name)
        if oxide.total_reo > 0:
            purities[name] = float(oxide.purity(els, basis="oxide"))
    at_spec = [n for n, p in purities.items() if p >= 0.9999]
    assert len(at_spec) >= 8, purities
    assert res.balance_error() < 1e-9
    table = train_table(res.train)
    print("\nTomtor separation train, stages per cut (99.99 % both ends):")
    print(table[["cut", "key_pair", "beta", "extraction_stages", "scrub_stages",
                 "total_stages"]].to_string(index=False))
    print(f"total stages: {res.train.total_stages}")
    print("products [t REO/yr]:", {k: round(float(v.magnitude), 1) for k, v in res.product_oxides().items()})
    print("recoveries:", {k: round(float(v), 4) for k, v in res.recoveries.items()})
    print("per t REO:", {k: round(float(v.magnitude), 3) for k, v in res.specific_consumptions().items()})
    # identity: every product's oxide = its separated solution x precipitation recovery
    assert res.total_oxide.magnitude == pytest.approx(
        float(res.streams["mixed RE solution"].total_reo) * 0.99, rel=1e-9)


def test_overall_recovery_is_the_product_of_stage_recoveries():
    opts = RouteOptions(beneficiation="none",
                        cracking=CrackingRoute("hcl_leach", recovery=0.9, reagents={"HCl": 350}),
                        precipitation=PrecipitationParams(recovery=0.98))
    res = ore_to_oxides("mountain_pass", Q_(50, "kt/yr"), ["La", "Ce", "NdPr", "SEG", "HRE"],
                        options=opts, tables=T)
    r = res.recoveries
    assert r["beneficiation"] == pytest.approx(1.0)
    assert r["overall"] == pytest.approx(0.9 * 0.98, rel=1e-9)
    assert r["overall"] == pytest.approx(
        r["beneficiation"] * r["cracking"] * r["separation"] * r["precipitation"], rel=1e-9)
    assert res.balance_error() < 1e-9


@settings(max_examples=6, deadline=None)
@given(
    deposit=st.sampled_from(["tomtor", "lovozero", "mountain_pass", "mount_weld", "bayan_obo"]),
    rate=st.floats(1e3, 1e7),
    ben_rec=st.floats(0.3, 1.0), crack_rec=st.floats(0.3, 1.0), prec_rec=st.floats(0.5, 1.0),
    purity=st.sampled_from([0.995, 0.999, 0.9999]),
)
def test_chained_route_balance_property(deposit, rate, ben_rec, crack_rec, prec_rec, purity):
    opts = RouteOptions(
        beneficiation=BeneficiationParams("flotation", recovery=ben_rec, concentrate_grade=0.3,
                                          species_recovery={"Th": 0.5, "Fe": 0.2}),
        cracking=CrackingRoute("sulfuric_bake", recovery=crack_rec,
                               rejection={"Th": 0.99, "Fe": 0.9, "gangue": 0.9}),
        precipitation=PrecipitationParams(recovery=prec_rec),
    )
    res = ore_to_oxides(deposit, Q_(rate, "t/yr"), ["LaCe", "NdPr", "SEG", "HRE", "Y"],
                        purity=purity, options=opts, tables=T)
    assert res.balance_error() < 1e-9
    assert res.train.targets_met


def test_negative_separation_energy_is_refused():
    with pytest.raises(InputError, match="separation_energy"):
        RouteOptions(separation_energy=-1.0)


def test_stage_results_are_kept():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(route_module, "design_train", _fake_train_module().design_train)
        res = ore_to_oxides("tomtor", Q_(100, "kt/yr"), ["LRE", "REST"], tables=T)
    # flotation target grade 35 % REO (domain-data sec. 5, 30-40 % rougher grade)
    assert res.beneficiation.concentrate_grade == pytest.approx(0.35)
    assert res.beneficiation.mass_pull == pytest.approx(
        res.streams["concentrate"].total / res.streams["ore"].total)
    assert res.cracking.recovery == pytest.approx(res.recoveries["cracking"])
    assert res.mining.ore is res.streams["ore"]
