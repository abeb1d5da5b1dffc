"""What a run says while it works: a first line at once, progress per file, plain lines when
stderr is not a terminal (cron, `| tee`), the same lines in the run's Prefect log, and a step
that fails named in one line."""

import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from flows.batch import FilesAwaitingTheModel
from flows.cli import main
from flows.progress import progress

from .conftest import PAGES
from .warehouse_state import rows


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_reporter_advances_once_per_file(capsys):
    log: list[str] = []
    with progress("transforming files", 3, log.append, every=0, terminal=False, clock=_Clock()) as files:
        for _ in range(3):
            files.advance()
    assert log == [
        "transforming files: 1/3 (33%), 0s elapsed",
        "transforming files: 2/3 (66%), 0s elapsed",
        "transforming files: 3/3 (100%) in 0s",
    ]
    assert capsys.readouterr().err.splitlines() == [f"wirehouse: {line}" for line in log]


def test_without_a_terminal_a_line_every_few_seconds_at_most_and_one_at_the_end(capsys):
    clock, log = _Clock(), []
    with progress("transforming files", 300, log.append, every=5, terminal=False, clock=clock) as files:
        for second in range(1, 13):
            clock.now = second
            files.update(25 * second)
    assert log == [
        "transforming files: 125/300 (41%), 5s elapsed",
        "transforming files: 250/300 (83%), 10s elapsed",
        "transforming files: 300/300 (100%) in 12s",
    ]


def test_a_file_is_through_once_all_its_articles_are_parsed():
    page_articles = pl.DataFrame(
        {
            "source_file": ["a.txt", "copy_of_a.txt", "feed.jsonl#1", "feed.jsonl#2"],
            "article_id": ["A", "A", "R1", "R2"],
        }
    )
    waiting = FilesAwaitingTheModel(["a.txt", "copy_of_a.txt", "feed.jsonl", "empty.txt", "binary.dat"], page_articles)
    assert waiting.without_articles == 2  # empty.txt and binary.dat: quarantined, through at once
    assert [waiting.parsed(["A"]), waiting.parsed(["R1"]), waiting.parsed(["R2"]), waiting.parsed(["A"])] == [2, 0, 1, 0]


def test_a_run_without_a_terminal_says_what_it_does_as_it_goes(tmp_path, prefect_server):
    """stderr captured is not a terminal, as under cron or `| tee`: plain lines, no bar."""
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--source", str(PAGES), "--warehouse", str(tmp_path / "w.duckdb"),
         "--batch-files", "4", "--workers", "1", "--log-every", "0"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[:3] == [
        "wirehouse: loading the pipeline",
        f"wirehouse: running on the Prefect server at {prefect_server}",
        f"wirehouse: reading 13 files from {PAGES}",
    ]
    assert "wirehouse: transforming 13 files in 4 batch(es), validating each as it is done" in lines
    periodic = [line for line in lines if line.startswith("wirehouse: transforming files: ") and "elapsed" in line]
    assert periodic and all(" 13/13 " not in line for line in periodic)
    counts = [int(line.split(": ")[2].split("/")[0]) for line in periodic]
    assert counts == sorted(set(counts))
    assert any(line.startswith("wirehouse: transforming files: 13/13 (100%) in ") for line in lines)
    assert lines[-1] == f"wirehouse: loading into {tmp_path / 'w.duckdb'}"
    assert "\x1b[" not in done.stderr and "COMPLETED" in done.stdout


def test_the_progress_lines_are_in_the_runs_log_on_the_prefect_server(tmp_path, prefect_server, capsys):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    from flows.pipeline import etl

    summary = etl(source=PAGES, warehouse=tmp_path / "w.duckdb", log_every_seconds=0)
    APILogHandler().flush()  # the run has ended; its last lines may still be on their way
    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[summary.run_id])), limit=200)
    messages = [log.message for log in logs]
    printed = [line.removeprefix("wirehouse: ") for line in capsys.readouterr().err.splitlines()]
    assert f"reading 13 files from {PAGES}" in messages and "transforming files: 13/13 (100%) in" in " ".join(messages)
    assert [m for m in messages if m in printed] == printed  # every line printed is in the run's log, in order
    # And the summary the terminal would show, for a served run has none.
    assert messages[-1].startswith(f"Wirehouse run {summary.run_id[:8]}: COMPLETED") and "  validation passed" in messages[-1]


def _write_run(warehouse: Path, capsys) -> tuple[int, str]:
    code = main(["run", "--source", str(PAGES), "--warehouse", str(warehouse)])
    return code, capsys.readouterr().err


def test_a_failing_step_is_one_line_naming_it(tmp_path, capsys, prefect_server):
    warehouse = tmp_path / "w.duckdb"
    (tmp_path / "w.data_docs").write_text("a file where the data docs folder goes")
    code, err = _write_run(warehouse, capsys)
    assert code == 1 and "Traceback" not in err
    error = [line for line in err.splitlines() if line.startswith("wirehouse: error:")]
    assert len(error) == 1 and err.splitlines()[-1] == error[0]
    assert error[0].startswith("wirehouse: error: publish_data_docs failed: NotADirectoryError: ")
    assert error[0].endswith("(run again with --debug for the traceback)")
    (status, message), = rows(warehouse, "select status, message from runs")  # fmt: skip
    assert status == "failed" and message.startswith("publish_data_docs failed: NotADirectoryError")
    # The run stopped on an error, and the dashboard was rebuilt all the same, showing it.
    page = (tmp_path / "w.dashboard" / "index.html").read_text(encoding="utf-8")
    assert "last run <span class='status failed'>failed</span>" in page
    assert "publish_data_docs failed: NotADirectoryError" in page


def test_a_warehouse_that_cannot_be_locked_is_one_line_naming_the_step(tmp_path, capsys, prefect_server):
    (tmp_path / "a_file").write_text("")
    code, err = _write_run(tmp_path / "a_file" / "w.duckdb", capsys)
    assert code == 1 and err.splitlines()[-1].startswith("wirehouse: error: lock_warehouse failed: FileExistsError: ")
