"""`wirehouse query`, `dashboard` and `--help` start in a fraction of a second: they import
neither Prefect nor spaCy nor Great Expectations (seconds of start-up each), only what they use.
Each command runs in a fresh interpreter, since this test process has imported everything."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.load import ensure_schema

_HEAVY = ("prefect", "spacy", "great_expectations")

_RUN_AND_REPORT_IMPORTS = """
import sys
import flows.cli
try:
    code = flows.cli.main(sys.argv[1:])
except SystemExit as exit:  # --help exits
    code = exit.code
print(" ".join(name for name in HEAVY if name in sys.modules), file=sys.stderr)
sys.exit(code)
""".replace("HEAVY", repr(_HEAVY))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "news.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_schema(con)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["run", "--help"],
        ["query", "select count(*) from articles", "--warehouse", "WAREHOUSE"],
        ["dashboard", "--warehouse", "WAREHOUSE"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_commands_that_do_not_run_the_flow_import_nothing_heavy(warehouse, command):
    argv = [str(warehouse) if arg == "WAREHOUSE" else arg for arg in command]
    done = subprocess.run([sys.executable, "-c", _RUN_AND_REPORT_IMPORTS, *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "", f"imported {done.stderr.splitlines()[-1]}"
