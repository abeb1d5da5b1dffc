"""Every DDL, view and query runs against DuckDB; an older warehouse gains new columns.
(tests/test_schemas.py holds the DDL equal to flows/schemas.py.)"""

from pathlib import Path

import duckdb
import pytest

from flows.dashboard import prepare_queries
from flows.load import SQL, ensure_schema
from flows.schemas import TABLES


@pytest.fixture
def con():
    connection = duckdb.connect()
    ensure_schema(connection)
    yield connection
    connection.close()


def test_an_older_warehouse_gains_the_columns_a_newer_schema_adds():
    old = duckdb.connect()
    old.execute("create table articles (article_id varchar primary key, source_file varchar)")
    old.execute("insert into articles (article_id, source_file) values ('a1', 'x.txt')")
    ensure_schema(old)
    columns = [row[0] for row in old.execute("describe articles").fetchall()]
    assert columns == list(TABLES["articles"]) and old.execute("select source_file from articles").fetchall() == [("x.txt",)]
    old.close()


def test_ddl_is_idempotent(con):
    ensure_schema(con)  # a second time must not fail or change anything
    assert {row[0] for row in con.execute("show tables").fetchall()} >= set(TABLES)


def _seed(con):
    con.execute(
        """
        insert into articles (article_id, source_file, content_sha256, title, published_at, published_precision, body, word_count,
                              encoding, dateline_place)
        values ('a1', 'x.txt', repeat('0', 64), 'T', timestamp '2020-01-02 03:04:05', 'second', 'b', 1, 'utf-8', null),
               ('a2', 'y.txt', repeat('1', 64), 'U', null, null, 'c', 1, 'utf-8', 'KABUL');
        insert into entities (entity_id, name, type, country, latitude, longitude)
        values ('e1', 'Vladimir Putin', 'PERSON', 'RUS', null, null), ('e2', 'Recep Tayyip Erdogan', 'PERSON', 'TUR', null, null),
               ('e3', 'Moscow', 'LOC', 'RUS', 55.75, 37.62);
        insert into entity_mentions (article_id, entity_id, mention, start_char, end_char)
        values ('a1', 'e1', 'Putin', 0, 5), ('a1', 'e2', 'Erdogan', 10, 17), ('a2', 'e1', 'Putin', 0, 5),
               ('a2', 'e2', 'Erdogan', 8, 15), ('a1', 'e3', 'Moscow', 20, 26);
        insert into events (event_id, article_id, event_key, event_date, date_precision, actor1_id, actor1_name, actor1_country,
                            actor2_id, actor2_name, actor2_country, cameo_code, cameo_root, quad_class, goldstein, modality, evidence)
        values ('v1', 'a1', 'k1', date '2020-01-01', 'day', 'e1', 'Vladimir Putin', 'RUS', 'e2', 'Recep Tayyip Erdogan', 'TUR', '040', '04', 1, 1.0, 'asserted', 's'),
               ('v2', 'a2', 'k1', date '2020-01-01', 'day', 'e1', 'Vladimir Putin', 'RUS', 'e2', 'Recep Tayyip Erdogan', 'TUR', '040', '04', 1, 1.0, 'asserted', 's'),
               ('v3', 'a2', 'k2', null, null, 'e2', 'Recep Tayyip Erdogan', 'TUR', 'e1', 'Vladimir Putin', 'RUS', '112', '11', 3, -2.0, 'hypothetical', 's');
        insert into quarantine (source_root, source_file, content_sha256, reason, stage, size_bytes, raw_bytes)
        values ('/src', 'z.bin', null, 'binary file', 'extract', 3, 'abc'::blob);
        """
    )


@pytest.mark.parametrize("query", sorted((SQL / "queries").glob("*.sql")), ids=lambda p: p.stem)
def test_every_analysis_query_runs_and_answers(con, query: Path):
    _seed(con)
    rows = con.execute(query.read_text()).fetchall()
    assert rows, f"{query.name} returned nothing on seeded data"


def test_event_reports_counts_articles_per_real_event(con):
    _seed(con)
    counts = dict(con.execute("select event_key, count_articles from event_reports").fetchall())
    assert counts == {"k1": 2, "k2": 1}


def test_top_actors_counts_only_asserted_events(con):
    _seed(con)
    rows = con.execute((SQL / "queries" / "top_actors.sql").read_text()).fetchall()
    assert rows == [("Vladimir Putin", "RUS", 2, 1.0)]


