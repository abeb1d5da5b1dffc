"""The commands an analyst or the person on call types, through the real `wirehouse` command:
describe, --version, status, and the CLI's promises (one line per error, exit codes as the README
states: 0 loaded, 1 failed, 2 usage, 3 busy). Warehouses are built directly with the real DDL."""

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from flows.load import connect, ensure_schema
from flows.schemas import DESCRIPTIONS, TABLES, duckdb_type

WIREHOUSE = Path(sys.executable).parent / "wirehouse"


def _wirehouse(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(WIREHOUSE), *args], capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("analyst") / "news.duckdb"
    with connect(path) as con:
        ensure_schema(con)
    return path


def test_version_is_the_installed_package_version():
    done = _wirehouse("--version")
    assert (done.returncode, done.stdout) == (0, f"wirehouse {version('wirehouse')}\n")


def test_describe_prints_every_table_with_its_columns_and_their_descriptions(empty_warehouse):
    done = _wirehouse("describe", "--warehouse", str(empty_warehouse))
    assert done.returncode == 0, done.stderr
    headings = [line.split(":")[0] for line in done.stdout.splitlines() if line and not line.startswith(" ")]
    assert headings == sorted(TABLES)
    assert f"events: {DESCRIPTIONS['events'][0]}" in done.stdout


def test_describe_one_table_reads_the_comments_back_from_the_warehouse(empty_warehouse):
    done = _wirehouse("describe", "cameo_codes", "--warehouse", str(empty_warehouse))
    lines = done.stdout.splitlines()
    assert lines[0] == f"cameo_codes: {DESCRIPTIONS['cameo_codes'][0]}"
    columns = [line.split()[:2] for line in lines[1:] if line]
    assert columns == [[name, duckdb_type(dtype)] for name, dtype in TABLES["cameo_codes"].items()]
    assert lines[1].endswith(DESCRIPTIONS["cameo_codes"][1]["cameo_code"])


def test_describe_an_unknown_table_is_a_usage_error_naming_the_tables(empty_warehouse):
    done = _wirehouse("describe", "event", "--warehouse", str(empty_warehouse))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("wirehouse: error: no table 'event' in") and "events" in done.stderr


_HISTORY = """
insert into runs (run_id, started_at, finished_at, status, count_files_seen, count_files_new, count_articles, count_events, message) values
    ('11111111-aaaa', timestamp '2026-01-01 10:00:00', timestamp '2026-01-01 10:00:30', 'completed', 7, 7, 1, 2, 'passed 70 of 70 expectations'),
    ('22222222-bbbb', timestamp '2026-01-02 10:00:00', timestamp '2026-01-02 10:00:20', 'failed', 8, 1, 0, 0, 'failed 1 critical expectation');
insert into articles (article_id, source_file, content_sha256, body, word_count, published_at, published_precision) values
    ('a1', 'a.txt', repeat('1', 64), 'x', 1, timestamp '2025-12-30 08:00:00', 'second'),
    ('a2', 'b.txt', repeat('2', 64), 'y', 1, null, null);
insert into validation_results (run_id, table_name, expectation, severity, success, unexpected_count) values
    ('11111111-aaaa', 'events', 'old failure', 'warning', false, 9),
    ('22222222-bbbb', 'articles', 'expect_column_values_to_not_be_null(article_id)', 'critical', false, 3),
    ('22222222-bbbb', 'events', 'expect_column_values_to_be_in_set(modality)', 'warning', false, 1),
    ('22222222-bbbb', 'events', 'passed one', 'critical', true, 0);
"""


