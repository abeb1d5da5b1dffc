"""The real flow, end to end: Prefect, spaCy, Great Expectations and a DuckDB file."""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.pipeline import etl

from .conftest import SAMPLES, events_reference_unknown_codes
from .warehouse_state import snapshot


def _query(warehouse: Path, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def _run(source: Path, warehouse: Path, **options):
    state = etl(source=source, warehouse=warehouse, return_state=True, **options)
    return state, state.result(raise_on_failure=False)


@pytest.fixture(scope="module")
def samples_warehouse(tmp_path_factory, prefect_server) -> Path:
    warehouse = tmp_path_factory.mktemp("samples") / "news.duckdb"
    state, _ = _run(SAMPLES, warehouse)
    assert state.is_completed()
    return warehouse


def test_samples_load_with_entities_and_events(samples_warehouse):
    counts = {t: _query(samples_warehouse, f"select count(*) as n from {t}")["n"][0] for t in ("articles", "entities", "events")}
    assert counts["articles"] == 5 and counts["entities"] >= 40 and counts["events"] >= 5
    putin = _query(samples_warehouse, "select name, country from entities where name = 'Vladimir Putin'")
    assert putin.rows() == [("Vladimir Putin", "RUS")]
    dated = _query(samples_warehouse, "select published_at, published_precision from articles where published_at is not null")
    assert dated.rows() == [(datetime(2016, 8, 27, 8, 57, 9), "second")]


def test_fixtures_load_and_bad_files_are_quarantined_with_reasons(source, tmp_path, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    state, summary = _run(source, warehouse)
    assert state.is_completed(), state.message
    assert (summary.files_seen, summary.files_new, summary.files_quarantined) == (13, 13, 4)
    articles = _query(warehouse, "select source_file from articles order by 1")["source_file"].to_list()
    assert articles == [
        "comment_thread_with_commenter_names_and_reply_links.txt",
        "cookie_banner_and_navigation_line_above_the_headline.txt",
        "dateline_with_seconds.txt",
        "dateline_with_time_before_date_and_update.txt",
        "nested/utf8_bom_crlf.txt",
        "newsletter_box_and_share_bar_inside_the_story.txt",
        "no_dateline.txt",
        "widgets_and_spam.txt",
        "windows_1252.txt",
    ]
    quarantine = {row[0]: row for row in _query(warehouse, "select source_file, stage, reason, raw_bytes from quarantine").rows()}
    assert quarantine["empty.txt"][2] == "empty file: no text at all"
    assert "PNG image" in quarantine["photo.png"][2] and quarantine["photo.png"][1] == "extract"
    assert "binary file" in quarantine["binary_blob.dat"][2]
    assert quarantine["nested/deeper/boilerplate_only.txt"][1] == "clean"
    assert quarantine["nested/deeper/boilerplate_only.txt"][2].startswith("no article text")
    for name, (_, _, _, raw) in quarantine.items():  # the original bytes are recoverable
        assert bytes(raw) == (source / name).read_bytes()
    text = _query(warehouse, "select body from articles where source_file = 'windows_1252.txt'")["body"][0]
    assert "“This is a step toward dignity for our elders…”" in text


def test_a_second_run_changes_nothing(source, tmp_path, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    _run(source, warehouse)
    before = snapshot(warehouse)
    state, summary = _run(source, warehouse)
    assert state.is_completed()
    assert (summary.files_new, summary.files_unchanged) == (0, 13)
    assert snapshot(warehouse) == before
    runs = _query(warehouse, "select status, count_files_new, count_files_unchanged from runs order by started_at")
    assert runs.rows() == [("completed", 13, 0), ("completed", 0, 13)]


def test_a_changed_file_replaces_its_article_and_a_removed_file_is_recorded(source, tmp_path, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    _run(source, warehouse)
    old_id = _query(warehouse, "select article_id from articles where source_file = 'no_dateline.txt'")["article_id"][0]
    page = source / "no_dateline.txt"
    page.write_text(page.read_text().replace("twenty thousand", "thirty thousand"))
    (source / "windows_1252.txt").unlink()
    state, summary = _run(source, warehouse)
    assert state.is_completed() and summary.files_new == 1 and summary.files_removed == 1
    new = _query(warehouse, "select article_id, body from articles where source_file = 'no_dateline.txt'")
    assert new.height == 1 and new["article_id"][0] != old_id and "thirty thousand" in new["body"][0]
    assert _query(warehouse, f"select count(*) as n from entity_mentions where article_id = '{old_id}'")["n"][0] == 0
    status = _query(warehouse, "select status from source_files where source_file = 'windows_1252.txt'")["status"][0]
    assert status == "removed"


def test_a_table_level_critical_failure_leaves_the_warehouse_unchanged(source, tmp_path, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    _run(source, warehouse)
    before = snapshot(warehouse)
    (source / "new_page.txt").write_text((SAMPLES / sorted(p.name for p in SAMPLES.iterdir())[0]).read_text())
    with events_reference_unknown_codes():
        state, summary = _run(source, warehouse)
    assert state.is_failed()
    assert "events.expect_column_values_to_be_in_set(cameo_code)" in state.message
    assert snapshot(warehouse) == before
    failed = _query(warehouse, "select status from runs order by started_at")["status"].to_list()
    assert failed == ["completed", "failed"]
    recorded = _query(warehouse, "select table_name, expectation from validation_results where not success and severity = 'critical'")
    assert recorded.rows() == [("events", "expect_column_values_to_be_in_set(cameo_code)")]


def test_an_article_failing_a_row_level_expectation_is_quarantined_and_the_others_load(source, tmp_path, prefect_server):
    now = datetime.now(UTC)
    # Two hours ago, printed in India's time: as UTC it would lie three and a half hours ahead.
    ist = (now + timedelta(hours=5, minutes=30) - timedelta(hours=2)).strftime("%d %b %Y %I:%M %p IST")
    (source / "stamped_in_ist.txt").write_text(
        f"Ministers Meet in Delhi\n\nPublished: {ist}\n\nIndian and Nepali ministers met in New Delhi to discuss "
        "electricity trade across their border, officials said after the meeting, which lasted three hours and ended with a joint statement.\n"
    )
    (source / "future_dated.txt").write_text(
        "Ministers Meet in Oslo\n\nPublished: 15/01/2099\n\nNorwegian and Danish ministers met in Oslo on Monday to discuss "
        "fishing quotas in the North Sea, officials said after the meeting, which lasted three hours and ended without a statement.\n"
    )
    warehouse = tmp_path / "w.duckdb"
    state, summary = _run(source, warehouse)
    assert state.is_completed(), state.message
    reason = "failed the critical expectation articles.expect_column_values_to_be_between(published_at)"
    assert ("future_dated.txt", reason) in summary.quarantined and f"quarantined future_dated.txt: {reason}" in summary.text()
    quarantine = _query(warehouse, "select reason, stage, raw_bytes from quarantine where source_file = 'future_dated.txt'").row(0)
    assert quarantine[:2] == (reason, "validate") and bytes(quarantine[2]) == (source / "future_dated.txt").read_bytes()
    status = _query(warehouse, "select status, article_id from source_files where source_file = 'future_dated.txt'").row(0)
    assert status == ("quarantined", None)
    assert _query(warehouse, "select count(*) as n from articles where title = 'Ministers Meet in Oslo'")["n"][0] == 0
    loaded = _query(warehouse, "select published_at, published_offset_minutes from articles where source_file = 'stamped_in_ist.txt'").row(
        0
    )
    assert loaded[1] == 330 and now.replace(tzinfo=None) - timedelta(hours=2, minutes=1) < loaded[0] < now.replace(tzinfo=None)
    assert _query(warehouse, "select count(*) as n from articles")["n"][0] == 10  # the nine good fixture pages and the IST one


def test_the_run_publishes_its_summary_as_a_markdown_artifact(source, tmp_path, prefect_server):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    state, summary = _run(source, tmp_path / "w.duckdb")

    async def latest():
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["wirehouse-run-summary"])))
            return [a for a in found if str(a.flow_run_id) == summary.run_id]

    import asyncio

    artifacts = asyncio.run(latest())
    assert artifacts and "# Wirehouse run: completed" in artifacts[0].data
    # A first load writes every row it has, and the artifact says so for every table.
    for table in ("removed_segments", "entity_aliases"):
        count = _query(tmp_path / "w.duckdb", f"select count(*) as n from {table}")["n"][0]
        assert count > 0 and f"| {table} | {count} | {count} |" in artifacts[0].data


def test_a_second_file_with_the_same_text_is_a_duplicate_of_one_article(source, tmp_path, prefect_server):
    shutil.copy(source / "no_dateline.txt", source / "copy of no_dateline.txt")
    warehouse = tmp_path / "w.duckdb"
    state, _ = _run(source, warehouse)
    assert state.is_completed()
    rows = _query(
        warehouse,
        "select source_file, status, article_id from source_files where source_file like '%no_dateline.txt' order by source_file",
    ).rows()
    assert [(name, status) for name, status, _ in rows] == [("copy of no_dateline.txt", "loaded"), ("no_dateline.txt", "duplicate")]
    assert rows[0][2] == rows[1][2]
    assert _query(warehouse, f"select count(*) as n from articles where article_id = '{rows[0][2]}'")["n"][0] == 1
