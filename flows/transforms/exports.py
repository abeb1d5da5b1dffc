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

# A PLOVER record, one JSON object per line: the fields of the PLOVER manual's "PLOVER JSON"
# table (draft 0.8, openeventdata/PLOVER) this project has, then two of its own: `date_precision`,
# and `actor`, the source actor's name as earlier exports gave it (CONTRACT.md).
PLOVER_FIELDS = (
    "id", "date", "source", "recipient", "event", "event_loc", "event_text", "quad_code", "event_scale", "mode", "context",
    "text", "cite_info", "coded_date", "date_precision", "actor",
)  # fmt: skip
# The manual's codebook reference for what the crosswalk gives (`cite_info.codebook`).
PLOVER_CODEBOOK = "CAMEO2PLOVER-2021 (PLOVER draft 0.8)"
# CAMEO sector codes PLOVER renames or folds (PLOVER manual 0.8, "Sector Primary Code" and its
# notes: MED is health there, media is JRN; ELI became CVL; INS and SEP became REB); the rest are the same.
PLOVER_SECTORS = {"MED": "JRN", "HLH": "MED", "ELI": "CVL", "INS": "REB", "SEP": "REB"}
# An event's modality in PLOVER's words: the manual (draft 0.8, "Event, Mode, and Context") puts
# hypothetical and negated events in `context` ("hypothetical", "negation") and keeps `mode` for how
# the event was done, which the crosswalk gives; an asserted event adds no context.
PLOVER_MODALITY_CONTEXTS = {"hypothetical": "hypothetical", "negated": "negation"}
# PLOVER's non-state actor codes, which stand where a state's ISO code would.
PLOVER_NON_STATE = ("IGO", "NGO", "ISM", "IMG", "MNC")

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
    (iso3, term: a lower-case name, country_name: its display name), to tell a country-wide
    place from a city and to name an actor's country."""
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
        **_gdelt_actor_geo(1, fips, countries),
        **_gdelt_actor_geo(2, fips, countries),
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


