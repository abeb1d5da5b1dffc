"""The compiled dictionaries in flows/data/, read as the matcher reads them (Polars, tab separated,
no quoting): their exact columns, rows the field's sources give, and codes CAMEO knows."""

from pathlib import Path

import polars as pl
import pytest

DATA = Path(__file__).resolve().parent.parent / "flows" / "data"

VERB_COLUMNS = [
    "lemma", "particle", "object", "object_modifier", "preposition", "prep_object",
    "target_preposition", "code", "block", "source", "note",
]  # fmt: skip
JOIN_COLUMNS = VERB_COLUMNS[:8]


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / name, separator="\t", quote_char=None, infer_schema=False).fill_null("")


@pytest.fixture(scope="module")
def verbs() -> pl.DataFrame:
    return _read("verb_patterns.tsv")


@pytest.fixture(scope="module")
def cameo_codes() -> set[str]:
    return set(_read("cameo_codes.tsv")["cameo_code"])


def _has(frame: pl.DataFrame, **values: str) -> bool:
    """A row with exactly these values, every other join column empty."""
    condition = pl.lit(True)
    for column in JOIN_COLUMNS:
        condition = condition & (pl.col(column) == values.get(column, ""))
    return frame.filter(condition).height > 0


def test_verb_lexicon_has_exactly_the_matchers_columns(verbs):
    assert verbs.columns == VERB_COLUMNS
    header = (DATA / "verb_patterns.tsv").open(encoding="utf-8").readline().rstrip("\n")
    assert header.split("\t") == VERB_COLUMNS


def test_verb_lexicon_is_lower_case_and_unquoted(verbs):
    for column in VERB_COLUMNS[:-1]:
        assert (verbs[column] == verbs[column].str.to_lowercase()).all(), column
    assert not verbs.select(pl.any_horizontal(pl.all().str.contains('"', literal=True))).to_series().any()


def test_known_rows_of_the_cameo_dictionary(verbs):
    assert _has(verbs, lemma="ask", code="020")  # ASK [020]
    assert _has(verbs, lemma="grill", code="110")  # a verb's own code beats its block's
    assert _has(verbs, lemma="ask", object="assurance", code="022")  # - * ASSURANCES [022]
    assert _has(verbs, lemma="ask", object="aid", object_modifier="humanitarian", code="0233")  # {HUMANITARIAN AID}
    assert _has(verbs, lemma="ask", preposition="for", prep_object="retrial", code="0213")  # (FOR RETRIAL)
    assert _has(verbs, lemma="ask", particle="for", code="020")  # +ASK_FOR [020]
    assert _has(verbs, lemma="back", particle="down", code="080")  # +BACK_DOWN
    assert _has(verbs, lemma="request", object="assurance", code="022")  # a block's pattern applies to every verb
    # ... but a bare particle belongs to the verb its comment names: `- * ON [190] # PRESS`.
    assert _has(verbs, lemma="press", particle="on", code="190")
    assert not _has(verbs, lemma="demand", particle="on", code="190")
    # ... and so does an idiom that leaves its block's quad class: `take part` (030) is written for
    # TAKE in the block of APPREHEND (171); to capture part of a town is no intent to cooperate.
    assert _has(verbs, lemma="take", object="part", code="030")
    assert not _has(verbs, lemma="capture", object="part", code="030")
    # A pattern in the block's own quad class still carries over: `capture` an airfield, as `seize` one.
    assert _has(verbs, lemma="capture", object="airfield", code="192")


def test_synonym_sets_expand_to_every_member(verbs):
    # - * &CURRENCY [0231] under ASK: one row per currency
    currencies = set(verbs.filter((pl.col("lemma") == "ask") & (pl.col("code") == "0231"))["object"])
    assert {"dollar", "euro", "yen", "rupee"} <= currencies


def test_a_target_inside_a_preposition_group(verbs):
    rows = verbs.filter(pl.col("target_preposition") != "")
    assert rows.height > 0
    assert (rows["target_preposition"] == rows["preposition"]).all()


def test_british_and_american_spellings_both_listed(verbs):
    lemmas = set(verbs["lemma"])
    assert {"criticise", "criticize", "analyse", "analyze", "apologise", "apologize"} <= lemmas
    assert "advize" not in lemmas and "promize" not in lemmas


