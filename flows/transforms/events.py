"""Clauses + resolved entities -> CAMEO-coded events with date, place, modality and evidence.

A clause is a verb with its subject and objects from the dependency parse, so the two
actors of an event always come from one clause of one sentence: never stitched together
from different parts of the article. Reported speech needs no special case: in
`X said that Y attacked Z` the clause of `attacked` has its own subject, Y.
"""

from __future__ import annotations

import polars as pl

from flows.schemas import EVENTS, conform
from flows.transforms import dictionaries
from flows.transforms.dates import resolve_event_date
from flows.transforms.ids import stable_id_expr
from flows.transforms.name_keys import name_key_expr
from flows.transforms.nlp import Parsed

_ACTOR_TYPES = ["PERSON", "ORG", "LOC", "NORP"]
_PLACE_PREPOSITIONS = ["in", "near", "at", "outside", "around"]
# Nouns a place name can stand before and still be the target: `the port of Odesa`.
_PLACE_NOUNS = [
    "province", "city", "town", "village", "region", "capital", "port", "border", "area", "district",
    "territory", "island", "airport", "base", "outpost", "coast", "waters", "airspace", "country", "state", "republic",
]  # fmt: skip
_CONFLICT_ROOTS = [f"{r:02d}" for r in range(10, 21)]
# Actions aimed at a place's state or people when no party is named: yielding (`lifted the
# curfew in X`), protest, mobilisation, coercion and force (`demonstrated in X`, `bombed areas in X`).
_PLACE_AIMED_ROOTS = ["08", "14", "15", "17", "18", "19", "20"]
_FORCE_ROOTS = ["18", "19", "20"]
_SEIZURE_AND_FORCE_ROOTS = ["17", *_FORCE_ROOTS]
# The roles of who acts in a clause.
_SUBJECT_ROLES = ["subject", "subject_conj", "agent", "complement_subject"]
# Roots whose object may be a thing that stands for its owner (`predicted the collapse of the
# Syrian government`, `demanded the resignation of the Kenyan president`, `criticised Russian
# policy`, `rejected Israeli changes`, `seized Iranian oil`, `shelled Ukrainian positions`), as
# may what they are `against` (`riots against Israeli policies`).
_OWNED_OBJECT_ROOTS = ["01", "10", "11", "12", "14", "16", "17", "18", "19", "20"]
# Where a threat, demand, appeal or pledge names its target in a complement clause.
_COMPLEMENT_ROOTS = ["02", "03", "10", "13"]
# What a complaint or a rejection is over: whose deed it is, is its target.
_GRIEVANCE_PREPOSITIONS = ["over"]
_GRIEVANCE_ROOTS = ["11", "12"]
# Nouns for what was done to someone, beside the event nouns: whose they are is who did them.
_DEED_NOUNS = ["violation", "breach", "killing", "murder", "death", "loss", "abuse", "destruction", "occupation", "seizure", "treatment"]
# Actions one party can take with no other named: yielding (resign, surrender, withdraw),
# investigation, protest and mobilisation; and a commitment said outright (`agreed to`,
# `promised to`), not a wish (`wants to`, `seeks to`).
_SOLO_ROOTS = ["08", "09", "14", "15"]
# Actions that co-subjects take side by side, not on each other: `A and B said`, `appealed`,
# `demanded`, `protested`, `investigated`; but `A and B agreed` (019) is an accord between them.
_ONE_SIDED_ROOTS = ["01", "02", "09", "10", "14", "15"]
# The agents dictionary's sectors that are organs of a state: government, armed forces, police,
# legislature, judiciary, intelligence.
_STATE_SECTORS = ["GOV", "MIL", "COP", "LEG", "JUD", "SPY"]
# Verbs whose object is the means of the action: `launched rockets at X`, `deployed troops to X`.
_MEANS_VERBS = ["use", "fire", "launch", "deploy", "drop", "send", "fly", "employ"]
_RECIPROCAL_VERBS = ["clash", "skirmish", "battle", "exchange"]
_MOVEMENT_VERBS = ["arrive", "land", "travel", "come", "go", "return"]
# The prepositions that name the other party of an event named by a noun: `talks with`, `a visit
# to`, `strikes on`, `sanctions against`, `the invasion of`, `support for`.
_NOUN_TARGET_PREPOSITIONS = ["with", "to", "on", "against", "into", "of", "for", "upon", "toward", "towards"]
_HYPOTHETICAL_MODALS = ["could", "may", "might", "will", "would", "shall", "should", "can", "must"]
_HYPOTHETICAL_GOVERNORS = [
    "plan", "ready", "expect", "due", "intend", "want", "seek", "threaten", "propose", "aim", "hope",
    "consider", "prepare", "likely", "set", "poised", "willing", "try", "attempt", "vow", "pledge",
    "promise", "offer", "agree", "decide", "schedule", "able", "call", "urge", "ask", "nearly",
]  # fmt: skip
_NEGATING_GOVERNORS = ["fail", "refuse", "decline", "postpone", "cancel", "deny", "unable", "reject", "halt", "stop"]
# Verbs by which an actor announces its own future action: the announcement is itself an
# asserted event (intent, 03x, or threat, 13x), the announced action a hypothetical one.
_ANNOUNCING_GOVERNORS = [
    "vow", "pledge", "promise", "threaten", "offer", "agree", "decide", "willing", "ready", "prepared", "intend", "nearly",
]  # fmt: skip
_FUTURE_MODALS = ["will", "would", "shall"]
_REFUSING_GOVERNORS = ["refuse", "decline", "reject"]
# The rejection (12x) that refusing an action of each root amounts to.
_REFUSED = {"04": "125", "05": "120", "06": "121", "07": "122", "08": "124", "03": "120", "02": "120", "09": "120"}
# The intent (03x) or threat (13x) code that announcing an action of each root amounts to.
_ANNOUNCED = {
    "01": "030", "02": "030", "04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "09": "030",
    "10": "130", "11": "130", "12": "130", "14": "133", "15": "138", "16": "131", "17": "137", "18": "138",
    "19": "138", "20": "138",
}  # fmt: skip
# Pronouns that stand for a person, and for a group, a state or an organisation.
_PERSON_PRONOUNS = ["he", "she", "him", "her", "his"]
_GROUP_PRONOUNS = ["it", "they", "them", "we", "us", "its", "their", "our"]
# Agent nouns that stand for one person (`the minister`): resolved like `he`.
_PERSON_AGENTS = [
    "president", "minister", "premier", "chancellor", "leader", "spokesman", "spokeswoman", "spokesperson", "official",
    "envoy", "ambassador", "diplomat", "secretary", "king", "prince", "general", "commander", "chief", "governor", "senator",
]  # fmt: skip
# How far back (in sentences) a pronoun or a description looks for what it stands for.
_ANTECEDENT_SENTENCES = 2


