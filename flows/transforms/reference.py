"""Dictionaries as warehouse tables: frames in (the TSV files of flows/data/), frame out."""

from __future__ import annotations

import polars as pl

from flows.schemas import CAMEO_CODES, conform


def cameo_codes(codes: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """One row per CAMEO code with its PLOVER type. The crosswalk leaves some four-digit codes
    out; they take their three-digit parent's row, then their root's. The comment roots 01 and
    02 have none: PLOVER dropped them."""
    plover = crosswalk.filter(pl.col("plover_event").fill_null("") != "").select(
        pl.col("cameo_code").alias("_key"), "plover_event", "plover_mode", "plover_context"
    )
    coded = plover["_key"].implode()
    code = pl.col("cameo_code")
    key = (
        pl.when(code.is_in(coded))
        .then(code)
        .when(code.str.slice(0, 3).is_in(coded))
        .then(code.str.slice(0, 3))
        .otherwise(code.str.slice(0, 2))
    )
    return (
        codes.with_columns(_key=key)
        .join(plover, on="_key", how="left")
        .with_columns(pl.col("plover_mode", "plover_context").replace("", None))
        .pipe(conform, CAMEO_CODES)
    )
