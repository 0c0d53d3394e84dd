"""Units and money: REO basis, currency-years, FX context and cost indices."""

import pint
import pytest

from tea.config.inputs import default_input_tables
from tea.money import MoneyContext
from tea.units import Q_, MoneyError, check_dimension, fmt, parse_quantity

T = default_input_tables()

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def ctx():
    return MoneyContext(T.fx_table("2025-10-24"), T.cost_indices)


def test_700bn_rub_in_cny_at_cbr_24_oct_2025(ctx):
    # domain-data s.1: at the CBR rate of 24 Oct 2025 (11.3733 RUB/CNY), 700 bn RUB = 61.5 bn CNY
    cny = ctx.convert(Q_(700e9, "RUB_2025"), "CNY_2025")
    assert cny.magnitude == pytest.approx(61.5e9, rel=1e-3)
    assert str(cny.units) == "CNY_2025"


def test_the_seed_630_million_rmb_is_off_by_100x(ctx):
    # seed 004's "630 million RMB" against seed 002's "63 billion yuan" (domain-data s.1)
    cny = ctx.convert(Q_(700e9, "RUB_2025"), "CNY_2025").magnitude
    assert cny / 630e6 == pytest.approx(97.7, rel=1e-2)


def test_cepci_2016_to_2023(ctx):
    # CEPCI 2016 = 541.7, 2023 = 797.9 (domain-data s.2): 100 M x 797.9/541.7 = 147.3 M
    usd = ctx.with_index("CEPCI").convert(Q_(100e6, "USD_2016"), "USD_2023")
    assert usd.magnitude == pytest.approx(147.3e6, rel=1e-3)


def test_converting_without_fx_context_raises():
    with pytest.raises(pint.DimensionalityError, match="RUB_2025"):
        Q_(700e9, "RUB_2025").to("USD_2025")
    with pytest.raises(pint.DimensionalityError):
        Q_(1, "USD_2016") + Q_(1, "USD_2023")


def test_compound_money_units_convert(ctx):
    # identity: 1 USD_2025/kg = 81.269 RUB/kg = 81,269 RUB/t at the 24 Oct 2025 rate (same year)
    rub = ctx.convert(Q_(1, "USD_2025/kg"), "RUB_2025/t")
    assert rub.magnitude == pytest.approx(81269.0, rel=1e-9)


def test_round_trip_is_identity(ctx):
    amount = Q_(123.0, "EUR_2022")
    back = ctx.convert(ctx.convert(amount, "AUD_2019"), "EUR_2022")
    assert back.magnitude == pytest.approx(123.0, rel=1e-12)


def test_pint_context_converts_plain_amounts(ctx):
    from tea.units import ureg

    pctx = ctx.pint_context(["USD_2025", "RUB_2025", "CNY_2025"])
    with ureg.context(pctx):
        assert Q_(700e9, "RUB_2025").to("CNY_2025").magnitude == pytest.approx(61.55e9, rel=1e-3)


def test_reo_and_element_mass_cannot_mix():
    with pytest.raises(pint.DimensionalityError):
        Q_(1, "t") + Q_(1, "t_REO")
    assert Q_(1, "kt").to("t").magnitude == 1000  # kt is the kilotonne here, not the knot
    assert Q_(2, "Mt_REO").to("kt_REO").magnitude == 2000


def test_money_errors():
    with pytest.raises(MoneyError, match="unknown currency"):
        parse_quantity("5 GBP_2024")
    with pytest.raises(MoneyError, match="no value for 1900"):
        T.cost_indices.value("CEPCI", 1900)
    with pytest.raises(MoneyError, match="no FX rates dated"):
        T.fx_table("2001-01-01")
    ctx = MoneyContext(T.fx_table("2025-10-24"), T.cost_indices)
    with pytest.raises(MoneyError, match="exactly one money unit"):
        ctx.convert(Q_(1, "kg"), "USD_2024")


def test_check_dimension_accepts_any_money():
    check_dimension(parse_quantity("5 RUB_2025/kg"), "USD_2024/t")
    with pytest.raises(pint.DimensionalityError):
        check_dimension(parse_quantity("5 kg"), "USD_2024/t")


def test_fmt():
    assert fmt(Q_(700e9, "RUB_2025")) == "700 bn RUB_2025"
    assert fmt(Q_(2600, "t/yr")) == "2,600 t/yr"
