"""`wirehouse query` reads the warehouse's tables and nothing else: every way SQL could write
the warehouse, read or write another file, reach the network or lift the seal is refused with
one line, and the warehouse file is byte for byte what it was."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.load import connect, ensure_schema

WIREHOUSE = [sys.executable, "-m", "flows.cli"]


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        con.execute("insert into articles (article_id, source_file, body) values ('a1', 'a.txt', 'Story.')")
        con.execute("checkpoint")
    return path


def _state(folder: Path) -> dict[str, str]:
    """Every file under the test's folder and its hash: what "nothing changed anywhere" means."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _query(warehouse: Path, sql: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*WIREHOUSE, "query", sql, "--warehouse", str(warehouse), *options],
        capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(warehouse.parent / "home")},
    )  # fmt: skip


def _assert_refused(done: subprocess.CompletedProcess, code: int = 1) -> None:
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("wirehouse: error:") and len(done.stderr.strip().splitlines()) == 1, done.stderr


ATTACKS = {
    "attach another file read-write": "attach '{folder}/other.duckdb' as other (read_write)",
    "use, detach and re-attach the warehouse read-write, then insert": (
        "attach '{folder}/other.duckdb' as other (read_write); use other; detach news; attach '{warehouse}' as news (read_write); "
        "insert into news.articles (article_id) values ('evil')"
    ),
    "detach the warehouse": "detach news",
    "insert": "insert into articles (article_id) values ('evil')",
    "copy over the warehouse": "copy (select 1) to '{warehouse}' (format csv)",
    "copy anywhere": "copy (select 1 as x) to '{folder}/elsewhere.csv' (format csv)",
    "export the database": "export database '{folder}/dump'",
    "read a system file": "select * from read_text('/etc/passwd')",
    "read a system file as csv": "select * from read_csv('/etc/passwd')",
    "list files": "select * from glob('/etc/*')",
    "install an extension": "install httpfs",
    "load an extension": "load httpfs",
    "lift the seal": "set enable_external_access = true",
    "reset the seal": "reset enable_external_access",
    "unlock the configuration": "set lock_configuration = false",
    "store a secret": "create secret (type s3, key_id 'k', secret 's')",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_query_cannot_write_read_elsewhere_or_reach_out(warehouse, attack):
    folder = warehouse.parent
    before = _state(folder)
    done = _query(warehouse, ATTACKS[attack].format(folder=folder, warehouse=warehouse))
    _assert_refused(done)
    assert "root:" not in done.stdout and done.stdout == ""
    assert _state(folder) == before
    still = _query(warehouse, "select article_id from articles", "--format", "csv")
    assert still.returncode == 0 and still.stdout == "article_id\na1\n"


@pytest.mark.parametrize("target", ["news.duckdb", "news.duckdb.wal", "news.duckdb.lock", "link-to-warehouse", "./sub/../news.duckdb"])
def test_output_refuses_the_warehouse_and_its_files(warehouse, target):
    folder = warehouse.parent
    (folder / "sub").mkdir()
    (folder / "link-to-warehouse").symlink_to(warehouse)
    before = _state(folder)
    done = _query(warehouse, "select 1 as x", "--format", "csv", "--output", str(folder / target))
    _assert_refused(done, code=2)
    assert "is the warehouse" in done.stderr
    assert _state(folder) == before


def test_a_large_result_streams_in_batches_to_every_format(warehouse, tmp_path):
    import json

    import polars as pl

    sql = "select range as n, 'row ' || range as label from range(120000)"
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"result.{fmt}"
        done = _query(warehouse, sql, "--format", fmt, "--output", str(out))
        assert done.returncode == 0 and done.stderr.strip() == f"wrote 120000 rows to {out}", done.stderr
        frame = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": lambda p: pl.DataFrame(json.loads(p.read_text()))}[fmt](out)
        assert frame.height == 120000 and frame["n"].to_list() == list(range(120000)) and frame["label"][-1] == "row 119999"
    table = _query(warehouse, sql)
    assert table.returncode == 0 and table.stdout.rstrip().endswith("(120000 rows, the first 200 shown)")
