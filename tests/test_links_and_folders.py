"""Links and folders: nothing outside the source folder is read, and a folder that cannot be
listed is reported, not lost."""

import os
import shutil
from pathlib import Path

import duckdb

from flows.extract import list_source_files, read_raw_documents
from flows.pipeline import etl

from .conftest import SAMPLES


def test_links_out_of_the_source_folder_are_quarantined_without_their_bytes(tmp_path, prefect_server):
    source, elsewhere, warehouse = tmp_path / "source", tmp_path / "elsewhere", tmp_path / "w.duckdb"
    source.mkdir()
    elsewhere.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "inside.txt")
    shutil.copy(SAMPLES / "003_404ae92723a5d202.txt", elsewhere / "article.txt")
    (source / "passwd.txt").symlink_to("/etc/passwd")
    (source / "linked article.txt").symlink_to(elsewhere / "article.txt")
    (source / "sub").mkdir()
    (source / "sub" / "relative.txt").symlink_to("../../elsewhere/article.txt")
    (source / "link to inside.txt").symlink_to(source / "inside.txt")  # stays inside: read, a duplicate

    state = etl(source=source, warehouse=warehouse, return_state=True)
    assert state.is_completed(), state.message
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        quarantine = con.execute("select source_file, reason, raw_bytes, content_sha256 from quarantine order by 1").fetchall()
        articles = con.execute("select source_file from articles").fetchall()
        statuses = dict(con.execute("select source_file, status from source_files").fetchall())
    finally:
        con.close()
    assert [row[0] for row in quarantine] == ["linked article.txt", "passwd.txt", "sub/relative.txt"]
    for _, reason, raw, sha in quarantine:
        assert reason.startswith("a link to a file outside the source folder: not read") and raw is None and sha is None
    assert articles == [("inside.txt",)]
    assert statuses["link to inside.txt"] == "duplicate"


def test_a_folder_that_cannot_be_listed_gets_a_row_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text("a")
    (tmp_path / "locked" / "deeper").mkdir(parents=True)
    (tmp_path / "locked" / "b.txt").write_text("b")
    real_scandir = os.scandir

    def scandir(path="."):  # root lists through chmod 000, so the refusal is simulated
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files = list_source_files(tmp_path)
    assert [file.relative for file in files] == ["open/a.txt", "locked"]
    problems = dict(read_raw_documents(files).select("source_file", "problem").iter_rows())
    assert problems["open/a.txt"] is None
    assert (
        problems["locked"]
        == "a folder that could not be listed (permission denied): none of its files were read; make it readable and run again"
    )