def test_status_shows_runs_freshness_quarantine_and_the_last_runs_failures(tmp_path):
    path = tmp_path / "news.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        con.execute(_HISTORY)
        for n in range(6):
            con.execute("insert into quarantine (source_root, source_file, reason, stage) values ('/news', ?, 'empty file: no text at all', 'extract')",
                        [f"empty{n}.txt"])  # fmt: skip
    done = _wirehouse("status", "--warehouse", str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"warehouse  {path}: 2 articles, 0 events"
    assert lines[1].startswith("freshness  last completed run 11111111 finished 2026-01-01 10:00 UTC (")
    assert lines[1].endswith(" ago); newest publication 2025-12-30")
    assert lines[2:5] == [
        "runs       (newest first)",
        "  22222222  2026-01-02 10:00  failed     1 new files · 0 articles · 0 events  failed 1 critical expectation",
        "  11111111  2026-01-01 10:00  completed  7 new files · 1 articles · 2 events  passed 70 of 70 expectations",
    ]
    assert lines[5:11] == [
        "quarantine 6 file(s), first ones:",
        *(f"  empty{n}.txt (extract): empty file: no text at all" for n in range(5)),
    ]
    assert lines[11:] == [
        "failing    2 expectation(s) in the last run (22222222):",
        "  critical articles: expect_column_values_to_not_be_null(article_id) (3 unexpected)",
        "  warning  events: expect_column_values_to_be_in_set(modality) (1 unexpected)",
    ]


def test_status_of_a_new_warehouse_says_there_is_no_run_yet(empty_warehouse):
    done = _wirehouse("status", "--warehouse", str(empty_warehouse))
    assert done.returncode == 0, done.stderr
    assert "freshness  no completed run" in done.stdout and "quarantine 0 file(s)" in done.stdout
    assert "failing    0 expectation(s) in the last run (none)" in done.stdout


def test_debug_is_accepted_before_or_after_the_subcommand(empty_warehouse):
    plain = _wirehouse("query", "select * from nowhere", "--warehouse", str(empty_warehouse))
    assert plain.returncode == 1 and plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    for args in (["--debug", "query", "select * from nowhere"], ["query", "select * from nowhere", "--debug"]):
        done = _wirehouse(*args, "--warehouse", str(empty_warehouse))
        assert done.returncode == 1 and "Traceback" in done.stderr, args


def test_duckdb_errors_keep_their_hint_on_the_one_line(empty_warehouse):
    done = _wirehouse("query", "select * from event", "--warehouse", str(empty_warehouse))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert 'Table with name event does not exist! Did you mean "events"?' in done.stderr


def _closed_stdout(*args: str, **kwargs) -> tuple[int, str]:
    """Runs the command with its standard output closed by the reader at once, as `| head -0` does."""
    process = subprocess.Popen([str(WIREHOUSE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    process.stdout.close()
    stderr = process.stderr.read()
    return process.wait(timeout=300), stderr


def test_a_closed_stdout_is_not_an_error(empty_warehouse):
    code, stderr = _closed_stdout("query", "select * from range(200000)", "--format", "csv", "--warehouse", str(empty_warehouse))
    assert (code, stderr) == (0, "")
    code, stderr = _closed_stdout("describe", "--warehouse", str(empty_warehouse))
    assert (code, stderr) == (0, "")


def test_a_run_whose_reader_closed_stdout_still_exits_as_loaded(tmp_path, prefect_server):
    from .conftest import PAGES

    warehouse = tmp_path / "news.duckdb"
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    code, stderr = _closed_stdout("run", "--source", str(PAGES), "--warehouse", str(warehouse), env=env)
    assert code == 0 and "BrokenPipeError" not in stderr and "Traceback" not in stderr, stderr
    loaded = _wirehouse(
        "query", "select status, count_articles from runs", "--format", "csv", "--warehouse", str(warehouse)
    ).stdout.splitlines()
    assert loaded[1].startswith("completed,") and int(loaded[1].split(",")[1]) > 0


@pytest.mark.parametrize(
    ("cron", "named"),
    [("61 * * * *", "the minute field '61'"), ("0 25 * * *", "the hour field '25'"), ("every hour", "'every hour' has 2 field(s)")],
)
def test_a_bad_cron_is_rejected_before_anything_starts(tmp_path, cron, named):
    done = _wirehouse("serve", "--cron", cron, "--warehouse", str(tmp_path / "news.duckdb"))
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith("wirehouse: error: --cron: ") and named in done.stderr and "serving" not in done.stderr


def test_the_dashboard_shows_freshness_first(tmp_path):
    path = tmp_path / "news.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        con.execute(_HISTORY)
    done = _wirehouse("dashboard", "--warehouse", str(path), "--out", str(tmp_path / "dashboard"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "dashboard" / "index.html").read_text(encoding="utf-8")
    cards = page[page.index("<div class='cards'>") :]
    assert cards.index("since the last completed run") < cards.index("newest publication") < cards.index(">runs<")
    assert "<div class='figure'>2025-12-30</div><div class='label'>newest publication</div>" in cards
    assert " days</div><div class='label'>since the last completed run</div>" in cards  # the completed run of 2026-01-01
