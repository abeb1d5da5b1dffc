"""The warehouse's events in the field's formats: frame in (sql/exports/events.sql, one row per
event), frame out, one column per published field in its published order. Nothing here reads or
writes a file; flows/export.py does.

What each format gets and what stays empty is listed in the README (*Exports*).
"""

from __future__ import annotations

import polars as pl

# GDELT 2.0 event export, in the order of GDELT's codebook (no header in the files).
_GDELT_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
    "Type3Code",
)  # fmt: skip
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{field}" for field in _GDELT_ACTOR)
    + tuple(f"Actor2{field}" for field in _GDELT_ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
       "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{field}" for who in ("Actor1", "Actor2", "Action") for field in _GDELT_GEO)
    + ("DATEADDED", "SOURCEURL")
)  # fmt: skip

# POLECAT's weekly release files (tab-separated, with this header).
POLECAT_COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title", "Actor Name Raw",
    "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors", "Recipient Title",
    "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
)  # fmt: skip

# A PLOVER record (the PLOVER manual's JSON field names), one JSON object per line.
PLOVER_FIELDS = (
    "id", "date", "date_precision", "event", "mode", "context", "actor", "actor_country", "actor_sector", "recipient",
    "recipient_country", "recipient_sector", "event_loc", "event_text", "text", "source", "url", "publication_date", "language",
    "version",
)  # fmt: skip

QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
# The sector codes events.actor1_type/actor2_type use, in POLECAT's words.
SECTOR_NAMES = {
    "GOV": "Government", "MIL": "Military", "REB": "Rebel", "OPP": "Opposition", "BUS": "Business", "MED": "Media",
    "CVL": "Civilian", "IGO": "Intergovernmental Organization", "NGO": "Non-Governmental Organization", "COP": "Police",
    "JUD": "Judicial", "LEG": "Legislative", "SPY": "Intelligence", "INS": "Insurgent", "CRM": "Criminal", "EDU": "Education",
    "HLH": "Health", "LAB": "Labor", "REF": "Refugee", "ELI": "Elite", "PTY": "Party", "UAF": "Armed Group",
}  # fmt: skip
# English only: the spaCy model and the dictionaries are English.
LANGUAGE = "en"