def test_every_code_is_a_cameo_code(verbs, cameo_codes):
    assert set(verbs["code"]) <= cameo_codes
    assert (verbs["code"] != "").all()


def test_no_duplicate_rows(verbs):
    assert verbs.height == verbs.unique().height


def test_overlay_rows_have_a_reason(verbs):
    overlay = verbs.filter(pl.col("source") == "overlay")
    assert overlay.height > 0
    assert (overlay["note"].str.strip_chars() != "").all()
    assert set(verbs["source"]) == {"cameo2.0", "overlay"}
    assert (verbs.filter(pl.col("source") == "cameo2.0")["note"] == "").all()


def test_overlay_adds_common_news_verbs_the_dictionary_lacks(verbs):
    assert _has(verbs, lemma="urge", code="020")
    assert _has(verbs, lemma="call", particle="on", code="020")
    assert _has(verbs, lemma="commit", preposition="to", code="030")
    assert _has(verbs, lemma="downgrade", code="161")


# ---------------------------------------------------------------- agents


@pytest.fixture(scope="module")
def agents() -> pl.DataFrame:
    return _read("agents.tsv")


def test_agents_have_noun_sector_code_source(agents):
    assert agents.columns == ["noun", "sector", "code", "source"]
    assert agents["noun"].is_unique().all()
    assert set(agents["source"]) == {"phoenix", "curated"}
    assert (agents["noun"] == agents["noun"].str.to_lowercase()).all()


def test_agents_keep_every_noun_agent_nouns_held_before():
    """The nouns of the one-column agents.tsv this file replaced. The old build read `POLICE {}`
    as the noun `police {}`; for those the noun itself must be there."""
    from flows.transforms import dictionaries

    before = {
        line
        for line in (Path(__file__).parent / "fixtures" / "agent_nouns_before_sectors.txt").read_text(encoding="utf-8").splitlines()
        if line
    }
    now = dictionaries.agent_nouns()
    missing = {noun for noun in before if noun.split(" {")[0] not in now}
    assert not missing


def test_agents_sectors_from_phoenix_and_curated(agents):
    sector = dict(zip(agents["noun"], agents["sector"]))
    code = dict(zip(agents["noun"], agents["code"]))
    assert sector["soldiers"] == "MIL" and sector["troops"] == "MIL"
    assert sector["foreign minister"] == "GOV" and sector["foreign ministries"] == "GOV"  # !MINIST!
    assert sector["cattleman"] == "AGR" and sector["cattle rancher"] == "AGR"  # !PERSON!
    assert sector["rebels"] == "REB" and sector["police"] == "COP" and sector["judge"] == "JUD"
    assert sector["information minister"] == "GOV" and code["information minister"] == "GOVMED"
    assert sector["jets"] == "MIL" and sector["checkpoints"] == ""  # curated: a means, a target
    for noun in ["government", "officials", "spokesman", "army", "forces", "militants", "opposition", "lawmakers", "prosecutors"]:
        assert sector[noun], noun


# ---------------------------------------------------------------- PLOVER


@pytest.fixture(scope="module")
def plover() -> pl.DataFrame:
    return _read("cameo_to_plover.tsv")


def test_plover_crosswalk_rows(plover):
    assert plover.columns == ["cameo_code", "plover_event", "plover_mode", "plover_context", "label"]
    assert plover["cameo_code"].is_unique().all()
    rows = {row[0]: row[1:] for row in plover.iter_rows()}
    assert rows["0311"] == ("AGREE", "", "economic", "Express intent to cooperate economically")
    assert rows["042"] == ("CONSULT", "visit", "", "Make a visit")
    assert rows["1121"][:3] == ("ACCUSE", "allege", "crime; corruption")
    assert rows["03"] == ("AGREE", "", "", "")
    assert rows["08"][0] == "CONCEDE"  # listed first of the two `08` lines


def test_every_cameo_code_has_a_plover_event_but_roots_01_and_02(plover, cameo_codes):
    """Through the longest prefix, as events take it. The 2021 table has no line for roots 01
    (statements) and 02 (appeals): PLOVER has no event type for them."""
    events = dict(zip(plover["cameo_code"], plover["plover_event"]))
    unmapped = {c for c in cameo_codes if not next((events[c[:n]] for n in (4, 3, 2) if c[:n] in events), "")}
    assert unmapped == {c for c in cameo_codes if c[:2] in ("01", "02")}
