"""Clauses + resolved entities -> CAMEO-coded events with date, place, modality and evidence.

A clause is a verb with its subject and objects from the dependency parse, so the two
actors of an event always come from one clause of one sentence: never stitched together
from different parts of the article. Reported speech needs no special case: in
`X said that Y attacked Z` the clause of `attacked` has its own subject, Y.
"""

from __future__ import annotations

import hashlib

import polars as pl

from flows.schemas import EVENTS, conform
from flows.transforms import dictionaries
from flows.transforms.dates import resolve_event_date
from flows.transforms.name_keys import name_key_expr
from flows.transforms.nlp import Parsed

_ACTOR_TYPES = ["PERSON", "ORG", "LOC", "NORP"]
_PLACE_PREPOSITIONS = ["in", "near", "at", "outside", "around"]
# Nouns a place name can stand before and still be the target: `the port of Odesa`.
_PLACE_NOUNS = [
    "province", "city", "town", "village", "region", "capital", "port", "border", "area", "district",
    "territory", "island", "airport", "base", "outpost", "coast", "waters", "airspace", "country", "state",
]  # fmt: skip
_CONFLICT_ROOTS = [f"{r:02d}" for r in range(10, 21)]
# Where a threat, demand, appeal or pledge names its target in a complement clause.
_COMPLEMENT_ROOTS = ["02", "03", "10", "13"]
_MOVEMENT_VERBS = ["arrive", "land", "travel", "come", "go", "return"]
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
        .join(articles.select("article_id", "published_at", "dateline_place"), on="article_id", how="left")
        .pipe(_telephone)
        .pipe(_modality)
        .pipe(_dates)
        .pipe(_places, parsed.arguments, resolved)
        .join(dictionaries.cameo_codes().drop("label"), left_on="code", right_on="cameo_code", how="inner")
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
    verbs = dictionaries.cameo_verbs()
    return (
        clauses.join(verbs, on="lemma", how="inner", suffix="_entry")
        .filter(
            (pl.col("object").is_null() | (pl.col("object") == pl.col("object_lemma")))
            & (pl.col("particle_entry").is_null() | (pl.col("particle_entry") == pl.col("particle")))
            & (pl.col("complement").is_null() | pl.col("has_complement"))
        )
        .with_columns(
            specificity=pl.col("object").is_not_null().cast(pl.Int8)
            + pl.col("particle_entry").is_not_null().cast(pl.Int8)
            + pl.col("complement").is_not_null().cast(pl.Int8)
        )
        .sort("specificity", "code", descending=[True, False], maintain_order=True)
        .unique(["article_id", "clause_id"], keep="first", maintain_order=True)
        .drop("object", "particle_entry", "complement", "specificity")
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
    by_span = arguments.join(mentions, on="article_id").filter(
        (pl.col("start_char") >= pl.col("span_start")) & (pl.col("end_char") <= pl.col("span_end"))
    )
    # Inside a larger phrase a nationality or a place names an actor only before a noun for
    # people or units (`Turkish soldiers`, `Russian jets`) or a place (`the port of Odesa`);
    # before anything else it is a topic (`the Syrian issue`).
    agents = list(dictionaries.agent_nouns())
    by_span = by_span.filter(
        pl.col("type").is_in(["PERSON", "ORG"])
        | pl.col("head_lemma").is_in(agents)
        | ((pl.col("type") == "LOC") & pl.col("head_lemma").is_in(_PLACE_NOUNS))
    )
    keys = ["article_id", "clause_id", "role", "head_char"]
    return (
        pl.concat([by_head.with_columns(rank=pl.lit(0)), by_span.with_columns(rank=pl.lit(1))])
        .with_columns(type_rank=pl.col("type").replace_strict({"PERSON": 0, "ORG": 0, "LOC": 1, "NORP": 2}, return_dtype=pl.Int8))
        .sort("rank", "type_rank", "start_char", maintain_order=True)
        .unique(keys, keep="first", maintain_order=True)
        .select(*keys, "preposition", "entity_id", "name", "country")
    )


def _dyads(coded: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """Who did it to whom.

    Active voice: each subject (co-subjects too: `France, Germany and Britain criticised
    Iran`) -> the target: the object, else the object of a preposition that marks a target for
    this kind of action (`with` for talks, `against`/`on` only for conflict, `in` only after
    a verb of movement), else for threats, demands and pledges the actor in the complement
    clause. With no target, co-subjects act on each other (`A and B met`). Passive: the `by`
    agent -> the subject.
    """
    role, preposition = pl.col("role"), pl.col("preposition")
    conflict = pl.col("root").is_in(_CONFLICT_ROOTS)
    target_rank = (
        pl.when(role == "object").then(0)
        .when((role == "pobj") & (preposition == "with")).then(1)
        .when((role == "pobj") & preposition.is_in(["against", "on"]) & conflict).then(2)
        .when((role == "pobj") & preposition.is_in(["to", "toward", "towards", "into", "upon"])).then(3)
        .when((role == "pobj") & (preposition == "from") & pl.col("root").is_in(["08", "16", "17"])).then(4)
        .when((role == "pobj") & preposition.is_in(["in", "at"]) & pl.col("lemma").is_in(_MOVEMENT_VERBS)).then(5)
        .when(role.is_in(["complement_subject", "complement_object"]) & pl.col("root").is_in(_COMPLEMENT_ROOTS)).then(
            pl.when(role == "complement_subject").then(6).otherwise(7)
        )
    )  # fmt: skip
    clause = coded.select("article_id", "clause_id", "is_passive", "lemma", root=pl.col("code").str.slice(0, 2))
    ranked = actors.join(clause, on=["article_id", "clause_id"]).with_columns(target_rank=target_rank)
    keys = ["article_id", "clause_id"]
    active = ~pl.col("is_passive")
    subjects = ranked.filter(active & role.is_in(["subject", "subject_conj"]) | ~active & (role == "agent"))
    targets = pl.concat(
        [
            ranked.filter(active & pl.col("target_rank").is_not_null()),
            ranked.filter(~active & (role == "patient")).with_columns(target_rank=pl.lit(0, pl.Int32)),
        ]
    )
    has_target = subjects.select(keys).unique().join(targets.select(keys).unique(), on=keys, how="semi")
    # Without a target, the first subject acts on its co-subjects.
    mutual = subjects.join(has_target, on=keys, how="anti").sort("head_char").with_columns(is_first=pl.int_range(pl.len()).over(keys) == 0)
    pairs = pl.concat(
        [
            subjects.join(has_target, on=keys, how="semi")
            .select(*keys, actor1_id="entity_id", actor1_name="name", actor1_country="country")
            .join(
                targets.select(
                    *keys, "target_rank", target_head="head_char", actor2_id="entity_id", actor2_name="name", actor2_country="country"
                ),
                on=keys,
            ),
            mutual.filter("is_first")
            .select(*keys, actor1_id="entity_id", actor1_name="name", actor1_country="country")
            .join(
                mutual.filter(~pl.col("is_first")).select(*keys, actor2_id="entity_id", actor2_name="name", actor2_country="country"),
                on=keys,
            )
            .with_columns(target_rank=pl.lit(9, pl.Int32), target_head=pl.lit(0, pl.Int32)),
        ],
        how="diagonal",
    )
    return coded.join(
        pairs.filter(pl.col("actor1_id") != pl.col("actor2_id"))
        .sort("target_rank", "target_head", "actor2_id", maintain_order=True)
        .unique([*keys, "actor1_id"], keep="first", maintain_order=True)
        .drop("target_rank", "target_head"),
        on=keys,
    )


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
        .when(pl.col("modal").is_in(_HYPOTHETICAL_MODALS) | governor.is_in(_HYPOTHETICAL_GOVERNORS) | pl.col("is_purpose"))
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
        .sort("article_id", "clause_id", "head_char")
        .unique(["article_id", "clause_id"], keep="first", maintain_order=True)
        .select("article_id", "clause_id", clause_place="name", clause_country="country", clause_lat="latitude", clause_lon="longitude")
    )
    in_sentence = (
        places.filter(pl.col("latitude").is_not_null())
        .unique(["article_id", "sentence_index"], keep="first", maintain_order=True)
        .select(
            "article_id",
            "sentence_index",
            sentence_place="name",
            sentence_country="country",
            sentence_lat="latitude",
            sentence_lon="longitude",
        )
    )
    # Else the dateline's place (`MOSCOW: ...`): where the report was filed, and usually where it happened.
    cities = dictionaries.places().select(
        "term", dateline_name="name", dateline_country="iso3", dateline_lat="latitude", dateline_lon="longitude"
    )
    use_clause = pl.col("clause_place").is_not_null()
    use_sentence = pl.col("sentence_place").is_not_null()
    pick = lambda clause, sentence, dateline: pl.when(use_clause).then(clause).when(use_sentence).then(sentence).otherwise(dateline)  # noqa: E731
    return (
        events.join(in_clause, on=["article_id", "clause_id"], how="left")
        .join(in_sentence, on=["article_id", "sentence_index"], how="left")
        .with_columns(term=name_key_expr(pl.col("dateline_place")))
        .join(cities, on="term", how="left")
        .with_columns(
            location_name=pick("clause_place", "sentence_place", "dateline_name"),
            location_country=pick("clause_country", "sentence_country", "dateline_country"),
            latitude=pick("clause_lat", "sentence_lat", "dateline_lat"),
            longitude=pick("clause_lon", "sentence_lon", "dateline_lon"),
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
