"""Clauses + resolved entities -> CAMEO-coded events with date, place, modality and evidence.

A clause is a verb with its subject and objects from the dependency parse, so the two
actors of an event always come from one clause of one sentence: never stitched together
from different parts of the article. Reported speech needs no special case: in
`X said that Y attacked Z` the clause of `attacked` has its own subject, Y.
"""

from __future__ import annotations

import hashlib

import polars as pl

from flows import gazetteer
from flows.dates import resolve_event_date
from flows.nlp import Parsed
from flows.schemas import EVENTS, conform

_ACTOR_TYPES = ["PERSON", "ORG", "LOC", "NORP"]
# Prepositions that introduce the target of an action, most telling first.
_TARGET_PREPOSITIONS = ["with", "against", "to", "on", "into", "toward", "towards", "at", "upon", "from", "in"]
_PLACE_PREPOSITIONS = ["in", "near", "at", "outside", "around"]
_HYPOTHETICAL_MODALS = ["could", "may", "might", "will", "would", "shall", "should", "can", "must"]
_HYPOTHETICAL_GOVERNORS = [
    "plan", "ready", "expect", "due", "intend", "want", "seek", "threaten", "propose", "aim", "hope",
    "consider", "prepare", "likely", "set", "poised", "willing", "try", "attempt", "vow", "pledge",
    "promise", "offer", "agree", "decide", "schedule", "able", "call", "urge", "ask",
]  # fmt: skip
_NEGATING_GOVERNORS = ["fail", "refuse", "decline", "postpone", "cancel", "deny", "unable", "reject", "halt", "stop"]