def gdelt_events(events: pl.DataFrame, fips: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """One row per event in GDELT 2.0's 61 columns, every value a string ('' for none).

    `fips` maps ISO alpha-3 to FIPS 10-4 (iso3, fips); `countries` names each ISO code
    (iso3, term: a lower-case name), to tell a country-wide place from a city."""
    when = pl.coalesce(pl.col("event_date"), pl.col("published_at").dt.date())
    place_is_country = _place_is_country(countries)
    action_fips = pl.col("location_country").replace_strict(_mapping(fips, "iso3", "fips"), default=None)
    frame = events.with_columns(_when=when, _place_is_country=place_is_country, _action_fips=action_fips, _lead=_lead_end())
    columns = {
        "GLOBALEVENTID": _global_id(),
        "SQLDATE": pl.col("_when").dt.strftime("%Y%m%d"),
        "MonthYear": pl.col("_when").dt.strftime("%Y%m"),
        "Year": pl.col("_when").dt.strftime("%Y"),
        "FractionDate": (pl.col("_when").dt.year() + pl.col("_when").dt.ordinal_day() / 365).round(4).cast(pl.String),
        **_gdelt_actor(1),
        **_gdelt_actor(2),
        "IsRootEvent": (pl.col("evidence_start").fill_null(0) < pl.col("_lead")).cast(pl.Int8).cast(pl.String),
        "EventCode": pl.col("cameo_code"),
        "EventBaseCode": pl.col("cameo_code").str.slice(0, 3),
        "EventRootCode": pl.col("cameo_root"),
        "QuadClass": pl.col("quad_class").cast(pl.String),
        "GoldsteinScale": pl.col("goldstein").cast(pl.String),
        "NumMentions": pl.col("count_reports").cast(pl.String),
        "NumSources": pl.col("count_sources").cast(pl.String),
        "NumArticles": pl.col("count_articles").cast(pl.String),
        "ActionGeo_Type": pl.when(pl.col("location_name").is_null())
        .then(None)
        .when("_place_is_country")
        .then(pl.lit("1"))
        .otherwise(pl.lit("4")),
        "ActionGeo_FullName": pl.col("location_name"),
        "ActionGeo_CountryCode": pl.col("_action_fips"),
        "ActionGeo_ADM1Code": pl.when("_place_is_country").then(pl.col("_action_fips")),
        "ActionGeo_Lat": pl.col("latitude").cast(pl.String),
        "ActionGeo_Long": pl.col("longitude").cast(pl.String),
        "ActionGeo_FeatureID": pl.when("_place_is_country").then(pl.col("_action_fips")),
        "DATEADDED": pl.col("loaded_at").dt.strftime("%Y%m%d%H%M%S"),
        "SOURCEURL": pl.coalesce("url", "source_file"),
    }
    return frame.select(_flat(columns.get(name, pl.lit(None)), name) for name in GDELT_COLUMNS)


def polecat_events(events: pl.DataFrame, countries: pl.DataFrame, version: str) -> pl.DataFrame:
    """One row per event in POLECAT's release columns, every value a string ('' for none)."""
    place_is_country = _place_is_country(countries)
    columns = {
        "Event ID": pl.col("event_id"),
        "Event Date": pl.col("event_date").dt.strftime("%Y-%m-%d"),
        "Event Type": pl.col("plover_event"),
        "Event Mode": pl.col("plover_mode"),
        "Quad Code": pl.col("quad_class").replace_strict(QUAD_NAMES, default=None, return_dtype=pl.String),
        "Contexts": pl.col("plover_context").str.replace_all(r"\s*;\s*", ";"),
        **_polecat_actor(1, "Actor"),
        **_polecat_actor(2, "Recipient"),
        "Placename": pl.col("location_name"),
        "City": pl.when(~place_is_country).then(pl.col("location_name")),
        "Country": pl.col("location_country"),
        "Latitude": pl.col("latitude").cast(pl.String),
        "Longitude": pl.col("longitude").cast(pl.String),
        "Raw Placename": pl.col("location_name"),
        "Feature Type": pl.when(pl.col("location_name").is_null())
        .then(None)
        .when(place_is_country)
        .then(pl.lit("PCLI"))
        .otherwise(pl.lit("PPL")),
        "Source": pl.coalesce("url", "source_file"),
        "Publication Date": pl.col("published_at").dt.strftime("%Y-%m-%d"),
        "Story People": pl.col("story_people"),
        "Story Organizations": pl.col("story_organizations"),
        "Story Locations": pl.col("story_locations"),
        "Language": pl.lit(LANGUAGE),
        "Version": pl.lit(f"wirehouse {version}"),
    }
    return events.select(_flat(columns.get(name, pl.lit(None)), name) for name in POLECAT_COLUMNS)


def plover_records(events: pl.DataFrame, version: str) -> pl.DataFrame:
    """One row per event as a PLOVER record; nested fields (context, event_loc) as lists and structs."""
    sector = lambda n: pl.col(f"actor{n}_type").replace_strict(SECTOR_NAMES, default=pl.col(f"actor{n}_type"))  # noqa: E731
    columns = {
        "id": pl.col("event_id"),
        "date": pl.col("event_date").dt.strftime("%Y-%m-%d"),
        "date_precision": pl.col("date_precision"),
        "event": pl.col("plover_event"),
        "mode": pl.col("plover_mode"),
        "context": pl.col("plover_context").str.split(";").list.eval(pl.element().str.strip_chars()).list.filter(pl.element() != ""),
        "actor": pl.col("actor1_name"),
        "actor_country": pl.col("actor1_country"),
        "actor_sector": sector(1),
        "recipient": pl.col("actor2_name"),
        "recipient_country": pl.col("actor2_country"),
        "recipient_sector": sector(2),
        "event_loc": pl.when(pl.col("location_name").is_not_null()).then(
            pl.struct(
                name=pl.col("location_name"),
                countryCode=pl.col("location_country"),
                lat=pl.col("latitude"),
                lon=pl.col("longitude"),
                source=pl.col("location_source"),
            )
        ),  # fmt: skip
        "event_text": pl.col("evidence"),
        "text": pl.col("body"),
        "source": pl.col("source_file"),
        "url": pl.col("url"),
        "publication_date": pl.col("published_at").dt.strftime("%Y-%m-%d"),
        "language": pl.lit(LANGUAGE),
        "version": pl.lit(f"wirehouse {version}"),
    }
    return events.select(columns[name].alias(name) for name in PLOVER_FIELDS)


def _gdelt_actor(n: int) -> dict[str, pl.Expr]:
    """CAMEO actor code = country + sector (`USAGOV`), GDELT's upper-case name."""
    country, kind = pl.col(f"actor{n}_country"), pl.col(f"actor{n}_type")
    return {
        f"Actor{n}Code": pl.concat_str(country.fill_null(""), kind.fill_null("")).replace("", None),
        f"Actor{n}Name": pl.col(f"actor{n}_name").str.to_uppercase(),
        f"Actor{n}CountryCode": country,
        f"Actor{n}Type1Code": kind,
    }


def _polecat_actor(n: int, role: str) -> dict[str, pl.Expr]:
    sector = pl.col(f"actor{n}_type").replace_strict(SECTOR_NAMES, default=pl.col(f"actor{n}_type"))
    return {
        f"{role} Name": pl.col(f"actor{n}_name"),
        f"{role} Country": pl.col(f"actor{n}_country"),
        f"Primary {role} Sector": sector,
        f"{role} Sectors": sector,
        f"{role} Name Raw": pl.col(f"actor{n}_name"),
    }


def _global_id() -> pl.Expr:
    """GDELT's id is an integer: the first 15 hex digits of the stable event id (fits an int64)."""
    return pl.col("event_id").str.slice(0, 15).str.to_integer(base=16, strict=False).cast(pl.String)


def _lead_end() -> pl.Expr:
    """Where the body's first paragraph ends: GDELT's root events are those of the lead."""
    end = pl.col("body").str.find("\n\n")
    return pl.coalesce(end, pl.col("body").str.len_chars(), pl.lit(0))


def _place_is_country(countries: pl.DataFrame) -> pl.Expr:
    """The place is a whole country: its name is one of its country's names."""
    named = countries.select(pl.concat_str(pl.col("iso3"), pl.lit("|"), pl.col("term").str.to_lowercase())).to_series().to_list()
    place = pl.concat_str(pl.col("location_country"), pl.lit("|"), pl.col("location_name").str.to_lowercase())
    return place.is_in(named).fill_null(False)


def _mapping(frame: pl.DataFrame, key: str, value: str) -> dict[str, str]:
    return dict(frame.select(key, value).unique(key, keep="first").iter_rows())


def _flat(expr: pl.Expr, name: str) -> pl.Expr:
    """A tab-separated field: a string with no tab or line break, '' for none."""
    return expr.cast(pl.String).str.replace_all(r"[\t\r\n]+", " ").fill_null("").alias(name)
