"""spaCy mentions -> canonical entities, their mentions, aliases and each entity's country.

Canonical names are resolved in steps: within an article an acronym in brackets and a partial
name take the full name they stand for (`FSA`, `Erdogan` -> `Recep Tayyip Erdogan`); names in
the curated and Phoenix dictionaries take their canonical form, exactly or by fuzzy match
(`Tayyip Recip Erdogan`); places and states take the gazetteer's name and coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import polars as pl
from rapidfuzz import fuzz, process

from flows.schemas import ENTITIES, ENTITY_ALIASES, ENTITY_MENTIONS, conform
from flows.transforms import dictionaries
from flows.transforms.ids import stable_id_expr
from flows.transforms.majority import majority_attributes
from flows.transforms.name_keys import name_key_expr

_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "PRODUCT": "PRODUCT",
}
# Titles and honorifics are how a name is introduced, not part of it.
_TITLE = (
    r"^(?:(?:[Tt]he|President|Prime Minister|PM|Premier|Chancellor|King|Queen|Prince|Crown Prince|Emir|Sheikh|Pope"
    r"|Gen\.?|General|Lt\.?|Lieutenant|Col\.?|Colonel|Maj\.?|Major|Capt\.?|Captain|Adm\.?|Admiral|Sgt\.?"
    r"|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sen\.?|Senator|Rep\.?|Gov\.?|Governor|Minister|Secretary|Ayatollah|Marshal)\s+)+"
)
_POSSESSIVE = r"['’]s?$"
_TITLE_BEFORE = (
    r"(?:^|\s)(?:President|Prime Minister|PM|Premier|Chancellor|King|Queen|Prince|Sheikh|Gen\.?|General|Col\.?|Colonel"
    r"|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Senator|Minister|Secretary|Ayatollah|spokesman|spokeswoman|leader)$"
)
# Institution words that name nothing by themselves (`State` of `Secretary of State`, a lone
# `Defence`): a mention made only of these is not an entity.
_GENERIC = [
    "state", "staff", "defense", "defence", "finance", "treasury", "ministry", "government", "army", "military",
    "police", "navy", "parliament", "congress", "senate", "cabinet", "council", "court", "agency", "office",
    "department", "committee", "forces", "coast guard", "air force", "foreign", "interior", "justice", "security",
]  # fmt: skip
_FUZZY_MIN_SCORE = 88
_SURNAME_MAJORITY = 0.75


@dataclass(frozen=True)
class EntityTables:
    entities: pl.DataFrame
    entity_aliases: pl.DataFrame
    entity_mentions: pl.DataFrame
    resolved: pl.DataFrame  # mentions with type, canonical name, country, coordinates: for events


def entity_tables(articles: pl.DataFrame, mentions: pl.DataFrame) -> EntityTables:
    """Entities (one row per canonical entity) and entity_mentions (one row per mention)."""
    resolved = (
        mentions.with_columns(type=pl.col("label").replace_strict(_TYPES, default=None))
        .drop_nulls("type")
        .join(articles.select("article_id", "body", "published_at"), on="article_id")
        .pipe(_trim_spans)
        .filter(pl.col("end_char") > pl.col("start_char"))
        .with_columns(key=name_key_expr(pl.col("mention")))
        .filter(pl.col("key").str.contains(r"[a-z]") & ~pl.col("key").is_in(_GENERIC))
        .pipe(_split_joined_states)
        .pipe(_retype_known_places)
        .pipe(_expand_acronyms)
        .pipe(_resolve_partial_names)
        .pipe(_agree_on_type)
        .pipe(_resolve_known_actors)
        .pipe(_resolve_places)
        .pipe(_countries)
        .pipe(_ethnic_groups)
        .with_columns(entity_id=_entity_id(pl.col("type"), pl.col("name")))
        # The most common answer among an entity's mentions in the article wins.
        .with_columns(country=pl.col("country").drop_nulls().mode().sort().first().over("article_id", "entity_id"))
    )
    # Name and country across articles are the warehouse's choice (load.py calls
    # `majority_attributes` over every stored mention); a mention keeps what its own article
    # says, so nothing here depends on which other articles share its batch.
    votes = resolved.group_by("entity_id", "name", "country").agg(count_mentions=pl.len())
    entities = (
        resolved.group_by("entity_id")
        .agg(
            pl.col("type").mode().sort().first(),
            pl.col("latitude").drop_nulls().first(),
            pl.col("longitude").drop_nulls().first(),
        )
        .join(majority_attributes(votes), on="entity_id")
        .sort("entity_id")
    )
    return EntityTables(
        entities=conform(entities, ENTITIES),
        entity_aliases=conform(
            resolved.select("entity_id", alias="mention").unique().sort("entity_id", "alias"), ENTITY_ALIASES
        ),
        entity_mentions=conform(resolved.sort("article_id", "start_char"), ENTITY_MENTIONS),
        resolved=resolved.select(
            "article_id", "sentence_index", "start_char", "end_char", "entity_id", "name", "type",
            "country", "latitude", "longitude",
        ),
    )  # fmt: skip


def _entity_id(entity_type: pl.Expr, name: pl.Expr) -> pl.Expr:
    """Stable across runs: the type and the folded canonical name."""
    return stable_id_expr(pl.concat_str(entity_type, pl.lit("|"), name_key_expr(name)))


def _trim_spans(mentions: pl.DataFrame) -> pl.DataFrame:
    """Moves offsets past titles (`President`, `Gen.`), a leading `the` and a possessive `'s`,
    so `mention` is the name as written and still equals body[start_char:end_char]."""
    lead = pl.col("text").str.extract(_TITLE, group_index=0).str.len_chars().fill_null(0)
    trail = pl.col("text").str.extract(_POSSESSIVE, group_index=0).str.len_chars().fill_null(0)
    return mentions.with_columns(
        start_char=pl.col("start_char") + lead,
        # `President Bush`, `Mr Mugabe`: a title says the name is a person's, whatever place shares it.
        has_title=(lead > 0) | pl.col("left_context").fill_null("").str.contains(_TITLE_BEFORE),
        end_char=pl.col("end_char") - trail,
    ).with_columns(mention=pl.col("body").str.slice(pl.col("start_char"), pl.col("end_char") - pl.col("start_char")))


def _split_joined_states(mentions: pl.DataFrame) -> pl.DataFrame:
    """`U.S.-British warplanes`, `Russian-Chinese talks`: one word joining the names of states
    names each of them, so each is a mention of its own. A state whose own name is so joined
    (`Guinea-Bissau`) stays one."""
    terms = dictionaries.country_terms()["term"].implode()
    indexed = mentions.with_row_index("row")
    parts = (
        indexed.filter(pl.col("mention").str.contains(r"\S-\S") & ~pl.col("key").is_in(terms))
        .select("row", "start_char", part=pl.col("mention").str.split("-"))
        .with_columns(offset=pl.col("part").list.eval((pl.element().str.len_chars() + 1).cum_sum() - pl.element().str.len_chars() - 1))
        .explode("part", "offset")
        .with_columns(part_key=name_key_expr(pl.col("part")))
        .filter(pl.col("part_key").is_in(terms).all().over("row"))
        .select(
            "row",
            mention="part",
            key="part_key",
            start_char=pl.col("start_char") + pl.col("offset"),
            end_char=pl.col("start_char") + pl.col("offset") + pl.col("part").str.len_chars(),
        )
    )
    split = indexed.drop("mention", "key", "start_char", "end_char").join(parts, on="row").select(indexed.columns)
    return pl.concat([indexed.join(parts, on="row", how="anti"), split]).sort("row", "start_char").drop("row")


def _retype_known_places(mentions: pl.DataFrame) -> pl.DataFrame:
    """A country name or a known city is a place whatever the model guessed (`Turkey` as ORG);
    a nationality word stays NORP."""
    states = dictionaries.country_terms()
    state_names = states.filter(pl.col("kind") == "name")["term"].implode()
    demonyms = states.filter(pl.col("kind") == "alias")["term"].implode()
    cities = dictionaries.places()["term"].implode()
    actor_terms = dictionaries.actors()["term"].implode()
    surnames = _surname_countries()["surname"].implode()
    groups = dictionaries.actors().filter(pl.col("country").is_null() | pl.col("code").str.contains("REB|INS|MIL|GOV"))["term"].implode()
    key = pl.col("key")
    return mentions.with_columns(
        type=pl.when(key.is_in(state_names) & pl.col("type").is_in(["ORG", "PERSON", "LOC", "NORP"])).then(pl.lit("LOC"))
        .when(key.is_in(cities) & pl.col("type").is_in(["LOC", "NORP"]) & ~key.is_in(demonyms)).then(pl.lit("LOC"))
        # A known city the model took for a person or an organisation (`Aleppo` as PERSON),
        # unless the actor dictionary knows the name as an actor or as its people's surname
        # (`the Bush administration` is no town in Egypt).
        .when(
            key.is_in(cities) & pl.col("type").is_in(["ORG", "PERSON"]) & ~key.is_in(actor_terms) & ~key.is_in(surnames) & ~pl.col("has_title")
        ).then(pl.lit("LOC"))
        # An armed group or an institution the model took for a place (`ISIL` as GPE).
        .when(key.is_in(groups) & (pl.col("type") == "LOC") & ~key.is_in(cities)).then(pl.lit("ORG"))
        .otherwise(pl.col("type"))
    )  # fmt: skip


def _expand_acronyms(mentions: pl.DataFrame) -> pl.DataFrame:
    """`Free Syrian Army (FSA)`: the acronym in brackets after a name is that name, in this article."""
    following = pl.col("body").str.slice(pl.col("end_char"), 12).str.extract(r"^\s*\(([A-Z][A-Za-z]{1,7})\)", 1)
    expansions = (
        mentions.filter(pl.col("type").is_in(["ORG", "LOC"]))
        .with_columns(acronym=following)
        .drop_nulls("acronym")
        .select("article_id", key=pl.col("acronym").str.to_lowercase(), long_name="mention", long_key="key", long_type="type")
        .sort("article_id", "key", "long_key")
        .unique(["article_id", "key"], keep="first", maintain_order=True)
    )
    return (
        mentions.join(expansions, on=["article_id", "key"], how="left")
        .with_columns(
            type=pl.coalesce("long_type", "type"),
            mention_name=pl.col("long_name"),
            key=pl.coalesce("long_key", "key"),
        )
        .drop("long_name", "long_type", "long_key")
    )


def _resolve_partial_names(mentions: pl.DataFrame) -> pl.DataFrame:
    """Within one article a partial name takes the full name whose words it is part of:
    `Erdogan` -> `Recep Tayyip Erdogan`, `Lula` -> `Luiz Inacio Lula da Silva`; an
    organisation's tail (`Defence Ministry`) its full name (`Turkish Defence Ministry`). Where
    two full names fit (`George W. Bush`, `Jeb Bush`), the nearest one before the mention wins,
    so two people sharing a surname are never merged. The model sometimes tags a lone surname
    as ORG or GPE; a match with a PERSON makes it a PERSON."""
    named = pl.coalesce("mention_name", "mention")
    occurrences = (
        mentions.filter(pl.col("type").is_in(["PERSON", "ORG"]))
        .select("article_id", full_key="key", full_name=named, full_type="type", full_start="start_char")
        .sort("full_start")
    )
    is_part = (
        pl.when(pl.col("full_type") == "PERSON")
        .then((" " + pl.col("full_key") + " ").str.contains(" " + pl.col("key") + " ", literal=True))
        .otherwise((pl.col("type") == "ORG") & pl.col("full_key").str.ends_with(" " + pl.col("key")))
    )
    # A partial name's last word is a word of its full name: pairing each mention only with the
    # full names that share that word keeps the join to what can match, not every name of the
    # article against every other (which grows with the square of a long story's mentions).
    words = (
        occurrences.select("article_id", "full_key", "full_type")
        .unique()
        .with_columns(word=pl.col("full_key").str.split(" "))
        .explode("word")
    )
    candidates = (
        mentions.select("article_id", "start_char", "key", "type", word=pl.col("key").str.split(" ").list.last())
        .join(words, on=["article_id", "word"])
        .filter((pl.col("full_key") != pl.col("key")) & is_part)
        .drop("word")
        .sort("start_char")
    )
    nearest = {
        direction: candidates.join_asof(
            occurrences, left_on="start_char", right_on="full_start", by=["article_id", "full_key", "full_type"],
            strategy=direction, allow_exact_matches=False, check_sortedness=False,
        ).select("article_id", "start_char", "full_key", "full_type", **{f"{direction}_start": "full_start", f"{direction}_name": "full_name"})
        for direction in ("backward", "forward")
    }  # fmt: skip
    precedes = pl.col("backward_start").is_not_null()
    matches = (
        nearest["backward"]
        .join(nearest["forward"], on=["article_id", "start_char", "full_key", "full_type"])
        .with_columns(full_start=pl.coalesce("backward_start", "forward_start"), full_name=pl.coalesce("backward_name", "forward_name"))
        .filter(pl.col("full_start").is_not_null())
        .sort(
            "article_id",
            "start_char",
            precedes.not_(),
            pl.when(precedes).then(-pl.col("full_start")).otherwise(pl.col("full_start")),
            pl.col("full_key").str.len_chars(),
            "full_key",
            descending=[False, False, False, False, True, False],
        )  # fmt: skip
        .unique(["article_id", "start_char"], keep="first", maintain_order=True)
        .select("article_id", "start_char", "full_name", "full_key", "full_type")
    )
    return (
        mentions.join(matches, on=["article_id", "start_char"], how="left")
        .with_columns(
            type=pl.when(pl.col("full_key").is_not_null() & (pl.col("type") != "NORP")).then(pl.col("full_type")).otherwise(pl.col("type")),
            name=pl.coalesce("full_name", named),
            key=pl.coalesce("full_key", "key"),
        )
        .drop("full_name", "full_key", "full_type", "mention_name")
    )


def _agree_on_type(mentions: pl.DataFrame) -> pl.DataFrame:
    """One name, one type in an article: where the model called a name PERSON in some places and ORG in others
    (it often tags a person opening a sentence as ORG), the majority wins, PERSON on a tie."""
    is_actor = pl.col("type").is_in(["PERSON", "ORG"])
    # Within its article: the type is part of the entity's id, and an id must not depend on which
    # other articles share the batch.
    person_votes = (pl.col("type") == "PERSON").sum().over("article_id", "key")
    org_votes = (pl.col("type") == "ORG").sum().over("article_id", "key")
    return mentions.with_columns(
        type=pl.when(is_actor & (person_votes >= org_votes) & (person_votes > 0)).then(pl.lit("PERSON"))
        .when(is_actor).then(pl.lit("ORG"))
        .otherwise(pl.col("type"))
    )  # fmt: skip


def _resolve_known_actors(mentions: pl.DataFrame) -> pl.DataFrame:
    """Names in the curated dictionaries (office holders with their years, organisations with
    their acronyms) or in the Phoenix actor dictionary take the canonical name, type and
    country in force at the article's date, curated first. Misspelt person names match by
    fuzzy comparison among dictionary names that share a word with them."""
    lookup = _actor_lookup()
    persons = mentions.filter(pl.col("type") == "PERSON")["key"].unique()
    known_terms = set(lookup["term"].to_list())
    fuzzy = {key: match for key in persons.to_list() if " " in key and key not in known_terms and (match := _fuzzy_actor(key))}
    fuzzy_terms = pl.DataFrame({"key": list(fuzzy), "term": list(fuzzy.values())}, schema={"key": pl.String, "term": pl.String})
    on_date = pl.col("published_at").dt.date()
    dated = (
        mentions.select("article_id", "key", "type", "published_at")
        .unique()
        .join(fuzzy_terms, on="key", how="left")
        .with_columns(term=pl.coalesce("term", "key"))
        .join(lookup, on="term", how="inner")
        # A lone surname renames a person only through a curated alias.
        .filter(pl.col("key").str.contains(" ") | (pl.col("type") != "PERSON") | (pl.col("priority") == 0))
        .with_columns(
            in_force=(pl.col("start_date").is_null() | on_date.is_null() | (pl.col("start_date") <= on_date))
            & (pl.col("end_date").is_null() | on_date.is_null() | (pl.col("end_date") >= on_date))
        )
        .sort(
            "priority",
            pl.col("in_force").not_(),
            pl.col("start_date").is_null(),
            "start_date",
            "name",
            "country",
            descending=[False, False, False, True, False, False],
            nulls_last=True,
        )  # fmt: skip
        .group_by("article_id", "key", "type")
        .agg(
            actor_name=pl.col("name").first(),
            actor_type=pl.col("actor_type").first(),
            actor_country=pl.col("country").first(),
            is_international=pl.col("is_international").first(),
            is_curated=pl.col("priority").first() == 0,
        )
    )
    resolved = mentions.join(dated, on=["article_id", "key", "type"], how="left")
    return resolved.with_columns(
        # The dictionary renames only what it improves: a fuller or corrected name. Where its
        # name folds to the article's own, the article's spelling stays.
        name=pl.when(pl.col("actor_name").is_not_null() & (name_key_expr(pl.col("actor_name")) != pl.col("key")))
        .then(pl.col("actor_name"))
        .otherwise(pl.col("name")),
        type=pl.when(pl.col("actor_type").is_not_null() & (pl.col("type") != "NORP")).then(pl.col("actor_type")).otherwise(pl.col("type")),
    ).drop("actor_type")


@lru_cache(maxsize=1)
def _actor_lookup() -> pl.DataFrame:
    """term -> canonical actor; curated names (priority 0) before Phoenix's (priority 1)."""
    curated = dictionaries.known_names()
    ambiguous = curated.group_by("term").agg(pl.col("name").n_unique().alias("names")).filter(pl.col("names") > 1)["term"]
    curated = curated.filter(~pl.col("term").is_in(ambiguous.implode())).select(
        "term", "name", "country", "is_international", "start_date", "end_date", actor_type="type", priority=pl.lit(0)
    )
    phoenix = dictionaries.actors().select(
        "term", "name", "country", "is_international", "start_date", "end_date", actor_type=pl.lit(None, pl.String), priority=pl.lit(1)
    )
    known = pl.concat([curated, phoenix])
    # A name of several words in the other number of its last word (`Tamil Tiger rebels` for the
    # `Tamil Tigers`), where no name has that form itself.
    term = pl.col("term")
    other_number = (
        known.filter(term.str.contains(" ") & term.str.contains(r"[a-z]$"))
        .with_columns(
            term=pl.when(term.str.ends_with("s")).then(term.str.strip_suffix("s")).otherwise(term + "s"),
            priority=pl.lit(2),
        )
        .filter(~term.is_in(known["term"].implode()))
    )
    return pl.concat([known, other_number])


