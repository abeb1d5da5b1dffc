"""The Wirehouse ETL as a Prefect flow: the only module that imports Prefect.

    files -> raw documents -> pages -> parses -> entities -> events -> validation -> load
"""

from __future__ import annotations

import os

# Settings Prefect reads at import: no telemetry from client or server, quiet logs.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")

import time  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import polars as pl  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.states import Completed, Failed  # noqa: E402

from flows import clean, coverage, entities, events, extract, gazetteer, inventory, load, nlp, validate  # noqa: E402
from flows.progress import progress_bar  # noqa: E402
from flows.schemas import DATA_TABLES  # noqa: E402
from flows.summary import RunSummary  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "data" / "samples"
WAREHOUSE = PROJECT / "warehouse" / "news.duckdb"


@task(retries=2, retry_delay_seconds=1)
def read_files(source: Path, max_file_bytes: int) -> pl.DataFrame:
    files = extract.list_source_files(source)
    with progress_bar("reading files", len(files)) as advance:
        frames = []
        for start in range(0, len(files), 500):
            frames.append(extract.read_raw_documents(files[start : start + 500], max_file_bytes))
            advance(len(files[start : start + 500]))
    return pl.concat(frames) if frames else extract.read_raw_documents([])


@task
def decode_documents(raw: pl.DataFrame) -> pl.DataFrame:
    return extract.decoded_documents(raw)


@task
def clean_pages(documents: pl.DataFrame) -> clean.CleanedPages:
    return clean.clean_pages(documents.filter(pl.col("problem").is_null()))


@task
def parse_articles(articles: pl.DataFrame) -> nlp.Parsed:
    n_process = 2 if articles.height >= 400 else 1  # a second process pays off only on big batches
    with progress_bar("parsing articles", articles.height) as advance:
        return nlp.parse_bodies(articles, n_process=n_process, on_progress=advance)


@task
def extract_entities(articles: pl.DataFrame, parsed: nlp.Parsed) -> entities.EntityTables:
    return entities.entity_tables(articles, parsed.mentions)


@task
def code_events(articles: pl.DataFrame, parsed: nlp.Parsed, found: entities.EntityTables) -> pl.DataFrame:
    return events.events_table(articles, parsed, found.resolved)


@task
def validate_tables(run_id: str, batch: load.Batch, now: datetime, metrics: pl.DataFrame, previous: dict | None) -> validate.ValidationReport:
    tables = {name: getattr(batch, name) for name in DATA_TABLES}
    if metrics["count_articles"][0] or batch.quarantine.height:
        tables["run_metrics"] = metrics
    parameters = {
        "article_ids": batch.articles["article_id"].to_list(),
        "entity_ids": batch.entities["entity_id"].to_list(),
        "iso3_codes": gazetteer.countries()["iso3"].to_list(),
        "cameo_codes": gazetteer.cameo_codes()["cameo_code"].to_list(),
        "now": now,
        **coverage.metric_bounds(previous),
    }
    return validate.validate_tables(run_id, tables, parameters)


@task
def publish_data_docs(warehouse: Path) -> Path:
    return validate.build_data_docs(warehouse.parent / "data_docs")


@task
def load_tables(warehouse: Path, batch: load.Batch, run: pl.DataFrame, report: validate.ValidationReport) -> None:
    if report.passed:
        load.load_batch(warehouse, batch, run, report.results)
    else:
        load.record_run(warehouse, run, report.results)


@flow(name="wirehouse-etl", log_prints=False)
def etl(
    source: Path = SAMPLES,
    warehouse: Path = WAREHOUSE,
    full_refresh: bool = False,
    max_file_bytes: int = extract.MAX_FILE_BYTES,
    lock_wait_seconds: float = 10,
):
    """Extract every file under `source`, transform, validate, and load into `warehouse`.

    One run at a time per warehouse: a second run waits up to `lock_wait_seconds` for the
    first, then fails as busy without touching anything.
    """
    source, warehouse = Path(source).resolve(), Path(warehouse).resolve()
    try:
        with load.run_lock(warehouse, lock_wait_seconds):
            load.failpoint("run:locked")
            return _etl(source, warehouse, full_refresh, max_file_bytes)
    except load.WarehouseBusy as busy:
        return Failed(message=str(busy), data=busy)


def _etl(source: Path, warehouse: Path, full_refresh: bool, max_file_bytes: int):
    started, clock = datetime.now(timezone.utc).replace(tzinfo=None), time.monotonic()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    root = str(source)

    raw = read_files(source, max_file_bytes)
    seen = inventory.take_inventory(raw, load.known_files(warehouse, root), full_refresh)
    documents = decode_documents(seen.to_process)
    pages = clean_pages(documents)
    parsed = parse_articles(pages.articles)
    found = extract_entities(pages.articles, parsed)
    coded = code_events(pages.articles, parsed, found)
    load.failpoint("run:transformed")
    quarantine = inventory.quarantine_rows(root, documents, pages.rejected)
    batch = load.Batch(
        source_root=root,
        processed_files=documents["source_file"].to_list(),
        articles=pages.articles,
        removed_segments=pages.removed_segments,
        entities=found.entities,
        entity_aliases=found.entity_aliases,
        entity_mentions=found.entity_mentions,
        events=coded,
        quarantine=quarantine,
        source_files=inventory.source_file_rows(root, run_id, documents, pages, quarantine, seen.removed),
    )
    metrics = coverage.run_metrics(pages.articles, found.entity_mentions, coded, documents.height, quarantine.height)
    report = validate_tables(run_id, batch, started, metrics, load.previous_run(warehouse))
    docs = publish_data_docs(warehouse) if not report.results.is_empty() else None

    summary = RunSummary(
        run_id=run_id,
        status="completed" if report.passed else "failed",
        source=root,
        warehouse=str(warehouse),
        files_seen=raw.height,
        files_new=documents.height,
        files_unchanged=seen.unchanged.height,
        files_removed=seen.removed.height,
        files_quarantined=quarantine.height,
        loaded={t: getattr(batch, t).height for t in ("articles", "entities", "entity_mentions", "events", "quarantine")},
        verdict=report.verdict(),
        quarantined=list(quarantine.select("source_file", "reason").iter_rows()),
        data_docs=str(docs) if docs else "",
    )
    if not report.passed:
        summary.loaded = {}
        summary.message = "nothing was loaded: the warehouse is as it was before this run"
    summary.seconds = time.monotonic() - clock
    produced = {t: getattr(batch, t).height for t in ("articles", "entities", "entity_mentions", "events")}
    run = summary.run_row(started, datetime.now(timezone.utc).replace(tzinfo=None), produced)
    load_tables(warehouse, batch, run, report)
    summary.totals = load.table_counts(warehouse)
    create_markdown_artifact(key="wirehouse-run-summary", markdown=summary.markdown(), description="Wirehouse run summary")
    if not report.passed:
        return Failed(message=report.verdict(), data=summary)
    return Completed(message=report.verdict(), data=summary)
