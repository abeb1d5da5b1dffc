"""One batch of source files -> the rows they yield, staged as Parquet.

The unit of work that runs in parallel (local worker processes or a Dask cluster): it reads
its own files and writes its own folder, so nothing but file names and small figures crosses
between processes, and memory depends on the batch size, not on the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from flows import extract, inventory
from flows.schemas import ARTICLE_TABLES, DATA_TABLES, QUARANTINE, TABLES, conform
from flows.transforms import clean, entities, events, html, nlp, records

# Articles per batch: enough to keep the model's batches full and the per-batch costs
# (Parquet files, one validation per batch) small, few enough for a flat memory profile.
BATCH_FILES = 1000
# Below this a second local worker process costs more to start (a spaCy model load) than it saves.
MIN_PARALLEL_FILES = 200
# The most characters the language model takes in one text (spaCy's `max_length`, which the
# pipeline keeps at its default): a longer story is quarantined, not parsed.
MAX_BODY_CHARACTERS = 1_000_000


@dataclass(frozen=True)
class Staged:
    """What a batch left in its folder, and the figures the run summary and metrics need."""

    directory: str
    rows: dict[str, int]  # rows staged per table
    files_processed: int
    articles_with_entities: int
    articles_with_events: int
    quarantined: list[tuple[str, str]]  # (file, reason)
    seconds: dict[str, float] = field(default_factory=dict)  # time per step of the batch


def plan_batches(files: list[str], workers: int, batch_files: int = BATCH_FILES, min_files: int = 1) -> list[list[str]]:
    """Consecutive slices of the file list: at most `batch_files` each, and one per worker
    when there is less than a batch per worker (but not below `min_files`)."""
    if not files:
        return []
    size = max(1, min(batch_files, max(min_files, -(-len(files) // max(1, workers)))))
    return [files[start : start + size] for start in range(0, len(files), size)]


def transform_files(
    source: Path, files: list[str], run_id: str, max_file_bytes: int, finished: Callable[[int], None] = lambda count: None
) -> tuple[dict[str, pl.DataFrame], dict[str, float]]:
    """Read, clean, parse and code one batch of files (paths relative to `source`). Returns the
    tables and the seconds each step took; `finished` hears how many more files are through the
    model (the step that takes the time) as they are."""
    root, seconds = str(source), {}

    def timed(step: str, work: Callable):
        started = time.perf_counter()
        result = work()
        seconds[step] = time.perf_counter() - started
        return result

    raw = timed(
        "read",
        lambda: extract.read_raw_documents(
            [extract.SourceFile(extract.source_path(source, name), name, source) for name in files], max_file_bytes
        ),
    )
    documents = timed("decode", lambda: extract.decoded_documents(raw))
    readable = documents.filter(pl.col("problem").is_null())
    kind = pl.col("source_file").map_elements(records.input_format, return_dtype=pl.String)
    feeds = timed("records", lambda: records.split_record_files(readable.filter(kind == "records")))
    pages = timed(
        "clean",
        lambda: _within_the_model_limit(
            records.merge_cleaned(
                [
                    clean.clean_pages(readable.filter(kind == "page")),
                    records.clean_texts(html.html_texts(readable.filter(kind == "html"))),
                    records.clean_texts(feeds.texts),
                ]
            ),
            documents,
        ),
    )
    waiting = FilesAwaitingTheModel(files, pages.page_articles)
    finished(waiting.without_articles)
    parsed = timed("parse", lambda: nlp.parse_bodies(pages.articles, chunk_done=lambda ids: finished(waiting.parsed(ids))))
    found = timed("entities", lambda: entities.entity_tables(pages.articles, parsed.mentions))
    coded = timed("events", lambda: events.events_table(pages.articles, parsed, found.resolved))
    quarantine = inventory.quarantine_rows(root, documents, pages.rejected, feeds.rejected)
    tables = {
        "articles": pages.articles,
        "removed_segments": pages.removed_segments,
        "entities": found.entities,
        "entity_aliases": found.entity_aliases,
        "entity_mentions": found.entity_mentions,
        "events": coded,
        "quarantine": quarantine,
        "source_files": inventory.source_file_rows(root, run_id, documents, pages, quarantine, feeds.records),
    }
    return {name: conform(frame, TABLES[name]) for name, frame in tables.items()}, seconds


class FilesAwaitingTheModel:
    """The files of a batch that wait for the model: one is through once every article it gives
    is parsed (each record of a record file; the one article copies share), and one that gives
    no article (quarantined, too long) is through at once."""

    def __init__(self, files: list[str], page_articles: pl.DataFrame):
        owners = page_articles.select(file=records.record_file_of(pl.col("source_file")), article_id="article_id").unique()
        self._waiting: dict[str, set[str]] = {}
        self._files_of: dict[str, list[str]] = {}
        for file, article in owners.iter_rows():
            self._waiting.setdefault(file, set()).add(article)
            self._files_of.setdefault(article, []).append(file)
        self.without_articles = len(set(files) - set(self._waiting))

    def parsed(self, article_ids: list[str]) -> int:
        """How many more files are through now that these articles are parsed."""
        through = 0
        for article in article_ids:
            for file in self._files_of.pop(article, ()):
                self._waiting[file].discard(article)
                if not self._waiting[file]:
                    del self._waiting[file]
                    through += 1
        return through


# A byte per file through the model, appended to the batch's folder: the run's process reads the
# size, from whatever process (or machine, on the shared staging folder) runs the batch.
_TALLY = "files-through"


def tally_in(directory: str | Path) -> Callable[[int], None]:
    path = Path(directory) / _TALLY
    path.parent.mkdir(parents=True, exist_ok=True)

    def finished(count: int) -> None:
        if count:
            with open(path, "ab") as tally:
                tally.write(b"." * count)

    return finished


def files_through(directory: str | Path) -> int:
    """What `tally_in(directory)` has counted so far; 0 where it cannot be seen (a Dask worker's
    own disk: progress then moves by batch)."""
    try:
        return (Path(directory) / _TALLY).stat().st_size
    except OSError:
        return 0


def _within_the_model_limit(pages: clean.CleanedPages, documents: pl.DataFrame) -> clean.CleanedPages:
    """Moves each story longer than the model reads to `rejected`, with every file that gave it:
    the model refuses such a text outright (spaCy's E088), which would fail the whole batch."""
    long = pages.articles.filter(pl.col("body").str.len_chars() > MAX_BODY_CHARACTERS).select(
        "article_id", characters=pl.col("body").str.len_chars()
    )
    if long.is_empty():
        return pages
    # A record of a record file (`feed.jsonl#7`) has no document of its own: no file hash.
    files = pages.page_articles.join(long, on="article_id").join(
        documents.select("source_file", "content_sha256"), on="source_file", how="left"
    )
    rejected = files.select(
        "source_file",
        "content_sha256",
        reason=pl.format("body too long for the language model: {} characters (limit {})", "characters", pl.lit(MAX_BODY_CHARACTERS)),
    )
    return clean.CleanedPages(
        articles=pages.articles.join(long, on="article_id", how="anti"),
        removed_segments=pages.removed_segments.join(long, on="article_id", how="anti"),
        rejected=pl.concat([pages.rejected, rejected.cast(pages.rejected.schema)]),
        page_articles=pages.page_articles.join(long, on="article_id", how="anti"),
    )


def stage(tables: dict[str, pl.DataFrame], directory: Path, files_processed: int, seconds: dict[str, float] | None = None) -> Staged:
    """Writes each table of a batch to `directory`/<table>.parquet."""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    for name in DATA_TABLES:
        tables[name].write_parquet(directory / f"{name}.parquet")
    return Staged(
        directory=str(directory),
        rows={name: tables[name].height for name in DATA_TABLES},
        files_processed=files_processed,
        articles_with_entities=tables["entity_mentions"]["article_id"].n_unique(),
        articles_with_events=tables["events"]["article_id"].n_unique(),
        quarantined=list(tables["quarantine"].select("source_file", "reason").iter_rows()),
        seconds={**(seconds or {}), "stage": time.perf_counter() - started},
    )


def read_staged(directory: str | Path) -> dict[str, pl.DataFrame]:
    return {name: pl.read_parquet(Path(directory) / f"{name}.parquet") for name in DATA_TABLES}


def quarantine_articles(source: Path, staged: Staged, failing: dict[str, str]) -> Staged:
    """Moves the staged articles in `failing` (article_id -> why) and their rows to quarantine,
    with their files' original bytes, and restages the batch: one bad article never blocks the
    others."""
    tables = read_staged(staged.directory)
    bad = pl.DataFrame(
        {"article_id": list(failing), "reason": list(failing.values())}, schema={"article_id": pl.String, "reason": pl.String}
    )
    files = tables["source_files"].join(bad, on="article_id")
    root = str(source)
    quarantined = files.join(_original_bytes(source, files["source_file"].to_list()), on="source_file", how="left").select(
        source_root=pl.lit(root), source_file="source_file", content_sha256="content_sha256", reason="reason",
        stage=pl.lit("validate"), size_bytes=pl.col("raw_bytes").bin.size(), raw_bytes="raw_bytes",
    )  # fmt: skip
    for name in ARTICLE_TABLES:
        tables[name] = tables[name].join(bad, on="article_id", how="anti")
    tables["quarantine"] = pl.concat([tables["quarantine"], conform(quarantined, QUARANTINE)])
    tables["source_files"] = tables["source_files"].with_columns(
        status=pl.when(pl.col("article_id").is_in(bad["article_id"].implode())).then(pl.lit("quarantined")).otherwise("status"),
        article_id=pl.when(pl.col("article_id").is_in(bad["article_id"].implode())).then(None).otherwise("article_id"),
    )
    return stage(tables, Path(staged.directory), staged.files_processed, staged.seconds)


def _original_bytes(source: Path, names: list[str]) -> pl.DataFrame:
    """source_file, raw_bytes of files, and of records (`<file>#<record>`) their own bytes."""
    files = sorted(set(pl.Series(names, dtype=pl.String).to_frame("name").select(records.record_file_of(pl.col("name")))["name"]))
    raw = extract.read_raw_documents([extract.SourceFile(source / name, name) for name in files])
    kind = pl.col("source_file").map_elements(records.input_format, return_dtype=pl.String)
    feeds = records.split_record_files(extract.decoded_documents(raw.filter(kind == "records")).filter(pl.col("problem").is_null()))
    return pl.concat([raw.select("source_file", "raw_bytes"), feeds.records.select("source_file", "raw_bytes")])
