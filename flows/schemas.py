"""One declared schema per warehouse table: the single source of truth.

The DDL in `sql/ddl/`, the suites in `expectations/` and every transform point here;
`tests/test_schemas.py` fails when the DDL drifts from these declarations.
"""

import polars as pl

ARTICLES = pl.Schema(
    {
        "article_id": pl.String,
        "source_file": pl.String,
        "content_sha256": pl.String,
        "title": pl.String,
        "published_at": pl.Datetime("us"),
        "published_precision": pl.String,
        "body": pl.String,
        "word_count": pl.Int32,
        "encoding": pl.String,
        "dateline_place": pl.String,
        "url": pl.String,
        "published_offset_minutes": pl.Int32,
    }
)

REMOVED_SEGMENTS = pl.Schema(
    {
        "article_id": pl.String,
        "segment_index": pl.Int32,
        "kind": pl.String,
        "text": pl.String,
    }
)

ENTITIES = pl.Schema(
    {
        "entity_id": pl.String,
        "name": pl.String,
        "type": pl.String,
        "country": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
    }
)

ENTITY_ALIASES = pl.Schema({"entity_id": pl.String, "alias": pl.String})

ENTITY_MENTIONS = pl.Schema(
    {
        "article_id": pl.String,
        "entity_id": pl.String,
        "mention": pl.String,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
    }
)

EVENTS = pl.Schema(
    {
        "event_id": pl.String,
        "article_id": pl.String,
        "event_key": pl.String,
        "event_date": pl.Date,
        "date_precision": pl.String,
        "actor1_id": pl.String,
        "actor1_name": pl.String,
        "actor1_country": pl.String,
        "actor2_id": pl.String,
        "actor2_name": pl.String,
        "actor2_country": pl.String,
        "cameo_code": pl.String,
        "cameo_root": pl.String,
        "quad_class": pl.Int8,
        "goldstein": pl.Float64,
        "location_name": pl.String,
        "location_country": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
        "modality": pl.String,
        "evidence": pl.String,
        "evidence_start": pl.Int32,
        "evidence_end": pl.Int32,
        "actor1_type": pl.String,
        "actor2_type": pl.String,
        "plover_event": pl.String,
        "plover_mode": pl.String,
        "plover_context": pl.String,
        "location_source": pl.String,
    }
)

QUARANTINE = pl.Schema(
    {
        "source_root": pl.String,
        "source_file": pl.String,
        "content_sha256": pl.String,
        "reason": pl.String,
        "stage": pl.String,
        "size_bytes": pl.Int64,
        "raw_bytes": pl.Binary,
    }
)

SOURCE_FILES = pl.Schema(
    {
        "source_root": pl.String,
        "source_file": pl.String,
        "content_sha256": pl.String,
        "status": pl.String,
        "article_id": pl.String,
        "first_seen_run_id": pl.String,
        "last_changed_run_id": pl.String,
    }
)

RUNS = pl.Schema(
    {
        "run_id": pl.String,
        "started_at": pl.Datetime("us"),
        "finished_at": pl.Datetime("us"),
        "status": pl.String,
        "source_dir": pl.String,
        "count_files_seen": pl.Int64,
        "count_files_new": pl.Int64,
        "count_files_unchanged": pl.Int64,
        "count_files_quarantined": pl.Int64,
        "count_articles": pl.Int64,
        "count_entities": pl.Int64,
        "count_entity_mentions": pl.Int64,
        "count_events": pl.Int64,
        "message": pl.String,
    }
)

VALIDATION_RESULTS = pl.Schema(
    {
        "run_id": pl.String,
        "table_name": pl.String,
        "expectation": pl.String,
        "severity": pl.String,
        "success": pl.Boolean,
        "observed_value": pl.String,
        "unexpected_count": pl.Int64,
        "unexpected_examples": pl.String,
    }
)

TABLE_COUNTS = pl.Schema({"run_id": pl.String, "table_name": pl.String, "count_rows": pl.Int64})

# Not a table: one row of figures about a run's batch, validated against the previous run.
RUN_METRICS = pl.Schema(
    {
        "count_articles": pl.Int64,
        "share_articles_without_entities": pl.Float64,
        "share_articles_without_events": pl.Float64,
        "share_files_quarantined": pl.Float64,
        "mentions_per_article": pl.Float64,
        "events_per_article": pl.Float64,
    }
)

# Tables whose rows come from the articles; loading replaces an article's rows in each.
ARTICLE_TABLES = {
    "articles": ARTICLES,
    "removed_segments": REMOVED_SEGMENTS,
    "entity_mentions": ENTITY_MENTIONS,
    "events": EVENTS,
}
# What a batch stages, validates and loads: the article tables, the entity dimension and the
# record of each input file.
DATA_TABLES = {
    **ARTICLE_TABLES,
    "entities": ENTITIES,
    "entity_aliases": ENTITY_ALIASES,
    "quarantine": QUARANTINE,
    "source_files": SOURCE_FILES,
}
# What a run records about itself (never validated: they describe the validation).
RUN_TABLES = {"runs": RUNS, "validation_results": VALIDATION_RESULTS, "table_counts": TABLE_COUNTS}
TABLES = {**DATA_TABLES, **RUN_TABLES}
# The tables `runs` counts (count_<table>), in its column order.
RUN_COUNTED_TABLES = tuple(table for column in RUNS if (table := column.removeprefix("count_")) in TABLES)
# One suite in expectations/ for each.
VALIDATED = {**DATA_TABLES, "run_metrics": RUN_METRICS}

ENTITY_TYPES = ("PERSON", "ORG", "LOC", "NORP", "EVENT", "PRODUCT")
SOURCE_FILE_STATUSES = ("loaded", "duplicate", "quarantined", "removed")
QUARANTINE_STAGES = ("extract", "clean", "validate")  # validate: an article failing a row-level critical expectation
MODALITIES = ("asserted", "hypothetical", "negated")
LOCATION_SOURCES = ("clause", "sentence", "dateline")
PUBLISHED_PRECISIONS = ("second", "minute", "day", "month", "year")
DATE_PRECISIONS = ("day", "week", "month", "year")
CAMEO_ROOTS = tuple(f"{root:02d}" for root in range(1, 21))
QUAD_CLASSES = (1, 2, 3, 4)
# The coded columns and their allowed values: each suite's `expect_column_values_to_be_in_set`
# on a column states this set (tests/test_schemas.py holds them equal).
VALUE_SETS = {
    ("articles", "published_precision"): PUBLISHED_PRECISIONS,
    ("entities", "type"): ENTITY_TYPES,
    ("events", "cameo_root"): CAMEO_ROOTS,
    ("events", "quad_class"): QUAD_CLASSES,
    ("events", "modality"): MODALITIES,
    ("events", "location_source"): LOCATION_SOURCES,
    ("events", "date_precision"): DATE_PRECISIONS,
    ("quarantine", "stage"): QUARANTINE_STAGES,
    ("source_files", "status"): SOURCE_FILE_STATUSES,
}


_DUCKDB_TYPES = {
    pl.String: "VARCHAR", pl.Int8: "TINYINT", pl.Int32: "INTEGER", pl.Int64: "BIGINT", pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN", pl.Date: "DATE", pl.Binary: "BLOB",
}  # fmt: skip


def duckdb_type(dtype: pl.DataType) -> str:
    return "TIMESTAMP" if isinstance(dtype, pl.Datetime) else _DUCKDB_TYPES[dtype]


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select the schema's columns in order, cast to its dtypes, and add missing ones as NULL."""
    return frame.select(
        [(pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name) for name, dtype in schema.items()]
    )


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