def events_table(articles: pl.DataFrame, parsed: Parsed, resolved: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct event in an article."""
    coded = _coded_clauses(parsed.clauses)
    actors = _clause_actors(parsed.arguments, resolved)
    dyads = _dyads(coded, actors)
    return (
        dyads.join(parsed.sentences, on=["article_id", "sentence_index"], how="left", suffix="_sentence")
        .join(articles.select("article_id", "published_at"), on="article_id", how="left")
        .pipe(_telephone)
        .pipe(_modality)
        .pipe(_dates)
        .pipe(_places, parsed.arguments, resolved)
        .join(gazetteer.cameo_codes().drop("label"), left_on="code", right_on="cameo_code", how="inner")
        .rename({"code": "cameo_code", "text": "evidence", "start_char": "evidence_start", "end_char": "evidence_end"})
        .pipe(_keys)
        # Two sentences reporting one event in one article are one event.
        .sort("article_id", "evidence_start", "verb_char")
        .unique(["article_id", "event_key", "modality"], keep="first", maintain_order=True)
        .pipe(conform, EVENTS)
    )


def _coded_clauses(clauses: pl.DataFrame) -> pl.DataFrame:
    """Each clause with the most specific verb-dictionary entry that fits it (a light verb with
    its object, `hold talks`, beats the bare verb)."""
    verbs = gazetteer.cameo_verbs()
    return (
        clauses.join(verbs, on="lemma", how="inner", suffix="_entry")
        .filter(
            (pl.col("object").is_null() | (pl.col("object") == pl.col("object_lemma")))
            & (pl.col("particle_entry").is_null() | (pl.col("particle_entry") == pl.col("particle")))
        )
        .with_columns(specificity=pl.col("object").is_not_null().cast(pl.Int8) + pl.col("particle_entry").is_not_null().cast(pl.Int8))
        .sort("specificity", descending=True)
        .unique(["article_id", "clause_id"], keep="first")
        .drop("object", "particle_entry", "specificity")
    )


def _clause_actors(arguments: pl.DataFrame, resolved: pl.DataFrame) -> pl.DataFrame:
    """Each argument of a clause with the entity it names: the mention holding the argument's
    head word, else the first mention inside the argument (`Turkish` in `Turkish forces`)."""
    mentions = resolved.filter(pl.col("type").is_in(_ACTOR_TYPES)).sort("article_id", "start_char")
    by_head = (
        arguments.sort("article_id", "head_char")
        .join_asof(mentions, left_on="head_char", right_on="start_char", by="article_id", strategy="backward", check_sortedness=False)
        .filter(pl.col("head_char") < pl.col("end_char"))
    )
    # Inside a phrase a named person or organisation is the actor more than a nationality word:
    # in `his Turkish counterpart Recep Tayyip Erdogan` the actor is Erdogan.
    by_span = (
        arguments.join(mentions, on="article_id")
        .filter((pl.col("start_char") >= pl.col("span_start")) & (pl.col("end_char") <= pl.col("span_end")))
        .sort(pl.col("type").replace_strict({"PERSON": 0, "ORG": 0, "LOC": 1, "NORP": 2}, return_dtype=pl.Int8), "start_char")
    )
    keys = ["article_id", "clause_id", "role", "head_char"]
    return (
        pl.concat([by_head.with_columns(rank=pl.lit(0)), by_span.with_columns(rank=pl.lit(1))])
        .sort("rank")
        .unique(keys, keep="first")
        .select(*keys, "preposition", "entity_id", "name", "country")
    )


def _dyads(coded: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """Who did it to whom. Active: subject -> object (or the target of a preposition).
    Passive: the `by` agent -> the subject. `A and B met`: A -> B."""
    role = pl.col("role")
    ranked = actors.with_columns(
        target_rank=pl.when(role == "object").then(0)
        .when(role == "pobj").then(1 + pl.col("preposition").replace_strict(_TARGET_PREPOSITIONS, list(range(len(_TARGET_PREPOSITIONS))), default=None))
        .when(role == "subject_conj").then(50)
    )  # fmt: skip
    clause = coded.select("article_id", "clause_id", "is_passive")
    with_voice = ranked.join(clause, on=["article_id", "clause_id"])
    actor1 = (
        with_voice.filter(pl.when(pl.col("is_passive")).then(role == "agent").otherwise(role == "subject"))
        .sort("head_char")
        .unique(["article_id", "clause_id"], keep="first")
    )
    actor2 = (
        with_voice.filter(
            pl.when(pl.col("is_passive")).then(role == "patient").otherwise(pl.col("target_rank").is_not_null())
        )
        .sort("target_rank", "head_char")
    )
    pairs = (
        actor1.select("article_id", "clause_id", actor1_id="entity_id", actor1_name="name", actor1_country="country")
        .join(
            actor2.select("article_id", "clause_id", actor2_id="entity_id", actor2_name="name", actor2_country="country"),
            on=["article_id", "clause_id"],
        )
        .filter(pl.col("actor1_id") != pl.col("actor2_id"))
        .unique(["article_id", "clause_id"], keep="first", maintain_order=True)
    )
    return coded.join(pairs, on=["article_id", "clause_id"])


def _telephone(events: pl.DataFrame) -> pl.DataFrame:
    """A consultation by phone is CAMEO 041 whatever the verb (`held telephone talks`)."""
    by_phone = pl.col("code").str.starts_with("04") & pl.col("text").str.contains(r"(?i)\b(?:tele)?phone\b")
    return events.with_columns(code=pl.when(by_phone).then(pl.lit("041")).otherwise(pl.col("code")))


def _modality(events: pl.DataFrame) -> pl.DataFrame:
    """`negated` for a negation or a verb like `fail to`/`postpone`; `hypothetical` for a modal or
    a governing verb of intent (`plans to`, `ready to`, `expected to`); else `asserted`.
    A threat or a pledge is itself asserted: only the threatened action is hypothetical."""
    governor = pl.col("governor_lemma")
    return events.with_columns(
        modality=pl.when(pl.col("is_negated") | pl.col("governor_negated") | governor.is_in(_NEGATING_GOVERNORS))
        .then(pl.lit("negated"))
        .when(pl.col("modal").is_in(_HYPOTHETICAL_MODALS) | governor.is_in(_HYPOTHETICAL_GOVERNORS))
        .then(pl.lit("hypothetical"))
        .otherwise(pl.lit("asserted"))
    )


def _dates(events: pl.DataFrame) -> pl.DataFrame:
    resolved = [
        resolve_event_date(text, verb - start, published)
        for text, verb, start, published in events.select("text", "verb_char", "start_char", "published_at").iter_rows()
    ]
    return events.with_columns(
        event_date=pl.Series([d for d, _ in resolved], dtype=pl.Date),
        date_precision=pl.Series([p for _, p in resolved], dtype=pl.String),
    )


def _places(events: pl.DataFrame, arguments: pl.DataFrame, resolved: pl.DataFrame) -> pl.DataFrame:
    """Where: the place after `in`/`near`/`at` in the clause, else a located place in the sentence."""
    places = resolved.filter(pl.col("type") == "LOC").sort("article_id", "start_char")
    in_clause = (
        arguments.filter((pl.col("role") == "pobj") & pl.col("preposition").is_in(_PLACE_PREPOSITIONS))
        .sort("article_id", "head_char")
        .join_asof(places, left_on="head_char", right_on="start_char", by="article_id", strategy="backward", check_sortedness=False)
        .filter(pl.col("head_char") < pl.col("end_char"))
        .unique(["article_id", "clause_id"], keep="first")
        .select("article_id", "clause_id", clause_place="name", clause_country="country", clause_lat="latitude", clause_lon="longitude")
    )
    in_sentence = (
        places.filter(pl.col("latitude").is_not_null())
        .unique(["article_id", "sentence_index"], keep="first", maintain_order=True)
        .select("article_id", "sentence_index", sentence_place="name", sentence_country="country", sentence_lat="latitude", sentence_lon="longitude")
    )
    use_clause = pl.col("clause_place").is_not_null()
    return (
        events.join(in_clause, on=["article_id", "clause_id"], how="left")
        .join(in_sentence, on=["article_id", "sentence_index"], how="left")
        .with_columns(
            location_name=pl.when(use_clause).then("clause_place").otherwise("sentence_place"),
            location_country=pl.when(use_clause).then("clause_country").otherwise("sentence_country"),
            latitude=pl.when(use_clause).then("clause_lat").otherwise("sentence_lat"),
            longitude=pl.when(use_clause).then("clause_lon").otherwise("sentence_lon"),
        )
    )


def _keys(events: pl.DataFrame) -> pl.DataFrame:
    """event_key: (date, dyad, code), the same across articles reporting one event (GDELT's
    NumArticles counts by it); event_id: that event as one article reports it."""
    key = pl.concat_str(
        pl.col("event_date").cast(pl.String).fill_null("?"),
        pl.col("actor1_id"),
        pl.col("actor2_id"),
        pl.col("cameo_code"),
        separator="|",
    )
    return events.with_columns(event_key=_short_hash(key)).with_columns(
        event_id=_short_hash(pl.concat_str("article_id", "event_key", "modality", separator="|"))
    )


def _short_hash(text: pl.Expr) -> pl.Expr:
    return text.map_elements(lambda value: hashlib.sha256(value.encode()).hexdigest()[:16], return_dtype=pl.String)
