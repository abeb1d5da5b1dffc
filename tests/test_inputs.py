"""Inputs by extension, through the real flow: HTML pages, JSON lines and CSV record files beside
text pages, with a bad record among good ones."""

import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.pipeline import etl

from .conftest import FIXTURES, PAGES
from .warehouse_state import snapshot

FORMATS = FIXTURES / "formats"
HTML = "news_page_with_banner_share_bar_and_comments.html"
JSONL = "api_export_with_a_bad_record.jsonl"
CSV = "archive_export_with_an_empty_record.csv"


def _query(warehouse: Path, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def _run(source: Path, warehouse: Path):
    state = etl(source=source, warehouse=warehouse, return_state=True)
    return state, state.result(raise_on_failure=False)


def _mixed_source(target: Path) -> Path:
    shutil.copytree(PAGES, target)
    for path in FORMATS.iterdir():
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, prefect_server):
    folder = tmp_path_factory.mktemp("mixed")
    source, warehouse = _mixed_source(folder / "source"), folder / "w.duckdb"
    state, summary = _run(source, warehouse)
    assert state.is_completed(), state.message
    return source, warehouse, summary


def test_an_html_page_gives_its_story_title_time_and_url(mixed):
    _, warehouse, _ = mixed
    row = _query(warehouse, f"select * from articles where source_file = '{HTML}'").row(0, named=True)
    assert row["title"] == "Kenya and Ethiopia sign border trade pact"
    assert row["url"] == "https://www.dailymeridian.example/africa/2024/10/03/kenya-ethiopia-border-trade-pact"
    # 14:45 at UTC+3, from the page's own publication stamp.
    assert (row["published_at"], row["published_precision"], row["published_offset_minutes"]) == (
        datetime(2024, 10, 3, 11, 45),
        "second",
        180,
    )
    body = row["body"]
    assert body.startswith("NAIROBI — Kenya and Ethiopia signed an agreement on Thursday")
    assert body.endswith("moving goods between the two countries.")
    for chrome in ("cookies", "Home", "Tweet", "Sign up", "says:", "Reply", "Related stories", "All rights reserved", "Photo:"):
        assert chrome not in body
    assert row["dateline_place"] == "NAIROBI"


def test_each_good_record_is_an_article_and_a_bad_record_is_quarantined_alone(mixed):
    source, warehouse, summary = mixed
    articles = _query(warehouse, "select source_file, title, published_at, published_offset_minutes, url, body from articles")
    records = {row[0]: row for row in articles.filter(pl.col("source_file").str.contains("#")).rows()}
    assert set(records) == {f"{JSONL}#wire-1001", f"{JSONL}#wire-1002", f"{JSONL}#line 6", f"{CSV}#a-1", f"{CSV}#a-3"}
    assert records[f"{JSONL}#wire-1001"][2:5] == (datetime(2024, 9, 17, 4, 30), 300, "https://wire.example/1001")
    assert records[f"{CSV}#a-1"][2:4] == (datetime(2024, 9, 20, 18, 28), 330)  # 11:58 PM IST
    # Clean text is taken as it is: one sentence is an article, and its paragraphs are kept.
    assert (
        records[f"{CSV}#a-3"][5]
        == "Nepal and India agreed to expand cross-border electricity trade, officials in Kathmandu said on Saturday."
    )
    assert records[f"{JSONL}#wire-1001"][5].count("\n\n") == 1

    quarantine = {row[0]: row[1:] for row in _query(warehouse, "select source_file, reason, stage, raw_bytes from quarantine").rows()}
    lines = (source / JSONL).read_text().split("\n")
    for line_no, why in ((3, "no text"), (4, "not valid JSON"), (5, "is not a date")):
        reason, stage, raw = quarantine[f"{JSONL}#line {line_no}"]
        assert reason.startswith(f"bad record on line {line_no}: ") and why in reason and stage == "extract"
        assert bytes(raw).decode() == lines[line_no - 1]  # the record's own bytes, recoverable
    assert quarantine[f"{CSV}#line 5"][0].startswith("bad record on line 5: no text")
    statuses = dict(_query(warehouse, "select source_file, status from source_files where source_file like '%.csv%'").rows())
    assert statuses == {CSV: "loaded", f"{CSV}#a-1": "loaded", f"{CSV}#line 5": "quarantined", f"{CSV}#a-3": "loaded"}
    assert (summary.files_seen, summary.files_quarantined) == (16, 8)


def test_text_pages_beside_other_formats_load_as_before(mixed):
    _, warehouse, _ = mixed
    pages = _query(warehouse, "select source_file from articles where source_file like '%.txt' order by 1")["source_file"].to_list()
    assert pages == [
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
    assert _query(warehouse, "select count(*) as n from events")["n"][0] > 0


def test_record_files_run_incrementally_and_a_changed_one_replaces_exactly_its_records(tmp_path, prefect_server):
    source, warehouse = _mixed_source(tmp_path / "source"), tmp_path / "w.duckdb"
    _run(source, warehouse)
    before = snapshot(warehouse)
    state, summary = _run(source, warehouse)
    assert state.is_completed() and summary.files_new == 0 and snapshot(warehouse) == before

    feed = source / JSONL
    kept = json.loads(feed.read_text().split("\n")[0])
    kept["text"] = kept["text"].replace("week-long", "ten-day")
    feed.write_text(json.dumps(kept) + "\n")  # one record changed, the others gone
    old_ids = _query(warehouse, f"select article_id from articles where source_file like '{JSONL}#%'")["article_id"].to_list()
    state, summary = _run(source, warehouse)
    assert state.is_completed(), state.message
    assert summary.files_new == 1 and summary.files_removed == 0
    rows = _query(warehouse, f"select source_file, body from articles where source_file like '{JSONL}#%'").rows()
    assert [name for name, _ in rows] == [f"{JSONL}#wire-1001"] and "ten-day" in rows[0][1]
    assert _query(warehouse, f"select count(*) as n from quarantine where source_file like '{JSONL}#%'")["n"][0] == 0
    files = _query(warehouse, f"select source_file from source_files where source_file like '{JSONL}%' order by 1")["source_file"].to_list()
    assert files == [JSONL, f"{JSONL}#wire-1001"]
    gone = ", ".join(f"'{i}'" for i in old_ids)
    assert _query(warehouse, f"select count(*) as n from entity_mentions where article_id in ({gone})")["n"][0] == 0

    feed.unlink()
    state, summary = _run(source, warehouse)
    assert state.is_completed() and summary.files_removed == 1
    assert _query(warehouse, f"select distinct status from source_files where source_file like '{JSONL}%'")["status"].to_list() == [
        "removed"
    ]
