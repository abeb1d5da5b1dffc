"""The commands an analyst or the person on call types, through the real `wirehouse` command:
describe, --version, status, and the CLI's promises (one line per error, exit codes as the README
states: 0 loaded, 1 failed, 2 usage, 3 busy). Warehouses are built directly with the real DDL."""

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
