"""`wirehouse serve` needs a Prefect server that answers, and serves one run at a time."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

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
