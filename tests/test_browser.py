"""The dashboard and the Data Docs in a real headless Chromium, offline: charts drawn, no
request leaves file://, no console error. Screenshots land in build/screenshots/."""

import shutil
from pathlib import Path

import pytest

from flows.dashboard import build_dashboard
from flows.pipeline import etl

from .conftest import PAGES, SAMPLES, events_reference_unknown_codes

SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]  # fmt: skip
CHARTS = ["chart-runs", "chart-files", "chart-pass-rates", "chart-row-counts", "chart-quad-classes"]


def _chromium() -> str:
    """Debian's Chromium, which `make test` installs; without it the browser tests skip."""
    path = shutil.which("chromium")
    if not path:
        pytest.skip("no `chromium` on PATH: `make test` installs Debian's (apt-get install chromium), or install it yourself")
    return path


@pytest.fixture(scope="module")
def history(tmp_path_factory, prefect_server) -> Path:
    """Three runs: a clean one, one that loads with a warning, one stopped by a critical failure."""
    root = tmp_path_factory.mktemp("history")
    source, warehouse = root / "source", root / "warehouse" / "news.duckdb"
    shutil.copytree(PAGES, source)
    assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
    for page in sorted(SAMPLES.iterdir())[:2]:
        shutil.copy(page, source / page.name)
    (source / "scheduled_summit.txt").write_text(  # an event dated after today: a warning
        "Leaders Plan Berlin Summit\n\nJune 2, 2024\n\nFrench President Emmanuel Macron will meet German Chancellor "
        "Olaf Scholz in Berlin on March 3, 2031, the two governments said in a joint statement on Sunday, "
        "adding that ministers would prepare the agenda over the coming years.\n"
    )
    assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
    for page in sorted(SAMPLES.iterdir())[2:3]:
        shutil.copy(page, source / page.name)
    with events_reference_unknown_codes():  # a broken reference: critical
        assert etl(source=source, warehouse=warehouse, return_state=True).is_failed()
    return warehouse


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _open(browser, page_path: Path):
    """Opens a page and records every request and every console error it causes."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, errors


def _offline(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith(("file:", "data:", "blob:", "about:"))]


def test_dashboard_shows_the_history_as_charts_offline(browser, history):
    dashboard = build_dashboard(history, history.parent / "news.dashboard")
    page, requests, errors = _open(browser, dashboard)
    page.wait_for_function(f"document.querySelectorAll('.vega-embed svg').length >= {len(CHARTS)}", timeout=20000)
    marks = page.evaluate(
        "ids => ids.map(id => document.querySelectorAll('#' + id + ' svg .mark-rect path, #' + id + ' svg .mark-line path,"
        " #' + id + ' svg .mark-symbol path').length)",
        CHARTS,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    assert all(count > 0 for count in marks), dict(zip(CHARTS, marks))
    assert _offline(requests) == [] and errors == []
    text = page.inner_text("body")
    assert "3\nruns" in text and "failed" in text
    assert "expect_column_values_to_be_in_set(cameo_code)" in text  # the critical failure of run 3
    assert "expect_column_values_to_be_between(event_date)" in text  # the warning run 2 loaded with
    assert "empty file: no text at all" in text  # the quarantine list
    assert page.get_attribute("a[href*='data_docs']", "href").endswith("data_docs/index.html")


def test_data_docs_open_offline_with_their_styles_and_scripts(browser, history):
    index = history.parent / "news.data_docs" / "index.html"
    page, requests, errors = _open(browser, index)
    assert "articles" in page.inner_text("body")  # the index lists the suites' validations
    validation = sorted(index.parent.glob("validations/articles/**/*.html"))[-1]
    result_page, more_requests, more_errors = _open(browser, validation)
    for shown in (page, result_page):
        loaded = shown.evaluate(
            "Array.from(document.querySelectorAll('link[rel=stylesheet]')).filter(l => l.href.includes('/vendor/') && l.sheet).length"
        )
        assert loaded >= 3  # bootstrap, font awesome and bootstrap-table, all loaded from the site
        assert "apple-system" in shown.evaluate("getComputedStyle(document.body).fontFamily")  # bootstrap applied
        assert shown.evaluate("typeof window.jQuery === 'function' && typeof window.vegaEmbed === 'function'")
    result_page.screenshot(path=str(SCREENSHOTS / "data_docs_validation.png"), full_page=True)
    assert "Validation Results" in result_page.inner_text("body") or "Expectation" in result_page.inner_text("body")
    assert _offline(requests + more_requests) == [] and errors + more_errors == []
