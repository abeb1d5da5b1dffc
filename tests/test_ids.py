"""One id rule (flows/transforms/ids.py), and the ids it gives are the ones already in warehouses."""

import polars as pl

from flows import extract
from flows.paths import SAMPLES
from flows.transforms import entities
from flows.transforms.clean import clean_pages
from flows.transforms.ids import stable_id, stable_id_expr

# Ids the warehouse held before the id helpers became one: changing them would orphan every
# row an existing warehouse holds for these articles and entities.
_SAMPLE_ARTICLE_IDS = {
    "000_a034f4c090301ab5.txt": "b5b6874172da3da5",
    "001_157e3da3141f6957.txt": "e235971d91381bb5",
    "002_ef4cc92bb32d5d8b.txt": "eb470391e5d937d6",
    "003_404ae92723a5d202.txt": "ab616bc11470f903",
    "004_805abb2ad6366e16.txt": "dde15b5a66e75b19",
}


def test_a_stable_id_is_the_first_sixteen_hex_digits_of_the_sha256():
    assert stable_id("hello") == "2cf24dba5fb0a30e"


def test_the_expression_gives_the_function_s_ids():
    texts = ["hello", "Recep Tayyip Erdogan", "", "مرحبا"]
    assert pl.DataFrame({"text": texts}).select(stable_id_expr(pl.col("text")))["text"].to_list() == [stable_id(t) for t in texts]


def test_sample_article_ids_are_unchanged():
    files = [extract.SourceFile(SAMPLES / name, name) for name in sorted(_SAMPLE_ARTICLE_IDS)]
    documents = extract.decoded_documents(extract.read_raw_documents(files))
    articles = clean_pages(documents).articles
    assert dict(articles.select("source_file", "article_id").iter_rows()) == _SAMPLE_ARTICLE_IDS


def test_entity_ids_are_unchanged():
    named = pl.DataFrame({"type": ["LOC", "PERSON"], "name": ["Ankara", "Hulusi Akar"]})
    ids = named.select(entities._entity_id(pl.col("type"), pl.col("name")))
    assert ids.to_series().to_list() == ["010e09b28f62daf8", "02eaa272c6660b4e"]