def _fuzzy_actor(key: str) -> str | None:
    """The dictionary name a misspelt one most resembles, among those sharing one of its words:
    the longest word first, then the others, since the misspelt word itself shares nothing."""
    for word in sorted(set(key.split()), key=lambda word: (-len(word), word)):
        candidates = [term for term in _terms_by_word().get(word, ()) if " " in term]
        match = process.extractOne(key, candidates, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_MIN_SCORE) if candidates else None
        if match:
            return match[0]
    return None


@lru_cache(maxsize=1)
def _terms_by_word() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for term in _actor_lookup()["term"].unique(maintain_order=True).to_list():
        for word in term.split():
            index.setdefault(word, []).append(term)
    return index


def _resolve_places(mentions: pl.DataFrame) -> pl.DataFrame:
    """Places: a state takes its common name; a city the gazetteer's name, country and coordinates."""
    states = dictionaries.country_terms().select(key="term", state_iso3="iso3", state_name="country_name", state_kind="kind")
    # A name several places share is the one in a state the article names (`the Peruvian town
    # of Puno`, not India's Pune), else the most populous.
    named_states = (
        mentions.join(dictionaries.country_terms().select(key="term", iso3="iso3"), on="key")
        .select("article_id", "iso3", in_article=pl.lit(True))
        .unique()
    )
    cities = (
        mentions.select("article_id", "key")
        .unique()
        .join(dictionaries.place_candidates().rename({"term": "key"}), on="key")
        .join(named_states, on=["article_id", "iso3"], how="left")
        .sort(pl.col("in_article").fill_null(False), "population", descending=True)
        .unique(["article_id", "key"], keep="first", maintain_order=True)
        .select("article_id", "key", city_name="name", city_iso3="iso3", latitude="latitude", longitude="longitude")
    )
    is_loc = pl.col("type") == "LOC"
    is_state = pl.col("state_iso3").is_not_null() & ((pl.col("state_kind") == "name") | pl.col("city_name").is_null())
    return (
        mentions.join(states, on="key", how="left")
        .join(cities, on=["article_id", "key"], how="left")
        .with_columns(
            name=pl.when(is_loc & is_state)
            .then(pl.col("state_name"))
            .when(is_loc & pl.col("city_name").is_not_null())
            .then(pl.col("city_name"))
            .otherwise(pl.col("name")),
            place_country=pl.when(is_state).then(pl.col("state_iso3")).otherwise(pl.col("city_iso3")),
            latitude=pl.when(is_loc & ~is_state).then(pl.col("latitude")),
            longitude=pl.when(is_loc & ~is_state).then(pl.col("longitude")),
        )  # fmt: skip
    )


