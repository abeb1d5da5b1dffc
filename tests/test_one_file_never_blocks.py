"""No single input file can stop a run: a name in any bytes, a story longer than the model
reads, a sentence that quotes a PHP dump. Each is loaded or quarantined with a reason, and the
files beside it load."""

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import batch, extract
from flows.pipeline import etl
from flows.transforms import clean
from flows.validate import validate_tables

from .conftest import SAMPLES
from .warehouse_state import rows

MODEL_LIMIT = 1_000_000  # characters spaCy takes in one text (its default `max_length`)
QUOTING = (
    "Forensic Team Explains the Leak\n\n"
    'Investigators in Oslo said on Monday that the leaked file contained the line string(12) "hello world!" followed by '
    "other debugging output that the attackers had left behind on the server of the ministry.\n\n"
    "The ministry said it had closed the hole and that no personal data of citizens had been taken, according to a "
    "statement published after a meeting of the security council in the capital on Monday evening.\n"
)


def _long_story(characters: int) -> str:
    paragraph = (
        "Officials in Geneva said on Monday that the talks between the two delegations would continue next week, and that "
        "both sides had agreed to meet again after consulting their governments about the proposal number {}."
    )
    lines, size = ["Talks Continue in Geneva", ""], 0
    while size <= characters:
        lines += [paragraph.format(len(lines)), ""]
        size += len(lines[-2]) + 2
    return "\n".join(lines)


def test_a_sentence_quoting_a_php_dump_mid_line_passes_the_code_dump_check():
    documents = pl.DataFrame({"source_file": ["q.txt"], "content_sha256": ["0" * 64], "text": [QUOTING], "encoding": ["utf-8"]})
    articles = clean.clean_pages(documents).articles
    assert 'string(12) "hello world!" followed by' in articles["body"][0]
    parameters = {"article_ids": articles["article_id"].to_list(), "entity_ids": [], "iso3_codes": [], "cameo_codes": [],
                  "now": datetime(2026, 1, 1)}  # fmt: skip
    report = validate_tables("r", {"articles": articles}, parameters)
    assert report.critical_failures.is_empty(), report.verdict()
    # A dump running to the end of its line is what the cleaner removes: one left in a body still fails.
    leaked = articles.with_columns(body=pl.col("body") + '\n\narray(2) "leftover debug output"')
    assert "not_match_regex(body)" in validate_tables("r", {"articles": leaked}, parameters).critical_failures["expectation"][0]


def test_names_in_any_bytes_are_stored_readably_and_lead_back_to_their_file(tmp_path):
    names = [b"caf\xe9.txt", b"plain.txt", b"a\\x41 literal.txt", b"d\xff", b"d\xff/inner\xfe.txt", "é ü.txt".encode()]
    for raw in names:
        path = Path(os.fsdecode(bytes(tmp_path) + b"/" + raw))
        if raw == b"d\xff":
            path.mkdir()
        else:
            path.write_bytes(raw)
    found = {file.relative: file for file in extract.list_source_files(tmp_path)}
    assert set(found) == {"caf\\xe9.txt", "plain.txt", "a\\x5cx41 literal.txt", "d\\xff/inner\\xfe.txt", "é ü.txt"}
    for name, file in found.items():
        assert name.encode("utf-8")  # storable anywhere
        assert extract.source_path(tmp_path, name) == file.path and file.path.read_bytes() == os.fsencode(file.path.relative_to(tmp_path))


def test_a_story_longer_than_the_model_reads_is_quarantined_with_the_reason(tmp_path):
    (tmp_path / "long.txt").write_text(_long_story(MODEL_LIMIT))
    shutil.copy(tmp_path / "long.txt", tmp_path / "long copy.txt")
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", tmp_path / "good.txt")
    tables, _ = batch.transform_files(tmp_path, ["good.txt", "long copy.txt", "long.txt"], "run", extract.MAX_FILE_BYTES)
    assert tables["articles"]["source_file"].to_list() == ["good.txt"]
    reasons = dict(tables["quarantine"].select("source_file", "reason").iter_rows())
    assert set(reasons) == {"long.txt", "long copy.txt"}
    assert reasons["long.txt"].startswith("body too long for the language model: 1000") and reasons["long.txt"].endswith("(limit 1000000)")
    assert dict(tables["source_files"].select("source_file", "status").iter_rows())["long.txt"] == "quarantined"
    assert tables["removed_segments"]["article_id"].is_in(tables["articles"]["article_id"].implode()).all()


def test_a_run_over_every_one_file_blocker_loads_the_rest(tmp_path, prefect_server):
    source, warehouse = tmp_path / "source", tmp_path / "w.duckdb"
    source.mkdir()
    shutil.copy(SAMPLES / "001_157e3da3141f6957.txt", source / "good.txt")
    shutil.copy(SAMPLES / "002_ef4cc92bb32d5d8b.txt", Path(os.fsdecode(bytes(source) + b"/caf\xe9 \xff.txt")))
    (source / "long.txt").write_text(_long_story(MODEL_LIMIT))
    (source / "quoting.txt").write_text(QUOTING)
    state = etl(source=source, warehouse=warehouse, return_state=True)
    assert state.is_completed(), state.message
    assert sorted(r[0] for r in rows(warehouse, "select source_file from articles")) == ["caf\\xe9 \\xff.txt", "good.txt", "quoting.txt"]
    assert rows(warehouse, "select source_file, stage from quarantine") == [("long.txt", "clean")]


_GOOD = ["001_157e3da3141f6957.txt", "003_404ae92723a5d202.txt"]
_names = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))
_contents = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b"\xff\xfe", b"\xef\xbb\xbf", b"%PDF-1.4", b'string(3) "abc"\n' * 40]),
    st.integers(MODEL_LIMIT // 200, MODEL_LIMIT // 180).map(lambda n: _long_story(n * 200).encode()),
)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(hostile=st.dictionaries(_names, _contents, min_size=1, max_size=5))
def test_random_files_beside_good_ones_never_stop_the_good_ones(prefect_server, hostile):
    with tempfile.TemporaryDirectory() as folder:
        source, warehouse = Path(folder) / "source", Path(folder) / "w.duckdb"
        source.mkdir()
        for name in _GOOD:
            shutil.copy(SAMPLES / name, source / name)
        for name, content in hostile.items():
            if os.fsencode(name) not in {n.encode() for n in _GOOD}:
                Path(os.fsdecode(bytes(source) + b"/hostile-" + name)).write_bytes(content)
        state = etl(source=source, warehouse=warehouse, return_state=True)
        assert state.is_completed(), state.message
        recorded = dict(rows(warehouse, "select source_file, status from source_files"))
        assert all(recorded.get(name) in ("loaded", "duplicate") for name in _GOOD), recorded
        assert len(recorded) == len(list(extract.list_source_files(source)))
