import json
import re
from datetime import datetime

import polars as pl
import pytest

from flows.schemas import ARTICLES, TABLES, VALIDATED, conform
from flows.validate import EXPECTATIONS, build_data_docs, combine, suite_names, validate_tables


def _articles(**overrides) -> pl.DataFrame:
    row = {
        "article_id": "0123456789abcdef",
        "source_file": "a.txt",
        "content_sha256": "a" * 64,
        "title": "A headline",
        "published_at": datetime(2020, 1, 1),
        "published_precision": "day",
        "body": "word " * 60,
        "word_count": 60,
        "encoding": "utf-8",
    } | overrides
    return conform(pl.DataFrame([row]), ARTICLES)


PARAMETERS = {"article_ids": ["0123456789abcdef"], "entity_ids": [], "iso3_codes": ["RUS"], "cameo_codes": ["040"],
              "now": datetime(2026, 1, 1), "today": datetime(2026, 1, 1).date()}  # fmt: skip


@pytest.mark.parametrize("table", suite_names())
def test_every_suite_is_for_a_table_and_every_expectation_says_why_and_how_bad(table):
    suite = json.loads((EXPECTATIONS / f"{table}.json").read_text())
    assert table in VALIDATED
    for expectation in suite["expectations"]:
        assert expectation["severity"] in ("critical", "warning")
        assert len(expectation["meta"]["why"]) > 20
        columns = expectation["kwargs"].get("column") or expectation["kwargs"].get("column_list") or []
        for column in [columns] if isinstance(columns, str) else columns:
            assert column in VALIDATED[table], f"{table}.{column}"


def test_clean_articles_pass_every_expectation():
    report = validate_tables("r", {"articles": _articles()}, PARAMETERS)
    assert report.passed and report.results.height == len(json.loads((EXPECTATIONS / "articles.json").read_text())["expectations"])
    assert report.results["success"].all()


def test_a_duplicate_key_is_a_critical_failure_with_examples():
    report = validate_tables("r", {"articles": pl.concat([_articles(), _articles()])}, PARAMETERS)
    assert not report.passed
    failure = report.critical_failures.filter(pl.col("expectation") == "expect_column_values_to_be_unique(article_id)")
    assert failure["unexpected_count"][0] == 2 and "0123456789abcdef" in failure["unexpected_examples"][0]
    assert "FAILED: critical expectation articles.expect_column_values_to_be_unique(article_id)" in report.verdict()


def test_a_publication_time_in_the_future_is_critical():
    report = validate_tables("r", {"articles": _articles(published_at=datetime(2099, 1, 1))}, PARAMETERS)
    assert "published_at" in report.critical_failures["expectation"][0]


def test_a_short_body_is_only_a_warning():
    report = validate_tables("r", {"articles": _articles(body="too short", word_count=2)}, PARAMETERS)
    assert report.passed and report.warnings.height == 2


def test_the_verdict_names_its_warnings():
    report = validate_tables("r", {"articles": _articles(body="too short", word_count=2)}, PARAMETERS)
    named = [f"articles.{w['expectation']} ({w['unexpected_count']} unexpected)" for w in report.warnings.iter_rows(named=True)]
    assert report.verdict().endswith(", 2 warning(s): " + "; ".join(named))


def test_a_mention_of_a_missing_entity_fails_the_reference_check():
    mentions = conform(
        pl.DataFrame({"article_id": ["0123456789abcdef"], "entity_id": ["nope"], "mention": ["X"], "start_char": [0], "end_char": [1]}),
        TABLES["entity_mentions"],
    )
    report = validate_tables("r", {"entity_mentions": mentions}, PARAMETERS)
    assert report.critical_failures["expectation"].to_list() == ["expect_column_values_to_be_in_set(entity_id)"]


def test_a_failing_expectation_names_the_source_files_of_its_rows():
    articles = pl.concat([_articles(), _articles(article_id="fedcba9876543210", source_file="feeds/b.txt", body="too short", word_count=2)])
    mentions = conform(
        pl.DataFrame({"article_id": ["fedcba9876543210"], "entity_id": ["nope"], "mention": ["X"], "start_char": [0], "end_char": [1]}),
        TABLES["entity_mentions"],
    )
    parameters = PARAMETERS | {"article_ids": articles["article_id"].to_list()}
    report = validate_tables("r", {"articles": articles, "entity_mentions": mentions}, parameters)
    failing = {(row["table_name"], row["expectation"]): row["unexpected_source_files"] for row in report.results.iter_rows(named=True)
               if not row["success"]}  # fmt: skip
    assert failing[("articles", "expect_column_values_to_be_between(word_count)")] == '["feeds/b.txt"]'  # by the file itself
    assert failing[("entity_mentions", "expect_column_values_to_be_in_set(entity_id)")] == '["feeds/b.txt"]'  # by its article
    assert report.results.filter(pl.col("success"))["unexpected_source_files"].is_null().all()


def test_a_run_of_several_batches_names_the_files_of_every_batch_once():
    first = validate_tables("r", {"articles": _articles(source_file="x/1.txt", body="too short", word_count=2)}, PARAMETERS)
    second = validate_tables("r", {"articles": _articles(source_file="x/2.txt", body="too short", word_count=2)}, PARAMETERS)
    again = validate_tables("r", {"articles": _articles(source_file="x/1.txt", body="too short", word_count=2)}, PARAMETERS)
    combined = combine([first, second, again]).results.filter(pl.col("expectation") == "expect_column_values_to_be_between(word_count)")
    assert json.loads(combined["unexpected_source_files"][0]) == ["x/1.txt", "x/2.txt"]


def test_data_docs_name_each_validation_after_its_run_and_table(tmp_path):
    validate_tables("run-0042", {"articles": _articles()}, PARAMETERS)
    site = build_data_docs(tmp_path / "docs")
    pages = sorted(site.parent.glob("validations/articles/run-0042/**/*.html"))
    assert pages, sorted(p.relative_to(site.parent).as_posix() for p in site.parent.glob("validations/**/*.html"))
    text = " ".join(re.sub(r"<[^>]+>", " ", pages[-1].read_text(encoding="utf-8")).split())
    assert "Data asset: articles" in text and "__none__" not in text


def test_validating_a_table_again_in_the_same_run_replaces_its_stored_result():
    """GX keeps each validation result in its store (which Data Docs are built from): a run's
    batches and re-validations replace the table's result instead of adding one each time."""
    from flows.validate import _context

    def stored(run_id: str) -> int:
        return sum(1 for key in _context().validation_results_store.list_keys() if key.run_id.run_name == run_id)

    for batch in range(3):
        validate_tables("run-repeated", {"articles": _articles(source_file=f"x/{batch}.txt")}, PARAMETERS)
    assert stored("run-repeated") == 1
    validate_tables("run-next", {"articles": _articles()}, PARAMETERS)
    assert (stored("run-repeated"), stored("run-next")) == (1, 1)
