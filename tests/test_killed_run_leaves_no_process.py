"""A run killed outright (SIGKILL, the OOM killer) takes every process it started with it: the
temporary Prefect server, the pool's workers and multiprocessing's resource tracker."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flows.batch import MIN_PARALLEL_FILES

from .conftest import SAMPLES


def _session(sid: int) -> dict[int, str]:
    """Live processes of session `sid` (the run started one of its own), with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == sid:
            continue
        try:
            if os.getsid(int(entry.name)) != sid or (entry / "stat").read_text().split(") ")[1].startswith("Z"):
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
    return found


def test_sigkill_of_the_run_leaves_no_process_behind(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    pages = sorted(SAMPLES.iterdir())
    for index in range(MIN_PARALLEL_FILES + 50):  # enough files for the worker pool to start
        text = pages[index % len(pages)].read_text()
        (source / f"{index:04d}.txt").write_text(f"{text}\n\nThis copy of the report is number {index} in the archive of the agency.\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")} | {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "150",
    }  # a loaded machine starts the server slowly
    run = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--source", str(source), "--warehouse", str(tmp_path / "w.duckdb"), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and run.poll() is None:
            children = _session(run.pid)
            if sum("uvicorn" in c for c in children.values()) and sum("multiprocessing" in c for c in children.values()) >= 3:
                break  # the server, the resource tracker and two workers: mid-transform
            time.sleep(0.3)
        assert run.poll() is None, "the run ended before its workers started"
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 20
        while _session(run.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _session(run.pid) == {}
    finally:
        if run.poll() is None:
            run.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)


def test_a_run_that_died_is_marked_crashed_by_the_next(tmp_path, prefect_server):
    import shutil
    import uuid

    from prefect.client.orchestration import get_client

    from flows.pipeline import etl

    source, warehouse = tmp_path / "source", tmp_path / "w.duckdb"
    source.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "a.txt")
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "WIREHOUSE_FAILPOINT": "run:locked"}
    killed = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--source", str(source), "--warehouse", str(warehouse)],
                            env=env, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    died = warehouse.with_name("w.duckdb.lock").read_text().strip()
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(uuid.UUID(died)).state.is_running()
        assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
        assert client.read_flow_run(uuid.UUID(died)).state.is_crashed()
    assert warehouse.with_name("w.duckdb.lock").read_text() == ""