def _countries(mentions: pl.DataFrame) -> pl.DataFrame:
    """The country each mention belongs to.

    Places and nationalities: from the gazetteer, else (a village it does not know) the
    nearest located place in the same sentence. People and organisations: the dictionaries,
    else a state word inside the name (`Russian Defense Ministry`), else the nearest state word
    just before it (`Russian President Vladimir Putin`, `Kremlin spokesman Dmitry Peskov`).
    International bodies and their officials (`NATO Secretary General ...`): none.
    """
    words = pl.concat(
        [
            dictionaries.country_terms().select("term", "iso3"),
            # Institutions that stand for their state in a title: `Kremlin spokesman`.
            dictionaries.actors()
            .filter(pl.col("country").is_not_null() & ~pl.col("term").str.contains(" "))
            .select("term", iso3="country")
            .unique("term"),
        ]
    ).unique("term", keep="first")
    international = (
        dictionaries.known_names().filter(pl.col("is_international") & (pl.col("type") == "ORG")).select("term", iso3=pl.lit("IGO"))
    )
    # An apposition says more than a title before a name: `X, the assistant secretary of state`.
    offices = dictionaries.actors().filter(pl.col("country").is_not_null() & (pl.col("term").str.count_matches(" ") < 3))
    apposition_words = pl.concat([words, offices.select("term", iso3="country"), international]).unique("term", keep="first")
    with_context = mentions.with_columns(
        context_key=name_key_expr(pl.col("left_context")), apposition_key=name_key_expr(pl.col("apposition"))
    )
    in_name = _first_state_word(mentions, "key", words, "name_country")
    in_context = _first_state_word(with_context, "context_key", words, "context_country", last=True)
    igo_context = _first_state_word(with_context, "context_key", international, "context_igo", last=True)
    in_apposition = _first_state_word(with_context, "apposition_key", apposition_words, "apposition_country")
    is_actor = pl.col("type").is_in(["PERSON", "ORG"])
    country = (
        pl.when(pl.col("type").is_in(["LOC", "NORP"])).then(pl.col("place_country"))
        .when(pl.col("is_international").fill_null(False)).then(pl.lit(None))
        # A curated entry knows the country, including that an armed group has none.
        .when(is_actor & (pl.col("actor_country").is_not_null() | pl.col("is_curated").fill_null(False))).then(pl.col("actor_country"))
        .when((pl.col("type") == "PERSON") & (pl.col("context_igo").is_not_null() | (pl.col("apposition_country") == "IGO"))).then(pl.lit(None))
        .when(pl.col("type") == "PERSON").then(pl.coalesce("name_country", "context_country", "apposition_country", "surname_country"))
        .when(is_actor).then(pl.coalesce("name_country", "context_country", pl.col("apposition_country").replace("IGO", None)))
    )  # fmt: skip
    resolved = (
        mentions.with_columns(surname=pl.col("key").str.split(" ").list.last())
        .join(_surname_countries(), on="surname", how="left")
        .join(in_name, on=["article_id", "start_char"], how="left")
        .join(in_context, on=["article_id", "start_char"], how="left")
        .join(igo_context, on=["article_id", "start_char"], how="left")
        .join(in_apposition, on=["article_id", "start_char"], how="left")
        .with_columns(country=country)
    )
    return _place_unlocated(resolved)


