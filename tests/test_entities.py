import polars as pl

from flows.names import name_key, name_key_expr

from .nlp_helpers import run_nlp


def _named(found) -> pl.DataFrame:
    return found.entity_mentions.join(found.entities, on="entity_id")


def test_partial_name_resolves_to_the_full_name_in_the_same_article():
    _, found, _ = run_nlp(
        "Brazilian President Luiz Inacio Lula da Silva visited Buenos Aires on Monday. "
        "Lula told reporters that trade between the neighbours would grow."
    )
    lula = _named(found).filter(pl.col("mention") == "Lula")
    assert lula["name"].to_list() == ["Luiz Inacio Lula da Silva"]
    assert lula["type"][0] == "PERSON"


def test_titles_and_possessives_are_not_part_of_the_mention():
    articles, found, _ = run_nlp(
        "Gen. Mark Milley met President Emmanuel Macron in Paris. Macron's advisers joined the meeting later."
    )
    named = _named(found)
    assert {"Mark Milley", "Emmanuel Macron"} <= set(named.filter(pl.col("type") == "PERSON")["name"])
    body = articles["body"][0]
    for row in named.iter_rows(named=True):
        assert body[row["start_char"] : row["end_char"]] == row["mention"]
    assert "Macron's" not in set(named["mention"]) and "President Emmanuel Macron" not in set(named["mention"])


def test_misspelt_name_matches_the_dictionary_person_by_fuzzy_comparison():
    _, found, _ = run_nlp("Turkish President Tayyip Recip Erdogan spoke with reporters in Ankara on Sunday.")
    people = found.entities.filter(pl.col("type") == "PERSON")
    assert people["name"].to_list() == ["Recep Tayyip Erdogan"]
    assert people["country"].to_list() == ["TUR"]


def test_the_same_person_in_two_articles_is_one_entity():
    _, found, _ = run_nlp(
        "German Chancellor Olaf Scholz arrived in Warsaw on Monday for talks.",
        "Olaf Scholz said on Tuesday that Germany would send more air defence systems.",
    )
    scholz = _named(found).filter(pl.col("name") == "Olaf Scholz")
    assert scholz["article_id"].n_unique() == 2 and scholz["entity_id"].n_unique() == 1


def test_accents_and_punctuation_fold_in_name_keys():
    assert name_key("António Guterres") == name_key("Antonio Guterres") == "antonio guterres"
    assert name_key("U.S.") == "us" and name_key("Al-Bab") == "al bab" and name_key("Erdogan’s") == "erdogan"
    names = ["António Guterres", "U.S.", "Al-Bab", "Erdogan’s", "MİT"]
    assert pl.DataFrame({"n": names}).select(name_key_expr(pl.col("n")))["n"].to_list() == [name_key(n) for n in names]


def test_countries_come_from_the_name_the_context_or_the_gazetteer():
    _, found, _ = run_nlp(
        "The Russian Defense Ministry said Kremlin spokesman Dmitry Peskov would travel to Geneva, "
        "where his French counterpart Jean-Noel Barrot was waiting."
    )
    country = dict(found.entities.select("name", "country").iter_rows())
    assert country["Russian Defense Ministry"] == "RUS"
    assert country["Dmitry Peskov"] == "RUS"
    assert country["Geneva"] == "CHE"


def test_international_bodies_have_no_country():
    _, found, _ = run_nlp("NATO and the United Nations criticised the attack on the convoy near Kabul.")
    orgs = found.entities.filter(pl.col("type") == "ORG")
    assert set(orgs["name"]) >= {"NATO", "United Nations"}
    assert orgs["country"].is_null().all()
