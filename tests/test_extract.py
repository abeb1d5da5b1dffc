from pathlib import Path

import polars as pl

from flows.extract import decode, decoded_documents, list_source_files, normalise_text, read_raw_documents

from .conftest import PAGES


def test_every_file_is_found_recursively_in_a_stable_order():
    names = [f.relative for f in list_source_files(PAGES)]
    assert names == [
        "binary_blob.dat",
        "comment_thread_with_commenter_names_and_reply_links.txt",
        "cookie_banner_and_navigation_line_above_the_headline.txt",
        "dateline_with_seconds.txt",
        "dateline_with_time_before_date_and_update.txt",
        "empty.txt",
        "newsletter_box_and_share_bar_inside_the_story.txt",
        "no_dateline.txt",
        "photo.png",
        "widgets_and_spam.txt",
        "windows_1252.txt",
        "nested/utf8_bom_crlf.txt",
        "nested/deeper/boilerplate_only.txt",
    ]


def test_cp1252_curly_quotes_and_ellipsis_decode_as_characters_not_control_codes():
    text, encoding, problem = decode((PAGES / "windows_1252.txt").read_bytes())
    assert (encoding, problem) == ("cp1252", None)
    assert "“This is a step toward dignity for our elders…”" in text
    assert "Chile’s" in text and "89–55" in text
    assert "\x85" not in text and "\x93" not in text


def test_utf8_bom_is_dropped_and_windows_line_endings_normalised():
    text, encoding, problem = decode((PAGES / "nested" / "utf8_bom_crlf.txt").read_bytes())
    assert encoding == "utf-8-sig" and problem is None
    assert text.startswith("Japan and South Korea") and "\r" not in text


def test_empty_and_binary_files_get_a_human_reason():
    assert decode(b"")[2] == "empty file: no text at all"
    assert decode(b"  \n\n ")[2] == "empty file: no text at all"
    assert "PNG image" in decode((PAGES / "photo.png").read_bytes())[2]
    assert "binary file" in decode((PAGES / "binary_blob.dat").read_bytes())[2]


def test_undecodable_bytes_are_reported_not_guessed():
    # 0x81 is undefined in Windows-1252 and invalid UTF-8 here.
    assert decode(b"Plain words then \x81\x81 bytes")[2].startswith("undecodable")


def test_raw_bytes_and_hash_are_kept_for_every_readable_file():
    raw = read_raw_documents(list_source_files(PAGES))
    empty = raw.filter(pl.col("source_file") == "empty.txt").row(0, named=True)
    assert empty["size_bytes"] == 0 and empty["content_sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    png = raw.filter(pl.col("source_file") == "photo.png").row(0, named=True)
    assert png["raw_bytes"] == (PAGES / "photo.png").read_bytes()


def test_oversized_file_is_flagged_before_decoding(tmp_path: Path):
    (tmp_path / "huge.txt").write_text("word " * 1000)
    raw = read_raw_documents(list_source_files(tmp_path), max_bytes=100)
    assert raw["problem"][0].startswith("too large for a news article: 5,000 bytes")


def test_broken_link_becomes_a_problem_not_a_crash(tmp_path: Path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    documents = decoded_documents(read_raw_documents(list_source_files(tmp_path)))
    assert documents["problem"][0].startswith("not a regular file")


def test_normalise_text_removes_control_characters_but_keeps_newlines_and_tabs():
    assert normalise_text("a\x00b\r\nc\rd\te\u0007") == "ab\nc\nd\te"
