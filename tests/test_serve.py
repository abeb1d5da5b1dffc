"""`wirehouse serve` needs a Prefect server that answers, and serves one run at a time."""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from .conftest import PAGES

WIREHOUSE = [sys.executable, "-m", "flows.cli"]


def _serve(env: dict, *extra: str) -> list[str]:
    return [*WIREHOUSE, "serve", "--cron", "0 0 1 1 *", *extra]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_without_a_server_refuses_to_start_in_one_line(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")} | {"PREFECT_HOME": str(tmp_path)}
    for env, says in (
        (base, "serving needs a Prefect server: start one and set PREFECT_API_URL"),
        (base | {"PREFECT_API_URL": f"http://127.0.0.1:{_free_port()}/api"}, "no Prefect server answers at http://127.0.0.1:"),
    ):
        done = subprocess.run(_serve(env), env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"wirehouse: error: {says}") and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_served_deployment_runs_one_at_a_time(tmp_path, prefect_server):
    from prefect.client.orchestration import get_client

    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    name = f"serve-test-{os.getpid()}"
    served = subprocess.Popen(
        _serve(env, "--name", name, "--warehouse", str(tmp_path / "w.duckdb")), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip

    async def deployment():
        async with get_client() as client:
            try:
                return await client.read_deployment_by_name(f"wirehouse-etl/{name}")
            except Exception:
                return None

    try:
        deadline, found = time.monotonic() + 90, None
        while found is None and time.monotonic() < deadline and served.poll() is None:
            time.sleep(0.5)
            found = asyncio.run(deployment())
        assert found is not None, served.stderr.read() if served.poll() is not None else "no deployment"
        limit = found.global_concurrency_limit.limit if found.global_concurrency_limit else found.concurrency_limit
        assert limit == 1
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=30)


def test_a_served_run_shows_its_progress_and_summary_in_its_prefect_log(tmp_path, prefect_server):
    """What the Prefect UI shows of a run the serving process started: the lines `run` prints as
    it goes, and the summary it would end with (not "This run didn't generate logs")."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(PAGES / "dateline_with_seconds.txt", source / "a.txt")
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    name = f"serve-logs-{os.getpid()}"
    with (tmp_path / "serve.err").open("w") as err:
        served = subprocess.Popen(
            _serve(env, "--name", name, "--source", str(source), "--warehouse", str(tmp_path / "w.duckdb")), env=env,
            stdout=subprocess.DEVNULL, stderr=err, text=True, start_new_session=True,
        )  # fmt: skip
    try:
        with get_client(sync_client=True) as client:
            deadline, deployment = time.monotonic() + 90, None
            while deployment is None and time.monotonic() < deadline and served.poll() is None:
                time.sleep(0.5)
                with contextlib.suppress(Exception):
                    deployment = client.read_deployment_by_name(f"wirehouse-etl/{name}")
            assert deployment is not None, (tmp_path / "serve.err").read_text()
            run = client.create_flow_run_from_deployment(deployment.id)
            while not client.read_flow_run(run.id).state.is_final() and time.monotonic() < deadline + 120:
                time.sleep(1)
            assert client.read_flow_run(run.id).state.is_completed(), (tmp_path / "serve.err").read_text()
            deadline = time.monotonic() + 10  # the run's last lines may still be on their way to the server
            while True:
                logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])), limit=200)
                messages = [log.message for log in logs]
                if any(m.startswith("Wirehouse run ") for m in messages) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=30)
    assert f"reading 1 files from {source}" in messages, messages
    assert any(m.startswith("transforming files: 1/1 (100%) in ") for m in messages), messages
    summary = next(m for m in messages if m.startswith("Wirehouse run "))
    assert f"Wirehouse run {str(run.id)[:8]}: COMPLETED" in summary and "  validation passed" in summary