@lru_cache(maxsize=1)
def _surname_countries() -> pl.DataFrame:
    """surname -> the country that the people of the actor dictionaries with that surname
    nearly all belong to (`Reagan`, `Mugabe`, `Bush`): what a person named by an unknown or
    partial name most likely belongs to. A surname shared across countries (`Khan`), or known
    from one person only, gives none."""
    people = dictionaries.actors().filter(pl.col("term").str.contains(" ") & pl.col("country").is_not_null())
    return (
        people.with_columns(surname=pl.col("term").str.split(" ").list.last())
        .group_by("surname", "country")
        .agg(people=pl.len())
        .with_columns(share=pl.col("people") / pl.col("people").sum().over("surname"))
        .filter((pl.col("share") >= _SURNAME_MAJORITY) & (pl.col("people") >= 2))
        .select("surname", surname_country="country")
    )


def _ethnic_groups(mentions: pl.DataFrame) -> pl.DataFrame:
    """A people named as an ethnic group (`ethnic Albanians demonstrated in Serbia`) belongs to
    the state its sentence places it in, not to the state its name comes from; with no place in
    the sentence, to none."""
    ethnic = (pl.col("type") == "NORP") & pl.col("left_context").fill_null("").str.contains(r"(?i)\bethnic\s*$")
    placed = (
        mentions.filter((pl.col("type") == "LOC") & pl.col("country").is_not_null())
        .sort("start_char")
        .group_by("article_id", "sentence_index")
        .agg(sentence_country=pl.col("country").first())
    )
    return (
        mentions.join(placed, on=["article_id", "sentence_index"], how="left")
        .with_columns(country=pl.when(ethnic).then(pl.col("sentence_country")).otherwise(pl.col("country")))
        .drop("sentence_country")
    )


