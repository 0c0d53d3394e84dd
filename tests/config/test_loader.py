"""Model files: the default model loads; malformed files give one-line errors and exit code 2."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tea.cli import cli
from tea.config import load_scenario
from tea.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "data" / "minimal.toml"
SIBERIA = ROOT / "models" / "siberia_cluster.toml"


def test_siberia_model_loads():
    s = load_scenario(SIBERIA)
    # seeds 000/001/002/004: "over 700 billion rubles"
    assert s.budget.total.magnitude == 700e9 and str(s.budget.total.units) == "RUB_2025"
    assert s.budget.import_share_cap[2030] == 0.45  # Interfax, Jul 2025
    assert {"tomtor", "lovozero"} <= set(s.deposits)
    assert s.plants["solikamsk_separation"].existing_modules == 1
    assert s.targets["production"].magnitude == 50000
    # Trans-Siberian kilometre posts: Krasnoyarsk km 4,098, Irkutsk km 5,185
    assert s.sites["krasnoyarsk"].routes["irkutsk"].to("km").magnitude == 1090


def test_minimal_model_loads_with_defaults():
    s = load_scenario(MINIMAL)
    assert s.years == tuple(range(2025, 2031))
    assert s.objective == "min_cost" and s.profit_tax_rate is None  # the country rate applies
    # Tax Code art. 284 (25 % from 2025) for a site in Russia, from the finance table
    assert s.finance.for_region("RU-Siberia").profit_tax_rate == 0.25
    assert s.plants["sep"].first_build_year == 2025 and s.plants["sep"].lead_time == 2


def test_overrides_replace_values():
    s = load_scenario(MINIMAL, {"model.discount_rate": 0.05})
    assert s.discount_rate == 0.05


BASE = MINIMAL.read_text()

# (id, text replaced, replacement, expected key in the message, expected words)
MUTATIONS = [
    ("unknown-top-key", "[model]", "[modle]\nx = 1\n[model]", "modle", "unknown key"),
    ("unknown-model-key", 'name = "minimal"', 'name = "minimal"\ncolour = "red"', "model.colour",
     "unknown key"),
    ("missing-name", 'name = "minimal"\n', "", "model.name", "missing"),
    ("missing-model", "[model]", "[model_]", "model", "missing"),
    ("missing-currency", 'currency = "RUB_2025"\n', "", "model.currency", "missing"),
    ("bad-currency", 'currency = "RUB_2025"', 'currency = "GBP_2025"', "model.currency",
     "is not money"),
    ("currency-without-year", 'currency = "RUB_2025"', 'currency = "RUB"', "model.currency",
     "not money"),
    ("discount-percent", "discount_rate = 0.08", "discount_rate = 8", "model.discount_rate",
     "outside [0, 1]"),
    ("discount-string", "discount_rate = 0.08", 'discount_rate = "8 %"', "model.discount_rate",
     "expected a fraction"),
    ("base-year-outside", "base_year = 2025", "base_year = 2035", "model.base_year",
     "outside the horizon"),
    ("horizon-reversed", "horizon = [2025, 2030]", "horizon = [2030, 2025]", "model.horizon",
     "not a valid range"),
    ("horizon-one-value", "horizon = [2025, 2030]", "horizon = [2025]", "model.horizon",
     "two integers"),
    ("bad-objective", 'fx_date = "2025-10-24"', 'fx_date = "2025-10-24"\nobjective = "max_fun"',
     "model.objective", "not allowed"),
    ("fx-date-unknown", 'fx_date = "2025-10-24"', 'fx_date = "2019-01-01"', "model.fx_date",
     "no FX rates dated"),
    ("transport-wrong-dimension", '"0.05 USD_2024/t/km"', '"0.05 USD_2024/t"',
     "model.transport_cost", "wrong dimension"),
    ("transport-no-currency", '"0.05 USD_2024/t/km"', '"0.05 1/t/km"', "model.transport_cost",
     "wrong dimension"),
    ("budget-not-money", 'total = "50e9 RUB_2025"', 'total = "50e9 t"', "budget.total",
     "wrong dimension"),
    ("budget-negative", 'total = "50e9 RUB_2025"', 'total = "-5 RUB_2025"', "budget.total",
     "must be positive"),
    ("budget-no-year", 'total = "50e9 RUB_2025"', 'total = "50e9 RUB"', "budget.total",
     "needs a cost year"),
    ("import-cap-percent", "2030 = 0.5", "2030 = 50", "budget.import_share_cap.2030",
     "outside [0, 1]"),
    ("import-cap-year-outside", "2030 = 0.5", "2045 = 0.5", "budget.import_share_cap.2045",
     "outside the horizon"),
    ("site-missing-region", 'region = "RU-Siberia"\n', "", "sites.krasnoyarsk.region", "missing"),
    ("site-distance-mass", '"4100 km"', '"4100 t"', "sites.krasnoyarsk.distance_to_market",
     "wrong dimension"),
    ("route-unknown-site", 'distance_to_market = "4100 km"\n',
     'distance_to_market = "4100 km"\nroutes = { omsk = "500 km" }\n',
     "sites.krasnoyarsk.routes.omsk", "unknown site"),
    ("route-to-itself", 'distance_to_market = "4100 km"\n',
     'distance_to_market = "4100 km"\nroutes = { krasnoyarsk = "1 km" }\n',
     "sites.krasnoyarsk.routes.krasnoyarsk", "unknown site"),
    ("route-mass", 'distance_to_market = "4100 km"\n',
     'distance_to_market = "4100 km"\n\n[sites.irkutsk]\nregion = "RU-Siberia"\n'
     'distance_to_market = "5200 km"\nroutes = { krasnoyarsk = "1090 t" }\n',
     "sites.irkutsk.routes.krasnoyarsk", "wrong dimension"),
    ("route-zero", 'distance_to_market = "4100 km"\n',
     'distance_to_market = "4100 km"\n\n[sites.irkutsk]\nregion = "RU-Siberia"\n'
     'distance_to_market = "5200 km"\nroutes = { krasnoyarsk = "0 km" }\n',
     "sites.irkutsk.routes.krasnoyarsk", "must be positive"),
    ("route-twice", 'distance_to_market = "4100 km"\n',
     'distance_to_market = "4100 km"\nroutes = { irkutsk = "1090 km" }\n\n[sites.irkutsk]\n'
     'region = "RU-Siberia"\ndistance_to_market = "5200 km"\nroutes = { krasnoyarsk = "1090 km" }\n',
     "sites.irkutsk.routes.krasnoyarsk", "given twice"),
    ("deposit-unknown-site", 'site = "krasnoyarsk"\n\n[products', 'site = "omsk"\n\n[products',
     "deposits.tomtor.site", "unknown site"),
    ("product-unknown-element", '["Nd", "Pr"]', '["Nd", "Pm"]', "products.NdPr_oxide.elements",
     "unknown element"),
    ("product-bad-material", 'material = "oxide"', 'material = "ore"',
     "products.NdPr_oxide.material", "not allowed"),
    ("product-no-price", 'import_price = "60 USD_2025/kg_REO"\n', "",
     "products.NdPr_oxide.import_price", "missing"),
    ("price-element-basis", '"60 USD_2025/kg_REO"', '"60 USD_2025/kg"',
     "products.NdPr_oxide.import_price", "wrong dimension"),
    ("demand-unknown-product", "[demand.NdPr_oxide]", "[demand.Dy_oxide]", "demand.Dy_oxide",
     "unknown product"),
    ("demand-year-outside", '2030 = "2000 t_REO/yr"', '2031 = "2000 t_REO/yr"',
     "demand.NdPr_oxide.2031", "outside the horizon"),
    ("demand-element-mass", '2025 = "1000 t_REO/yr"', '2025 = "1000 t/yr"',
     "demand.NdPr_oxide.2025", "wrong dimension"),
    ("demand-negative", '2025 = "1000 t_REO/yr"', '2025 = "-1000 t_REO/yr"',
     "demand.NdPr_oxide.2025", "must not be negative"),
    ("demand-not-a-year", '2025 = "1000 t_REO/yr"', 'early = "1000 t_REO/yr"',
     "demand.NdPr_oxide.early", "not a year"),
    ("plant-unknown-technology", 'technology = "separation"', 'technology = "smelting"',
     "plants.sep.technology", "not allowed"),
    ("plant-unknown-site", 'site = "krasnoyarsk"\ncapacity', 'site = "omsk"\ncapacity',
     "plants.sep.site", "unknown site"),
    ("plant-negative-capacity", '"2500 t_REO/yr"', '"-2500 t_REO/yr"', "plants.sep.capacity",
     "must be positive"),
    ("plant-capacity-element-basis", '"2500 t_REO/yr"', '"2500 t/yr"', "plants.sep.capacity",
     "wrong dimension"),
    ("plant-modules-float", "max_modules = 2", "max_modules = 2.5", "plants.sep.max_modules",
     "expected an integer"),
    ("plant-modules-negative", "max_modules = 2", "max_modules = -1", "plants.sep.max_modules",
     "out of range"),
    ("plant-lifetime-zero", 'lifetime = "25 yr"', 'lifetime = "0 yr"', "plants.sep.lifetime",
     "must be positive"),
    ("plant-lead-time-mass", 'lead_time = "2 yr"', 'lead_time = "2 t"', "plants.sep.lead_time",
     "wrong dimension"),
    ("plant-unknown-product", 'products = ["NdPr_oxide"]', 'products = ["Gold"]',
     "plants.sep.products", "unknown product"),
    ("plant-purity-percent", 'products = ["NdPr_oxide"]', 'products = ["NdPr_oxide"]\npurity = 99.99',
     "plants.sep.purity", "outside [0, 1]"),
    ("plant-no-capex", 'capex = "7.2e9 RUB_2024"\n', "", "plants.sep.capex", "missing"),
    ("plant-capex-no-currency", 'capex = "7.2e9 RUB_2024"', 'capex = "7.2e9"', "plants.sep.capex",
     "wrong dimension"),
    ("plant-build-year-outside", 'lifetime = "25 yr"', 'lifetime = "25 yr"\nfirst_build_year = 2040',
     "plants.sep.first_build_year", "outside the horizon"),
    ("plant-unknown-deposit", 'products = ["NdPr_oxide"]', 'products = ["NdPr_oxide"]\ndeposit = "x"',
     "plants.sep.deposit", "unknown deposit"),
    ("plant-unknown-key", "max_modules = 2", "max_modules = 2\nmodules = 3", "plants.sep.modules",
     "unknown key"),
    ("not-toml", "[model]", "[model", "", "not valid TOML"),
    ("quantity-garbage", '"4100 km"', '"far away"', "sites.krasnoyarsk.distance_to_market",
     "does not start with a number"),
]


@pytest.mark.parametrize("case", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_malformed_model_gives_one_line_error(tmp_path, case):
    ident, old, new, key, words = case
    assert old in BASE, f"mutation {ident} does not apply"
    bad = tmp_path / f"{ident}.toml"
    bad.write_text(BASE.replace(old, new, 1))
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"error: {bad}: {key}" if key else f"error: {bad}"), message
    assert words in message


def test_missing_file():
    result = CliRunner().invoke(cli, ["validate", "nowhere.toml"])
    assert result.exit_code == 2 and "file not found" in result.output


def test_load_raises_input_error_with_file_and_key():
    with pytest.raises(InputError) as info:
        load_scenario(MINIMAL, {"model.discount_rate": 1.5})
    assert info.value.key == "model.discount_rate" and info.value.file == str(MINIMAL)


@pytest.mark.integration
def test_real_cli_process_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "tea.cli", "validate", str(SIBERIA)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("OK")
    bad = tmp_path / "bad.toml"
    bad.write_text(BASE.replace("discount_rate = 0.08", "discount_rate = 8"))
    run = subprocess.run([sys.executable, "-m", "tea.cli", "validate", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