def events_table(articles: pl.DataFrame, parsed: Parsed, resolved: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct event in an article."""
    coded = _coded_clauses(parsed.clauses).pipe(_without_nouns_the_verb_names, parsed.arguments)
    roots = coded.select("article_id", "clause_id", clause_root=pl.col("code").str.slice(0, 2))
    actors = _clause_actors(parsed.arguments.join(roots, on=["article_id", "clause_id"], how="left"), resolved, articles)
    dyads = pl.concat([_dyads(coded, actors, parsed.arguments), _demands(parsed.clauses, actors)], how="diagonal_relaxed")
    events = (
        dyads.join(parsed.sentences, on=["article_id", "sentence_index"], how="left", suffix="_sentence")
        .join(articles.select("article_id", "published_at", "dateline_place"), on="article_id", how="left")
        .pipe(_telephone)
        .pipe(_modality)
    )
    return (
        pl.concat([events, _announcements(events, actors), _refusals(events)], how="diagonal_relaxed")
        .pipe(_without_lone_repeats)
        .pipe(_dates)
        .pipe(_places, parsed.arguments, resolved)
        .join(dictionaries.cameo_codes().drop("label"), left_on="code", right_on="cameo_code", how="inner")
        .pipe(_plover)
        .rename({"code": "cameo_code", "text": "evidence", "start_char": "evidence_start", "end_char": "evidence_end"})
        .pipe(_keys)
        # Two sentences reporting one event in one article are one event.
        .sort("article_id", "evidence_start", "verb_char", "cameo_code")
        .unique(["article_id", "event_key", "modality"], keep="first", maintain_order=True)
        .pipe(conform, EVENTS)
    )


def _clause_tokens() -> pl.Expr:
    """What a clause offers a pattern, in the tokens of `dictionaries.verb_patterns`."""
    pairs = pl.col("prepositions").fill_null(" ").str.strip_chars().str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    return (
        pl.concat_list(
            pl.when(pl.col("particle").is_not_null()).then(pl.lit("part:") + pl.col("particle")),
            pl.when(pl.col("object_lemma").is_not_null()).then(pl.lit("obj:") + pl.col("object_lemma")),
            pl.when(pl.col("has_complement")).then(pl.lit("comp")),
        )
        .list.concat(
            pl.concat_list(
                pairs.list.eval(pl.lit("pobj:") + pl.element()),
                pairs.list.eval(pl.lit("prep:") + pl.element().str.split(":").list.first()),
                pairs.list.eval(pl.lit("part:") + pl.element().str.split(":").list.first()),
                pl.col("object_words").fill_null("").str.split(" ").list.eval(pl.lit("mod:") + pl.element()),
            )
        )
        .list.drop_nulls()
    )


def _coded_clauses(clauses: pl.DataFrame) -> pl.DataFrame:
    """Each clause with the most specific entry of the verb lexicon that fits it: a pattern that
    needs a particle, an object or a preposition matches only with it, and the one that needs
    most wins (`hold talks` beats `hold`). An event noun takes its own code.

    Patterns are matched through the tokens they share with the clause, not by pairing every
    clause with every pattern of its verb (a common verb has hundreds)."""
    patterns = dictionaries.verb_patterns().with_row_index("pattern")
    verbs = clauses.filter(pl.col("kind") == "verb")
    bare = verbs.join(patterns.filter(pl.col("requires").list.len() == 0).drop("requires"), on="lemma").with_columns(
        specificity=pl.lit(0, pl.UInt32)
    )
    needs = patterns.filter(pl.col("requires").list.len() > 0).with_columns(
        specificity=pl.col("requires").list.len(),
        # A pattern naming its `by` phrase (`backed by aircraft`) reads it as part of the action, not as who acts.
        names_by=pl.col("requires").list.eval(pl.element().str.starts_with("pobj:by:") | (pl.element() == "prep:by")).list.any(),
    )
    offered = verbs.select("article_id", "clause_id", "lemma", token=_clause_tokens()).explode("token").unique()
    fitting = (
        offered.join(needs.select("pattern", "lemma", "specificity", token="requires").explode("token"), on=["lemma", "token"])
        .group_by("article_id", "clause_id", "pattern", "specificity")
        .agg(matched=pl.len())
        .filter(pl.col("matched") == pl.col("specificity"))
        .join(needs.select("pattern", "code", "target_preposition", "priority", "names_object", "names_by"), on="pattern")
        .drop("pattern", "matched")
    )
    specific = verbs.join(fitting, on=["article_id", "clause_id"])
    # A noun's entry with a modifier needs that word before it (`hunger strike`) and beats the bare one.
    modifiers = pl.col("object_words").fill_null("").str.split(" ")
    nouns = (
        clauses.filter(pl.col("kind") == "noun")
        .join(dictionaries.event_nouns(), on="lemma", how="inner")
        .filter(pl.col("modifier").is_null() | modifiers.list.contains(pl.col("modifier")))
        .with_columns(
            specificity=pl.col("modifier").is_not_null().cast(pl.UInt32),
            target_preposition=pl.lit(None, pl.String),
            priority=pl.lit(0, pl.Int8),
            names_object=pl.lit(False),
        )
        .drop("modifier")
    )
    return (
        pl.concat([bare.drop("pattern"), specific, nouns], how="diagonal_relaxed")
        .sort("specificity", "names_object", "priority", "code", descending=[True, True, False, False], maintain_order=True)
        .unique(["article_id", "clause_id"], keep="first", maintain_order=True)
        .drop("specificity", "priority")
    )


def _without_nouns_the_verb_names(coded: pl.DataFrame, arguments: pl.DataFrame) -> pl.DataFrame:
    """A noun that the pattern of a verb of its sentence names as its object, and that a pronoun
    owns, is that verb's event: `Ghana cut its ties with Togo` is 161, not ties kept besides.
    (`rejected Ugandan criticism` names the criticism too, but it is Uganda's own event.)"""
    named_by_verb = coded.filter((pl.col("kind") == "verb") & pl.col("names_object")).select(
        "article_id", "sentence_index", lemma="object_lemma"
    )
    owned_by_pronoun = arguments.filter((pl.col("role") == "subject") & (pl.col("head_tag") == "PRP$")).select("article_id", "clause_id")
    same_event = (
        coded.filter(pl.col("kind") == "noun")
        .join(named_by_verb.unique(), on=["article_id", "sentence_index", "lemma"], how="semi")
        .join(owned_by_pronoun.unique(), on=["article_id", "clause_id"], how="semi")
    )
    return coded.join(same_event.select("article_id", "clause_id"), on=["article_id", "clause_id"], how="anti").drop("names_object")


def _clause_actors(arguments: pl.DataFrame, resolved: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Each argument of a clause with the actor it names: the mention holding the argument's head
    word, else a mention inside the argument's phrase (`Turkish` in `Turkish forces`), else
    for a pronoun or a description (`he`, `the minister`, `the government`) what it stands
    for, found among the actors of the sentences just before. Mentions are joined within their
    sentence, so memory grows with the article, not with its square."""
    mentions = resolved.filter(pl.col("type").is_in(_ACTOR_TYPES)).pipe(_without_dateline, articles).sort("article_id", "start_char")
    by_head = (
        arguments.sort("article_id", "head_char")
        .join_asof(
            mentions.drop("sentence_index"), left_on="head_char", right_on="start_char", by="article_id", strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("head_char") < pl.col("end_char"))
    )  # fmt: skip
    # Inside a phrase a named person or organisation is the actor more than a nationality word:
    # in `his Turkish counterpart Recep Tayyip Erdogan` the actor is Erdogan.
    # A place that is a state, not a city (`US mediation`, not `the Geneva talks`).
    is_state = pl.col("name").is_in(dictionaries.countries()["country_name"].implode())
    in_span = arguments.join(mentions, on=["article_id", "sentence_index"]).filter(
        (pl.col("start_char") >= pl.col("span_start")) & (pl.col("end_char") <= pl.col("span_end"))
    )
    # Inside a larger phrase a nationality or a place names an actor only before a noun for
    # people or units (`Turkish soldiers`, `Russian jets`) or a place (`the port of Odesa`);
    # before anything else it is a topic (`the Syrian issue`).
    agents = dictionaries.agents()
    agent_nouns = agents["noun"].implode()
    # A deed's maker stands before it (`Russia's bombing of X`); who follows it had it done to
    # them (`deplored the violation of Georgia's sovereignty`) and is not the target of the clause.
    done_to = (pl.col("role") != "subject") & pl.col("head_lemma").is_in(_deed_nouns()) & (pl.col("start_char") > pl.col("head_char"))
    by_span = in_span.filter(~done_to).filter(
        pl.col("type").is_in(["PERSON", "ORG"])
        | pl.col("head_lemma").is_in(agent_nouns)
        | (pl.col("type").is_in(["LOC", "NORP"]) & pl.col("head_lemma").is_in(_PLACE_NOUNS))
        # What is criticised, rejected or sanctioned belongs to its maker: `rejected Israeli changes`,
        # and so does what a complaint is over: `complained over Israeli air raids`.
        | ((pl.col("role") == "object") | (pl.col("preposition") == "against")) & pl.col("clause_root").is_in(_OWNED_OBJECT_ROOTS)
        | pl.col("preposition").is_in(_GRIEVANCE_PREPOSITIONS) & pl.col("clause_root").is_in(_GRIEVANCE_ROOTS)
        # Whose it is, said outright: `supported Turkey's bid`, `blamed Mugabe's policies`.
        | (pl.col("role") != "subject") & (pl.col("start_char") == pl.col("possessor_char"))
        # Whose event it is: `agreed to US mediation`, `opposed French mediation` (`the Geneva talks` are where).
        | (pl.col("role") != "subject")
        & pl.col("head_lemma").is_in(list(dictionaries.event_noun_lemmas()))
        & (pl.col("end_char") <= pl.col("head_char"))
        & ((pl.col("type") != "LOC") | is_state)
    )
    keys = ["article_id", "clause_id", "role", "head_char"]
    # A city named before an event noun says where it is (`the Geneva talks`, `the Paris attack`).
    city_before_event = (pl.col("preposition") == "owner") & (pl.col("type") == "LOC") & ~is_state
    named = (
        pl.concat([by_head.with_columns(rank=pl.lit(0)), by_span.with_columns(rank=pl.lit(1))], how="diagonal_relaxed")
        .filter(~city_before_event.fill_null(False))
        .with_columns(type_rank=pl.col("type").replace_strict({"PERSON": 0, "ORG": 0, "LOC": 1, "NORP": 2}, return_dtype=pl.Int8))
        .sort("rank", "type_rank", "start_char", maintain_order=True)
        .unique(keys, keep="first", maintain_order=True)
    )
    # Several nationalities before one noun are several parties: `Hungarian and Romanian
    # officials`, `U.S.-British warplanes`, and so are those of one word (`Russian-Chinese
    # talks`). Each after the first is an actor of its own, known by where it stands in the phrase.
    state_words = pl.col("type").is_in(["LOC", "NORP"])
    joined = (pl.col("start_char") == pl.col("first_end") + 1) | (pl.col("end_char") + 1 == pl.col("first_start"))
    by_words = named.filter(state_words).select(*keys, first_country="country", first_start="start_char", first_end="end_char")
    also = (
        in_span.filter(state_words & pl.col("country").is_not_null())
        .join(by_words, on=keys)
        .filter((pl.col("head_lemma").is_in(agent_nouns) | joined) & (pl.col("country") != pl.col("first_country")))
        .unique([*keys, "country"], keep="first", maintain_order=True)
        .drop("first_country", "first_start", "first_end")
        .with_columns(head_char=pl.col("start_char"), rank=pl.lit(1))
    )
    span_state = (
        in_span.filter(state_words & pl.col("country").is_not_null())
        .sort("start_char")
        .unique(keys, keep="first", maintain_order=True)
        .select(*keys, span_country="country")
    )
    # A party named by what it is and where it is or comes from (`rebels in the Ivory Coast`,
    # `officials from Kenya`): of that place's country.
    where = mentions.filter(state_words & pl.col("country").is_not_null()).select(
        "article_id", "start_char", "end_char", place_country="country"
    )

    def located_in(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.filter(pl.col("head_lemma").is_in(agent_nouns) & pl.col("located_char").is_not_null())
            .sort("article_id", "located_char")
            .join_asof(where, left_on="located_char", right_on="start_char", by="article_id", strategy="backward", check_sortedness=False)
            .filter(pl.col("located_char") < pl.col("end_char"))
        )  # fmt: skip

    # A people or faith without a state takes the state its phrase names (`Iraqi Kurds`), else
    # the one it is placed in (`an Islamic court in northern Nigeria`).
    place_state = located_in(arguments).select(*keys, place_state="place_country")
    named = (
        pl.concat([named, also], how="diagonal_relaxed")
        .join(span_state, on=keys, how="left")
        .join(place_state, on=keys, how="left")
        .with_columns(
            country=pl.when(pl.col("type") == "NORP")
            .then(pl.coalesce("country", "span_country", "place_state"))
            .otherwise(pl.col("country"))
        )
        .drop("span_country", "place_state")
    )
    unnamed = arguments.join(named.select(keys), on=keys, how="anti")
    referring = _antecedents(unnamed, mentions, named, agents)
    states = dictionaries.country_terms()["term"].implode()
    # A noun of no sector (`posts`, `a camp`, `the group`) is what force or seizure is aimed at;
    # for any other action it says too little to be the other party (`established a camp in X`).
    other_party = pl.col("head_lemma").is_in(agents.filter(pl.col("sector").is_not_null())["noun"].implode()) | pl.col("clause_root").is_in(
        _SEIZURE_AND_FORCE_ROOTS
    )
    located = (
        located_in(unnamed.join(referring.select(keys), on=keys, how="anti"))
        .filter(pl.col("role").is_in(_SUBJECT_ROLES) | other_party)
        .with_columns(entity_id=pl.lit(None, pl.String), name=pl.col("head_lemma"), type=pl.lit("DESCRIPTION"), country=pl.col("place_country"),
                      is_reference=pl.lit(False), actor_type=pl.lit(None, pl.String))
    )  # fmt: skip
    # A party described, not named, as what the action is done to (`disperse demonstrators`,
    # `jailed 52 members`): of the country of the place its clause names (`in X`), else of one
    # its sentence names, else (filled in with the pairs) of the actor's own country, as domestic
    # events mostly are.
    places = mentions.filter((pl.col("type") == "LOC") & pl.col("country").is_not_null()).select(
        "article_id", "sentence_index", "start_char", "end_char", "country"
    )
    clause_places = (
        arguments.filter(pl.col("role").is_in(["pobj", "object_pobj"]) & pl.col("preposition").is_in(_PLACE_PREPOSITIONS))
        .sort("article_id", "head_char")
        .join_asof(places.drop("sentence_index").sort("article_id", "start_char"), left_on="head_char", right_on="start_char", by="article_id", strategy="backward",
                   check_sortedness=False)
        .filter(pl.col("head_char") < pl.col("end_char"))
        .group_by("article_id", "clause_id")
        .agg(clause_country=pl.col("country").first())
    )  # fmt: skip
    # Else a place elsewhere in the sentence (`killed 23 people when they blew themselves up in
    # X`), unless the place acts there itself (`advised officials that Iraq has ...`) or is where
    # those who report it are (`..., aid officials in Nairobi said`).
    acting = pl.concat(
        [
            arguments.filter(pl.col("role").is_in(["subject", "subject_conj", "object", "complement_subject"])).select("article_id", start_char="head_char"),
            arguments.filter(pl.col("role").is_in(_SUBJECT_ROLES) & (pl.col("clause_root") == "01") & pl.col("located_char").is_not_null())
            .select("article_id", start_char="located_char"),
        ]
    )  # fmt: skip
    sentence_places = (
        places.join(acting.unique(), on=["article_id", "start_char"], how="anti")
        .sort("start_char")
        .group_by("article_id", "sentence_index")
        .agg(sentence_country=pl.col("country").first())
    )
    described = (
        unnamed.join(referring.select(keys), on=keys, how="anti")
        .join(located.select(keys), on=keys, how="anti")
        .filter(pl.col("role").is_in(["object", "pobj", "object_pobj", "complement_object"]) & pl.col("head_lemma").is_in(agent_nouns))
        # An event named as the object (`began a hunger strike`, `launched strikes`) is the event, not a party to it.
        .filter(~pl.col("head_lemma").is_in(list(dictionaries.event_noun_lemmas())))
        .filter(other_party)
        .join(clause_places, on=["article_id", "clause_id"], how="left")
        .join(sentence_places, on=["article_id", "sentence_index"], how="left")
        .with_columns(entity_id=pl.lit(None, pl.String), name=pl.col("head_lemma"), type=pl.lit("DESCRIPTION"),
                      country=pl.coalesce("clause_country", "sentence_country"),
                      is_reference=pl.lit(False), actor_type=pl.lit(None, pl.String))
    )  # fmt: skip
    return (
        pl.concat(
            [
                named.with_columns(
                    is_reference=pl.lit(False),
                    # A state, or a capital or seat standing for it (`Ankara`, `the Kremlin`), acts as its government;
                    # a nationality in the plural, standing alone, is people of it (`three ethnic Albanians`).
                    actor_type=pl.when((pl.col("type") == "LOC") & name_key_expr(pl.col("name")).is_in(states))
                    .then(pl.lit("GOV"))
                    .when(
                        (pl.col("type") == "NORP")
                        & (pl.col("start_char") == pl.col("head_char"))
                        & pl.col("head_tag").is_in(["NNS", "NNPS"])
                    )
                    .then(pl.lit("CVL")),
                ),
                referring,
                located,
                described,
            ],
            how="diagonal_relaxed",
        )
        .join(agents.rename({"noun": "head_lemma", "sector": "agent_sector"}), on="head_lemma", how="left")
        .with_columns(actor_type=pl.coalesce("agent_sector", "actor_type"))
        .select(*keys, "sentence_index", "preposition", "entity_id", "name", "country", "type", "actor_type", "is_reference")
    )


def _deed_nouns() -> list[str]:
    """Nouns for what is done to someone: the event nouns of protest, mobilisation, sanctions,
    seizure and force (not a `meeting of the Security Council`, whose participant follows it) and
    `_DEED_NOUNS`."""
    nouns = dictionaries.event_nouns()
    forceful = nouns.filter(pl.col("code").str.slice(0, 2).is_in(["14", "15", "16", *_SEIZURE_AND_FORCE_ROOTS]))["lemma"]
    return sorted({*forceful.to_list(), *_DEED_NOUNS})


def _without_dateline(mentions: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """The dateline (`ADDIS ABABA — ...`) says where the report was filed: its place is never an actor."""
    return (
        mentions.join(articles.select("article_id", "dateline_place"), on="article_id", how="left")
        .filter(pl.col("dateline_place").is_null() | (pl.col("start_char") >= pl.col("dateline_place").str.len_chars()))
        .drop("dateline_place")
    )


def _antecedents(arguments: pl.DataFrame, mentions: pl.DataFrame, named: pl.DataFrame, agents: pl.DataFrame) -> pl.DataFrame:
    """Arguments that name no entity themselves but stand for one: `he`, `she` and `the
    minister` for a person before them; `it`, `they`, `the government`, `officials` for a
    state, organisation or nationality before them, within a couple of sentences (`it` never
    for a people: `Kurdish fighters`; `officials` never for one person). The actor last the
    subject of a sentence's own clause is preferred, then the one last a subject of any clause,
    then the nearest mention (in `A met B. He said ...`, `he` is A; in `The ministry said it holds
    a man the FBI wants. Officials ...`, the officials are the ministry's). A description keeps
    its own words as the actor's name; a bare agent noun is resolved only as a subject (`their
    troops` as an object is a thing, not a party)."""
    word = pl.col("head_lemma")
    is_pronoun = word.is_in(_PERSON_PRONOUNS + _GROUP_PRONOUNS)
    # `the minister` is a person, `ministers` or `officials` a state's or a body's people.
    personal = word.is_in(_PERSON_PRONOUNS) | word.is_in(_PERSON_AGENTS) & ~pl.col("head_tag").is_in(["NNS", "NNPS"])
    wanted = (
        arguments.filter(
            (is_pronoun & pl.col("head_tag").is_in(["PRP", "PRP$"]))
            | (word.is_in(agents["noun"].implode()) & pl.col("role").is_in(_SUBJECT_ROLES))
        )
        # `it` is a state or a body, not a people (`the Kurdish region`, `Kurdish fighters`).
        .with_columns(
            wants=pl.when(personal).then(pl.lit("person")).when(word.is_in(["it", "its"])).then(pl.lit("thing")).otherwise(pl.lit("group"))
        )
        .sort("article_id", "head_char")
    )
    if wanted.is_empty():
        return wanted
    # A news agency is quoted, it is not what `they` or `the warplanes` stand for.
    kinds = mentions.filter(~_is_media(pl.col("name"))).with_columns(
        wants=pl.when(pl.col("type") == "PERSON").then(pl.lit("person")).otherwise(pl.lit("group"))
    )
    # `it` stands for a state or a body, or a nationality word naming one body (`the Kenyan army said it`).
    one_body = named.filter((pl.col("type") == "NORP") & (pl.col("head_tag") == "NN") & (pl.col("start_char") != pl.col("head_char")))
    things = pl.concat(
        [
            kinds.filter(pl.col("type").is_in(["ORG", "LOC"])),
            kinds.join(one_body.select("article_id", "start_char").unique(), on=["article_id", "start_char"], how="semi"),
        ]
    )
    kinds = pl.concat([kinds, things.with_columns(wants=pl.lit("thing"))])
    acting = named.filter(pl.col("role").is_in(_SUBJECT_ROLES))
    subjects = kinds.join(acting.select("article_id", "start_char").unique(), on=["article_id", "start_char"], how="semi")
    # The subject of a sentence's own clause is more in view than one inside it (`The ministry
    # confirmed it holds a man the FBI wants. Officials ...`: the ministry's officials).
    main_subjects = kinds.join(
        acting.filter("in_main_clause").select("article_id", "start_char").unique(), on=["article_id", "start_char"], how="semi"
    )

    def nearest(candidates: pl.DataFrame, suffix: str) -> pl.DataFrame:
        found = wanted.select("article_id", "clause_id", "role", "head_char", "span_start", "sentence_index", "wants").join_asof(
            candidates.select("article_id", "wants", "end_char", "entity_id", "name", "type", "country", antecedent_sentence="sentence_index"),
            left_on="head_char", right_on="end_char", by=["article_id", "wants"], strategy="backward", check_sortedness=False,
        )  # fmt: skip
        near = (pl.col("end_char") <= pl.col("span_start")) & (
            pl.col("sentence_index") - pl.col("antecedent_sentence") <= _ANTECEDENT_SENTENCES
        )
        return found.filter(near).select(
            "article_id", "clause_id", "role", "head_char", *(pl.col(c).alias(c + suffix) for c in ("entity_id", "name", "type", "country"))
        )

    keys = ["article_id", "clause_id", "role", "head_char"]
    found = (
        wanted.join(nearest(main_subjects.sort("article_id", "end_char"), "_main"), on=keys, how="left")
        .join(nearest(subjects.sort("article_id", "end_char"), "_subject"), on=keys, how="left")
        .join(nearest(kinds.sort("article_id", "end_char"), "_nearest"), on=keys, how="left")
        # A pronoun is one candidate whole, the subject else the nearest (`it` is the African Union,
        # of no country, not of a state named since); a description keeps its own words and takes
        # the first country it finds (`officials` of the state last acting, else of the one last named).
        .with_columns(
            *(
                pl.when(is_pronoun & pl.col("name_main").is_not_null())
                .then(pl.col(f"{c}_main"))
                .when(is_pronoun & pl.col("name_subject").is_not_null())
                .then(pl.col(f"{c}_subject"))
                .otherwise(pl.coalesce(f"{c}_main", f"{c}_subject", f"{c}_nearest"))
                .alias(c)
                for c in ("entity_id", "name", "type", "country")
            )
        )
        .filter(pl.col("name").is_not_null())
    )
    return found.with_columns(
        is_reference=pl.lit(True),
        # `the government` is Kenya's government, not Kenya: the actor is the description, with its country.
        entity_id=pl.when(is_pronoun).then(pl.col("entity_id")),
        name=pl.when(is_pronoun).then(pl.col("name")).otherwise(word),
        type=pl.when(is_pronoun).then(pl.col("type")).otherwise(pl.lit("AGENT")),
        actor_type=pl.lit(None, pl.String),
    )


def _dyads(coded: pl.DataFrame, actors: pl.DataFrame, arguments: pl.DataFrame) -> pl.DataFrame:
    """Who did it to whom.

    Active voice: each subject (co-subjects too: `France, Germany and Britain criticised
    Iran`) -> every target of the best kind: the objects (`urged Kenya and Uganda`), else the
    object of a preposition that marks a target for this kind of action (the pattern's own,
    `with` for talks, `against`/`on` only for conflict, `in` only after a verb of movement; for
    an event noun `to`, `with`, `on`, `against`, `of`, `for`), else for threats, demands and
    pledges the actor in the complement clause. With no target, co-subjects act on each other
    (`A and B met`, also `A and B clashed in X`), but not when each only speaks, appeals,
    demands, protests or inquires; a lone subject of an action that needs no other party (`X
    resigned`, `X agreed to withdraw`, `the US-led offensive`, `X would not intervene`) acts
    alone, unless the verb has an object it could not name; a protest that names no one is
    aimed at the protesters' own government. What a verb of using or sending has as its object
    is its means, not its target. Passive: the `by` agent
    (or who gave the order, or who made the attack suffered) -> the subject. An actor never acts on itself or on its own state's
    organs (`Turkish` -> `Hulusi Akar`), unless both are named people or bodies; a state does act
    on its own rebels, opposition or people (`the government accused rebels in Darfur`).
    """
    role, preposition = pl.col("role"), pl.col("preposition")
    conflict = pl.col("root").is_in(_CONFLICT_ROOTS)
    noun = pl.col("kind") == "noun"
    pobj = role.is_in(["pobj", "object_pobj"])
    target_rank = (
        pl.when(pobj & (preposition == pl.col("target_preposition"))).then(0)
        .when(role == "object").then(0)
        .when((role == "pobj") & noun & preposition.is_in(_NOUN_TARGET_PREPOSITIONS)).then(1)
        .when(pobj & (preposition == "with")).then(1)
        # Who a mediation or talks are between: `mediated between A and B`.
        .when(pobj & (preposition == "between") & (pl.col("root") == "04")).then(1)
        # What the object is aimed at is the target whatever the action: `lifted the ban on X`.
        .when(pobj & preposition.is_in(["against", "on"]) & (conflict | (role == "object_pobj"))).then(2)
        # What force is aimed at: `fired at X`, `shot at protesters`.
        .when(pobj & (preposition == "at") & pl.col("root").is_in(_FORCE_ROOTS)).then(2)
        .when(pobj & preposition.is_in(["to", "toward", "towards", "into", "upon"])).then(3)
        # Whose deed a complaint or a rejection is over: `complained to the UN over Israeli raids`.
        .when(pobj & preposition.is_in(_GRIEVANCE_PREPOSITIONS) & pl.col("root").is_in(_GRIEVANCE_ROOTS)).then(3)
        # Who receives support or aid: `aid for Romania`, `asylum for the officers`.
        .when(pobj & (preposition == "for") & pl.col("root").is_in(["05", "06", "07"])).then(3)
        .when(pobj & (preposition == "from") & pl.col("root").is_in(["08", "16", "17"])).then(4)
        # Whose proposal is rejected, accepted, welcomed or criticised: `rejected calls by X`, `an offer from X`.
        # (A `by` the parser hung on the verb of an active clause is the object's: `rejected an appeal today by X`,
        # `criticised a statement by X`.)
        .when(
            ((role == "object_pobj") | role.is_in(["agent", "pobj"]) & ~pl.col("is_passive") & (preposition == "by"))
            & preposition.is_in(["from", "by"])
            & pl.col("root").is_in(["03", "05", "08", "11", "12"])
        ).then(4)
        .when(pobj & preposition.is_in(["in", "at"]) & pl.col("lemma").is_in(_MOVEMENT_VERBS)).then(5)
        .when(role.is_in(["complement_subject", "complement_object"]) & pl.col("root").is_in(_COMPLEMENT_ROOTS)).then(
            pl.when(role == "complement_subject").then(6).otherwise(7)
        )
        # Force used (a protest staged, a curfew imposed) in a place is aimed at that place's
        # state or people when nothing else is named: `warplanes bombed areas in Basra province`.
        .when(pobj & preposition.is_in(_PLACE_PREPOSITIONS) & pl.col("root").is_in(_PLACE_AIMED_ROOTS) & (pl.col("type") == "LOC")).then(8)
        # A protest outside a state's embassy or offices is aimed at that state.
        .when(pobj & preposition.is_in(_PLACE_PREPOSITIONS) & (pl.col("root") == "14") & pl.col("type").is_in(["NORP", "ORG"])).then(8)
    )  # fmt: skip
    clause = coded.select(
        "article_id",
        "clause_id",
        "is_passive",
        "lemma",
        "kind",
        "target_preposition",
        "has_complement",
        "names_by",
        "code",
        "governor_lemma",
        "is_negated",
        "modal",
        root=pl.col("code").str.slice(0, 2),
    )
    ranked = actors.join(clause, on=["article_id", "clause_id"]).with_columns(target_rank=target_rank)
    keys = ["article_id", "clause_id"]
    active = ~pl.col("is_passive")
    subjects = ranked.filter(
        active & role.is_in(["subject", "subject_conj"]) | ~active & (role == "agent") & ~pl.col("names_by").fill_null(False)
    )
    # What a verb of using or sending has as its object is what the action is done with, not to:
    # `using missiles`, `fired rockets`, `deployed police officers to X`.
    # (Firing an army commander is dismissing him.)
    means = (
        (role == "object") & pl.col("lemma").is_in(_MEANS_VERBS) & (pl.col("type") == "DESCRIPTION") & ~pl.col("name").is_in(_PERSON_AGENTS)
    )
    # Co-subjects of a reciprocal verb in a place act on each other, not on the place (`A and B
    # clashed in X`); allies acting together do not (`a U.S.-British air raid in X`).
    co_subjects = (
        subjects.filter(
            (pl.col("head_char").n_unique().over(keys) > 1) & (pl.col("kind") == "verb") & pl.col("lemma").is_in(_RECIPROCAL_VERBS)
        )
        .select(keys)
        .unique()
    )
    targets = pl.concat(
        [
            ranked.filter(active & pl.col("target_rank").is_not_null() & ~means),
            ranked.filter(~active & (role == "patient")).with_columns(target_rank=pl.lit(0, pl.Int32)),
        ]
    )
    targets = pl.concat(
        [targets.filter(pl.col("target_rank") != 8), targets.filter(pl.col("target_rank") == 8).join(co_subjects, on=keys, how="anti")]
    )
    has_target = subjects.select(keys).unique().join(targets.select(keys).unique(), on=keys, how="semi")
    # Without a target, the first subject acts on its co-subjects.
    mutual = subjects.join(has_target, on=keys, how="anti").sort("head_char").with_columns(is_first=pl.int_range(pl.len()).over(keys) == 0)
    with_object = arguments.filter(role == "object").select(keys).unique()
    alone = (
        mutual.filter(
            # A lone subject acts alone; so do co-subjects of what each does by itself (`A and B went on strike`).
            ((pl.col("head_char").n_unique().over(keys) == 1) | pl.col("root").is_in(_ONE_SIDED_ROOTS))
            & (
                pl.col("root").is_in(_SOLO_ROOTS)
                # Force named by a noun with only its owner (`after the US-led offensive`) is still force used.
                | pl.col("root").is_in(_FORCE_ROOTS) & (pl.col("kind") == "noun")
                # Refusing to act is a rejection though no one is named (`said he would not intervene`);
                # rejecting a request named by a noun answers it, with its own target (`_modality`).
                | _is_refusal(pl.col("root")) & (pl.col("kind") == "verb")
                | (pl.col("root") == "03") & pl.col("lemma").is_in(_ANNOUNCING_GOVERNORS) & pl.col("has_complement")
            )
        )
        .join(with_object, on=keys, how="anti")
        .unique([*keys, "head_char"], keep="first", maintain_order=True)
    )

    def side(frame: pl.DataFrame, n: int, *extra) -> pl.DataFrame:
        """The columns of one side of the event, named for actor `n`."""
        names = {"id": "entity_id", "name": "name", "country": "country", "kind": "type", "type": "actor_type"}
        return frame.select(*keys, *extra, **{f"actor{n}_{column}": source for column, source in names.items()})

    pairs = pl.concat(
        [
            side(subjects.join(has_target, on=keys, how="semi"), 1, "head_char").join(
                side(targets, 2, "target_rank", pl.col("head_char").alias("target_head")), on=keys
            ),
            side(mutual.filter(pl.col("is_first") & (~pl.col("root").is_in(_ONE_SIDED_ROOTS) | (pl.col("code") == "019"))), 1, "head_char")
            .join(side(mutual.filter(~pl.col("is_first")), 2, pl.col("head_char").alias("target_head")), on=keys)
            .with_columns(target_rank=pl.lit(9, pl.Int32)),
            side(alone, 1, "head_char", "root")
            .with_columns(target_rank=pl.lit(10, pl.Int32), target_head=pl.lit(None, pl.Int32))
            .pipe(_own_authorities),
        ],
        how="diagonal_relaxed",
    )
    # One nationality word before two agent nouns is two parties when the nouns say which parts
    # of the state act: `the Kenyan government praised the Kenyan opposition`.
    different_parts = (pl.col("actor1_type") != pl.col("actor2_type")).fill_null(False)
    same_actor = pl.col("actor1_id").is_not_null() & (pl.col("actor1_id") == pl.col("actor2_id")) & ~different_parts
    same_name = pl.col("actor1_id").is_null() & (pl.col("actor1_name") == pl.col("actor2_name"))
    # A state (or its nationality word) and one of its own people or bodies are one side, unless
    # the phrase says which part of it acts (`Egyptian police`, `Zimbabwean opposition`) or the
    # other side is no organ of that state (`the government accused rebels in Darfur`).
    state_level = lambda n: pl.col(f"actor{n}_kind").is_in(["LOC", "NORP"]) & pl.col(f"actor{n}_type").is_in(["GOV"]).fill_null(True)  # noqa: E731
    outside_the_state = lambda n: pl.col(f"actor{n}_type").is_not_null() & ~pl.col(f"actor{n}_type").is_in(_STATE_SECTORS)  # noqa: E731
    # A place is no part of a state acting on it: `Turkish police imposed a curfew in Cizre` is coded.
    own_state = (
        (pl.col("actor1_country") == pl.col("actor2_country"))
        & (state_level(1) & ~outside_the_state(2) | state_level(2) & ~outside_the_state(1))
        & ~pl.col("target_rank").is_in([8, 10])
    )
    # Telling the press is how a statement is made public, and a reporter's interview or letter
    # received is how it is gathered: neither is an interaction with the press.
    press = lambda n: _is_media(pl.col(f"actor{n}_name")) | (pl.col(f"actor{n}_type") == "MED")  # noqa: E731
    media = (press(1) | press(2)) & pl.col("root").is_in(["01", "02", "04"])
    # Officials no one is said to own are the actor's own (`the CIA advised top officials`):
    # telling, asking, consulting or helping them is its own administration, not an interaction.
    own_staff = (
        (pl.col("actor2_kind") == "DESCRIPTION")
        & pl.col("actor2_country").is_null()
        & pl.col("actor2_type").is_in(_STATE_SECTORS)
        & pl.col("root").is_in(["01", "02", "03", "04", "05"])
    )
    pairs = (
        pairs.join(clause.select(*keys, "root"), on=keys)
        .with_columns(own_staff=own_staff)
        .with_columns(
            actor2_country=pl.when(pl.col("actor2_kind") == "DESCRIPTION")
            .then(pl.coalesce("actor2_country", "actor1_country"))
            .otherwise(pl.col("actor2_country"))
        )
    )
    return coded.join(
        pairs.filter(~(same_actor | same_name | own_state | media | pl.col("own_staff")).fill_null(False))
        .drop("own_staff", "root")
        # Every target of the best kind: `urged Kenya and Uganda` is two events.
        .filter(pl.col("target_rank") == pl.col("target_rank").min().over(*keys, "head_char"))
        .sort("target_rank", "target_head", "actor2_id", maintain_order=True)
        .unique([*keys, "head_char", "target_head"], keep="first", maintain_order=True)
        .drop("target_rank", "target_head", "head_char"),
        on=keys,
    )


def _own_authorities(alone: pl.DataFrame) -> pl.DataFrame:
    """A protest that names no one it is aimed at is aimed at the protesters' own authorities
    (`landowners began a hunger strike outside parliament`): the government of their country."""
    protest = (pl.col("root") == "14") & pl.col("actor1_country").is_not_null()
    return alone.with_columns(
        actor2_name=pl.when(protest).then(pl.lit("government")),
        actor2_country=pl.when(protest).then(pl.col("actor1_country")),
        actor2_kind=pl.when(protest).then(pl.lit("DESCRIPTION")),
        actor2_type=pl.when(protest).then(pl.lit("GOV")),
    ).drop("root")


def _demands(clauses: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """`X said (insisted, reiterated) that Y must (should) do Z` is X demanding of Y (100),
    asserted as the saying is, whatever Z is and whether or not Z is an event itself."""
    subjects = actors.filter(pl.col("role") == "subject")
    names = {"id": "entity_id", "name": "name", "country": "country", "kind": "type", "type": "actor_type"}
    speakers = subjects.select(
        "article_id", speaker_char="head_char", **{f"actor1_{column}": source for column, source in names.items()}
    ).unique(["article_id", "speaker_char"], keep="first", maintain_order=True)
    obliged = actors.filter(pl.col("role").is_in(["subject", "subject_conj"])).select(
        "article_id", "clause_id", **{f"actor2_{column}": source for column, source in names.items()}
    )
    different = pl.coalesce(pl.col("actor1_id") != pl.col("actor2_id"), pl.col("actor1_name") != pl.col("actor2_name"))
    return (
        clauses.filter((pl.col("kind") == "verb") & pl.col("modal").is_in(["must", "should"]) & pl.col("speaker_char").is_not_null())
        .join(speakers, on=["article_id", "speaker_char"])
        .join(obliged, on=["article_id", "clause_id"])
        .filter(different.fill_null(True) & (pl.col("actor1_country") != pl.col("actor2_country")).fill_null(True))
        .with_columns(
            code=pl.lit("100"),
            target_preposition=pl.lit(None, pl.String),
            modal=pl.lit(None, pl.String),
            governor_lemma=pl.lit(None, pl.String),
            is_negated=pl.lit(False),
            governor_negated=pl.lit(False),
            is_purpose=pl.lit(False),
        )  # fmt: skip
    )


# What names a news outlet the dictionary does not list: `the Iraqi News Agency`, `Radio Free Asia`.
_MEDIA_WORDS = r"(?i)\b(?:news|radio|television|tv|newspaper|gazette|herald|tribune|times|daily|post|journal|press)\b"


def _is_media(name: pl.Expr) -> pl.Expr:
    return name_key_expr(name).is_in(_media_names()) | name.str.contains(_MEDIA_WORDS)


def _media_names() -> pl.Series:
    media = dictionaries.organisations().filter(pl.col("kind") == "media")
    names = media.select(surface=pl.concat_list(pl.col("name"), pl.col("aliases").str.split("|"))).explode("surface")
    return names.select(name_key_expr(pl.col("surface")))["surface"].filter(names["surface"] != "").implode()


def _announcements(events: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """An actor announcing its own future action (`X said it would stop Y`, `X vowed to
    retaliate against Y`) makes an asserted statement of intent (03x) or threat (13x) towards
    the same target; the announced action stays hypothetical beside it. Own: the speaker is
    the actor, or the actor is a pronoun standing for the speaker."""
    speakers = (
        actors.filter(pl.col("role") == "subject")
        .select("article_id", speaker_char="head_char", speaker_country="country", speaker_id="entity_id")
        .unique(["article_id", "speaker_char"], keep="first")
    )
    # `X will visit Y` states X's own plan as fact: the reporter passes on an announcement.
    stated_plan = pl.col("modal").is_in(["will", "shall"]) & pl.col("governor_lemma").is_null() & ~pl.col("is_negated")
    said = events.filter(
        (pl.col("modality") == "hypothetical")
        # What an actor must or should do is asked of it (`_demands`), not announced by it.
        & ~pl.col("modal").is_in(["must", "should"]).fill_null(False)
        & (
            pl.col("governor_lemma").is_in(_ANNOUNCING_GOVERNORS)
            | (pl.col("speech_lemma").is_not_null() & pl.col("modal").is_in(_FUTURE_MODALS))
            | stated_plan
        )
    ).join(speakers, on=["article_id", "speaker_char"], how="left")
    own = (
        pl.col("governor_lemma").is_in(_ANNOUNCING_GOVERNORS)
        # A plan stated as fact is its actor's, whoever passes it on (`X will visit Y, officials said`).
        | stated_plan
        | (pl.col("speaker_id").is_not_null() & (pl.col("speaker_id") == pl.col("actor1_id")))
        | (pl.col("speaker_country").is_not_null() & (pl.col("speaker_country") == pl.col("actor1_country")))
    )
    threat = pl.col("governor_lemma") == "threaten"
    announced = pl.col("code").str.slice(0, 2).replace_strict(_ANNOUNCED, default=None)
    return (
        said.filter(own)
        .with_columns(
            code=pl.when(threat & ~pl.col("code").str.starts_with("13"))
            .then(pl.when(pl.col("code").str.slice(0, 2).is_in(_CONFLICT_ROOTS)).then(announced).otherwise(pl.lit("130")))
            # Threatening what is itself a threat (`threatened to break with X`) is that threat.
            .when(threat)
            .then(pl.col("code"))
            .otherwise(announced),
            modality=pl.lit("asserted"),
        )
        .filter(pl.col("code").is_not_null())
        .drop("speaker_country", "speaker_id")
    )


def _without_lone_repeats(events: pl.DataFrame) -> pl.DataFrame:
    """An actor's one-actor event is dropped where its sentence gives the same actor an event of
    the same root with another party (`X agreed to lift the embargo on Y`: the intent towards Y,
    not also an intent towards no one)."""
    lone = pl.col("actor2_name").is_null()
    same = ["article_id", "sentence_index", pl.coalesce("actor1_id", "actor1_name"), pl.col("code").str.slice(0, 2), "modality"]
    return events.filter(~(lone & (~lone).any().over(same)))


def _refusals(events: pl.DataFrame) -> pl.DataFrame:
    """Refusing an action is itself an act of rejection (12x), asserted, beside the negated
    action: `X refused to meet Y` is X rejecting Y (125) and a meeting that did not happen. So
    is saying one will not take an action one could take with the other (`X will not attend talks
    with Y`, `said it would not accept refugees`); force one will not use is no rejection."""
    refused = events.filter((pl.col("modality") == "negated") & _is_refusal(pl.col("code").str.slice(0, 2)))
    return refused.with_columns(code=pl.col("code").str.slice(0, 2).replace_strict(_REFUSED, default="120"), modality=pl.lit("asserted"))


def _is_refusal(root: pl.Expr) -> pl.Expr:
    will_not = pl.col("is_negated") & pl.col("modal").is_in(_FUTURE_MODALS) & pl.col("governor_lemma").is_null()
    return pl.col("governor_lemma").is_in(_REFUSING_GOVERNORS) | will_not & root.is_in(list(_REFUSED))


def _telephone(events: pl.DataFrame) -> pl.DataFrame:
    """A consultation by phone is CAMEO 041 whatever the verb (`held telephone talks`)."""
    by_phone = pl.col("code").str.starts_with("04") & pl.col("text").str.contains(r"(?i)\b(?:tele)?phone\b")
    return events.with_columns(code=pl.when(by_phone).then(pl.lit("041")).otherwise(pl.col("code")))


def _modality(events: pl.DataFrame) -> pl.DataFrame:
    """`negated` for a negation or a verb like `fail to`/`postpone`; `hypothetical` for a modal or
    a governing verb of intent (`plans to`, `ready to`, `expected to`); else `asserted`.
    A threat or a pledge is itself asserted: only the threatened action is hypothetical. A
    criticism, demand, offer or threat named by a noun that is rejected or denied was still made."""
    governor = pl.col("governor_lemma")
    # Rejecting or denying a criticism, a demand, an offer or a threat named by a noun answers it: it
    # was made (refusing to issue a condemnation is none).
    answered = (
        (pl.col("kind") == "noun")
        & pl.col("code").str.slice(0, 2).is_in(["02", "03", "10", "11", "12", "13"])
        & governor.is_in(["reject", "deny"])
    )
    governed = (pl.col("governor_negated") | governor.is_in(_NEGATING_GOVERNORS)) & ~answered.fill_null(False)
    return events.with_columns(
        modality=pl.when(pl.col("is_negated") | governed)
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
        arguments.filter(pl.col("role").is_in(["pobj", "object_pobj"]) & pl.col("preposition").is_in(_PLACE_PREPOSITIONS))
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
    use_dateline = pl.col("dateline_name").is_not_null()
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
            location_source=pl.when(use_clause)
            .then(pl.lit("clause"))
            .when(use_sentence)
            .then(pl.lit("sentence"))
            .when(use_dateline)
            .then(pl.lit("dateline")),
        )
    )


def _plover(events: pl.DataFrame) -> pl.DataFrame:
    """The event in PLOVER's terms, from the CAMEO2PLOVER crosswalk at the longest prefix of its code."""
    crosswalk = dictionaries.cameo_to_plover().select("cameo_code", "plover_event", "plover_mode", "plover_context")
    for digits in (4, 3, 2):
        events = events.join(
            crosswalk.rename({c: f"{c}_{digits}" for c in crosswalk.columns}),
            left_on=pl.col("code").str.slice(0, digits), right_on=f"cameo_code_{digits}", how="left",
        )  # fmt: skip
    pick = lambda column: pl.coalesce(*(f"{column}_{d}" for d in (4, 3, 2)))  # noqa: E731
    return events.with_columns(
        plover_event=pick("plover_event"), plover_mode=pick("plover_mode"), plover_context=pick("plover_context")
    ).drop([f"{c}_{d}" for c in ("plover_event", "plover_mode", "plover_context") for d in (4, 3, 2)])


def _keys(events: pl.DataFrame) -> pl.DataFrame:
    """event_key: (date, dyad, code), the same across articles reporting one event (GDELT's
    NumArticles counts by it); event_id: that event as one article reports it."""
    key = pl.concat_str(
        pl.col("event_date").cast(pl.String).fill_null("?"),
        # An actor that is no named entity (`Kenyan troops`) is known by its country and words.
        *(
            pl.coalesce(
                f"actor{n}_id",
                pl.concat_str(pl.col(f"actor{n}_country").fill_null(""), pl.lit(":"), pl.col(f"actor{n}_name").fill_null("")),
            )
            for n in (1, 2)
        ),
        pl.col("cameo_code"),
        separator="|",
    )
    return events.with_columns(event_key=stable_id_expr(key)).with_columns(
        event_id=stable_id_expr(pl.concat_str("article_id", "event_key", "modality", separator="|"))
    )
