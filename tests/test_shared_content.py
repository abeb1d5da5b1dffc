"""Incremental runs over files that share their text: an article lives as long as any file in
the folder still has it, and the file it names is one of them."""

import shutil
from pathlib import Path

import pytest

from flows.pipeline import etl

from .conftest import SAMPLES
from .warehouse_state import rows

ORIGINAL, OTHER = "001_157e3da3141f6957.txt", "003_404ae92723a5d202.txt"


@pytest.fixture(scope="module")
def base(tmp_path_factory, prefect_server):
    """A warehouse after one run over a.txt, its copy b.txt and one other page."""
    root = tmp_path_factory.mktemp("shared")
    source, warehouse = root / "pristine", root / "base.duckdb"
    source.mkdir()
    shutil.copy(SAMPLES / ORIGINAL, source / "a.txt")
    shutil.copy(SAMPLES / ORIGINAL, source / "b.txt")
    shutil.copy(SAMPLES / OTHER, source / "c.txt")
    work = root / "source"
    shutil.copytree(source, work)
    assert etl(source=work, warehouse=warehouse, return_state=True).is_completed()
    statuses = dict(rows(warehouse, "select source_file, status from source_files"))
    assert statuses == {"a.txt": "loaded", "b.txt": "duplicate", "c.txt": "loaded"}
    return source, work, warehouse


@pytest.fixture
def folder(base, tmp_path):
    """The base state again (the source at the same path, so the next run is incremental)."""
    pristine, work, warehouse = base
    shutil.rmtree(work)
    shutil.copytree(pristine, work)
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    return work, copy


def _assert_every_file_has_its_article(source: Path, warehouse: Path) -> None:
    """Every file in the folder that gave text points at an article that exists and is whole;
    each such article names exactly one of them, the one marked `loaded`."""
    current = rows(
        warehouse,
        "select s.source_file, s.status, a.source_file, (select count(*) from entity_mentions m where m.article_id = s.article_id) "
        "from source_files s left join articles a using (article_id) where s.status in ('loaded', 'duplicate') order by 1",
    )
    assert sorted(name for name, *_ in current) == sorted(p.name for p in source.iterdir())
    for name, status, home, mentions in current:
        assert home is not None, f"{name} ({status}) points at no article"
        assert mentions > 0, f"the article of {name} lost its mentions"
        assert (status == "loaded") == (home == name), (name, status, home)
        assert (source / home).exists()


def _run(source: Path, warehouse: Path) -> None:
    state = etl(source=source, warehouse=warehouse, return_state=True)
    assert state.is_completed(), state.message


def _edit(page: Path) -> None:
    page.write_text(page.read_text().replace("the", "that", 1))


@pytest.mark.parametrize(
    "change",
    ["modify the original", "modify the copy", "remove the original", "remove the copy", "rename the original", "rename the copy"],
)
def test_an_article_lives_while_any_file_has_its_text(folder, change):
    source, warehouse = folder
    verb, _, which = change.partition(" the ")
    page = source / ("a.txt" if which == "original" else "b.txt")
    if verb == "modify":
        _edit(page)
    elif verb == "remove":
        page.unlink()
    else:
        page.rename(source / f"renamed {page.name}")
    _run(source, warehouse)
    _assert_every_file_has_its_article(source, warehouse)
    _run(source, warehouse)  # and a run over the unchanged folder changes nothing of it
    _assert_every_file_has_its_article(source, warehouse)


def test_the_shared_article_is_the_same_rows_as_a_fresh_run_gives(folder, tmp_path):
    source, warehouse = folder
    _edit(source / "a.txt")
    _run(source, warehouse)
    fresh = tmp_path / "fresh.duckdb"
    _run(source, fresh)
    sql = "select article_id, source_file, title, body from articles order by 1"
    assert rows(warehouse, sql) == rows(fresh, sql)
    sql = "select article_id, entity_id, mention, start_char from entity_mentions order by all"
    assert rows(warehouse, sql) == rows(fresh, sql)
