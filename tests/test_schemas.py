"""flows/schemas.py is the one declaration: the DDL, the suites' grains and value sets, and the
set of suites all follow it.

The DDL is applied file by file to a fresh database, never through `load.ensure_schema`: that
adds the columns a DDL file lacks, which would hide exactly the drift these tests look for.
"""

from datetime import datetime

import duckdb
import polars as pl
import pytest

from flows.load import ensure_schema
from flows.paths import DATA, SQL
from flows.schemas import ARTICLES, DATA_TABLES, DESCRIPTIONS, TABLES, VALIDATED, VALUE_SETS, conform, duckdb_type, empty
from flows.validate import load_suite_json, suite_names, validate_tables

_UNIQUENESS = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")


def _ddl_alone(table: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute((SQL / "ddl" / f"{table}.sql").read_text(encoding="utf-8"))
    return con


def _expectations(table: str, kind: str | tuple[str, ...]) -> list[dict]:
    kinds = (kind,) if isinstance(kind, str) else kind
    return [e for e in load_suite_json(table)["expectations"] if e["type"] in kinds]


def test_every_declared_table_has_one_ddl_file_and_no_other():
    assert sorted(path.stem for path in (SQL / "ddl").glob("*.sql")) == sorted(TABLES)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_ddl_alone_creates_the_declared_columns_in_order_with_their_types(table):
    with _ddl_alone(table) as con:
        described = [(name, kind) for name, kind, *_ in con.execute(f"describe {table}").fetchall()]
    assert described == [(name, duckdb_type(dtype)) for name, dtype in TABLES[table].items()]


def test_every_loaded_table_and_the_run_metrics_have_a_suite():
    # runs, validation_results and table_counts have none: a run writes them about itself
    # (they hold the validation), and their DDL primary keys guard their grain on insert.
    assert suite_names() == sorted(VALIDATED)


@pytest.mark.parametrize("table", sorted(DATA_TABLES))
def test_each_suite_grain_is_the_ddl_primary_key(table):
    with _ddl_alone(table) as con:
        (primary_key,) = con.execute(
            "select constraint_column_names from duckdb_constraints() where constraint_type = 'PRIMARY KEY' and table_name = ?", [table]
        ).fetchone()
    (grain,) = _expectations(table, _UNIQUENESS)
    kwargs = grain["kwargs"]
    assert kwargs.get("column_list", [kwargs.get("column")]) == primary_key
    not_null = {e["kwargs"]["column"] for e in _expectations(table, "expect_column_values_to_not_be_null")}
    assert set(primary_key) <= not_null, f"{table}: no not-null expectation for {set(primary_key) - not_null}"


def test_each_suite_value_set_is_the_one_declared_in_schemas():
    stated = {
        (table, e["kwargs"]["column"]): tuple(e["kwargs"]["value_set"])
        for table in suite_names()
        for e in _expectations(table, "expect_column_values_to_be_in_set")
        if isinstance(e["kwargs"]["value_set"], list)  # the others are the batch's keys, passed as parameters
    }
    assert stated == VALUE_SETS


def test_validation_runs_the_suite_of_every_loaded_table():
    tables = {table: empty(schema) for table, schema in DATA_TABLES.items()}
    tables["articles"] = conform(
        pl.DataFrame([{"article_id": "0123456789abcdef", "source_file": "a.txt", "content_sha256": "a" * 64, "body": "word " * 60,
                       "word_count": 60, "published_at": datetime(2020, 1, 1), "published_precision": "day"}]),
        ARTICLES,
    )  # fmt: skip
    parameters = {"article_ids": ["0123456789abcdef"], "entity_ids": [], "iso3_codes": ["RUS"], "cameo_codes": ["040"],
                  "now": datetime(2026, 1, 1)}  # fmt: skip
    report = validate_tables("r", tables, parameters)
    assert set(report.results["table_name"]) == set(DATA_TABLES)
    assert report.results.height == sum(len(load_suite_json(table)["expectations"]) for table in DATA_TABLES)


def test_validating_a_table_without_a_suite_is_an_error_not_a_silent_pass():
    with pytest.raises(FileNotFoundError):
        validate_tables("r", {"no_such_table": pl.DataFrame({"x": [1]})}, {})


def test_every_table_and_every_column_has_a_description():
    assert {table: list(columns) for table, (_, columns) in DESCRIPTIONS.items()} == {
        table: list(schema) for table, schema in TABLES.items()
    }
    blank = [
        (table, column)
        for table, (about, columns) in DESCRIPTIONS.items()
        for column, text in {"": about, **columns}.items()
        if not text.strip()
    ]
    assert blank == []


def test_the_warehouse_carries_the_descriptions_as_comments():
    with duckdb.connect() as con:
        ensure_schema(con)
        tables = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'main'").fetchall())
        columns = {
            (t, c): text
            for t, c, text in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main' "
                "and table_name in (select table_name from duckdb_tables())"
            ).fetchall()
        }
    assert tables == {table: about for table, (about, _) in DESCRIPTIONS.items()}
    assert columns == {(table, column): text for table, (_, described) in DESCRIPTIONS.items() for column, text in described.items()}


def test_cameo_codes_holds_every_shipped_code_with_its_plover_type():
    with duckdb.connect() as con:
        ensure_schema(con)
        ensure_schema(con)  # rewritten, not appended, each time
        count, without_plover = con.execute("select count(*), count(*) filter (where plover_event is null) from cameo_codes").fetchone()
        rows = con.execute("select * from cameo_codes where cameo_code in ('042', '0874', '010') order by cameo_code").fetchall()
    shipped = pl.read_csv(DATA / "cameo_codes.tsv", separator="\t", infer_schema=False)
    assert count == shipped.height
    assert without_plover == shipped.filter(pl.col("cameo_root").is_in(["01", "02"])).height  # PLOVER dropped the comment roots
    assert rows == [
        ("010", "01", "Make statement", 1, 0.0, None, None, None),
        ("042", "04", "Make a visit", 1, 1.9, "CONSULT", "visit", None),
        ("0874", "08", "Retreat or surrender militarily", 2, 10.0, "RETREAT", "disarm", "military"),
    ]
