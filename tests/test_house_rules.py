"""The rules of the house, checked: the import contracts in pyproject.toml (the pure middle
imports no orchestrator, validator or warehouse; only pipeline imports Prefect, only validate
Great Expectations, only load DuckDB), ruff's lint and format, and the SQL style."""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["lint-imports"],
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["sqlfluff", "lint", "sql/"],
    ],
    ids=["import contracts", "ruff lint", "ruff format", "sql style"],
)
def test_the_code_keeps_the_house_rules(command):
    done = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=PROJECT, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
