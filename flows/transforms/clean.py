"""Raw page text -> title, publication time and the story body; what was removed is kept.

Scraped pages are a sequence of lines. Each line is classified with Polars expressions:
general signatures of boilerplate (comment systems, share and donation widgets, photo
credits, related-story lists, code dumps, links), then context in the spirit of jusText:
a long sentence-like line is story text, a short line survives only between story lines,
and everything from a comment-section marker that follows the story is reader comments.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.schemas import ARTICLES, REMOVED_SEGMENTS, conform
from flows.transforms.dates import parse_date_with_offset, parse_dateline_with_offset
from flows.transforms.ids import stable_id_expr

_WORD = r"\S+"
_SENTENCE_END = r"[.!?][\"'”’)\]}]*$"

# PHP var_dump output pasted into a page: string(1126) "[...]". Removed before line splitting
# because the dump may hold anything, including newlines.
_PHP_DUMP = r'(?m)(?:string|array|object)\(\d+\)\s*"[^\n]*"[ \t]*$'

_COMMENT_MARKER = (
    r"(?i)^(?:\d+\s+)?(?:comments?|responses?|replies|reactions|discussion)(?:\s*\(\d+\))?\s*:?$"
    r"|(?i)^\(?\d+\)?\s+(?:comments?|responses?|replies|reactions)(?:\s+(?:so far|and counting))?\s*:?$"
    r"|(?i)^reply(?:\s*[|·•]\s*(?:report|share|like))*$"
    r"|(?i)\b(?:notify of|leave an? (?:comment|reply)|(?:view|show|load|see|read) (?:all |more )?comments"
    r"|inline feedbacks?|newest\s+(?:most voted|oldest)|oldest\s+newest|comments? (?:are|is) (?:closed|disabled)"
    r"|comment(?:ing)? (?:guidelines|policy|rules)|post an? comment|add (?:a|your) comment|write a comment"
    r"|join the (?:discussion|conversation)|\d+ (?:thoughts|comments|responses|replies) (?:on|to)"
    r"|(?:log|sign) in to (?:comment|reply)|reader comments|please comment|comment below)\b"
)
_WIDGET = (
    r"(?i)^(?:share|share (?:this|on)\b.*|tweet|e-?mail|print|whatsapp|facebook|twitter|x|linkedin|telegram"
    r"|reddit|pinterest|pin|save|flipboard|messenger|sms|copy link)(?:[\s|/,·•]+(?:share|tweet|e-?mail|print|whatsapp"
    r"|facebook|twitter|x|linkedin|telegram|reddit|pinterest|pin|save|flipboard|messenger|sms|copy link))*$"
    r"|(?i)^follow (?:us|@|on)\b"
    r"|(?i)^(?:support|donate|donation|contribute|become an? (?:patron|member|supporter|subscriber))\b"
    r"|^[$€£¥]\s?[\d.,]+$|^[\d.,]+\s?[$€£¥]$"
    r"|(?i)^(?:advertisement|sponsored(?: content)?|ad|skip ad|scroll to continue)$"
    r"|(?i)^(?:tags?|topics?|categories|filed under|keywords)\s*:"
    r"|(?i)^(?:click|tap) here\b|(?i)^(?:previous|next) (?:article|post|story)\b"
    r"|(?i)^(?:listen to this article|reading time|\d+ min(?:ute)?s? read)\b"
)
_LEGAL = (
    r"(?i)\b(?:we|(?:this|our) (?:site|website)) uses? cookies\b|\bcookies? (?:policy|settings|preferences|consent)\b"
    r"|\baccept (?:all )?cookies\b|\b(?:accept all|reject all|manage (?:choices|preferences|cookies|settings))\b"
    r"|\ball rights reserved\b|©|\bcopyright \d{4}"
)
# A newsletter box: its sign-up button, its e-mail field, its promise of an inbox, its name (the
# short line just above such a line, see _classified_lines).
_NEWSLETTER = (
    r"(?i)\b(?:subscribe|newsletter|sign up (?:for|to)|unsubscribe|in(?:to)? your inbox|to your inbox|e-?mail address"
    r"|enter your e-?mail|your e-?mail)\b|(?i)^(?:sign[ -]?up|subscribe|join)(?: now| today| here| for free)?[.!]?$"
)
# A site's navigation or breadcrumb: three or more short capitalised items between separators.
_NAVIGATION = r"^[\p{Lu}\d][\w&'’.-]*(?: [\w&'’.-]+){0,2}(?:\s*[|/»>›•·]\s*[\p{Lu}\d][\w&'’.-]*(?: [\w&'’.-]+){0,2}){2,}$"
# A reader comment's header: a name that `says:` (or `wrote:`), before or beside its timestamp.
_COMMENTER = r"^\S.{0,60}\s(?:says|wrote):(?:\s+(?P<stamp>.+))?$"
_TIMESTAMP = (
    r"(?i)^(?:posted\s+)?(?:on\s+)?(?:\p{L}+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\p{L}+\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s*(?:at|,|-)?\s*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?$|(?i)^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$"
    r"|(?i)^\d+\s+(?:minute|hour|day|week|month|year)s?\s+ago$"
)
_RELATED_HEADER = (
    r"(?i)^(?:more on this (?:topic|story|subject)|related(?: articles| stories| news| posts| coverage| content| reading)?"
    r"|read (?:more|also|next)|see also|you (?:may|might) (?:also )?like|recommended(?: for you| stories)?"
    r"|most (?:read|popular|viewed)|trending(?: now)?|also read|more (?:from|stories|news|in) .*|more stories"
    r"|latest (?:news|stories)|top stories|editor'?s picks|further reading)\s*:?$"
)
_CAPTION = (
    r"(?i)\(photo\b|\bphoto credit|\bphoto:\s|\bphotograph:\s|/\s*(?:afp|ap|reuters|getty|epa|anadolu|xinhua)\b"
    r"|\b(?:afp|ap|reuters|epa|xinhua|tass|getty images)\s+(?:photo|/|via getty)|\bfile photo\b"
    r"|\b(?:image|picture|photo) (?:courtesy|credit|by|source)\b|^\(?(?:photo|image|picture|pictured)\)?\s*:"
)
_BYLINE = r"(?i)^(?:by|written by|reporting by|words by|story by)\s+[A-Z\p{Lu}][\w.'’ -]{1,60}$"
_URL = r"https?://\S+|www\.\S+"
_RECENT_COMMENT = r"^\S[^.!?]{0,80}\s(?:on|in):\s\S"
_TEASER = r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$"
_CODE = r'^\s*[\[{].*(?:":|=>).*[\]}]\s*$'

# A wire dateline opening the first paragraph: `MOSCOW: ...`, `MANILA, Aug 6, 2023 (Wire) - ...`,
# `WASHINGTON (AP) — ...`. The place is in capitals, which is what tells it from a sentence.
_INLINE_DATELINE = r"^(?P<place>[A-Z][A-Z.'’ -]{2,30}[A-Z.])(?:,\s*(?P<when>[^:—–()]{3,40}?))?\s*(?:\([^)]{1,40}\))?\s*[:—–-]\s+\S"
# A story is at least one news sentence (a line of this many words ending like a sentence): a
# one-sentence wire item is an article, a page of widgets and fragments is not.
_MIN_STORY_WORDS = 8


@dataclass(frozen=True)
class CleanedPages:
    articles: pl.DataFrame
    removed_segments: pl.DataFrame
    rejected: pl.DataFrame  # source_file, content_sha256, reason: pages with no article text
    page_articles: pl.DataFrame  # source_file, article_id of every page with a story, duplicates too


def clean_pages(documents: pl.DataFrame) -> CleanedPages:
    """One article per decoded page: title, dateline, story body, and the segments removed.

    `documents` has source_file, content_sha256, text and encoding.
    """
    pages = documents.with_columns(
        # The hash of the normalised text, not of the file: the same story in two files is one article.
        article_id=stable_id_expr(pl.col("text")),
        dumps=pl.col("text").str.extract_all(_PHP_DUMP),
        text=pl.col("text").str.replace_all(_PHP_DUMP, ""),
    )
    # Lines are keyed by article: two files with the same text are read once, or the second
    # copy's lines would run on after the first's (and be cut as comments).
    distinct_pages = pages.unique("article_id", keep="first", maintain_order=True)
    lines = _classified_lines(distinct_pages)
    titles = _titles(lines)
    lines = _mark_titles(lines, titles)
    datelines = _datelines(lines)
    inline = _inline_datelines(lines)
    lines = lines.join(datelines.select("article_id", "line_no", is_dateline=pl.lit(True)), on=["article_id", "line_no"], how="left")
    lines = lines.with_columns(kind=pl.when(pl.col("is_dateline")).then(pl.lit("dateline")).otherwise(pl.col("kind")))
    story = lines.filter(pl.col("kind") == "story")
    bodies = story.group_by("article_id", maintain_order=True).agg(body=pl.col("line").str.join("\n\n"))

    articles = (
        pages.select("article_id", "source_file", "content_sha256", "encoding")
        .join(titles.select("article_id", "title"), on="article_id", how="left")
        .join(
            datelines.select("article_id", "published_at", "published_precision", "published_offset_minutes"), on="article_id", how="left"
        )
        .join(inline, on="article_id", how="left")
        .with_columns(
            published_precision=pl.coalesce("published_precision", "inline_precision"),
            published_at=pl.coalesce("published_at", "inline_published_at"),
            published_offset_minutes=pl.when(pl.col("published_at").is_not_null())
            .then(pl.col("published_offset_minutes"))
            .otherwise(pl.col("inline_offset_minutes")),
        )
        .join(bodies, on="article_id", how="left")
        .with_columns(word_count=pl.col("body").str.count_matches(_WORD).fill_null(0))
    )
    has_story = pl.col("word_count") >= _MIN_STORY_WORDS
    rejected = articles.filter(~has_story).select(
        "source_file",
        "content_sha256",
        reason=pl.format(
            "no article text: {} words of story left after removing comments, widgets and other boilerplate"
            " (a story needs at least one sentence of {} words or more)",
            pl.col("word_count"),
            pl.lit(_MIN_STORY_WORDS),
        ),
    )
    with_story = articles.filter(has_story).sort("source_file")
    # Two files with the same text are one article, kept under the first file name.
    articles = with_story.unique("article_id", keep="first", maintain_order=True)
    return CleanedPages(
        articles=conform(articles, ARTICLES),
        removed_segments=_removed_segments(distinct_pages, lines, articles.select("article_id")),
        rejected=rejected,
        page_articles=with_story.select("source_file", "article_id"),
    )


def _classified_lines(pages: pl.DataFrame) -> pl.DataFrame:
    """One row per non-empty line with its `kind`: a boilerplate signature, `comments`,
    `related_headline`, `story`, or `fragment` (a short line outside the story)."""
    lines = (
        pages.select("article_id", line=pl.col("text").str.split("\n"))
        .explode("line")
        .with_columns(line_no=pl.int_range(pl.len()).over("article_id"), line=pl.col("line").str.strip_chars())
        .filter(pl.col("line") != "")
        .with_columns(
            words=pl.col("line").str.count_matches(_WORD),
            url_chars=pl.col("line").str.extract_all(_URL).list.join("").str.len_chars(),
        )
    )
    words = pl.col("words")
    line = pl.col("line")
    is_sentence = line.str.contains(_SENTENCE_END)
    is_newsletter = line.str.contains(_NEWSLETTER) & (words <= 20)
    is_link = (pl.col("url_chars") > 0) & ((pl.col("url_chars") * 3 > line.str.len_chars()) | line.str.contains(r"^(?:" + _URL + ")"))
    signature = (
        pl.when(line.str.contains(_CAPTION) & (words <= 80)).then(pl.lit("caption"))
        .when(is_link).then(pl.lit("link"))
        .when(line.str.contains(_CODE)).then(pl.lit("code_dump"))
        .when(line.str.contains(_WIDGET) & (words <= 12)).then(pl.lit("widget"))
        .when(is_newsletter | is_newsletter.shift(-1).over("article_id") & (words <= 5) & ~is_sentence).then(pl.lit("widget"))
        .when(line.str.contains(_NAVIGATION) & (words <= 20)).then(pl.lit("navigation"))
        .when(line.str.contains(_LEGAL) & (words <= 60)).then(pl.lit("widget"))
        .when(line.str.contains(_RELATED_HEADER) & (words <= 10)).then(pl.lit("related_header"))
        .when(line.str.contains(_BYLINE) & (words <= 10)).then(pl.lit("byline"))
        .when(line.str.contains(_RECENT_COMMENT) & (words <= 25)).then(pl.lit("recent_comment"))
        .when(line.str.contains(_TEASER) & (words <= 30)).then(pl.lit("teaser"))
    )  # fmt: skip
    stamp = line.str.extract(_COMMENTER, 1)
    is_commenter = (
        line.str.contains(_COMMENTER)
        & (words <= 16)
        & (stamp.str.contains(_TIMESTAMP).fill_null(False) | (stamp.is_null() & line.shift(-1).over("article_id").str.contains(_TIMESTAMP)))
    )
    lines = lines.with_columns(
        signature=signature,
        is_comment_marker=line.str.contains(_COMMENT_MARKER) & (words <= 12) | is_commenter.fill_null(False),
        is_good=(words >= _MIN_STORY_WORDS) & is_sentence | (words >= 25),
    )
    good = pl.col("is_good") & pl.col("signature").is_null() & ~pl.col("is_comment_marker")
    lines = lines.with_columns(
        is_good=good,
        goods_before=good.cast(pl.Int32).cum_sum().over("article_id") - good.cast(pl.Int32),
        goods_after=good.cast(pl.Int32).reverse().cum_sum().reverse().over("article_id") - good.cast(pl.Int32),
    )
    # A comment marker after the story opens the comment section, which runs to the end of the
    # page; a marker above the story ("12 comments" beside the headline) is just a widget.
    opens_comments = pl.col("is_comment_marker") & (pl.col("goods_before") > 0)
    lines = lines.with_columns(
        in_comments=opens_comments.cum_max().over("article_id"),
        # A related-stories header owns the headline-like lines below it, up to the next story line.
        section=(pl.col("signature") == "related_header").fill_null(False).or_(pl.col("is_good"))
        .cast(pl.Int32).cum_sum().over("article_id"),
    )  # fmt: skip
    in_related = (pl.col("signature") == "related_header").fill_null(False).first().over("article_id", "section")
    return lines.with_columns(
        kind=pl.when(pl.col("in_comments")).then(pl.lit("comments"))
        .when(pl.col("is_comment_marker")).then(pl.lit("widget"))
        .when(pl.col("signature").is_not_null()).then(pl.col("signature"))
        .when(pl.col("is_good")).then(pl.lit("story"))
        .when(in_related & (pl.col("words") <= 20)).then(pl.lit("related_headline"))
        # A short line is a subheading when story surrounds it, a page fragment otherwise.
        .when((pl.col("goods_before") > 0) & (pl.col("goods_after") > 0)).then(pl.lit("story"))
        .otherwise(pl.lit("fragment"))
    ).drop("signature", "url_chars")  # fmt: skip


def _titles(lines: pl.DataFrame) -> pl.DataFrame:
    """The headline: the first short, non-sentence line above the story; none when the page starts with story."""
    return (
        lines.filter(
            (pl.col("kind") == "fragment")
            & (pl.col("goods_before") == 0)
            & pl.col("words").is_between(2, 30)
            & ~pl.col("line").str.contains(r"\.$")
            & (parse_dateline_expr(pl.col("line")).struct.field("precision").is_null())
        )
        .group_by("article_id", maintain_order=True)
        .agg(title=pl.col("line").first())
    )


def _mark_titles(lines: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """Every copy of the headline is one title: repeats are removed, and a headline glued to the
    start of the first paragraph is cut off it."""
    key = pl.col("line").str.to_lowercase().str.replace_all(r"\s+", " ")
    title_key = pl.col("title").str.to_lowercase().str.replace_all(r"\s+", " ")
    lines = lines.join(titles, on="article_id", how="left")
    glued = pl.col("title").is_not_null() & (pl.col("kind") == "story") & key.str.starts_with(title_key.fill_null("\x00") + " ")
    return lines.with_columns(
        kind=pl.when(key == title_key).then(pl.lit("title")).otherwise(pl.col("kind")),
        line=pl.when(glued)
        .then(pl.col("line").str.slice(pl.col("title").str.len_chars()).str.strip_chars_start())
        .otherwise(pl.col("line")),
        glued_title=pl.when(glued).then(pl.col("title")),
    ).drop("title")


_PARSED_DATE = pl.Struct({"published_at": pl.Datetime("us"), "precision": pl.String, "offset_minutes": pl.Int32})


def parse_dateline_expr(line: pl.Expr) -> pl.Expr:
    """`parse_dateline` as an expression returning a struct of (published_at, precision, offset_minutes)."""

    def parse(text: str) -> dict:
        stamp, precision, offset = parse_dateline_with_offset(text) if len(text) <= 120 else (None, None, None)
        return {"published_at": stamp, "precision": precision, "offset_minutes": offset}

    return line.map_elements(parse, return_dtype=_PARSED_DATE)


def _datelines(lines: pl.DataFrame) -> pl.DataFrame:
    """The page's own dateline: a date-only line near the top of the story, never in comments,
    captions or related lists (those lines already carry another kind)."""
    candidates = lines.filter(
        pl.col("kind").is_in(["fragment", "story", "byline"]) & (pl.col("goods_before") < 3) & (pl.col("words") <= 16)
    )
    return (
        candidates.with_columns(parsed=parse_dateline_expr(pl.col("line")))
        .filter(pl.col("parsed").struct.field("precision").is_not_null())
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("line_no").first(), pl.col("parsed").first())
        .select(
            "article_id",
            "line_no",
            published_at=pl.col("parsed").struct.field("published_at"),
            published_precision=pl.col("parsed").struct.field("precision"),
            published_offset_minutes=pl.col("parsed").struct.field("offset_minutes"),
        )
    )


def _inline_datelines(lines: pl.DataFrame) -> pl.DataFrame:
    """The place (and the date, if any) of a wire dateline that opens the first story line."""

    def parse(text: str | None) -> dict:
        stamp, precision, _, offset = parse_date_with_offset(text) if text else (None, None, None, None)
        return {"published_at": stamp, "precision": precision, "offset_minutes": offset}

    first = (
        lines.filter(pl.col("kind") == "story")
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("line").first())
        .with_columns(parts=pl.col("line").str.extract_groups(_INLINE_DATELINE))
    )
    parsed = first["parts"].struct.field("when").map_elements(parse, return_dtype=_PARSED_DATE, skip_nulls=True)
    return first.select(
        "article_id",
        dateline_place=pl.col("parts").struct.field("place").str.strip_chars(),
        inline_published_at=parsed.struct.field("published_at"),
        inline_precision=parsed.struct.field("precision"),
        inline_offset_minutes=parsed.struct.field("offset_minutes"),
    )


def _removed_segments(pages: pl.DataFrame, lines: pl.DataFrame, kept: pl.DataFrame) -> pl.DataFrame:
    """Everything not in the body, in page order, so the cleaner can be audited and nothing is lost."""
    removed_lines = pl.concat(
        [
            lines.filter(pl.col("kind") != "story").select("article_id", "line_no", "kind", text=pl.col("line")),
            lines.filter(pl.col("glued_title").is_not_null()).select(
                "article_id", "line_no", kind=pl.lit("title"), text=pl.col("glued_title")
            ),
        ]
    )
    dumps = (
        pages.select("article_id", text=pl.col("dumps"))
        .explode("text")
        .drop_nulls("text")
        .select("article_id", line_no=pl.lit(1_000_000_000), kind=pl.lit("code_dump"), text=pl.col("text"))
    )
    return (
        pl.concat([removed_lines, dumps.cast({"line_no": removed_lines.schema["line_no"]})])
        .join(kept, on="article_id", how="semi")
        .sort("article_id", "line_no", maintain_order=True)
        .with_columns(segment_index=pl.int_range(pl.len()).over("article_id"))
        .pipe(conform, REMOVED_SEGMENTS)
    )


def dateline_place(first_paragraph: pl.Expr) -> pl.Expr:
    """The place of a wire dateline opening a paragraph (`MOSCOW: ...`), or null."""
    return first_paragraph.str.extract_groups(_INLINE_DATELINE).struct.field("place").str.strip_chars()
