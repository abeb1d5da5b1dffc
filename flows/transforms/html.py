"""HTML pages -> their article text and metadata, through trafilatura (no IO: it reads the
string it is given; nothing is fetched)."""

from __future__ import annotations

import re

import polars as pl

from flows.transforms.dates import parse_dateline_with_offset
from flows.transforms.records import TEXTS, normalise_body

# The time too where the page gives one (article:published_time, JSON-LD datePublished).
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# The extractor's date library keeps only the day of some stamps (JSON-LD, <time datetime>); the
# page's own machine-readable publication stamp of that day gives the time and the zone.
_ISO_STAMP = r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
# What the page cleaner counts as a line of story: a sentence of eight words or more, or a long line.
# The extractor falls back to whatever text a page has (a menu); a page with no such line has no story.
_STORY_LINE = re.compile(r"(?:\S+\s+){7,}\S*[.!?][\"'”’)\]]*$|(?:\S+\s+){24,}\S+")
_PUBLISHED_STAMP = re.compile(r"(?i)(?:datePublished|published_time|date_published|pubdate|publish_date)\W{1,40}" + _ISO_STAMP)


def html_texts(pages: pl.DataFrame) -> pl.DataFrame:
    """TEXTS rows of decoded HTML pages (source_file, content_sha256, text, encoding): the
    extracted story as the body (empty when the extractor found none), title, date and URL
    where the page states them."""
    rows = [
        (source_file, sha, encoding, *extract_html(text))
        for source_file, sha, text, encoding in pages.select("source_file", "content_sha256", "text", "encoding").iter_rows()
    ]
    return pl.DataFrame(rows, schema=TEXTS, orient="row")


def extract_html(html: str) -> tuple:
    """(title, published_at, precision, offset minutes, url, body) of one page."""
    import trafilatura  # its import costs a quarter of a second; only runs with HTML pay it

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": _DATE_FORMAT},
    )
    if document is None:
        return None, None, None, None, None, ""
    title = " ".join((document.title or "").split()) or None
    published, precision, offset = _published(document.date, html)
    lines = [line for line in normalise_body(document.text or "").split("\n\n") if line]
    if lines and title and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline is the title, not the story's first paragraph
    has_story = any(_STORY_LINE.search(line) for line in lines)
    return title, published, precision, offset, document.url or None, "\n\n".join(lines) if has_story else ""


def _published(value: str | None, html: str):
    if not value:
        return None, None, None
    # A date with no time comes back as midnight with no zone: a day, unless the page's own
    # publication stamp of that day has the time.
    if value.endswith("T00:00:00"):
        for day, time in _PUBLISHED_STAMP.findall(html):
            if day == value[:10]:
                return parse_dateline_with_offset(f"{day}T{time}")
        stamp, _, _ = parse_dateline_with_offset(value[:10])
        return stamp, "day", None
    return parse_dateline_with_offset(value)
