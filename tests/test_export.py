"""`wirehouse export`: each format's published column list, and one row of a tiny warehouse built
with the real DDL (rows inserted by column name) against a hand-made expectation."""

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from flows.cli import main
from flows.load import connect, ensure_schema, export_events
from flows.transforms.exports import GDELT_COLUMNS, PLOVER_FIELDS, POLECAT_COLUMNS, gdelt_events, plover_records, polecat_events

WIREHOUSE = Path(sys.executable).parent / "wirehouse"

# Two articles from two sources reporting one visit; the second loaded by a later run.
_ROWS = """
insert into runs (run_id, started_at, finished_at, status) values
    ('run-one', timestamp '2024-03-05 12:00:00', timestamp '2024-03-05 12:00:09', 'completed'),
    ('run-two', timestamp '2024-03-08 06:30:00', timestamp '2024-03-08 06:30:05', 'completed');
insert into articles (article_id, source_file, content_sha256, title, published_at, published_precision, body, word_count) values
    ('a1', 'reuters/visit.txt', repeat('1', 64), 'Putin in Ankara', timestamp '2024-03-05 10:00:00', 'second',
     'Putin visited Ankara on Monday.' || chr(10) || chr(10) || 'Talks went on.', 8),
    ('a2', 'apnews/visit.txt', repeat('2', 64), 'Visit', timestamp '2024-03-07 09:00:00', 'second', 'Erdogan hosted Putin.', 3);
insert into source_files (source_root, source_file, content_sha256, status, article_id, first_seen_run_id, last_changed_run_id) values
    ('/news', 'reuters/visit.txt', repeat('1', 64), 'loaded', 'a1', 'run-one', 'run-one'),
    ('/news', 'apnews/visit.txt', repeat('2', 64), 'loaded', 'a2', 'run-two', 'run-two');
insert into entities (entity_id, name, type, country, latitude, longitude) values
    ('e1', 'Vladimir Putin', 'PERSON', 'RUS', null, null), ('e2', 'Recep Tayyip Erdogan', 'PERSON', 'TUR', null, null),
    ('e3', 'Ankara', 'LOC', 'TUR', 39.93, 32.86), ('e4', 'Kremlin', 'ORG', 'RUS', null, null);
insert into entity_mentions (article_id, entity_id, mention, start_char, end_char) values
    ('a1', 'e1', 'Putin', 0, 5), ('a1', 'e3', 'Ankara', 14, 20), ('a1', 'e4', 'Kremlin', 40, 47), ('a2', 'e2', 'Erdogan', 0, 7);
insert into events (event_id, article_id, event_key, event_date, date_precision, actor1_id, actor1_name, actor1_country,
                    actor2_id, actor2_name, actor2_country, cameo_code, cameo_root, quad_class, goldstein, location_name,
                    location_country, latitude, longitude, modality, evidence, evidence_start, evidence_end, actor1_type,
                    actor2_type, plover_event, plover_mode, plover_context, location_source) values
    ('0123456789abcdef', 'a1', 'k-visit', date '2024-03-04', 'day', 'e1', 'Vladimir Putin', 'RUS', 'e2', 'Recep Tayyip Erdogan',
     'TUR', '042', '04', 1, 1.9, 'Ankara', 'TUR', 39.93, 32.86, 'asserted', 'Putin visited Ankara on Monday.', 0, 31, 'GOV', 'GOV',
     'CONSULT', 'visit', 'diplomatic', 'sentence'),
    ('fedcba9876543210', 'a2', 'k-visit', date '2024-03-04', 'day', 'e1', 'Vladimir Putin', 'RUS', 'e2', 'Recep Tayyip Erdogan',
     'TUR', '042', '04', 1, 1.9, 'Turkey', 'TUR', 39.0, 35.0, 'asserted', 'Erdogan hosted Putin.', 0, 21, 'GOV', 'GOV',
     'CONSULT', 'visit', 'diplomatic', 'clause');
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "news.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        con.execute(_ROWS)
    return path


def _export(warehouse: Path, tmp_path: Path, fmt: str, *since: str) -> Path:
    output = tmp_path / f"events.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(output), "--warehouse", str(warehouse), *since]) == 0
    return output


def _tsv(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


def test_gdelt_has_the_61_columns_of_the_gdelt_2_event_export_in_order():
    assert len(GDELT_COLUMNS) == 61 and len(set(GDELT_COLUMNS)) == 61
    assert GDELT_COLUMNS[:7] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name")
    assert GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                                    "NumMentions", "NumSources", "NumArticles", "AvgTone")  # fmt: skip
    assert GDELT_COLUMNS[35] == "Actor1Geo_Type" and GDELT_COLUMNS[51] == "ActionGeo_Type" and GDELT_COLUMNS[58] == "ActionGeo_FeatureID"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_row_is_the_hand_made_one(warehouse, tmp_path):
    rows = _tsv(_export(warehouse, tmp_path, "gdelt"))
    assert [len(row) for row in rows] == [61, 61]  # no header: GDELT's files have none
    expected = {
        "GLOBALEVENTID": str(int("0123456789abcde", 16)), "SQLDATE": "20240304", "MonthYear": "202403", "Year": "2024",
        "FractionDate": "2024.1753",
        "Actor1Code": "RUSGOV", "Actor1Name": "VLADIMIR PUTIN", "Actor1CountryCode": "RUS", "Actor1Type1Code": "GOV",
        "Actor2Code": "TURGOV", "Actor2Name": "RECEP TAYYIP ERDOGAN", "Actor2CountryCode": "TUR", "Actor2Type1Code": "GOV",
        # Where each actor is, at the level coded: its country (GDELT geo type 1, FIPS codes, no coordinates).
        "Actor1Geo_Type": "1", "Actor1Geo_FullName": "Russia", "Actor1Geo_CountryCode": "RS", "Actor1Geo_ADM1Code": "RS",
        "Actor1Geo_FeatureID": "RS",
        "Actor2Geo_Type": "1", "Actor2Geo_FullName": "Turkey", "Actor2Geo_CountryCode": "TU", "Actor2Geo_ADM1Code": "TU",
        "Actor2Geo_FeatureID": "TU",
        "IsRootEvent": "1", "EventCode": "042", "EventBaseCode": "042", "EventRootCode": "04", "QuadClass": "1", "GoldsteinScale": "1.9",
        "NumMentions": "2", "NumSources": "2", "NumArticles": "2",
        "ActionGeo_Type": "4", "ActionGeo_FullName": "Ankara", "ActionGeo_CountryCode": "TU", "ActionGeo_Lat": "39.93",
        "ActionGeo_Long": "32.86", "DATEADDED": "20240305120000", "SOURCEURL": "reuters/visit.txt",
    }  # fmt: skip
    assert dict(zip(GDELT_COLUMNS, rows[0])) == {name: expected.get(name, "") for name in GDELT_COLUMNS}
    second = dict(zip(GDELT_COLUMNS, rows[1]))
    # A country-wide place is GDELT's geo type 1, with the FIPS code as its ADM1 and feature id.
    assert (second["ActionGeo_Type"], second["ActionGeo_ADM1Code"], second["ActionGeo_FeatureID"]) == ("1", "TU", "TU")


def test_polecat_has_its_release_header_and_the_hand_made_row(warehouse, tmp_path):
    header, first, _ = _tsv(_export(warehouse, tmp_path, "polecat"))
    assert tuple(header) == POLECAT_COLUMNS and len(header) == 40
    assert header[:7] == ["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts"]
    assert header[-6:] == ["Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version"]
    row = dict(zip(header, first))
    version = row.pop("Version")
    assert version.startswith("wirehouse ")
    expected = {
        "Event ID": "0123456789abcdef", "Event Date": "2024-03-04", "Event Type": "CONSULT", "Event Mode": "visit",
        "Event Intensity": "1.9", "Quad Code": "VERBAL COOPERATION", "Contexts": "diplomatic",
        "Actor Name": "Vladimir Putin", "Actor Country": "RUS", "Actor COW": "365", "Primary Actor Sector": "Government",
        "Actor Sectors": "Government", "Actor Name Raw": "Vladimir Putin",
        "Recipient Name": "Recep Tayyip Erdogan", "Recipient Country": "TUR", "Recipient COW": "640", "Primary Recipient Sector": "Government",
        "Recipient Sectors": "Government", "Recipient Name Raw": "Recep Tayyip Erdogan",
        "Placename": "Ankara", "City": "Ankara", "Country": "TUR", "Latitude": "39.93", "Longitude": "32.86", "Raw Placename": "Ankara",
        "Feature Type": "PPL", "Source": "reuters/visit.txt", "Publication Date": "2024-03-05", "Story People": "Vladimir Putin",
        "Story Organizations": "Kremlin", "Story Locations": "Ankara", "Language": "en",
    }  # fmt: skip
    assert row == {name: expected.get(name, "") for name in POLECAT_COLUMNS if name != "Version"}


def test_plover_is_json_lines_with_the_spec_fields(warehouse, tmp_path):
    first, second = (json.loads(line) for line in _export(warehouse, tmp_path, "plover").read_text().splitlines())
    assert tuple(first) == PLOVER_FIELDS
    coder = first["cite_info"].pop("coder")
    assert coder.startswith("wirehouse ")
    assert first == {
        "id": "0123456789abcdef", "date": "2024-03-04",
        "source": [{"code": "RUS", "sector": "GOV", "actor_text": "Vladimir Putin"}],
        "recipient": [{"code": "TUR", "sector": "GOV", "actor_text": "Recep Tayyip Erdogan"}],
        "event": ["CONSULT"],
        "event_loc": {"name": "Ankara", "latitude": 39.93, "longitude": 32.86, "cc3": "TUR", "feature class": "P",
                      "feature code": "PPL", "location_source": "sentence"},
        "event_text": ["Putin visited Ankara on Monday."], "quad_code": 1, "event_scale": 1.9, "mode": ["visit"],
        "context": ["diplomatic"], "text": "Putin visited Ankara on Monday.\n\nTalks went on.",
        "cite_info": {"url": None, "citation": "reuters/visit.txt", "title": "Putin in Ankara", "publication_date": "2024-03-05",
                      "language": "en", "codebook": "CAMEO2PLOVER-2021 (PLOVER draft 0.8)"},
        "coded_date": "2024-03-05", "date_precision": "day", "actor": "Vladimir Putin",
    }  # fmt: skip
    assert second["id"] == "fedcba9876543210"
    assert (second["event_loc"]["feature class"], second["event_loc"]["feature code"]) == ("A", "PCLI")  # Turkey, the country


def test_plover_actor_codes_and_sectors_are_plovers_and_gdelt_places_only_known_countries(warehouse):
    events = export_events(warehouse).head(1).with_columns(
        actor1_country=pl.lit(None, pl.String), actor1_type=pl.lit("IGO"), actor1_name=pl.lit("United Nations"),
        actor2_type=pl.lit("MED"),
    )  # fmt: skip
    countries = pl.DataFrame({"iso3": ["TUR"], "term": ["turkey"], "country_name": ["Turkey"]})
    record = plover_records(events, countries, "test").row(0, named=True)
    assert record["source"] == [{"code": "IGO", "sector": None, "actor_text": "United Nations"}]  # a non-state code, no state
    assert record["recipient"] == [{"code": "TUR", "sector": "JRN", "actor_text": "Recep Tayyip Erdogan"}]  # CAMEO's media
    row = gdelt_events(events, pl.DataFrame({"iso3": ["TUR"], "fips": ["TU"]}), countries).row(0, named=True)
    assert [row[f"Actor1Geo_{field}"] for field in ("Type", "FullName", "CountryCode", "Lat", "Long")] == ["", "", "", "", ""]
    assert [row[f"Actor2Geo_{field}"] for field in ("Type", "FullName", "CountryCode", "Lat", "Long")] == ["1", "Turkey", "TU", "", ""]


def test_hypothetical_and_negated_events_say_so_in_plovers_context_keeping_their_mode(warehouse):
    """The PLOVER manual puts hypothetical and negated events in `context` ("hypothetical",
    "negation") and keeps `mode` for how the event was done; POLECAT's Contexts follow."""
    events = pl.concat(
        export_events(warehouse).head(1).with_columns(modality=pl.lit(modality), plover_context=pl.lit(context, pl.String))
        for modality, context in (("asserted", "diplomatic"), ("hypothetical", "diplomatic"), ("negated", None))
    )
    countries = pl.DataFrame({"iso3": ["TUR"], "term": ["turkey"], "country_name": ["Turkey"]})
    records = plover_records(events, countries, "test").select("mode", "context").rows()
    assert records == [(["visit"], ["diplomatic"]), (["visit"], ["diplomatic", "hypothetical"]), (["visit"], ["negation"])]
    cow = pl.DataFrame({"iso3": ["TUR"], "cow": ["640"]})
    contexts = polecat_events(events, countries, cow, "test").select("Event Mode", "Contexts").rows()
    assert contexts == [("visit", "diplomatic"), ("visit", "diplomatic;hypothetical"), ("visit", "negation")]


