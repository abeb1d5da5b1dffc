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
        "name": pl.String,
        "country": pl.String,
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
        "unexpected_source_files": pl.String,
    }
)

TABLE_COUNTS = pl.Schema({"run_id": pl.String, "table_name": pl.String, "count_rows": pl.Int64})

CAMEO_CODES = pl.Schema(
    {
        "cameo_code": pl.String,
        "cameo_root": pl.String,
        "label": pl.String,
        "quad_class": pl.Int8,
        "goldstein": pl.Float64,
        "plover_event": pl.String,
        "plover_mode": pl.String,
        "plover_context": pl.String,
    }
)

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
# Dictionaries as tables, rewritten from flows/data/ whenever the schema is brought up to date.
REFERENCE_TABLES = {"cameo_codes": CAMEO_CODES}
TABLES = {**DATA_TABLES, **RUN_TABLES, **REFERENCE_TABLES}
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


# What each table and column means: written into the warehouse as COMMENT ON at every schema
# update and printed by `wirehouse describe` (tests/test_schemas.py requires one for every column).
DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "articles": (
        "One row per distinct article: the story text of a page, cleaned of everything else.",
        {
            "article_id": "Stable id: hash of the normalised text (same text, same id, across runs and machines).",
            "source_file": "Path of the file relative to the source folder (the first file that had this text).",
            "content_sha256": "sha256 of the raw file bytes.",
            "title": "Headline.",
            "published_at": "Publication time the page states; NULL when it states none (never the file time or today).",
            "published_precision": "How much of published_at the page stated: second, minute, day, month, year, or NULL.",
            "body": "The story only: no repeated title, comments, widgets, dumps, spam or captions of other stories.",
            "word_count": "Words in body.",
            "encoding": "How the file was decoded: utf-8, utf-8-sig, utf-16, cp1252.",
            "dateline_place": "The place of a dateline (MOSCOW of 'MOSCOW: ...'), or NULL.",
            "url": "The article's URL where the input states it (an HTML page's canonical link, a record's url), else NULL.",
            "published_offset_minutes": "The UTC offset the page printed with its time (IST: 330), so the local time can be recovered; NULL when none was printed.",
        },
    ),
    "removed_segments": (
        "One row per segment the cleaner cut from a page, so nothing is lost.",
        {
            "article_id": "-> articles.",
            "segment_index": "Position of the segment in the page, from 0.",
            "kind": "Why it was cut: comments, widget, caption, related_headline, code_dump, link, title, dateline, ...",
            "text": "The text that was cut.",
        },
    ),
    "entities": (
        "One row per canonical entity, shared by all articles.",
        {
            "entity_id": "Stable id of the canonical entity (name and type).",
            "name": "Canonical name (Recep Tayyip Erdogan, never Erdogan alone when the full name is known).",
            "type": "PERSON, ORG, LOC, NORP, EVENT or PRODUCT.",
            "country": "ISO 3166-1 alpha-3 of its country or affiliation; NULL for international bodies and unknown.",
            "latitude": "Of a place, from the gazetteer; NULL otherwise.",
            "longitude": "Of a place, from the gazetteer; NULL otherwise.",
        },
    ),
    "entity_aliases": (
        "One row per (entity, surface form): every way an article named the entity.",
        {"entity_id": "-> entities.", "alias": "A name as written (Erdogan, Tayyip Recip Erdogan)."},
    ),
    "entity_mentions": (
        "One row per mention of an entity in an article body.",
        {
            "article_id": "-> articles.",
            "entity_id": "-> entities.",
            "mention": "The surface text as written.",
            "start_char": "Offset of the mention's first character in articles.body.",
            "end_char": "Offset just past the mention's last character in articles.body.",
            "name": "The canonical name this article gives the entity; entities.name is the one most mentions give.",
            "country": "The country this article gives the entity, or NULL when it says none; entities.country is the one most "
            "mentions give, whatever run loaded them.",
        },
    ),
    "events": (
        "One row per distinct coded event in an article (who did what to whom, CAMEO-coded).",
        {
            "event_id": "Stable id of the event in its article.",
            "article_id": "-> articles.",
            "event_key": "Date, dyad and code: the same across articles reporting one dated event (see view event_reports).",
            "event_date": "When it happened, when the text and the publication date allow; NULL otherwise.",
            "date_precision": "day, week, month, year, or NULL.",
            "actor1_id": "Source actor -> entities (NULL when the actor is not a named entity).",
            "actor1_name": "Source actor as coded.",
            "actor1_country": "Source actor's ISO alpha-3 (its article's, else its entity's), or NULL.",
            "actor2_id": "Target actor -> entities (NULL when the actor is not a named entity).",
            "actor2_name": "Target actor as coded.",
            "actor2_country": "Target actor's ISO alpha-3 (its article's, else its entity's), or NULL.",
            "cameo_code": "CAMEO event code as a string (042, 195, 0874) -> cameo_codes.",
            "cameo_root": "Its two-digit root (04, 19).",
            "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
            "goldstein": "Goldstein scale of the code, -10 to +10.",
            "location_name": "Where it happened, or NULL.",
            "location_country": "ISO alpha-3 of that place, or NULL.",
            "latitude": "Of that place, or NULL.",
            "longitude": "Of that place, or NULL.",
            "modality": "asserted, hypothetical (could, plans, ready to) or negated.",
            "evidence": "The sentence the event was coded from.",
            "evidence_start": "Offset of the evidence sentence in articles.body.",
            "evidence_end": "Offset just past the evidence sentence in articles.body.",
            "actor1_type": "Source actor's sector code (GOV, MIL, REB, OPP, BUS, MED, CVL, IGO, ...), or NULL.",
            "actor2_type": "Target actor's sector code, or NULL.",
            "plover_event": "The event's PLOVER type (CAMEO2PLOVER crosswalk).",
            "plover_mode": "The event's PLOVER mode, or NULL.",
            "plover_context": "The event's PLOVER contexts, separated by '; ', or NULL.",
            "location_source": "Where the place came from: clause, sentence, dateline, or NULL.",
        },
    ),
    "quarantine": (
        "One row per input file not loaded as an article, with its bytes.",
        {
            "source_root": "The source folder of the run that saw it.",
            "source_file": "Path of the file relative to source_root.",
            "content_sha256": "sha256 of the raw bytes, when they could be read.",
            "reason": "Why it was not loaded, in words.",
            "stage": "Where it was stopped: extract or clean.",
            "size_bytes": "Size of the file.",
            "raw_bytes": "The original bytes, recoverable.",
        },
    ),
    "source_files": (
        "One row per file a run has seen under a source folder: what makes runs incremental.",
        {
            "source_root": "The source folder.",
            "source_file": "Path of the file relative to source_root.",
            "content_sha256": "sha256 of the bytes last seen.",
            "status": "loaded, duplicate (its text is another file's article), quarantined or removed.",
            "article_id": "-> articles, for a loaded or duplicate file.",
            "first_seen_run_id": "-> runs: the run that first saw it.",
            "last_changed_run_id": "-> runs: the run that last loaded or changed it.",
        },
    ),
    "runs": (
        "One row per flow run.",
        {
            "run_id": "The Prefect flow run id.",
            "started_at": "When the run started (UTC).",
            "finished_at": "When the run ended (UTC).",
            "status": "completed or failed.",
            "source_dir": "The source folder it read.",
            "count_files_seen": "Files under the source folder.",
            "count_files_new": "Files new or changed since the last run.",
            "count_files_unchanged": "Files skipped as unchanged.",
            "count_files_quarantined": "Files quarantined by this run.",
            "count_articles": "Articles this run loaded.",
            "count_entities": "Entities this run loaded.",
            "count_entity_mentions": "Entity mentions this run loaded.",
            "count_events": "Events this run loaded.",
            "message": "The validation verdict or the reason it failed.",
        },
    ),
    "validation_results": (
        "One row per expectation evaluated per run.",
        {
            "run_id": "-> runs.",
            "table_name": "The table (or run_metrics) the expectation is about.",
            "expectation": "The expectation, as its suite names it.",
            "severity": "critical (a failure stops the load) or warning (recorded, loaded).",
            "success": "Whether it held on every batch.",
            "observed_value": "What was observed.",
            "unexpected_count": "Rows that broke it, summed over batches.",
            "unexpected_examples": "A few of those rows' values.",
            "unexpected_source_files": "JSON list of the source files those rows came from (the first 20), where the rows lead to one.",
        },
    ),
    "table_counts": (
        "One row per (run, table): the table's rows after the run, for history.",
        {"run_id": "-> runs.", "table_name": "The data table.", "count_rows": "Its rows after the run."},
    ),
    "cameo_codes": (
        "One row per CAMEO event code: label, quad class, Goldstein value and PLOVER type (flows/data/cameo_codes.tsv, cameo_to_plover.tsv).",
        {
            "cameo_code": "The CAMEO code (042, 0874).",
            "cameo_root": "Its two-digit root.",
            "label": "What the code means.",
            "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
            "goldstein": "Goldstein scale value, -10 to +10.",
            "plover_event": "PLOVER type from the CAMEO2PLOVER crosswalk (the nearest parent when the code has no row; NULL for the comment roots 01, 02 PLOVER dropped).",
            "plover_mode": "PLOVER mode from the crosswalk, or NULL.",
            "plover_context": "PLOVER contexts from the crosswalk, or NULL.",
        },
    ),
}
