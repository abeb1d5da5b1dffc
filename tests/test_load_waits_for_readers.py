"""A reader holding the warehouse open (a long query, the dashboard) when a run reaches its
load: the run waits for it, saying which process it waits for, instead of failing after all
its work."""

import os
import shutil
import subprocess
import sys
import threading
import time

from flows.pipeline import etl

from .conftest import SAMPLES

READER = """
import sys, time, pathlib
from flows.load import connect
with connect(pathlib.Path(sys.argv[1]), read_only=True) as con:
    con.execute("select count(*) from articles").fetchall()
    print("reading", flush=True)
    stop = pathlib.Path(sys.argv[2])
    deadline = time.monotonic() + 120
    while not stop.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
"""


def test_the_load_waits_for_a_reader_and_names_it(tmp_path, prefect_server):
    source, warehouse, stop = tmp_path / "source", tmp_path / "w.duckdb", tmp_path / "stop"
    source.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "a.txt")
    assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
    shutil.copy(SAMPLES / "003_404ae92723a5d202.txt", source / "b.txt")

    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        run = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "run", "--source", str(source), "--warehouse", str(warehouse)],
            env={**os.environ, "PREFECT_API_URL": prefect_server}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        errors: list[str] = []
        waiting = threading.Event()

        def collect():
            for line in run.stderr:
                errors.append(line)
                if "waiting up to" in line:
                    waiting.set()

        collector = threading.Thread(target=collect, daemon=True)
        collector.start()
        while not waiting.is_set() and run.poll() is None:
            time.sleep(0.2)
        assert waiting.is_set(), "".join(errors)
        time.sleep(12)  # longer than a query's or a second run's default wait: the load keeps waiting
        assert run.poll() is None, "".join(errors)
        stop.touch()
        out = run.stdout.read()
        run.wait(timeout=120)
        collector.join(timeout=10)
    finally:
        stop.touch()
        reader.wait(timeout=30)
    assert run.returncode == 0, "".join(errors)
    notice = next(line for line in errors if "waiting up to" in line)
    assert f"process {reader.pid} (" in notice and "has it open for reading or writing" in notice
    assert "2 seen · 1 new or changed" in out
