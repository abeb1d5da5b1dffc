"""The smaller promises of hostile input: UTF-16 without its byte-order mark, one bad byte in a
UTF-8 file, and the quarantine forgetting files that are gone."""

import shutil

import duckdb

from flows.extract import decode
from flows.pipeline import etl

from .conftest import SAMPLES

STORY = "Ministers from Türkiye and Côte d’Ivoire met in Genève on Monday, officials said.\n"


def test_utf16_without_a_byte_order_mark_is_text_not_binary():
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode(STORY.encode(codec)) == (STORY, codec, None)


def test_one_bad_byte_in_utf8_is_replaced_alone_and_said():
    data = STORY.encode("utf-8").replace(b"Monday", b"Mon\xffday")
    text, encoding, problem = decode(data)
    assert problem is None and encoding == "utf-8 (1 invalid byte replaced)"
    assert text == STORY.replace("Monday", "Mon\ufffdday")  # every accent intact, no mojibake


def test_the_quarantine_row_of_a_removed_file_is_cleared(tmp_path, prefect_server):
    source, warehouse = tmp_path / "source", tmp_path / "w.duckdb"
    source.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "a.txt")
    (source / "empty.txt").write_bytes(b"")

    def quarantined():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute("select source_file from quarantine").fetchall()
        finally:
            con.close()

    assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
    assert quarantined() == [("empty.txt",)]
    (source / "empty.txt").unlink()
    assert etl(source=source, warehouse=warehouse, return_state=True).is_completed()
    assert quarantined() == []


def test_a_failed_run_says_so_in_one_line_without_prefect_tracebacks(tmp_path, prefect_server):
    import os
    import subprocess
    import sys

    source, warehouse = tmp_path / "source", tmp_path / "not a file.duckdb"
    source.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "a.txt")
    warehouse.mkdir()  # a folder where the warehouse file should be: the run fails
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--source", str(source), "--warehouse", str(warehouse)],
        env={**os.environ, "PREFECT_API_URL": prefect_server}, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    # Progress lines may come first; the failure itself is the last line and the only error.
    assert all(line.startswith("wirehouse: ") for line in lines), done.stderr
    assert lines[-1].startswith("wirehouse: error:") and sum("error" in line for line in lines) == 1, done.stderr
    # The error is all the command says of the run: no summary, no dashboard line, on either stream.
    assert done.stdout == "" and not any("dashboard" in line for line in lines), done.stdout
    # It failed in the flow body, reading what the warehouse knows, outside any task: that part is named.
    assert lines[-1].startswith("wirehouse: error: known_files failed: IOException: "), lines[-1]


def test_a_warehouse_inside_its_own_source_folder_never_reads_its_own_files(prefect_server, tmp_path):
    source = tmp_path / "inbox"
    shutil.copytree(SAMPLES, source)
    warehouse = source / "news.duckdb"
    for _ in range(2):  # the second run finds the first run's warehouse, lock and Data Docs in the folder
        state = etl(source=source, warehouse=warehouse, return_state=True)
        assert state.is_completed(), state.message
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        seen = {row[0] for row in con.execute("select source_file from source_files").fetchall()}
    finally:
        con.close()
    assert (source / "news.data_docs").is_dir()
    assert seen == {path.name for path in SAMPLES.iterdir()}