def polecat_events(events: pl.DataFrame, countries: pl.DataFrame, cow: pl.DataFrame, version: str) -> pl.DataFrame:
    """One row per event in POLECAT's release columns, every value a string ('' for none).

    `cow` maps ISO alpha-3 to the Correlates of War state number (iso3, cow)."""
    place_is_country = _place_is_country(countries)
    cow_codes = _mapping(cow, "iso3", "cow")
    columns = {
        "Event ID": pl.col("event_id"),
        "Event Date": pl.col("event_date").dt.strftime("%Y-%m-%d"),
        "Event Type": pl.col("plover_event"),
        "Event Mode": pl.col("plover_mode"),
        # POLECAT's intensity is PLOVER's score, derived from Goldstein values; the code's Goldstein value stands in.
        "Event Intensity": pl.col("goldstein"),
        "Quad Code": pl.col("quad_class").replace_strict(QUAD_NAMES, default=None, return_dtype=pl.String),
        "Contexts": _plover_contexts().list.join(";"),
        **_polecat_actor(1, "Actor", cow_codes),
        **_polecat_actor(2, "Recipient", cow_codes),
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


def plover_records(events: pl.DataFrame, countries: pl.DataFrame, version: str) -> pl.DataFrame:
    """One row per event as a PLOVER record; the manual's lists and objects as lists and structs.
    `countries` as for gdelt_events: a place named as its country is a country (GeoNames A/PCLI)."""
    one = lambda column: pl.concat_list(pl.col(column)).list.drop_nulls()  # noqa: E731  (the manual's lists of one)
    is_country = _place_is_country(countries)
    columns = {
        "id": pl.col("event_id"),
        "date": pl.col("event_date").dt.strftime("%Y-%m-%d"),
        "source": _plover_actors(1),
        "recipient": _plover_actors(2),
        "event": one("plover_event"),
        "event_loc": pl.when(pl.col("location_name").is_not_null()).then(
            pl.struct(
                name=pl.col("location_name"),
                latitude=pl.col("latitude"),
                longitude=pl.col("longitude"),
                cc3=pl.col("location_country"),
                **{
                    "feature class": pl.when(is_country).then(pl.lit("A")).otherwise(pl.lit("P")),
                    "feature code": pl.when(is_country).then(pl.lit("PCLI")).otherwise(pl.lit("PPL")),
                },
                location_source=pl.col("location_source"),
            )
        ),  # fmt: skip
        "event_text": one("evidence"),
        "quad_code": pl.col("quad_class").cast(pl.Int64),
        "event_scale": pl.col("goldstein"),
        "mode": one("plover_mode"),
        "context": _plover_contexts(),
        "text": pl.col("body"),
        "cite_info": pl.struct(
            url=pl.col("url"),
            citation=pl.col("source_file"),
            title=pl.col("title"),
            publication_date=pl.col("published_at").dt.strftime("%Y-%m-%d"),
            language=pl.lit(LANGUAGE),
            coder=pl.lit(f"wirehouse {version}"),
            codebook=pl.lit(PLOVER_CODEBOOK),
        ),
        "coded_date": pl.col("loaded_at").dt.strftime("%Y-%m-%d"),
        "date_precision": pl.col("date_precision"),
        "actor": pl.col("actor1_name"),
    }
    return events.select(columns[name].alias(name) for name in PLOVER_FIELDS)


def _plover_contexts() -> pl.Expr:
    """The crosswalk's contexts of the event's code, then its modality's (PLOVER_MODALITY_CONTEXTS)."""
    crosswalk = pl.col("plover_context").fill_null("").str.split(";").list.eval(pl.element().str.strip_chars())
    modality = pl.col("modality").replace_strict(PLOVER_MODALITY_CONTEXTS, default=None, return_dtype=pl.String)
    return pl.concat_list(crosswalk, modality).list.filter(pl.element().is_not_null() & (pl.element() != ""))


def _plover_actors(n: int) -> pl.Expr:
    """The manual's list of actor objects: `code` (ISO alpha-3, or a non-state code such as IGO),
    `sector` (PLOVER's three letters) and `actor_text` (the actor as coded); empty with no actor."""
    sector = pl.col(f"actor{n}_type").replace(PLOVER_SECTORS)
    non_state = pl.col(f"actor{n}_country").is_null() & sector.is_in(PLOVER_NON_STATE)
    actor = pl.struct(
        code=pl.when(non_state).then(sector).otherwise(pl.col(f"actor{n}_country")),
        sector=pl.when(~non_state).then(sector),
        actor_text=pl.col(f"actor{n}_name"),
    )
    return pl.concat_list(actor).list.filter(pl.element().struct.field("actor_text").is_not_null())


def _gdelt_actor(n: int) -> dict[str, pl.Expr]:
    """CAMEO actor code = country + sector (`USAGOV`), GDELT's upper-case name."""
    country, kind = pl.col(f"actor{n}_country"), pl.col(f"actor{n}_type")
    return {
        f"Actor{n}Code": pl.concat_str(country.fill_null(""), kind.fill_null("")).replace("", None),
        f"Actor{n}Name": pl.col(f"actor{n}_name").str.to_uppercase(),
        f"Actor{n}CountryCode": country,
        f"Actor{n}Type1Code": kind,
    }


def _gdelt_actor_geo(n: int, fips: pl.DataFrame, countries: pl.DataFrame) -> dict[str, pl.Expr]:
    """Where the actor is, at the only level coded: its country (GDELT's geo type 1, with the FIPS
    code also as ADM1 code and feature id, as GDELT writes a country-level match). No
    coordinates: the project has none for whole countries."""
    country = pl.col(f"actor{n}_country")
    code = country.replace_strict(_mapping(fips, "iso3", "fips"), default=None)
    return {
        f"Actor{n}Geo_Type": pl.when(country.is_not_null()).then(pl.lit("1")),
        f"Actor{n}Geo_FullName": country.replace_strict(_mapping(countries, "iso3", "country_name"), default=None),
        f"Actor{n}Geo_CountryCode": code,
        f"Actor{n}Geo_ADM1Code": code,
        f"Actor{n}Geo_FeatureID": code,
    }


def _polecat_actor(n: int, role: str, cow_codes: dict[str, str]) -> dict[str, pl.Expr]:
    sector = pl.col(f"actor{n}_type").replace_strict(SECTOR_NAMES, default=pl.col(f"actor{n}_type"))
    return {
        f"{role} Name": pl.col(f"actor{n}_name"),
        f"{role} Country": pl.col(f"actor{n}_country"),
        f"{role} COW": pl.col(f"actor{n}_country").replace_strict(cow_codes, default=None),
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
