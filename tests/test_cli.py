import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from flows.cli import main

from .conftest import events_reference_unknown_codes


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_server) -> Path:
    from .conftest import PAGES

    path = tmp_path_factory.mktemp("cli") / "news.duckdb"
    assert main(["run", "--source", str(PAGES), "--warehouse", str(path)]) == 0
    return path


def test_run_prints_a_summary_with_counts_and_verdict(tmp_path, capsys, prefect_server):
    from .conftest import PAGES

    assert main(["run", "--source", str(PAGES), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "COMPLETED" in out and "13 seen · 13 new or changed · 0 unchanged · 4 quarantined" in out
    assert "validation passed" in out and "quarantined empty.txt: empty file: no text at all" in out


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_query_formats(warehouse, capsys, fmt):
    assert main(["query", "select count(*) as n from articles", "--warehouse", str(warehouse), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        assert out == "n\n9\n"
    elif fmt == "json":
        assert json.loads(out) == [{"n": 9}]
    else:
        assert "│ 9   │" in out and out.rstrip().endswith("(1 rows)")


def test_query_from_a_file_to_parquet(warehouse, tmp_path):
    out = tmp_path / "undated.parquet"
    query = Path(__file__).parent.parent / "sql" / "queries" / "articles_without_publication_date.sql"
    assert main(["query", "--file", str(query), "--warehouse", str(warehouse), "--format", "parquet", "--output", str(out)]) == 0
    assert pl.read_parquet(out)["source_file"].to_list() == [
        "comment_thread_with_commenter_names_and_reply_links.txt",
        "cookie_banner_and_navigation_line_above_the_headline.txt",
        "newsletter_box_and_share_bar_inside_the_story.txt",
        "no_dateline.txt",
        "widgets_and_spam.txt",
    ]


def test_query_is_read_only(warehouse, capsys):
    assert main(["query", "delete from articles", "--warehouse", str(warehouse)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("wirehouse: error:") and "read-only" in error and "\n" not in error


def test_errors_are_one_line_with_what_to_do(tmp_path, capsys):
    assert main(["query", "select 1", "--warehouse", str(tmp_path / "missing.duckdb")]) == 1
    error = capsys.readouterr().err.strip()
    assert (
        error
        == f"wirehouse: error: FileNotFoundError: no warehouse at {tmp_path / 'missing.duckdb'}: run `wirehouse run` first (run again with --debug for the traceback)"
    )
    assert main(["run", "--source", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_serve_on_a_missing_source_is_an_error_at_start(tmp_path, capsys):
    assert main(["serve", "--source", str(tmp_path / "unmounted"), "--cron", "*/15 * * * *"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"wirehouse: error: source folder {tmp_path / 'unmounted'} does not exist or is not a folder"


def test_a_source_that_became_empty_is_an_error_unless_allowed(source, tmp_path, capsys, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--source", str(source), "--warehouse", str(warehouse)]) == 0
    for item in list(source.iterdir()):  # the share is unmounted: the folder is there, its files are not
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    capsys.readouterr()
    assert main(["run", "--source", str(source), "--warehouse", str(warehouse)]) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]  # after the lines saying what the run did
    assert error.startswith(f"wirehouse: error: SourceUnavailable: source folder {source.resolve()} is empty") and "\n" not in error
    assert "--allow-empty" in error
    runs = main(["query", "select status, message from runs order by started_at", "--warehouse", str(warehouse), "--format", "json"])
    recorded = json.loads(capsys.readouterr().out)
    assert runs == 0 and [r["status"] for r in recorded] == ["completed", "failed"] and "is empty" in recorded[1]["message"]
    assert (
        main(["query", "select count(*) as n from source_files where status = 'removed'", "--warehouse", str(warehouse), "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out == "n\n0\n"

    assert main(["run", "--source", str(source), "--warehouse", str(warehouse), "--allow-empty"]) == 0
    assert "13 removed" in capsys.readouterr().out


def test_a_bad_query_is_one_line(warehouse, capsys):
    assert main(["query", "select * from no_such_table", "--warehouse", str(warehouse)]) == 1
    error = capsys.readouterr().err.strip()
    assert "no_such_table" in error and "\n" not in error


def test_a_critical_failure_exits_non_zero_naming_the_expectation(source, tmp_path, capsys, prefect_server):
    with events_reference_unknown_codes():
        assert main(["run", "--source", str(source), "--warehouse", str(tmp_path / "w.duckdb")]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "nothing was loaded" in captured.out
    error = captured.err.strip().splitlines()[-1]
    assert error.startswith(
        "wirehouse: error: run failed, nothing loaded: FAILED: critical expectation events.expect_column_values_to_be_in_set(cameo_code)"
    )


def test_dashboard_command_writes_one_self_contained_page(warehouse, capsys):
    assert main(["dashboard", "--warehouse", str(warehouse)]) == 0
    page = warehouse.parent / "news.dashboard" / "index.html"
    html = page.read_text()
    assert "vegaEmbed" in html and "Wirehouse data quality" in html
    from flows.offline_assets import remote_loads

    assert remote_loads(html) == []
