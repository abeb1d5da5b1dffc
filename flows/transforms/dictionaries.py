"""The shipped dictionaries (flows/data/*.tsv) as Polars frames, read once per process."""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from flows.paths import DATA
from flows.transforms.name_keys import name_key_expr


def _read(name: str, **overrides) -> pl.DataFrame:
    return pl.read_csv(DATA / name, separator="\t", quote_char=None, schema_overrides=overrides)


@lru_cache(maxsize=1)
def country_terms() -> pl.DataFrame:
    """term -> iso3: country names, demonyms, capitals and other names that stand for a state."""
    return _read("countries.tsv")


@lru_cache(maxsize=1)
def countries() -> pl.DataFrame:
    """iso3 -> country_name."""
    return country_terms().select("iso3", "country_name").unique("iso3")


@lru_cache(maxsize=1)
def places() -> pl.DataFrame:
    """term -> the most populous place of that name, with country and coordinates."""
    return place_candidates().unique("term", keep="first", maintain_order=True)


@lru_cache(maxsize=1)
def place_candidates() -> pl.DataFrame:
    """Every place a term may name (`Puno` in Peru and a spelling of Pune), most populous first."""
    return _read("places.tsv", latitude=pl.Float64, longitude=pl.Float64).sort("population", "name", descending=[True, False])


@lru_cache(maxsize=1)
def actors() -> pl.DataFrame:
    """term -> canonical actor with a CAMEO actor code and the dates the code held."""
    return _read("actors.tsv", start_date=pl.Date, end_date=pl.Date).with_columns(
        country=pl.when(pl.col("code").str.slice(0, 3).is_in(countries()["iso3"].implode())).then(pl.col("code").str.slice(0, 3)),
        is_international=pl.col("code").str.slice(0, 3).is_in(["IGO", "NGO", "IMG", "MNC"]),
    )


@lru_cache(maxsize=1)
def organisations() -> pl.DataFrame:
    """Curated organisations: international bodies, armed groups, institutions, media, companies."""
    return _read("organisations.tsv").with_columns(pl.col("aliases").fill_null(""))


@lru_cache(maxsize=1)
def leaders() -> pl.DataFrame:
    """Curated office holders with country (empty for international officials), role and years."""
    return _read("leaders.tsv", start_year=pl.Int32, end_year=pl.Int32).with_columns(pl.col("aliases").fill_null(""))


@lru_cache(maxsize=1)
def known_names() -> pl.DataFrame:
    """Every name and alias of a curated person or organisation, folded, with what it resolves to:
    term, name, type, kind (of an organisation: igo, media, ...), country, is_international,
    start_date, end_date, is_alias."""
    orgs = organisations().select(
        "name", "aliases", "country", type=pl.lit("ORG"), kind="kind", is_international=pl.col("kind").is_in(["igo", "ngo"]),
        start_date=pl.lit(None, pl.Date), end_date=pl.lit(None, pl.Date),
    )  # fmt: skip
    people = leaders().select(
        "name", "aliases", "country", type=pl.lit("PERSON"), kind=pl.lit(None, pl.String), is_international=pl.col("country").is_null(),
        start_date=pl.date(pl.col("start_year"), 1, 1), end_date=pl.date(pl.col("end_year"), 12, 31),
    )  # fmt: skip
    return (
        pl.concat([orgs, people])
        .with_columns(surface=pl.concat_list(pl.col("name"), pl.col("aliases").str.split("|")))
        .explode("surface")
        .filter(pl.col("surface") != "")
        .with_columns(term=name_key_expr(pl.col("surface")), is_alias=pl.col("surface") != pl.col("name"))
        .drop("aliases")
    )


@lru_cache(maxsize=1)
def agent_nouns() -> frozenset[str]:
    """Nouns for people and units that act (`soldiers`, `officials`, `jets`): a nationality word
    before one of them names an actor (`Turkish soldiers`), before any other noun only a topic
    (`the Syrian issue`)."""
    return frozenset(_read("agents.tsv")["noun"].to_list())


@lru_cache(maxsize=1)
def cameo_codes() -> pl.DataFrame:
    return _read("cameo_codes.tsv", cameo_code=pl.String, cameo_root=pl.String, quad_class=pl.Int8)


