"""Inputs that are already article text -> articles: record files (JSON lines, CSV) from news
APIs and archives, and the text an HTML extractor took from a page.

Their text is taken as clean: no page cleaner, no minimum length. Each record of a record file
is an article of its own, keyed `<file>#<record id>` (or `#line N` without an id), and a bad
record (no text, not JSON, a date that is not one) is rejected alone, with its line number.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import polars as pl

from flows.schemas import ARTICLES, REMOVED_SEGMENTS, conform
from flows.transforms.clean import CleanedPages, dateline_place
from flows.transforms.dates import parse_dateline_with_offset
from flows.transforms.ids import stable_id_expr

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
HTML_SUFFIXES = (".html", ".htm")

# Field names as APIs and archives spell them, in order of preference.
_FIELDS = {
    "id": ("id", "article_id", "guid", "uuid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "date": ("published_at", "date", "published", "pubdate", "datetime"),
    "url": ("url", "link"),
}
# A record key must not look like another record's (`#`) or break a line of the quarantine list.
_KEY_UNSAFE = re.compile(r"[#\s]+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

TEXTS = pl.Schema(
    {
        "source_file": pl.String,
        "content_sha256": pl.String,
        "encoding": pl.String,
        "title": pl.String,
        "published_at": pl.Datetime("us"),
        "published_precision": pl.String,
        "published_offset_minutes": pl.Int32,
        "url": pl.String,
        "body": pl.String,
    }
)
REJECTED_RECORDS = pl.Schema(
    {"source_file": pl.String, "content_sha256": pl.String, "reason": pl.String, "size_bytes": pl.Int64, "raw_bytes": pl.Binary}
)


@dataclass(frozen=True)
class RecordFiles:
    texts: pl.DataFrame  # TEXTS: one row per good record
    rejected: pl.DataFrame  # REJECTED_RECORDS: one row per bad record, with its own bytes
    records: pl.DataFrame  # source_file (the record's key), content_sha256 (its file's), raw_bytes: every record


def input_format(source_file: str) -> str:
    """`records`, `html` or `page` (text, as any other file), by the file's extension."""
    suffix = PurePosixPath(source_file).suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return "records"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "page"


def record_file_of(source_file: pl.Expr) -> pl.Expr:
    """The record file a record key belongs to (`feed.jsonl#7` -> `feed.jsonl`); other names as they are."""
    suffixes = "|".join(re.escape(s) for s in RECORD_SUFFIXES)
    return source_file.str.replace(rf"(?i)^(.*(?:{suffixes}))#[^#]*$", "$1")


def split_record_files(files: pl.DataFrame) -> RecordFiles:
    """Every record of each decoded record file (source_file, content_sha256, text, encoding)."""
    texts, rejected, records = [], [], []
    for source_file, sha, text, encoding in files.select("source_file", "content_sha256", "text", "encoding").iter_rows():
        seen: dict[str, int] = {}
        for line_no, raw, fields, problem in _records(source_file, text):
            key = f"{source_file}#{_record_key(fields, line_no)}"
            if problem is None and key in seen:
                problem = f"the record id repeats the record on line {seen[key]}"
            if problem is None:
                seen[key] = line_no
                row, problem = _record_text(fields)
            data = raw.encode("utf-8")
            if problem is not None:
                key = f"{source_file}#line {line_no}"
                rejected.append((key, sha, f"bad record on line {line_no}: {problem}", len(data), data))
            else:
                texts.append((key, sha, encoding, *row))
            records.append((key, sha, data))
    return RecordFiles(
        texts=pl.DataFrame(texts, schema=TEXTS, orient="row"),
        rejected=pl.DataFrame(rejected, schema=REJECTED_RECORDS, orient="row"),
        records=pl.DataFrame(records, schema={"source_file": pl.String, "content_sha256": pl.String, "raw_bytes": pl.Binary}, orient="row"),
    )