@pytest.mark.parametrize("query", sorted((SQL / "dashboard").glob("*.sql")), ids=lambda p: p.stem)
def test_every_dashboard_query_runs(con, query: Path):
    _seed(con)
    con.execute(
        """
        insert into runs (run_id, started_at, finished_at, status, count_files_new, count_articles, count_events, message)
        values ('r1', timestamp '2020-01-02 03:00:00', timestamp '2020-01-02 03:00:05', 'completed', 2, 2, 3, 'passed');
        insert into validation_results (run_id, table_name, expectation, severity, success, unexpected_source_files)
        values ('r1', 'articles', 'expect_a', 'critical', true, null), ('r1', 'events', 'expect_b', 'warning', false, '["a.txt"]');
        insert into table_counts (run_id, table_name, count_rows) values ('r1', 'articles', 2);
        """
    )
    prepare_queries(con, "run")
    assert con.execute(query.read_text()).fetchall(), f"{query.name} returned nothing on seeded data"


def test_undated_events_tie_only_within_a_publication_day_and_never_across_undated_articles(con):
    # Two different meetings of the same two leaders, each in an undated article: two events, not
    # one reported twice. A third article published the same day as the first, from another
    # source, reports the first meeting.
    con.execute(
        """
        insert into articles (article_id, source_file, content_sha256, published_at, body, word_count) values
            ('m1', 'reuters/m1.txt', repeat('1', 64), timestamp '2024-01-10 08:00:00', 'b', 1),
            ('m2', 'reuters/m2.txt', repeat('2', 64), timestamp '2024-02-20 08:00:00', 'b', 1),
            ('m3', 'apnews/m3.txt', repeat('3', 64), timestamp '2024-01-10 17:00:00', 'b', 1),
            ('n1', 'n1.txt', repeat('4', 64), null, 'b', 1),
            ('n2', 'n2.txt', repeat('5', 64), null, 'b', 1);
        insert into events (event_id, article_id, event_key, event_date, actor1_name, actor2_name, cameo_code, modality) values
            ('m1-e', 'm1', 'meet', null, 'Putin', 'Erdogan', '040', 'asserted'),
            ('m2-e', 'm2', 'meet', null, 'Putin', 'Erdogan', '040', 'asserted'),
            ('m3-e', 'm3', 'meet', null, 'Putin', 'Erdogan', '040', 'asserted'),
            ('n1-e', 'n1', 'meet', null, 'Putin', 'Erdogan', '040', 'asserted'),
            ('n2-e', 'n2', 'meet', null, 'Putin', 'Erdogan', '040', 'asserted'),
            ('d1-e', 'n1', 'dated', date '2024-01-09', 'Putin', 'Erdogan', '042', 'asserted'),
            ('d2-e', 'm2', 'dated', date '2024-01-09', 'Putin', 'Erdogan', '042', 'asserted');
        """
    )
    rows = con.execute("select report_key, count_articles, count_sources, count_reports from event_reports order by report_key").fetchall()
    assert rows == [
        ("dated", 2, 2, 2),  # a dated event ties across articles: the folder of n1 ('.') and reuters
        ("meet@2024-01-10", 2, 2, 2),  # m1 (reuters) and m3 (apnews), published the same day
        ("meet@2024-02-20", 1, 1, 1),
        ("meet@n1", 1, 1, 1),  # no publication date: only within its article
        ("meet@n2", 1, 1, 1),
    ]


def test_a_source_is_the_url_host_when_the_article_states_one(con):
    # `articles.url` is the contract's column; this warehouse gets it the way an older one gains
    # any column a newer Wirehouse declares.
    con.execute("alter table articles add column if not exists url varchar")
    con.execute(
        """
        insert into articles (article_id, source_file, content_sha256, body, word_count, url) values
            ('u1', 'feed/a.jsonl', repeat('1', 64), 'b', 1, 'https://www.reuters.com/world/a'),
            ('u2', 'feed/a.jsonl', repeat('2', 64), 'b', 1, 'https://apnews.com/article/b');
        insert into events (event_id, article_id, event_key, event_date, cameo_code) values
            ('u1-e', 'u1', 'k', date '2024-01-01', '040'), ('u2-e', 'u2', 'k', date '2024-01-01', '040');
        """
    )
    assert con.execute("select source_name from event_identities order by event_id").fetchall() == [("www.reuters.com",), ("apnews.com",)]
    assert con.execute("select count_articles, count_sources from event_reports").fetchall() == [(2, 2)]
