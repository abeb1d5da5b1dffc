"""DuckDB: the only writer of the warehouse. One transaction per run, so a run that fails
or is killed leaves the warehouse as the last completed run left it."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from flows.paths import DATA, SQL
from flows.schemas import ARTICLE_TABLES, DATA_TABLES, DESCRIPTIONS, SOURCE_FILES, TABLES, conform, duckdb_type
from flows.transforms.majority import majority_attributes
from flows.transforms.reference import cameo_codes

# How long a run's load waits for readers (queries, the dashboard) to close the file: the run
# has done all its work by then, and a query may take minutes.
LOAD_WAIT_SECONDS = 600

# The file a row's source_file belongs to: a record of a record file is keyed `<file>#<record>`
# (flows/transforms/records.py); any other name is its own file.
_RECORD_FILE = r"regexp_replace(source_file, '(?i)^(.*(?:\.jsonl|\.ndjson|\.csv))#[^#]*$', '\1')"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse, or another process has the file open in a way that
    excludes this one (a writer for a reader; any reader or writer for a writer)."""


@contextmanager
def run_lock(warehouse: Path, wait_seconds: float = 0, holder: str = "") -> Iterator[str]:
    """Exclusive right to run against `warehouse`, held for a whole run so a second run stops
    before doing any work. The kernel drops the lock when its holder dies, even by SIGKILL.

    The lock file names its `holder` while held and is emptied on release, so the name of an
    earlier holder found in it (what this yields, else "") is a run that died holding it."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(f"warehouse {warehouse} is busy: another run holds it") from None
                time.sleep(0.2)
        handle.seek(0)
        died = handle.read().strip()
        _name_holder(handle, holder)
        try:
            yield died
        finally:
            _name_holder(handle, "")
            fcntl.flock(handle, fcntl.LOCK_UN)


def _name_holder(handle, holder: str) -> None:
    handle.truncate(0)
    handle.write(holder)
    handle.flush()


def failpoint(name: str) -> None:
    """How the operations tests reach an exact moment of a real run. WIREHOUSE_FAILPOINT=name
    dies here by SIGKILL (a crash mid-load); name@SECONDS pauses here (a long run, for the
    concurrency tests). Inert when unset."""
    wanted, _, pause = os.environ.get("WIREHOUSE_FAILPOINT", "").partition("@")
    if wanted != name:
        return
    if pause:
        time.sleep(float(pause))
    else:
        os.kill(os.getpid(), signal.SIGKILL)


# A read-only connection that can reach nothing but the warehouse file: no other file (attach,
# copy, read_text, read_csv, glob, export), no network or extension (install, load), and no
# `set` or `reset` to undo any of it. DuckDB itself enforces each (checked in
# tests/test_query_is_read_only.py).
_SEALED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


class QueryRefused(PermissionError):
    """A query tried to write, or to reach beyond the warehouse's own tables."""