def _records(source_file: str, text: str):
    """(line number, the record's own text, its fields or None, problem or None) per record."""
    if source_file.lower().endswith(".csv"):
        yield from _csv_records(text)
        return
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            yield line_no, line, None, f"not valid JSON ({error.msg} at column {error.colno})"
            continue
        if not isinstance(value, dict):
            yield line_no, line, None, f"a JSON {type(value).__name__}, not an object with fields"
            continue
        yield line_no, line, value, None


def _csv_records(text: str):
    lines = text.split("\n")
    # The module's default cap on a field (128 KiB) is below a long article; the file's size is the cap.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except (StopIteration, csv.Error):
        return
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, "\n".join(lines[start - 1 : reader.line_num]), None, f"not valid CSV ({error})"
            continue
        raw = "\n".join(lines[start - 1 : reader.line_num])
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield start, raw, None, f"{len(values)} fields where the header has {len(header)}"
            continue
        yield start, raw, dict(zip(header, values)), None


def _field(fields: dict, name: str):
    lowered = {str(key).strip().lower(): value for key, value in fields.items()}
    for key in _FIELDS[name]:
        value = lowered.get(key)
        if value is not None and str(value).strip():
            return value
    return None


def _record_key(fields: dict | None, line_no: int) -> str:
    record_id = _field(fields, "id") if fields else None
    if record_id is None or isinstance(record_id, dict | list):
        return f"line {line_no}"
    return _KEY_UNSAFE.sub("_", str(record_id).strip())[:200]


def _record_text(fields: dict) -> tuple[tuple | None, str | None]:
    """(title, published_at, precision, offset, url, body) of a record, or why it has none."""
    text = _field(fields, "text")
    if not isinstance(text, str):
        return None, "no text (a `text` or `body` field with the article)" if text is None else "the text is not a string"
    body = normalise_body(text)
    if not body:
        return None, "no text (a `text` or `body` field with the article)"
    published, precision, offset = None, None, None
    date = _field(fields, "date")
    if date is not None:
        published, precision, offset = parse_dateline_with_offset(str(date))
        if published is None:
            return None, f"the date {str(date)[:60]!r} is not a date"
    title, url = _field(fields, "title"), _field(fields, "url")
    return (_one_line(title), published, precision, offset, _one_line(url), body), None


def _one_line(value) -> str | None:
    return None if value is None else " ".join(_CONTROL.sub(" ", str(value)).split()) or None


def normalise_body(text: str) -> str:
    """Clean text in the body's shape: one paragraph per non-empty line, paragraphs apart by a blank line."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def clean_texts(texts: pl.DataFrame) -> CleanedPages:
    """Articles from text that needs no cleaning (TEXTS rows); a row with no text is rejected."""
    texts = conform(texts, TEXTS)
    has_text = pl.col("body").fill_null("").str.strip_chars() != ""
    rejected = texts.filter(~has_text).select(
        "source_file", "content_sha256", reason=pl.lit("no article text: the page has no story the HTML extractor could find")
    )
    with_text = (
        texts.filter(has_text)
        .with_columns(
            article_id=stable_id_expr(pl.col("body")),
            word_count=pl.col("body").str.count_matches(r"\S+"),
            dateline_place=dateline_place(pl.col("body").str.split("\n").list.first()),
        )
        .sort("source_file")
    )
    return CleanedPages(
        articles=conform(with_text.unique("article_id", keep="first", maintain_order=True), ARTICLES),
        removed_segments=pl.DataFrame(schema=REMOVED_SEGMENTS),
        rejected=rejected,
        page_articles=with_text.select("source_file", "article_id"),
    )


def merge_cleaned(parts: list[CleanedPages]) -> CleanedPages:
    """One batch's articles from pages of every format: the same text from two inputs is one
    article, kept under the first name, as within one format."""
    page_articles = pl.concat([part.page_articles for part in parts])
    articles = pl.concat([part.articles for part in parts]).sort("source_file").unique("article_id", keep="first", maintain_order=True)
    return CleanedPages(
        articles=articles,
        removed_segments=pl.concat([part.removed_segments for part in parts]).join(
            articles.select("article_id"), on="article_id", how="semi"
        ),
        rejected=pl.concat([part.rejected for part in parts]),
        page_articles=page_articles,
    )
