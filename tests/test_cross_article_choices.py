"""Choices made across articles (an entity's name and country by most mentions, and the actor
countries of events that take it) do not depend on how files were split into runs or batches."""

import shutil

import pytest

from flows.pipeline import etl

from .conftest import FIXTURES
from .warehouse_state import rows, snapshot

# Two articles call the envoy Ugandan, one Kenyan, one says nothing: most mentions say UGA.
MAJORITY = FIXTURES / "majority"
FIRST_RUN = ["two_articles_call_him_ugandan_a.jsonl", "two_articles_call_him_ugandan_b.jsonl"]
CHOSEN = ("entities", "entity_mentions", "entity_aliases", "events")


def _run(source, warehouse, **options) -> None:
    assert etl(source=source, warehouse=warehouse, return_state=True, **options).is_completed()


@pytest.fixture(scope="module")
def one_run(tmp_path_factory, prefect_server):
    warehouse = tmp_path_factory.mktemp("one") / "w.duckdb"
    _run(MAJORITY, warehouse)
    return warehouse


def _chosen(warehouse):
    state = snapshot(warehouse, ignore_run_ids=True)
    return {table: state[table] for table in CHOSEN}


def test_an_entitys_country_is_what_most_of_its_mentions_say_and_its_events_take_it(one_run):
    assert rows(one_run, "select name, country from entities where name like '%Wrenfield'") == [("Tobias Wrenfield", "UGA")]
    # The article that says nothing takes the entity's country; the one that says Kenyan keeps its own.
    countries = rows(
        one_run,
        "select a.source_file, e.actor1_country from events e join articles a using (article_id) "
        "where e.actor1_name = 'Tobias Wrenfield' order by 1",
    )
    assert {file.split("#")[0]: country for file, country in countries} == {
        "one_article_calls_him_kenyan.jsonl": "KEN",
        "one_article_does_not_say.jsonl": "UGA",
        "two_articles_call_him_ugandan_a.jsonl": "UGA",
        "two_articles_call_him_ugandan_b.jsonl": "UGA",
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, prefect_server):
    """The same files in two runs: the Ugandan articles first, then the others."""
    root = tmp_path_factory.mktemp("two")
    source, warehouse = root / "source", root / "w.duckdb"
    source.mkdir()
    for name in FIRST_RUN:
        shutil.copy(MAJORITY / name, source / name)
    _run(source, warehouse)
    for path in MAJORITY.iterdir():
        shutil.copy(path, source / path.name)
    _run(source, warehouse)
    return warehouse


def test_two_runs_choose_what_one_run_chooses(one_run, two_runs):
    assert _chosen(two_runs) == _chosen(one_run)


def test_two_batches_choose_what_one_batch_chooses(one_run, tmp_path):
    from prefect.task_runners import ThreadPoolTaskRunner

    # Two batches of two files (the Kenyan article's first). Threads, not the process pool: the
    # batches are split and loaded alike, without starting two workers with the model.
    warehouse = tmp_path / "w.duckdb"
    flow = etl.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
    assert flow(source=MAJORITY, warehouse=warehouse, batch_files=2, return_state=True).is_completed()
    assert _chosen(warehouse) == _chosen(one_run)


def test_replacing_articles_recounts_their_entitys_mentions(prefect_server, tmp_path):
    source, warehouse = tmp_path / "source", tmp_path / "w.duckdb"
    shutil.copytree(MAJORITY, source)
    _run(source, warehouse)
    for name in FIRST_RUN:  # both Ugandan articles now call him Kenyan
        path = source / name
        path.write_text(path.read_text(encoding="utf-8").replace("Ugandan envoy", "Kenyan envoy"), encoding="utf-8")
    _run(source, warehouse)
    assert rows(warehouse, "select country from entities where name = 'Tobias Wrenfield'") == [("KEN",)]
    unstated = "select e.actor1_country from events e join articles a using (article_id) where a.source_file like 'one_article_does%'"
    assert rows(warehouse, unstated) == [("KEN",)]


def test_an_actor_whose_entity_has_no_country_keeps_the_one_its_phrase_gave(prefect_server, tmp_path):
    source, warehouse = tmp_path / "source", tmp_path / "w.duckdb"
    source.mkdir()
    (source / "clerics.txt").write_text("Clerics\n\nMuslim clerics in Indonesia criticised Malaysia on Friday.\n", encoding="utf-8")
    _run(source, warehouse)
    assert rows(warehouse, "select actor1_country, actor2_country from events where cameo_code like '11%'") == [("IDN", "MYS")]
