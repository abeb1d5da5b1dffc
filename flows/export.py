"""`wirehouse export`: the warehouse's events written in GDELT's, POLECAT's or PLOVER's layout.
The warehouse is read through load (read-only); the layouts are flows/transforms/exports.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.load import export_events
from flows.paths import DATA, installed_version
from flows.transforms import exports


def export(warehouse: Path, fmt: str, output: Path, since: str | None = None) -> int:
    """Writes the events to `output`; returns how many."""
    events = export_events(warehouse, since)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gdelt":
        table = exports.gdelt_events(events, _dictionary("iso3_to_fips.tsv"), _country_names())
        table.write_csv(output, separator="\t", include_header=False, quote_style="never")
    elif fmt == "polecat":
        table = exports.polecat_events(events, _country_names(), _dictionary("iso3_to_cow.tsv"), installed_version())
        table.write_csv(output, separator="\t", include_header=True, quote_style="never")
    else:
        exports.plover_records(events, _country_names(), installed_version()).write_ndjson(output)
    return events.height


def _dictionary(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / name, separator="\t", infer_schema=False)


def _country_names() -> pl.DataFrame:
    return _dictionary("countries.tsv").filter(pl.col("kind") == "name").select("iso3", "term", "country_name")