_BETWEEN_STATES = r"(?i)\b(?:sea|ocean|gulf|strait|straits)\b"


def _place_unlocated(mentions: pl.DataFrame) -> pl.DataFrame:
    """A place the gazetteer does not know (`the town of Aq Burhan ... in northern Aleppo`) is
    in the country of the nearest located place or nationality word of its sentence (`the
    Azerbaijani republic of X`). Seas, gulfs and straits lie between states and take none."""
    located = (
        mentions.filter(pl.col("type").is_in(["LOC", "NORP"]) & pl.col("country").is_not_null())
        .select("article_id", "sentence_index", "start_char", near_country="country")
        .sort("article_id", "sentence_index", "start_char")
    )
    nearest = (
        mentions.filter((pl.col("type") == "LOC") & pl.col("country").is_null() & ~pl.col("name").str.contains(_BETWEEN_STATES))
        .select("article_id", "sentence_index", "start_char")
        .sort("article_id", "sentence_index", "start_char")
        .join_asof(located, on="start_char", by=["article_id", "sentence_index"], strategy="nearest", check_sortedness=False)
    )
    return (
        mentions.join(nearest, on=["article_id", "sentence_index", "start_char"], how="left")
        .with_columns(country=pl.coalesce("country", "near_country"))
        .drop("near_country")
    )


def _first_state_word(mentions: pl.DataFrame, column: str, words: pl.DataFrame, alias: str, last: bool = False) -> pl.DataFrame:
    """For each mention, the state named by a word or phrase of up to three words of `column` (the first
    one, or with `last` the one nearest the end)."""
    tokens = (
        mentions.select("article_id", "start_char", term=pl.col(column).str.split(" "))
        .with_columns(position=pl.int_ranges(pl.col("term").list.len()))
        .explode("term", "position")
        .with_columns(bigram=pl.col("term") + " " + pl.col("term").shift(-1).over("article_id", "start_char"))
        .with_columns(trigram=pl.col("bigram") + " " + pl.col("term").shift(-2).over("article_id", "start_char"))
    )
    found = pl.concat(
        [
            tokens.join(words, left_on=gram, right_on="term").select("article_id", "start_char", "position", "iso3")
            for gram in ("term", "bigram", "trigram")
        ]
    )
    return (
        found.sort("position", "iso3", descending=[last, False])
        .group_by("article_id", "start_char")
        .agg(pl.col("iso3").first().alias(alias))
    )
