"""Source comments of model files (tea.config.sources) and the standard that every number has one."""

import re
from pathlib import Path

import pytest

from tea.config.sources import _split_comment, model_values

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


DATA = Path("tea/data")
_PROJECT_FILE = re.compile(r"\bseeds?\b|seed articles|domain[- ]data|reference data|ref\. data|/work/",
                           re.IGNORECASE)
_ID = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")


def _source_texts():
    """(where, text) of every model comment and of every input table (sources and # comments)."""
    for path in MODELS:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            comment = stripped[1:] if stripped.startswith("#") else _split_comment(line)[1]
            if comment:
                yield f"{path}:{n}", comment
    for path in sorted(DATA.glob("*.csv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield f"{path}:{n}", line


def test_sources_name_publications_not_project_files():
    # a source is a publication (inputs/SOURCES.md), never an article file or notes of the project
    bad = [f"{where}: {_PROJECT_FILE.search(text).group(0)!r}" for where, text in _source_texts()
           if _PROJECT_FILE.search(text)]
    assert not bad, "sources naming project files: " + "; ".join(bad)


def test_cited_identifiers_are_in_the_bibliography():
    table = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    ids = re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", table, re.MULTILINE)
    assert len(ids) == len(set(ids)) and "INTERFAX-2025-07" in ids
    prefixes = {i.split("-")[0] for i in ids}
    unknown = {token for _, text in _source_texts() for token in _ID.findall(text)
               if token.split("-")[0] in prefixes and token not in ids}
    assert not unknown, f"identifiers not in SOURCES.md: {sorted(unknown)}"
