"""Operations for real: killed runs, concurrent runs, hostile input and scheduled runs on a
real Prefect server. Runs happen in subprocesses (`wirehouse ...`), as a user would start them."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from flows.pipeline import etl

from .conftest import PAGES, SAMPLES
from .warehouse_state import scalar, snapshot

WIREHOUSE = [sys.executable, "-m", "flows.cli"]


def _env(api_url: str, **extra) -> dict:
    return {**os.environ, "PREFECT_API_URL": api_url, **extra}


def _wirehouse(args: list[str], env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*WIREHOUSE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([*WIREHOUSE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _add_samples(source: Path, count: int) -> None:
    for page in sorted(SAMPLES.iterdir())[:count]:
        shutil.copy(page, source / page.name)


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _writer_holds(warehouse: Path) -> bool:
    try:
        duckdb.connect(str(warehouse), read_only=True).close()
        return False
    except duckdb.IOException:
        return True


@pytest.fixture(scope="module")
def base(tmp_path_factory, prefect_server):
    """A warehouse after one completed run over the fixtures; then the source gains two pages
    and one page changes. Also the state a completed next run reaches, for comparison."""
    root = tmp_path_factory.mktemp("operations")
    source, warehouse, expected = root / "source", root / "base.duckdb", root / "expected.duckdb"
    shutil.copytree(PAGES, source)
    assert _wirehouse(["run", "--source", str(source), "--warehouse", str(warehouse)], _env(prefect_server)).returncode == 0
    _add_samples(source, 2)
    page = source / "no_dateline.txt"
    page.write_text(page.read_text().replace("twenty thousand", "forty thousand"))
    shutil.copy(warehouse, expected)
    assert _wirehouse(["run", "--source", str(source), "--warehouse", str(expected)], _env(prefect_server)).returncode == 0
    return source, warehouse, snapshot(warehouse), snapshot(expected, ignore_run_ids=True)


@pytest.fixture
def loaded(base, tmp_path):
    """The base warehouse copied for one test (the source folder is shared and not changed)."""
    source, warehouse, before, after = base
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    return source, copy, before, after


@pytest.mark.parametrize("point", ["run:transformed", "load:after-delete", "load:before-commit"])
def test_a_run_killed_at_an_exact_point_leaves_the_last_completed_run(loaded, point, prefect_server):
    source, warehouse, before, _ = loaded
    killed = _wirehouse(["run", "--source", str(source), "--warehouse", str(warehouse)], _env(prefect_server, WIREHOUSE_FAILPOINT=point))
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(warehouse) == before


def test_after_a_kill_mid_load_the_next_run_completes_normally(loaded, prefect_server):
    source, warehouse, _, after = loaded
    env = _env(prefect_server, WIREHOUSE_FAILPOINT="load:after-delete")
    assert _wirehouse(["run", "--source", str(source), "--warehouse", str(warehouse)], env).returncode == -signal.SIGKILL
    rerun = _wirehouse(["run", "--source", str(source), "--warehouse", str(warehouse)], _env(prefect_server))
    assert rerun.returncode == 0, rerun.stderr
    assert "3 new or changed" in rerun.stdout
    assert snapshot(warehouse, ignore_run_ids=True) == after


def test_a_run_killed_at_arbitrary_moments_is_all_or_nothing(loaded, prefect_server):
    source, warehouse, _, after = loaded
    before = snapshot(warehouse, ignore_run_ids=True)
    for delay in (0.5, 2.5, 5.0):
        run = _start(["run", "--source", str(source), "--warehouse", str(warehouse)], _env(prefect_server))
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=30)
        # Killed before its commit, the run left nothing; killed after it (or finished), all of it.
        assert snapshot(warehouse, ignore_run_ids=True) in (before, after)


def test_a_second_run_is_turned_away_while_queries_read_the_last_committed_state(loaded, prefect_server):
    source, warehouse, _, _ = loaded
    articles_before = scalar(warehouse, "select count(*) from articles")
    first = _start(
        ["run", "--source", str(source), "--warehouse", str(warehouse)],
        _env(prefect_server, WIREHOUSE_FAILPOINT="run:transformed@6"),
    )
    lock = warehouse.with_name(warehouse.name + ".lock")
    _wait_until(lambda: _locked(lock), 60, "the first run to take the lock")

    second = _wirehouse(["run", "--source", str(source), "--warehouse", str(warehouse), "--wait", "0"], _env(prefect_server))
    assert second.returncode == 3
    assert second.stderr.strip().splitlines()[-1].startswith("wirehouse: error: warehouse") and "busy" in second.stderr

    during = _wirehouse(["query", "select count(*) as n from articles", "--warehouse", str(warehouse), "--format", "csv"], os.environ)
    assert during.returncode == 0 and during.stdout == f"n\n{articles_before}\n"

    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert scalar(warehouse, "select count(*) from articles") == 11
    assert scalar(warehouse, "select count(*) - count(distinct article_id) from articles") == 0


def test_a_query_during_the_load_waits_for_it_or_says_it_is_busy(loaded, prefect_server):
    source, warehouse, _, _ = loaded
    first = _start(
        ["run", "--source", str(source), "--warehouse", str(warehouse)],
        _env(prefect_server, WIREHOUSE_FAILPOINT="load:before-commit@5"),
    )
    _wait_until(lambda: _writer_holds(warehouse), 90, "the first run to open the warehouse for its load")
    impatient = _wirehouse(["query", "select 1", "--warehouse", str(warehouse), "--wait", "0"], os.environ)
    assert impatient.returncode == 3 and "busy" in impatient.stderr and len(impatient.stderr.strip().splitlines()) == 1
    patient = _wirehouse(
        ["query", "select count(*) as n from articles", "--warehouse", str(warehouse), "--format", "csv", "--wait", "60"], os.environ
    )
    assert patient.returncode == 0 and patient.stdout == "n\n11\n"
    first.communicate(timeout=60)
    assert first.returncode == 0


def test_two_warehouses_in_one_folder_run_at_the_same_time_without_harm(tmp_path, prefect_server):
    shared = tmp_path / "warehouses"
    shared.mkdir()
    (shared / "staging").mkdir()  # a folder of the user's own, which no run may clear
    (shared / "staging" / "notes.txt").write_text("mine")
    a, b = shared / "a.duckdb", shared / "b.duckdb"
    # a pauses with its batches staged for longer than b takes to run from start to end beside it.
    first = _start(["run", "--source", str(PAGES), "--warehouse", str(a)], _env(prefect_server, WIREHOUSE_FAILPOINT="run:transformed@20"))
    _wait_until(lambda: (shared / "a.staging").exists(), 90, "the first run to stage its batches")
    second = _wirehouse(["run", "--source", str(PAGES), "--warehouse", str(b)], _env(prefect_server))
    out, err = first.communicate(timeout=180)
    assert second.returncode == 0, second.stderr
    assert first.returncode == 0, err
    for warehouse in (a, b):
        assert scalar(warehouse, "select count(*) from articles") == 9
        assert (shared / f"{warehouse.stem}.data_docs" / "index.html").exists()
        assert not (shared / f"{warehouse.stem}.staging").exists()  # each run removed the staging folder it made
    assert (shared / "staging" / "notes.txt").read_text() == "mine" and not (shared / "data_docs").exists()
    assert f"{shared / 'a.data_docs' / 'index.html'}" in out


def _locked(path: Path) -> bool:
    import fcntl

    if not path.exists():
        return False
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_hostile_input_is_quarantined_or_skipped_with_reasons_and_the_run_goes_on(tmp_path, prefect_server):
    source = tmp_path / "hostile"
    deep = source.joinpath(*[f"level{i}" for i in range(60)])
    deep.mkdir(parents=True)
    shutil.copy(SAMPLES / "003_404ae92723a5d202.txt", deep / "deep article.txt")
    shutil.copy(SAMPLES / "004_805abb2ad6366e16.txt", source / "nombre con espacios é ü.txt")
    shutil.copy(SAMPLES / "002_ef4cc92bb32d5d8b.txt", source / "line\nbreak.txt")
    (source / "loop").symlink_to(source)  # a directory link back to the top
    (source / "a.lnk").symlink_to(source / "b.lnk")
    (source / "b.lnk").symlink_to(source / "a.lnk")  # a file link loop
    os.mkfifo(source / "pipe")
    with open(source / "huge.txt", "wb") as handle:  # 100 MB, sparse
        handle.truncate(100 * 1024 * 1024)

    state = etl(source=source, warehouse=tmp_path / "w.duckdb", return_state=True)
    summary = state.result()
    assert state.is_completed()
    assert summary.loaded["articles"] == 3
    reasons = dict(summary.quarantined)
    assert reasons["huge.txt"].startswith("too large for a news article: 104,857,600 bytes")
    assert reasons["pipe"].startswith("not a regular file") and reasons["a.lnk"].startswith("not a regular file")
    loaded = {
        row[0] for row in duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True).execute("select source_file from articles").fetchall()
    }
    assert loaded == {"/".join(f"level{i}" for i in range(60)) + "/deep article.txt", "nombre con espacios é ü.txt", "line\nbreak.txt"}


def test_unreadable_and_vanishing_files_get_reasons(tmp_path, monkeypatch):
    from flows.extract import list_source_files, read_raw_documents

    (tmp_path / "locked.txt").write_text("secret")
    (tmp_path / "gone.txt").write_text("soon gone")
    files = list_source_files(tmp_path)
    (tmp_path / "gone.txt").unlink()  # vanishes between listing and reading
    real_read = Path.read_bytes

    def read_bytes(path):  # root reads through chmod 000, so permission errors are simulated
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    problems = dict(read_raw_documents(files).select("source_file", "problem").iter_rows())
    assert problems["locked.txt"].startswith("permission denied")
    assert problems["gone.txt"] == "the file disappeared while the run was reading the folder"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_a_served_deployment_loads_new_files_on_its_schedule(tmp_path):
    """A real Prefect server on loopback, the flow served on a one-minute cron, new files dropped in."""
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
    }
    source, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    source.mkdir()
    prefect = Path(sys.executable).with_name("prefect")
    logs = open(tmp_path / "processes.log", "w")  # noqa: SIM115  (the processes write to it until the finally below)
    server = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=logs, stderr=logs, start_new_session=True)  # fmt: skip
    served = None
    try:
        _wait_until(lambda: _healthy(port), 90, "the Prefect server to answer")
        served = subprocess.Popen([*WIREHOUSE, "serve", "--source", str(source), "--warehouse", str(warehouse), "--cron", "* * * * *"],
                                  env=env, stdout=logs, stderr=logs, start_new_session=True)  # fmt: skip
        _add_samples(source, 3)
        _wait_until(lambda: _articles(warehouse) >= 3, 240, "a scheduled run to load the new files")
        assert scalar(warehouse, "select count(*) from runs where status = 'completed'") >= 1
    finally:
        for process in (served, server):
            if process is not None:
                _stop(process)
        logs.close()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _articles(warehouse: Path) -> int:
    try:
        return scalar(warehouse, "select count(*) from articles") if warehouse.exists() else 0
    except duckdb.Error:
        return 0


def test_prefect_yaml_deploys_the_real_flow():
    import yaml
    from prefect.flows import load_flow_from_entrypoint

    project = Path(__file__).parent.parent
    config = yaml.safe_load((project / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    flow = load_flow_from_entrypoint(str(project / deployment["entrypoint"]))
    assert flow.name == "wirehouse-etl"
    assert set(deployment["parameters"]) <= set(flow.parameters.properties)
    assert deployment["concurrency_limit"] == 1 and deployment["schedules"][0]["cron"]
