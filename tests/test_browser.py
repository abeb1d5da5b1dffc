"""The dashboard and the Data Docs in a real headless Chromium, offline: charts drawn, no
request leaves file://, no console error. Screenshots land in build/screenshots/."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from flows.dashboard import build_dashboard
from flows.load import connect, ensure_schema, run_query
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
    """Three runs: a clean one, one that loads with a warning, one stopped by a critical failure
    (whose summary is kept as `failed_summary.json` beside the warehouse)."""
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
        state = etl(source=source, warehouse=warehouse, return_state=True)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False, _sync=True)  # the browser fixture may already run an event loop
    (root / "failed_summary.json").write_text(json.dumps({"text": summary.text(), "markdown": summary.markdown()}))
    return warehouse


@pytest.fixture(scope="module")
def year_of_runs(tmp_path_factory) -> Path:
    """A warehouse with a year of 15-minute runs (35,040), each with three suites' results and
    four tables' counts, inserted straight into a real DuckDB file."""
    warehouse = tmp_path_factory.mktemp("year") / "news.duckdb"
    with connect(warehouse) as con:
        ensure_schema(con)
        con.execute(_A_YEAR_OF_RUNS)
    return warehouse


_A_YEAR_OF_RUNS = """
insert into runs (run_id, started_at, finished_at, status, count_files_new, count_files_unchanged, count_files_quarantined,
                  count_articles, count_events, message)
select printf('%08d-0000-4000-8000-000000000000', i), timestamp '2025-01-01' + i * interval 15 minute,
       timestamp '2025-01-01' + i * interval 15 minute + interval 7 second, if(i % 500 = 7, 'failed', 'completed'),
       i % 3, 100 + i // 100, (i % 700 = 0)::int, i % 3, i % 5, if(i % 500 = 7, 'FAILED: critical expectation', null)
from range(35040) as steps(i);
insert into validation_results (run_id, table_name, expectation, severity, success)
select run_id, suite, 'expect_column_values_to_not_be_null(body)', 'warning', hash(run_id || suite) % 17 <> 0
from runs, (values ('articles'), ('events'), ('entities')) as suites(suite);
insert into table_counts (run_id, table_name, count_rows)
select run_id, name, row_number() over (partition by name order by started_at)
from runs, (values ('articles'), ('events'), ('entities'), ('entity_mentions')) as tables(name);
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _open(browser, page_path: Path, width: int = 1280):
    """Opens a page and records every request and every console error it causes."""
    page = browser.new_page(viewport={"width": width, "height": 900})
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
    dashboard = history.parent / "news.dashboard" / "index.html"  # rebuilt by each run, the failed one too
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


def test_the_failed_runs_summary_links_the_dashboard_it_rebuilt(history):
    summary = json.loads((history.parent.parent / "failed_summary.json").read_text())
    dashboard = history.parent / "news.dashboard" / "index.html"
    assert f"  dashboard  {dashboard}" in summary["text"].splitlines()
    assert f"**Dashboard:** [index.html]({dashboard.as_uri()})" in summary["markdown"]


def test_dashboard_names_the_source_files_of_the_failing_rows(browser, history):
    page, _, errors = _open(browser, history.parent / "news.dashboard" / "index.html")
    rows = page.eval_on_selector_all("#failing-files tbody tr", "rows => rows.map(row => Array.from(row.cells, cell => cell.innerText))")
    header = page.eval_on_selector_all("#failing-files thead th", "cells => cells.map(cell => cell.innerText)")
    listed = {(row[header.index("expectation")], row[header.index("source_file")]) for row in rows}
    assert ("expect_column_values_to_be_between(event_date)", "scheduled_summit.txt") in listed  # run 2's warning
    run_three = sorted(SAMPLES.iterdir())[2].name  # the one new file of run 3, whose events all fail the code check
    assert ("expect_column_values_to_be_in_set(cameo_code)", run_three) in listed
    assert errors == []


def test_dashboard_freshness_cards_and_cells_that_break_between_words(browser, history):
    page, _, errors = _open(browser, history.parent / "news.dashboard" / "index.html")
    page.wait_for_function(f"document.querySelectorAll('.vega-embed svg').length >= {len(CHARTS)}", timeout=20000)
    cards = dict(page.eval_on_selector_all(".card", "cards => cards.map(c => [c.querySelector('.label').innerText,"
                                                    " c.querySelector('.figure').innerText])"))  # fmt: skip
    newest = run_query(history, "select max(published_at)::date::varchar as newest from articles")["newest"][0]
    assert cards["newest publication"] == newest
    assert re.fullmatch(r"\d+ min", cards["since the last completed run"]), cards
    styles = page.evaluate(
        "kinds => kinds.map(k => { const s = getComputedStyle(document.querySelector('td.' + k)); return [s.overflowWrap, s.wordBreak]; })",
        ["text", "path"],
    )
    assert styles == [["normal", "normal"], ["anywhere", "normal"]]  # words whole; only paths may break anywhere
    assert errors == []


def test_wide_tables_scroll_in_their_own_box_not_the_page(browser, history):
    page, _, errors = _open(browser, history.parent / "news.dashboard" / "index.html", width=720)
    page.wait_for_function(f"document.querySelectorAll('.vega-embed svg').length >= {len(CHARTS)}", timeout=20000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the page itself never scrolls sideways
    boxes = page.eval_on_selector_all(
        ".table-box", "boxes => boxes.map(b => [getComputedStyle(b).overflowX, b.scrollWidth > b.clientWidth, !!b.querySelector('table')])"
    )
    assert boxes and all(overflow == "auto" and has_table for overflow, _, has_table in boxes), boxes
    assert any(wider for _, wider, _ in boxes), boxes  # the runs table at least is wider than 720 px: it scrolls in its box
    page.screenshot(path=str(SCREENSHOTS / "dashboard_narrow.png"), full_page=True)
    assert errors == []


def test_the_page_is_replaced_whole_never_rewritten_in_place(tmp_path):
    """A reader of the old page (a browser loading it as a run ends) reads all of it: the new page
    is written beside it and renamed over it, and no partial file is left behind."""
    warehouse, out = tmp_path / "news.duckdb", tmp_path / "dashboard"
    with connect(warehouse) as con:
        ensure_schema(con)
    page = build_dashboard(warehouse, out)
    old = page.read_text(encoding="utf-8")
    with page.open(encoding="utf-8") as reader:
        inode = os.stat(page).st_ino
        build_dashboard(warehouse, out)
        assert os.stat(page).st_ino != inode  # a new file in its place, not the old one truncated and rewritten
        assert reader.read() == old
    assert [path.name for path in out.iterdir()] == ["index.html"]


def test_count_axes_tick_only_whole_numbers(browser, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    with connect(warehouse) as con:  # two runs of one new file each: a scale from 0 to 1 would tick at 0.2, 0.4, ...
        ensure_schema(con)
        con.execute(
            "insert into runs (run_id, started_at, finished_at, status, count_files_new, count_files_unchanged, count_files_quarantined)"
            " values ('r1', timestamp '2026-01-01 00:00', timestamp '2026-01-01 00:01', 'completed', 1, 0, 0),"
            " ('r2', timestamp '2026-01-01 00:15', timestamp '2026-01-01 00:16', 'completed', 1, 0, 0)"
        )
    page, _, errors = _open(browser, build_dashboard(warehouse, tmp_path / "dashboard"))
    page.wait_for_function("document.querySelectorAll('#chart-files svg').length == 1", timeout=20000)
    ticks = page.eval_on_selector_all("#chart-files g[aria-label^='Y-axis'] .role-axis-label text", "ts => ts.map(t => t.textContent)")
    assert ticks == ["0", "1"] and errors == []


def test_a_year_of_15_minute_runs_keeps_the_page_small(year_of_runs, tmp_path):
    empty = tmp_path / "empty.duckdb"
    with connect(empty) as con:
        ensure_schema(con)
    baseline = build_dashboard(empty, tmp_path / "empty").stat().st_size
    page = build_dashboard(year_of_runs, tmp_path / "year")
    html = page.read_text(encoding="utf-8")
    assert page.stat().st_size - baseline < 250_000, page.stat().st_size - baseline  # the charts' data, not 35,040 runs of it
    charts = dict(json.loads(re.search(r"^(\[\[.*\]\]).forEach", html, re.MULTILINE).group(1).replace("<\\/", "</")))
    points = {name: len(spec["data"]["values"]) for name, spec in charts.items()}
    assert points["chart-runs"] <= 2 * 54 and points["chart-files"] <= 3 * 54 and points["chart-row-counts"] <= 4 * 54, points
    runs_table = html[html.index("<h2>Runs (the latest 50 of 35040)</h2>") :]
    assert runs_table[: runs_table.index("</table>")].count("<tr>") == 1 + 50  # its header and the latest 50 runs


def test_a_year_of_runs_draws_one_bar_per_week(browser, year_of_runs, tmp_path):
    page, _, errors = _open(browser, build_dashboard(year_of_runs, tmp_path / "year"))
    page.wait_for_function(f"document.querySelectorAll('.vega-embed svg').length >= {len(CHARTS)}", timeout=20000)
    bars = page.eval_on_selector_all("#chart-runs svg .mark-rect path", "paths => paths.length")
    assert 52 <= bars <= 2 * 54  # 53 weeks (completed runs), a few of them with a failed run stacked on top
    assert page.eval_on_selector("#chart-runs g[aria-label^='X-axis'] .role-axis-title text", "t => t.textContent") == "week starting"
    assert "35040\nruns" in page.inner_text(".cards") and "(35040 runs, one point per week)" in page.inner_text("body")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_year.png"), full_page=True)
    assert errors == []


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
