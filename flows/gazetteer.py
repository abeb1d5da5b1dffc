"""The shipped dictionaries (flows/data/*.tsv) as Polars frames, read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

DATA = Path(__file__).parent / "data"


def _read(name: str, **overrides) -> pl.DataFrame:
    return pl.read_csv(DATA / name, separator="\t", quote_char=None, schema_overrides=overrides)


@lru_cache(maxsize=1)
def country_terms() -> pl.DataFrame:
    """term -> iso3: country names, demonyms, capitals and other names that stand for a state."""
    return _read("countries.tsv")


@lru_cache(maxsize=1)
def countries() -> pl.DataFrame:
    """iso3 -> country_name."""
    return country_terms().select("iso3", "country_name").unique("iso3")


@lru_cache(maxsize=1)
def places() -> pl.DataFrame:
    """term -> the most populous place of that name, with country and coordinates."""
    return (
        _read("places.tsv", latitude=pl.Float64, longitude=pl.Float64)
        .sort("population", descending=True)
        .unique("term", keep="first")
    )


@lru_cache(maxsize=1)
def actors() -> pl.DataFrame:
    """term -> canonical actor with a CAMEO actor code and the dates the code held."""
    return _read("actors.tsv", start_date=pl.Date, end_date=pl.Date).with_columns(
        country=pl.when(pl.col("code").str.slice(0, 3).is_in(countries()["iso3"].implode()))
        .then(pl.col("code").str.slice(0, 3)),
        is_international=pl.col("code").str.slice(0, 3).is_in(["IGO", "NGO", "IMG", "MNC"]),
    )


@lru_cache(maxsize=1)
def cameo_codes() -> pl.DataFrame:
    return _read("cameo_codes.tsv", cameo_code=pl.String, cameo_root=pl.String, quad_class=pl.Int8)


@lru_cache(maxsize=1)
def cameo_verbs() -> pl.DataFrame:
    return _read("cameo_verbs.tsv", code=pl.String).drop("note")