@lru_cache(maxsize=1)
def agents() -> pl.DataFrame:
    """noun -> sector (GOV, MIL, REB, ...; null for targets and means without one)."""
    frame = _read("agents.tsv")
    if "sector" not in frame.columns:
        frame = frame.with_columns(sector=pl.lit(None, pl.String))
    return frame.select("noun", "sector").unique("noun", keep="first", maintain_order=True)


@lru_cache(maxsize=1)
def verb_patterns() -> pl.DataFrame:
    """The verb lexicon: one row per (verb, what the pattern requires, CAMEO code), compiled from
    the CAMEO 2.0 verb dictionary with a curated overlay (flows/data/verb_patterns.tsv) and the
    hand-made light-verb phrases (cameo_verbs.tsv). `requires` lists what the clause must have,
    as the tokens `events` gives a clause: `part:up` (a particle or preposition after the verb),
    `obj:aid`, `mod:humanitarian` (a word of the object phrase), `prep:for`, `pobj:for:retrial`,
    `comp` (a complement clause)."""
    curated = _read("cameo_verbs.tsv", code=pl.String).select(
        "lemma", "code", "particle", "object", "complement",
        object_modifier=pl.lit(None, pl.String), preposition=pl.lit(None, pl.String), prep_object=pl.lit(None, pl.String),
        target_preposition=pl.lit(None, pl.String), source=pl.lit("curated"),
    )  # fmt: skip
    compiled = pl.read_csv(DATA / "verb_patterns.tsv", separator="\t", quote_char=None, infer_schema=False)
    frames = [curated, compiled.with_columns(complement=pl.lit(None, pl.String))]
    word = lambda column, prefix: pl.when(pl.col(column).is_not_null() & (pl.col(column) != "")).then(pl.lit(prefix) + pl.col(column))  # noqa: E731
    return (
        pl.concat([frame.select(curated.columns) for frame in frames])
        .with_columns(
            requires=pl.concat_list(
                word("particle", "part:"),
                word("object", "obj:"),
                pl.when(pl.col("prep_object").is_not_null() & (pl.col("prep_object") != ""))
                .then(pl.lit("pobj:") + pl.col("preposition") + ":" + pl.col("prep_object"))
                .otherwise(word("preposition", "prep:")),
                pl.when(pl.col("complement").is_not_null() & (pl.col("complement") != "")).then(pl.lit("comp")),
            )
            .list.concat(
                pl.col("object_modifier")
                .fill_null("")
                .str.split(" ")
                .list.eval(pl.element().filter(pl.element() != ""))
                .list.eval(pl.lit("mod:") + pl.element())
            )
            .list.drop_nulls(),
            target_preposition=pl.col("target_preposition").replace("", None),
        )
        .filter(pl.col("code").is_in(cameo_codes()["cameo_code"].implode()))
        # Hand-curated entries win over the compiled dictionary where both fit equally well.
        .select(
            "lemma",
            "code",
            "requires",
            "target_preposition",
            priority=(pl.col("source") == "cameo2.0").cast(pl.Int8),
            # What the action is done with says more than a bare preposition: `break relations`
            # (161) before `break with` (130) where a clause fits both.
            names_object=pl.col("requires").list.eval(pl.element().str.contains("^p?obj:")).list.any(),
        )  # fmt: skip
        .unique(maintain_order=True)
    )


@lru_cache(maxsize=1)
def event_nouns() -> pl.DataFrame:
    """Nouns that name an event between two actors (`talks`, `a visit`, `air strikes`) -> code; an
    entry with a modifier (`hunger` strike) applies only with that word before the noun."""
    return _read("event_nouns.tsv", code=pl.String, modifier=pl.String).drop("note")


@lru_cache(maxsize=1)
def event_noun_lemmas() -> frozenset[str]:
    return frozenset(event_nouns()["lemma"].to_list())


@lru_cache(maxsize=1)
def cameo_to_plover() -> pl.DataFrame:
    """CAMEO code (2 to 4 digits) -> PLOVER event, mode and context (the CAMEO2PLOVER crosswalk)."""
    return _read("cameo_to_plover.tsv", cameo_code=pl.String)