@contextmanager
def connect(path: Path, read_only: bool = False, wait_seconds: float = 10) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that always closes. While another process holds the file for writing (a
    run's load, which is short), it retries for `wait_seconds`, then raises WarehouseBusy.
    A read-only connection is sealed: it reads the warehouse and nothing else."""
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `wirehouse run` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline, announced = time.monotonic() + wait_seconds, False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=_SEALED if read_only else {})
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            holder = _lock_holder(str(error), "writing" if read_only else "reading or writing")
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"warehouse {path} is busy: {holder}") from error
            if not announced and wait_seconds >= 1:
                print(f"wirehouse: {path} is in use ({holder}); waiting up to {wait_seconds:.0f}s for it", file=sys.stderr, flush=True)
                announced = True
            time.sleep(0.2)
    try:
        yield con
    finally:
        con.close()


def _lock_holder(message: str, how: str) -> str:
    """Who holds the file, from DuckDB's lock error (which names the process) and the process's
    own command line, so the message says what to wait for or close."""
    found = re.search(r"\(PID (\d+)\)", message)
    if not found:
        return f"another process has it open for {how}"
    try:
        command = " ".join(Path(f"/proc/{found[1]}/cmdline").read_bytes().decode(errors="replace").split())
    except OSError:
        command = ""
    return f"process {found[1]}{f' ({command[:120]})' if command else ''} has it open for {how}"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Creates missing tables and adds columns a newer Wirehouse declares to an older
    warehouse (additions only: nothing is renamed or dropped), then (re)creates the views."""
    for ddl in sorted((SQL / "ddl").glob("*.sql")):
        con.execute(ddl.read_text(encoding="utf-8"))
    for table, schema in TABLES.items():
        present = {row[0] for row in con.execute(f"describe {table}").fetchall()}
        for column, dtype in schema.items():
            if column not in present:
                con.execute(f"alter table {table} add column {column} {duckdb_type(dtype)}")
    for view in sorted((SQL / "views").glob("*.sql")):
        con.execute(view.read_text(encoding="utf-8"))
    for table, (about, columns) in DESCRIPTIONS.items():
        con.execute(f"comment on table {table} is {_literal(about)}")
        for column, meaning in columns.items():
            con.execute(f"comment on column {table}.{column} is {_literal(meaning)}")
    _load_reference(con)


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """cameo_codes as the shipped dictionaries say now (a newer Wirehouse may correct them)."""
    read = lambda name: pl.read_csv(DATA / name, separator="\t", infer_schema=False)  # noqa: E731
    _register(con, "shipped_cameo_codes", cameo_codes(read("cameo_codes.tsv"), read("cameo_to_plover.tsv")))
    con.execute("delete from cameo_codes")
    con.execute("insert into cameo_codes select * from shipped_cameo_codes")
    con.unregister("shipped_cameo_codes")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def known_files(warehouse: Path, source_root: str) -> pl.DataFrame:
    """The files a previous run saw under this root, with the hash it loaded."""
    empty = pl.DataFrame(schema={k: SOURCE_FILES[k] for k in ("source_file", "content_sha256", "status", "article_id")})
    if not warehouse.exists():
        return empty
    with connect(warehouse, read_only=True) as con:
        if not _has_table(con, "source_files"):
            return empty
        return _fetch(con, "select source_file, content_sha256, status, article_id from source_files where source_root = ?", [source_root])


def load_staged(
    warehouse: Path, source_root: str, staged: list[str], removed: pl.DataFrame, run: pl.DataFrame,
    validation_results: pl.DataFrame, wait_seconds: float = LOAD_WAIT_SECONDS,
) -> dict[str, int]:  # fmt: skip
    """Loads the batches staged as Parquet in `staged` (folders, in batch order) in one
    transaction: replaces the processed files' rows, upserts the entity dimension, marks
    `removed` files and records the run. Returns the rows loaded per table.

    An article that two batches both produced (the same text in two files) is kept from the
    first batch; the later file becomes a `duplicate`, as within a batch.
    """
    with connect(warehouse, wait_seconds=wait_seconds) as con, _transaction(con):
        for table in DATA_TABLES:
            _stage_view(con, table, staged)
        con.execute("create temp table owners as select article_id, min(batch) as batch from staged_articles group by article_id")
        for table in ARTICLE_TABLES:
            con.execute(f"create temp view kept_{table} as select * from staged_{table} semi join owners using (article_id, batch)")
        _register(con, "removed_files", conform(removed, SOURCE_FILES))
        con.execute(
            f"""
            create temp table touched as
            select article_id from source_files
            where source_root = $root and article_id is not null
                and ({_RECORD_FILE} in (select source_file from staged_source_files) or source_file in (select source_file from removed_files))
            union
            select article_id from staged_source_files where article_id is not null
            """,
            {"root": source_root},
        )
        # An article lives as long as a file this run leaves alone still has its text: the
        # copy of a changed original, the original of a changed copy.
        con.execute(
            f"""
            create temp table replaced as
            select article_id from source_files
            where source_root = $root and article_id is not null
                and {_RECORD_FILE} in (select source_file from staged_source_files)
                and article_id not in (
                    select article_id from source_files
                    where source_root = $root and status in ('loaded', 'duplicate') and article_id is not null
                        and {_RECORD_FILE} not in (select source_file from staged_source_files)
                        and source_file not in (select source_file from removed_files)
                )
            union
            select article_id from owners
            """,
            {"root": source_root},
        )
        # A changed record file replaces exactly its records: those it no longer holds go.
        con.execute(
            f"""
            delete from source_files
            where source_root = $root and {_RECORD_FILE} in (select source_file from staged_source_files)
                and source_file not in (select source_file from staged_source_files)
            """,
            {"root": source_root},
        )
        # Entities whose name and country this run can change: those it stages and those of the
        # articles it replaces.
        con.execute(
            """
            create temp table touched_entities as
            select entity_id from staged_entities
            union
            select entity_id from entity_mentions where article_id in (select article_id from replaced)
            """
        )
        loaded = {}
        for table in ARTICLE_TABLES:
            con.execute(f"delete from {table} where article_id in (select article_id from replaced)")
            failpoint("load:after-delete")
            loaded[table] = _insert_from(con, table, f"kept_{table}")
        # One row per entity across batches: the first batch's name and type, the first known
        # country and position.
        firsts = ", ".join(
            f"arg_min({column}, batch) filter (where {column} is not null) as {column}"
            for column in TABLES["entities"]
            if column != "entity_id"
        )
        con.execute(f"create temp table batch_entities as select entity_id, {firsts} from staged_entities group by entity_id")
        loaded["entities"] = con.execute("select count(*) from batch_entities").fetchall()[0][0]
        con.execute(
            f"""
            insert into entities select {", ".join(TABLES["entities"])} from batch_entities
            on conflict (entity_id) do update set
                country = coalesce(excluded.country, entities.country),
                latitude = coalesce(excluded.latitude, entities.latitude),
                longitude = coalesce(excluded.longitude, entities.longitude)
            """
        )
        loaded["entity_aliases"] = con.execute(
            "insert into entity_aliases select distinct entity_id, alias from staged_entity_aliases on conflict do nothing"
        ).fetchall()[0][0]
        # The dimension holds what some article still mentions.
        con.execute("delete from entities where entity_id not in (select entity_id from entity_mentions)")
        con.execute("delete from entity_aliases where entity_id not in (select entity_id from entities)")
        _choose_entity_attributes(con)
        con.execute(
            f"delete from quarantine where source_root = $root and ({_RECORD_FILE} in (select source_file from staged_source_files) "
            "or source_file in (select source_file from removed_files))",
            {"root": source_root},
        )
        loaded["quarantine"] = _insert_from(con, "quarantine", "staged_quarantine")
        con.execute(
            f"""
            create temp table batch_source_files as
            select {", ".join(c if c != "status" else
                "case when status = 'loaded' and article_id is not null and owners.batch is distinct from staged.batch "
                "then 'duplicate' else status end as status" for c in SOURCE_FILES)}
            from staged_source_files staged left join owners using (article_id)
            union all select * from removed_files
            """
        )  # fmt: skip
        con.execute(
            """
            insert into source_files select * from batch_source_files
            on conflict (source_root, source_file) do update set
                content_sha256 = excluded.content_sha256,
                status = excluded.status,
                article_id = excluded.article_id,
                last_changed_run_id = excluded.last_changed_run_id
            """
        )
        _rehome_articles(con, source_root)
        _record(con, run, validation_results)
        failpoint("load:before-commit")
    return loaded


def _choose_entity_attributes(con: duckdb.DuckDBPyConnection) -> None:
    """Each touched entity's name and country as most of its mentions in the whole warehouse give
    them (`majority_attributes`, as for a batch), and the actor countries of events naming it:
    the article's own, else the entity's, else the one the event's phrase gave (`Muslim clerics
    in Indonesia`: the faith has no country, its clerics there do). So one run of 300 files and
    two of 150 load the same. A mention loaded before mentions kept their article's name and
    country casts no vote; its entity keeps the country it had when no other mention gives one,
    and its events stay."""
    votes = _fetch(
        con,
        """
        select entity_id, name, country, count(*) as count_mentions from entity_mentions
        where entity_id in (select entity_id from touched_entities)
        group by all
        """,
    )
    unrecorded = votes.group_by("entity_id").agg(is_unrecorded=pl.col("name").is_null().any())
    _register(con, "chosen_entities", majority_attributes(votes).join(unrecorded, on="entity_id"))
    con.execute(
        """
        update entities set
            name = coalesce(chosen.name, entities.name),
            country = coalesce(chosen.country, case when chosen.is_unrecorded then entities.country end)
        from chosen_entities chosen
        where entities.entity_id = chosen.entity_id
        """
    )
    con.unregister("chosen_entities")
    con.execute(
        """
        create temp table actor_countries as
        select
            mentions.article_id,
            mentions.entity_id,
            coalesce(max(mentions.country), any_value(entities.country)) as country
        from entity_mentions mentions
        inner join entities on mentions.entity_id = entities.entity_id
        where mentions.entity_id in (select entity_id from touched_entities)
        group by mentions.article_id, mentions.entity_id
        having bool_and(mentions.name is not null)
        """
    )
    for n in (1, 2):
        con.execute(
            f"""
            update events set actor{n}_country = coalesce(actor_countries.country, events.actor{n}_country)
            from actor_countries
            where events.article_id = actor_countries.article_id and events.actor{n}_id = actor_countries.entity_id
            """
        )


def _rehome_articles(con: duckdb.DuckDBPyConnection, source_root: str) -> None:
    """Each article names a file that still has its text, and that file is the one `loaded`
    among the files sharing it (the others are `duplicate`): when the file an article named
    changed or went away, the first remaining copy takes its place."""
    con.execute(
        """
        create temp table holders as
        select article_id, min(source_file) as source_file, arg_min(content_sha256, source_file) as content_sha256
        from source_files
        where source_root = $root and status in ('loaded', 'duplicate') and article_id in (select article_id from touched)
        group by article_id
        """,
        {"root": source_root},
    )
    con.execute(
        """
        update articles set source_file = holders.source_file, content_sha256 = holders.content_sha256
        from holders
        where articles.article_id = holders.article_id and not exists (
            select 1 from source_files current
            where current.source_file = articles.source_file
                and current.article_id = articles.article_id and current.status in ('loaded', 'duplicate')
        )
        """
    )
    con.execute(
        """
        update source_files set status = case when source_files.source_file = articles.source_file then 'loaded' else 'duplicate' end
        from articles
        where source_files.source_root = $root and source_files.article_id = articles.article_id
            and source_files.status in ('loaded', 'duplicate') and articles.article_id in (select article_id from touched)
        """,
        {"root": source_root},
    )


def _stage_view(con: duckdb.DuckDBPyConnection, table: str, staged: list[str]) -> None:
    """`staged_<table>`: the table's rows from every batch folder, with the batch's position."""
    if not staged:
        _register(con, f"staged_{table}", pl.DataFrame(schema={**TABLES[table], "batch": pl.Int32}))
        return
    files = ", ".join("'" + str(Path(folder) / f"{table}.parquet").replace("'", "''") + "'" for folder in staged)
    con.execute(
        f"create temp view staged_{table} as select * exclude (filename), "
        f"list_position([{files}], filename) as batch from read_parquet([{files}], filename = true)"
    )


def _insert_from(con: duckdb.DuckDBPyConnection, table: str, source: str) -> int:
    columns = ", ".join(TABLES[table])
    return con.execute(f"insert into {table} ({columns}) select {columns} from {source}").fetchall()[0][0]


def record_run(warehouse: Path, run: pl.DataFrame, validation_results: pl.DataFrame, wait_seconds: float = LOAD_WAIT_SECONDS) -> None:
    """Records a run that loaded no data (it failed validation): only `runs` and
    `validation_results` change, so the data tables stay exactly as they were."""
    with connect(warehouse, wait_seconds=wait_seconds) as con, _transaction(con):
        _record(con, run, validation_results)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The schema brought up to date, then one transaction: committed if the block finishes,
    rolled back if anything (an error, Ctrl-C) stops it."""
    ensure_schema(con)
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def run_query(warehouse: Path, sql: str, wait_seconds: float = 10) -> pl.DataFrame:
    """Ad-hoc SQL against the last committed state, opened read-only."""
    with stream_query(warehouse, sql, wait_seconds) as batches:
        return pl.from_arrow(batches.read_all())


@contextmanager
def stream_query(warehouse: Path, sql: str, wait_seconds: float = 10, batch_rows: int = 50_000) -> Iterator[pa.RecordBatchReader]:
    """Ad-hoc SQL against the last committed state on a sealed read-only connection, its
    result as a stream of Arrow batches of about `batch_rows` rows (never all at once).
    Anything that would write or reach beyond the warehouse raises QueryRefused."""
    with connect(warehouse, read_only=True, wait_seconds=wait_seconds) as con:
        try:
            relation = con.sql(sql)
            yield relation.to_arrow_reader(batch_rows) if relation is not None else pa.RecordBatchReader.from_batches(pa.schema([]), [])
        except (duckdb.PermissionException, duckdb.InvalidInputException) as error:
            first = str(error).strip().splitlines()[0]
            if not any(sign in first for sign in ("disabled", "locked", "read-only")):
                raise
            raise QueryRefused(f"queries only read the warehouse's tables: {first}") from None


def reading(warehouse: Path, wait_seconds: float = 10):
    """The read-only connection of export, status and describe: one place, so they follow
    `query` onto its sealed connection."""
    return connect(warehouse, read_only=True, wait_seconds=wait_seconds)


def export_events(warehouse: Path, since: str | None = None) -> pl.DataFrame:
    """sql/exports/events.sql, one row per event; `since` a date (YYYY-MM-DD: published or
    loaded on or after it) or a run id or its prefix (loaded by that run or a later one)."""
    sql = (SQL / "exports" / "events.sql").read_text(encoding="utf-8")
    with reading(warehouse) as con:
        if since is None:
            return _fetch(con, sql)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
            where = "cast(published_at as date) >= ?::date or cast(loaded_at as date) >= ?::date"
            return _fetch(con, f"select * from ({sql}) where {where} order by event_date nulls last, event_id", [since, since])
        runs = con.execute("select run_id, started_at from runs where starts_with(run_id, ?)", [since]).fetchall()
        if len(runs) != 1:
            found = "no run" if not runs else f"{len(runs)} runs"
            raise ValueError(f"--since {since!r} is not a date (YYYY-MM-DD) and {found} of this warehouse has that id")
        return _fetch(con, f"select * from ({sql}) where loaded_at >= ? order by event_date nulls last, event_id", [runs[0][1]])


def describe(warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The warehouse's own account of itself: its tables and their columns, with the comments
    ensure_schema wrote (table_name, comment) and (table_name, column_name, data_type, comment)."""
    with reading(warehouse) as con:
        tables = _fetch(con, "select table_name, comment from duckdb_tables() where schema_name = 'main' order by table_name")
        columns = _fetch(
            con,
            "select table_name, column_name, data_type, comment from duckdb_columns() "
            "where schema_name = 'main' and table_name in (select table_name from duckdb_tables()) order by table_name, column_index",
        )
    return tables, columns


def status(warehouse: Path) -> dict[str, pl.DataFrame]:
    """How the warehouse is doing, one frame per question in sql/status/ (runs, freshness,
    quarantine, failing)."""
    with reading(warehouse) as con:
        return {query.stem: _fetch(con, query.read_text(encoding="utf-8")) for query in sorted((SQL / "status").glob("*.sql"))}


def table_counts(warehouse: Path) -> dict[str, int]:
    with connect(warehouse, read_only=True) as con:
        return {table: con.execute(f"select count(*) from {table}").fetchall()[0][0] for table in TABLES if _has_table(con, table)}


def _record(con: duckdb.DuckDBPyConnection, run: pl.DataFrame, validation_results: pl.DataFrame) -> None:
    """The run, its validation results and the size of each data table after it."""
    _insert(con, "runs", run)
    _insert(con, "validation_results", validation_results)
    counts = " union all ".join(f"select '{table}', count(*) from {table}" for table in DATA_TABLES)
    con.execute(f"insert into table_counts select $run_id, * from ({counts})", {"run_id": run["run_id"][0]})


def previous_run(warehouse: Path) -> dict | None:
    """Counts of the last completed run that loaded articles, to judge this run's figures against."""
    if not warehouse.exists():
        return None
    with connect(warehouse, read_only=True) as con:
        if not _has_table(con, "runs"):
            return None
        rows = _fetch(
            con,
            "select count_articles, count_entity_mentions, count_events from runs "
            "where status = 'completed' and count_articles > 0 order by finished_at desc limit 1",
        )
    return rows.row(0, named=True) if rows.height else None


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    relation = con.sql(sql, params=params) if params else con.sql(sql)
    return relation.pl() if relation is not None else pl.DataFrame()


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    name = f"batch_{table}_rows"
    _register(con, name, conform(frame, TABLES[table]))
    con.execute(f"insert into {table} select * from {name}")
    con.unregister(name)


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    if not re.fullmatch(r"\w+", name):
        raise ValueError(name)
    con.register(name, frame.to_arrow())


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_name = ?", [table]).fetchall()[0][0])
