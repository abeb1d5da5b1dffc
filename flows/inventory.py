"""What changed in the source folder since the last run: new, changed, unchanged, removed.
Pure frame logic over what extract read and what the warehouse already holds."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.schemas import QUARANTINE, SOURCE_FILES, conform
from flows.transforms.clean import CleanedPages
from flows.transforms.records import record_file_of


@dataclass(frozen=True)
class Inventory:
    to_process: pl.DataFrame  # raw documents that are new or changed
    unchanged: pl.DataFrame  # source_file of files loaded before with the same bytes
    removed: pl.DataFrame  # known files no longer in the folder


def take_inventory(raw: pl.DataFrame, known: pl.DataFrame, full_refresh: bool = False) -> Inventory:
    """Splits this run's files by their content hash against what earlier runs recorded."""
    current = known.filter(pl.col("status") != "removed")
    if full_refresh:
        current = current.clear()
    unchanged = raw.join(current, on=["source_file", "content_sha256"], how="semi")
    # A record is gone when its file is: its row is keyed `<file>#<record>`.
    in_folder = record_file_of(pl.col("source_file")).is_in(raw["source_file"].implode())
    return Inventory(
        to_process=raw.join(unchanged, on="source_file", how="anti"),
        unchanged=unchanged.select("source_file"),
        removed=current.filter(~in_folder),
    )


def count_files(rows: pl.DataFrame) -> int:
    """Files among source_files rows, not counting the records of record files."""
    return rows.filter(record_file_of(pl.col("source_file")) == pl.col("source_file")).height


def quarantine_rows(
    source_root: str, documents: pl.DataFrame, rejected: pl.DataFrame, bad_records: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Files that did not become articles, with the reason and their original bytes; and bad
    records of record files (`bad_records`, each with its own bytes), one row each."""
    unreadable = documents.filter(pl.col("problem").is_not_null()).select(
        "source_file", "content_sha256", "size_bytes", "raw_bytes", reason=pl.col("problem"), stage=pl.lit("extract")
    )
    no_story = rejected.join(documents.select("source_file", "size_bytes", "raw_bytes"), on="source_file").with_columns(
        stage=pl.lit("clean")
    )
    parts = [unreadable, no_story] + ([bad_records.with_columns(stage=pl.lit("extract"))] if bad_records is not None else [])
    return conform(pl.concat(parts, how="diagonal_relaxed").with_columns(source_root=pl.lit(source_root)), QUARANTINE)


def source_file_rows(
    source_root: str, run_id: str, documents: pl.DataFrame, pages: CleanedPages, quarantine: pl.DataFrame,
    records: pl.DataFrame | None = None,
) -> pl.DataFrame:  # fmt: skip
    """The run's record of each file it processed, and of each record of a record file
    (`records`: source_file, content_sha256). A file whose text another file already gave is a
    `duplicate` pointing at that article; a record file that was read is `loaded`, and its
    records have rows of their own."""
    records = records if records is not None else pl.DataFrame(schema={"source_file": pl.String, "content_sha256": pl.String})
    containers = record_file_of(records["source_file"]).unique().implode()
    processed = (
        pl.concat([documents.select("source_file", "content_sha256"), records.select("source_file", "content_sha256")])
        .join(pages.page_articles, on="source_file", how="left")
        .with_columns(
            status=pl.when(pl.col("source_file").is_in(quarantine["source_file"].implode()))
            .then(pl.lit("quarantined"))
            .when(pl.col("source_file").is_in(pages.articles["source_file"].implode()) | pl.col("source_file").is_in(containers))
            .then(pl.lit("loaded"))
            .otherwise(pl.lit("duplicate"))
        )  # fmt: skip
    )
    return _stamped(processed, source_root, run_id)


def removed_file_rows(source_root: str, run_id: str, removed: pl.DataFrame) -> pl.DataFrame:
    """The run's record of each known file that is no longer in the folder."""
    return _stamped(removed.select("source_file", "content_sha256", "article_id", status=pl.lit("removed")), source_root, run_id)


def _stamped(rows: pl.DataFrame, source_root: str, run_id: str) -> pl.DataFrame:
    return conform(
        rows.with_columns(source_root=pl.lit(source_root), first_seen_run_id=pl.lit(run_id), last_changed_run_id=pl.lit(run_id)),
        SOURCE_FILES,
    )
