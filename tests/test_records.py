"""Record files and HTML pages as pure functions: the pieces the flow test runs end to end."""

import polars as pl

from flows.transforms.html import extract_html
from flows.transforms.records import input_format, record_file_of, split_record_files

SHA = "0" * 64


def _split(name: str, text: str):
    return split_record_files(pl.DataFrame({"source_file": [name], "content_sha256": [SHA], "text": [text], "encoding": ["utf-8"]}))


def test_the_extension_chooses_the_reader():
    assert [input_format(n) for n in ("a.txt", "b.HTML", "c.htm", "d.jsonl", "e.ndjson", "f.CSV", "g.dat", "h")] == [
        "page", "html", "html", "records", "records", "records", "page", "page",
    ]  # fmt: skip


def test_a_record_key_names_its_file_and_other_names_stay_as_they_are():
    names = pl.Series(["feed.jsonl#a-1", "feed.jsonl#line 3", "a#b.txt", "dir/x.csv#7", "plain.txt"])
    assert pl.select(record_file_of(pl.lit(names))).to_series().to_list() == [
        "feed.jsonl",
        "feed.jsonl",
        "a#b.txt",
        "dir/x.csv",
        "plain.txt",
    ]


def test_a_csv_record_spanning_lines_is_quarantined_with_the_line_it_starts_on():
    text = 'id,title,text\n1,One,"first line\nsecond line"\n2,Two,\n3,Three,"Talks were held."\n'
    split = _split("x.csv", text)
    assert split.texts["source_file"].to_list() == ["x.csv#1", "x.csv#3"]
    assert split.texts["body"].to_list() == ["first line\n\nsecond line", "Talks were held."]
    assert split.rejected.rows() == [
        ("x.csv#line 4", SHA, "bad record on line 4: no text (a `text` or `body` field with the article)", 6, b"2,Two,")
    ]


def test_a_repeated_record_id_and_a_record_that_is_not_an_object_are_rejected_alone():
    text = '{"id": "a", "text": "One."}\n\n[1, 2]\n{"id": "a", "text": "Two."}\n{"text": "Three.", "date": "2024-13-45"}\n'
    split = _split("f.ndjson", text)
    assert split.texts["source_file"].to_list() == ["f.ndjson#a"]
    reasons = dict(split.rejected.select("source_file", "reason").rows())
    assert reasons == {
        "f.ndjson#line 3": "bad record on line 3: a JSON list, not an object with fields",
        "f.ndjson#line 4": "bad record on line 4: the record id repeats the record on line 1",
        "f.ndjson#line 5": "bad record on line 5: the date '2024-13-45' is not a date",
    }
    assert split.records.height == 4


def test_an_html_page_without_a_story_has_an_empty_body():
    title, published, _, _, url, body = extract_html("<html><head><title>Menu</title></head><body><nav>Home | World</nav></body></html>")
    assert (published, url, body) == (None, None, "")


def test_a_csv_record_longer_than_the_csv_modules_default_field_cap_is_read():
    split = _split("long.csv", 'id,text\n1,"' + "word " * 40_000 + '"\n')
    assert split.rejected.is_empty() and split.texts["body"].str.len_chars().item() > 131_072
