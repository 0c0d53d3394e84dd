"""report.html and the compare page in a real browser: headless Chromium driven by selenium.

Each page must load without a console error, draw every chart (its plot elements exist), answer
a click on a legend entry (the trace is hidden), and leave a screenshot under the test's
temporary folder. Needs the distribution's ``chromium`` and ``chromium-driver`` (``.ci/run``
installs them); elsewhere the tests are skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tea.report.write import write_report

from .conftest import make_real_bundle

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                 reason="no chromium/chromedriver (apt-get install chromium "
                                        "chromium-driver)")]


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver  # only where a browser exists
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,2000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def check_page(driver, page: Path, shot: Path) -> dict:
    """Open ``page``, check it and save a screenshot; returns what was counted."""
    driver.get(page.resolve().as_uri())
    driver.implicitly_wait(0)
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    charts = driver.find_elements("css selector", "div.chart")
    assert charts, "no chart on the page"
    counts = driver.execute_script("""
        return Array.from(document.querySelectorAll('div.chart')).map(d => ({
            id: d.id, plotted: d.classList.contains('js-plotly-plot'),
            marks: d.querySelectorAll('g.trace, g.sankey, path.bar, g.point').length,
            legend: d.querySelectorAll('g.legend g.traces').length}));""")
    for chart in counts:
        assert chart["plotted"] and chart["marks"] > 0, chart
    legend = next(c for c in counts if c["legend"] > 1)
    opacity = driver.execute_script(f"""
        const d = document.getElementById('{legend["id"]}');
        const entry = d.querySelector('g.legend g.traces rect.legendtoggle');
        entry.dispatchEvent(new MouseEvent('mousedown', {{bubbles: true}}));
        entry.dispatchEvent(new MouseEvent('mouseup', {{bubbles: true}}));
        return new Promise(r => setTimeout(() => r(
            d.querySelector('g.legend g.traces').style.opacity), 500));""")
    assert opacity == "0.5", f"legend click did not hide the trace ({opacity!r})"
    assert "legendonly" in hidden(driver, legend["id"])
    assert driver.find_element("css selector", "section h2").text == "Executive summary" \
        or "compare" in page.name
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    driver.save_screenshot(str(shot))  # the top of the page: the executive summary
    driver.execute_script("document.querySelector('div.chart').scrollIntoView();")
    driver.save_screenshot(str(shot.with_suffix(".charts.png")))  # the first charts
    assert shot.stat().st_size > 10_000 and shot.with_suffix(".charts.png").stat().st_size > 10_000
    return {"charts": len(counts)}


def hidden(driver, chart_id: str) -> list:
    """The ``visible`` state of each trace of a chart (``"legendonly"`` once hidden)."""
    return driver.execute_script(
        f"return document.getElementById('{chart_id}').data.map(t => t.visible);")


def test_fixture_report_in_chromium(browser, tmp_path):
    paths = write_report(make_real_bundle(), tmp_path / "report")
    seen = check_page(browser, paths["report.html"], tmp_path / "report.png")
    assert seen["charts"] >= 5


@pytest.mark.parametrize("model", ["siberia_cluster", "china_reference", "us_australia"])
def test_committed_reports_in_chromium(browser, model, tmp_path):
    page = ROOT / "reports" / model / "report.html"
    seen = check_page(browser, page, tmp_path / f"{model}.png")
    assert seen["charts"] == 8  # every report figure, the uncertainty ones included
