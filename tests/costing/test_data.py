"""Tests of the costing input tables and their loaders."""

import pytest

from tea.config.inputs import default_input_tables, read_rows
from tea.costing.data import (
    PLANT_TYPES,
    parse_prices,
    parse_reference_plants,
)
from tea.errors import InputError
from tea.money import require_money

T = default_input_tables()


def test_reference_plants_carry_sourced_figures():
    plants = T.reference_plants
    assert {p.plant_type for p in plants.values()} <= set(PLANT_TYPES)
    assert all(p.source and p.exponent_source for p in plants.values())
    # Avalon Geismar PFS 2012: US$302 M (Q4-2011) for 10,000 t/yr REO (reference data, section 4)
    avalon = plants["avalon_geismar"]
    assert avalon.capex.magnitude == 302e6 and require_money(avalon.capex) == "USD_2011"
    assert avalon.capacity.to("t/yr").magnitude == 10000
    # Solikamsk: 7.0-7.4 bn RUB for ~2,500 t/yr
    smz = plants["solikamsk_separation"]
    assert (smz.capex_low.magnitude, smz.capex_high.magnitude) == (7.0e9, 7.4e9)
    assert plants["glazov_elemash"].capex.magnitude == 3.6e9  # Glazov 3.6 bn RUB
    assert plants["neo_narva"].capex.magnitude == 75e6  # Narva EUR 75 M
    assert plants["hypromag_sbir"].capex.magnitude == 5.32e6  # DOE SBIR US$5.32 M


def test_prices_from_reference_data():
    prices = T.prices
    # public REE cost model prices quoted in the reference data, section 5
    assert prices["electricity"].value.to("USD_2023/kWh").magnitude == pytest.approx(0.0804)
    assert prices["hydrochloric_acid"].value.to("USD_2019/t").magnitude == 250
    assert prices["oxalic_acid"].value.to("USD_2019/kg").magnitude == 1
    assert prices["d2ehpa"].value.to("USD_2023/kg").magnitude == 15
    assert all(p.source for p in prices.values())


def test_factors_and_labour():
    factors = T.capex_factors
    # Lang 1948: 3.10 solids, 3.63 solid-fluid, 4.74 fluid
    assert [factors[k].value for k in ("lang_solids", "lang_solid_fluid", "lang_fluid")] == [
        3.10, 3.63, 4.74]
    assert "mixer_settler" in T.equipment
    loc = T.location_factors
    assert loc["US_Gulf"].value == 1.0 and loc["siberia_remote"].value > loc["RU"].value
    labour = T.labour
    assert "RU" in labour.wages and "separation" in labour.headcounts


def test_bad_tables_are_refused(tmp_path):
    bad = tmp_path / "reference_plants.csv"
    header = ("key,project,country,plant_type,capex,capex_low,capex_high,currency,cost_year,"
              "capacity,capacity_unit,capacity_basis,exponent,exponent_source,scope,source\n")
    bad.write_text(header + "x,X,US,refinery,1,1,1,USD,2020,1,t/yr,REO,0.6,a,b,c\n")
    with pytest.raises(InputError, match="plant_type"):
        parse_reference_plants(read_rows(bad))
    bad.write_text(header + "x,X,US,separation,abc,1,1,USD,2020,1,t/yr,REO,0.6,a,b,c\n")
    with pytest.raises(InputError, match="capex") as err:
        parse_reference_plants(read_rows(bad))
    assert err.value.file == str(bad)
    bad.write_text(header + "x,X,US,separation,1,1,1,XYZ,2020,1,t/yr,REO,0.6,a,b,c\n")
    with pytest.raises(InputError, match="currency"):
        parse_reference_plants(read_rows(bad))
    bad.write_text("key,project\nx,y\n")
    with pytest.raises(InputError, match="missing column"):
        parse_reference_plants(read_rows(bad))
    prices = tmp_path / "prices.csv"
    prices.write_text("item,kind,price,low,high,unit,date,source\nhcl,reagent,1,1,1,t,2020,s\n")
    with pytest.raises(InputError, match="currency and cost year"):
        parse_prices(read_rows(prices))
