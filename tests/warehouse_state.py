"""Reading a warehouse file's data tables, to compare states across runs."""

from pathlib import Path

import duckdb

from flows.schemas import DATA_TABLES

# Columns that name the run which wrote a row: they differ between equivalent runs.
_RUN_COLUMNS = {"first_seen_run_id", "last_changed_run_id"}


def snapshot(warehouse: Path, ignore_run_ids: bool = False) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        state = {}
        for table in DATA_TABLES:
            columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
            if ignore_run_ids:
                columns = [c for c in columns if c not in _RUN_COLUMNS]
            state[table] = con.execute(f"select {', '.join(columns)} from {table} order by all").fetchall()
        return state
    finally:
        con.close()


def scalar(warehouse: Path, sql: str):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