def test_since_takes_a_date_or_a_run(warehouse, tmp_path):
    def ids(*since):
        path = _export(warehouse, tmp_path, "plover", *since)
        return [json.loads(line)["id"] for line in path.read_text().splitlines()]

    assert ids("--since", "2024-03-06") == ["fedcba9876543210"]  # published on the 7th, loaded on the 8th
    assert ids("--since", "2024-03-01") == ["0123456789abcdef", "fedcba9876543210"]
    assert ids("--since", "run-two") == ["fedcba9876543210"]
    assert ids("--since", "run-o") == ["0123456789abcdef", "fedcba9876543210"]  # a prefix, as the summary shows it


def test_export_through_the_real_command_and_a_bad_since_is_one_line(warehouse, tmp_path):
    output = tmp_path / "gdelt.tsv"
    done = subprocess.run([str(WIREHOUSE), "export", "--format", "gdelt", "--output", str(output), "--warehouse", str(warehouse)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0 and done.stderr == f"wrote 2 events to {output} (gdelt)\n"
    assert pl.read_csv(output, separator="\t", has_header=False, infer_schema=False).shape == (2, 61)
    done = subprocess.run([str(WIREHOUSE), "export", "--format", "plover", "--output", str(output), "--warehouse", str(warehouse),
                           "--since", "yesterday"], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "'yesterday' is not a date (YYYY-MM-DD) and no run of this warehouse has that id" in done.stderr
