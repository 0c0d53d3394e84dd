"""Source comments of model files (tea.config.sources) and the standard that every number has one."""

from pathlib import Path

import pytest

from tea.config.sources import model_values

MODELS = sorted(Path("models").glob("*.toml"))


def test_values_and_comments_are_split(tmp_path):
    f = tmp_path / "m.toml"
    f.write_text(
        '# header comment\n'
        '[model]\n'
        'name = "a # not a comment"   # the name\n'
        'rate = 0.10                  # assumption: real rate\n'
        '\n'
        '[plants."x.y"]\n'
        'capex = "300e6 USD_2024"     # assumption: first part;\n'
        '                             # second part\n'
        'years = [2025, 2040]\n'
        'site = "tomtor"\n', encoding="utf-8")
    t = model_values(f).set_index(["table", "key"])
    assert t.loc[("model", "name"), "value"] == '"a # not a comment"'
    assert t.loc[("model", "name"), "source"] == "the name"
    assert t.loc[("plants.x.y", "capex"), "source"] == "assumption: first part; second part"
    assert t.loc[("plants.x.y", "years"), "source"] == ""
    assert t.loc[("plants.x.y", "capex"), "line"] == 7
    numeric = t["numeric"].to_dict()
    assert numeric[("model", "rate")] and numeric[("plants.x.y", "years")]
    assert not numeric[("model", "name")] and not numeric[("plants.x.y", "site")]


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_every_number_in_the_shipped_models_has_a_source(path):
    t = model_values(path)
    missing = t[t["numeric"] & (t["source"] == "")]
    assert missing.empty, "no source next to: " + ", ".join(
        f"line {r.line} {r.table}.{r.key}" for r in missing.itertuples())


def test_inputs_table_carries_sources_and_overrides():
    from tea.analysis.run import _inputs_table
    from tea.config import load_scenario

    s = load_scenario("models/china_reference.toml", {"model.discount_rate": 0.05})
    t = _inputs_table(s).set_index("key")
    assert t.loc["model.discount_rate", "value"] == "0.05"
    assert t.loc["model.discount_rate", "source"] == "--scenario override"
    assert t.loc["model.fx_date", "source"] != ""
    assert t.loc["model.fx_date", "file"].startswith("models/china_reference.toml:")
