"""The supply cost curve's references: the parser checks ``inputs/reference_costs.csv``, every
shipped row cites its publication and year, and market prices are reference lines, not supply."""

from __future__ import annotations

import pandas as pd
import pytest

from tea.analysis.curves import (
    COST,
    DRAWN,
    END,
    KIND,
    KINDS,
    LINE,
    REFERENCE_COLUMNS,
    START,
    STEP,
    price_lines,
    supply_frame,
    supply_steps,
)
from tea.config.inputs import default_input_tables, read_rows
from tea.config.reference_costs import parse_reference_costs
from tea.errors import InputError
from tea.report.curves import write_curves

T = default_input_tables()

HEADER = ",".join(REFERENCE_COLUMNS)
GOOD = 'EF Ph.2,US/Australia,NdPr_oxide,production_cost,6000,29.39,2026,"Energy Fuels BFS 2026"'


def _table(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "reference_costs.csv"
    path.write_text("\n".join(["# a note", header, *rows]) + "\n", encoding="utf-8")
    return path


def _model_rows() -> pd.DataFrame:
    return pd.DataFrame({"option": ["Russia NdPr_oxide", "Russia Dy_oxide"],
                         "region": "Russia", "product": ["NdPr_oxide", "Dy_oxide"],
                         "capacity [t/yr]": [3458.0, 84.7],
                         "levelized cost [USD/kg]": [90.6, 347.4]})


def test_unknown_kind_is_refused_naming_file_row_and_field(tmp_path):
    path = _table(tmp_path, GOOD, GOOD.replace("EF Ph.2", "X").replace("production_cost", "quote"))
    with pytest.raises(InputError) as info:
        parse_reference_costs(read_rows(path))
    text = str(info.value)
    assert "\n" not in text
    assert info.value.file == str(path) and info.value.key == "kind"
    assert text.startswith(f"{path}: kind: row 2 ('X')")
    assert "'quote'" in text and all(k in text for k in KINDS)


def test_missing_kind_column_is_refused(tmp_path):
    header = HEADER.replace("kind,", "")
    path = _table(tmp_path, GOOD.replace("production_cost,", ""), header=header)
    with pytest.raises(InputError) as info:
        parse_reference_costs(read_rows(path))
    assert info.value.file == str(path) and info.value.key == "kind"
    assert "\n" not in str(info.value) and "expected the columns" in str(info.value)


@pytest.mark.parametrize(("column", "old", "new"), [
    ("source", '"Energy Fuels BFS 2026"', '""'),
    ("year", ",2026,", ",,"),
    ("year", ",2026,", ",26.5,"),
    ("cost_usd_per_kg", "29.39", "-1"),
    ("capacity_t_per_yr", ",6000,", ",,"),
])
def test_rows_without_source_year_cost_or_capacity_are_refused(tmp_path, column, old, new):
    path = _table(tmp_path, GOOD.replace(old, new))
    with pytest.raises(InputError) as info:
        parse_reference_costs(read_rows(path))
    assert info.value.file == str(path) and info.value.key == column


def test_a_market_price_has_no_capacity(tmp_path):
    row = 'FOB China,China,NdPr_oxide,market_price,54000,60,2025,"Fastmarkets 2025"'
    with pytest.raises(InputError, match="no capacity for a market price"):
        parse_reference_costs(read_rows(_table(tmp_path, row)))
    frame = parse_reference_costs(read_rows(_table(tmp_path, row.replace("54000", ""))))
    assert frame[DRAWN].tolist() == [LINE] and frame["capacity [t/yr]"].isna().all()


def test_every_shipped_row_cites_a_source_and_year():
    rows = read_rows(T.sources["reference_costs"]).require(REFERENCE_COLUMNS, require_rows=True)
    for row in rows:
        assert row["source"], row["project"]
        assert row["year"].isdigit() and 1990 <= int(row["year"]) <= 2100, row["project"]
        assert row["kind"] in KINDS, row["project"]
        if row["kind"] == "derived":
            assert row["source"].startswith("derived"), row["project"]
        else:  # a published figure names the year it was published in
            assert row["year"] in row["source"], row["project"]
    frame = T.reference_costs
    assert len(frame) == len(rows)
    # the quarter of Energy Fuels' cost is not passed off as a published figure
    assert (frame.loc[frame[COST] == pytest.approx(29.39 / 4, abs=0.01), KIND] == "derived").all()


def test_market_prices_are_lines_not_supply_steps():
    supply = supply_frame([_model_rows()], T.reference_costs)
    prices = supply[supply[KIND] == "market_price"]
    assert len(prices) >= 3  # FOB China 2024 and 2025, the US DoD floor
    steps = supply_steps(supply)
    assert not (steps[KIND] == "market_price").any()
    assert not steps["option"].isin(prices["option"]).any()
    assert set(price_lines(supply)["option"]) == set(prices["option"])
    assert (prices[DRAWN] == LINE).all() and prices["capacity [t/yr]"].isna().all()
    # the steps are the models' options, the published costs and the derived rows, laid end to end
    assert set(steps[KIND]) == {"model", "production_cost", "derived"}
    for _, part in steps.groupby("product"):
        assert part[COST].is_monotonic_increasing
        assert part[START].iloc[0] == 0.0
        assert (part[START].iloc[1:].to_numpy() == part[END].iloc[:-1].to_numpy()).all()
    # a superseded estimate of a project (Arafura's 2019 DFS) is listed but not a step
    old = supply[supply[DRAWN].str.startswith("not drawn")]
    assert "Arafura Nolans, 2019" in set(old["option"])
    assert not steps["option"].isin(old["option"]).any()
    assert (supply.loc[~supply.index.isin(old.index) & (supply[KIND] != "market_price"),
                       DRAWN] == STEP).all()


def test_curves_csv_has_the_kind_column(tmp_path):
    supply = supply_frame([_model_rows()], T.reference_costs)
    written = write_curves(supply, pd.DataFrame(), tmp_path)
    frame = pd.read_csv(tmp_path / "supply_cost_curve.csv")
    assert tmp_path / "supply_cost_curve.png" in written
    assert {"kind", "drawn as", "year"} <= set(frame.columns)
    assert set(frame["kind"]) == {"model", *KINDS}
    assert frame.loc[frame["kind"] != "model", "year"].notna().all()
