"""A query's result, batch by batch, to a table, CSV, JSON or Parquet: memory holds one batch,
whatever the size of the result."""

from __future__ import annotations

import io
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

TABLE_ROWS = 200  # rows a table shows; the rest are counted


def write(batches: pa.RecordBatchReader, fmt: str, out: BinaryIO) -> int:
    """Writes the stream to `out` in `fmt` (table, csv, json or parquet); returns the row count."""
    return {"table": _table, "csv": _csv, "json": _json, "parquet": _parquet}[fmt](batches, out)


def _frames(batches: pa.RecordBatchReader):
    for batch in batches:
        if batch.num_rows:
            yield pl.from_arrow(batch)


def _csv(batches: pa.RecordBatchReader, out: BinaryIO) -> int:
    rows = 0
    for frame in _frames(batches):
        out.write(frame.write_csv(include_header=not rows).encode())
        rows += frame.height
    if not rows:
        out.write(pl.from_arrow(batches.schema.empty_table()).write_csv().encode())
    return rows


def _json(batches: pa.RecordBatchReader, out: BinaryIO) -> int:
    """One JSON array with an object per line, so it parses as a whole and greps as lines."""
    rows = 0
    out.write(b"[")
    for frame in _frames(batches):
        lines = frame.write_ndjson().rstrip("\n").replace("\n", ",\n")
        out.write(((",\n" if rows else "\n") + lines).encode())
        rows += frame.height
    out.write(b"\n]\n" if rows else b"]\n")
    return rows


def _parquet(batches: pa.RecordBatchReader, out: BinaryIO) -> int:
    rows = 0
    with pq.ParquetWriter(out, batches.schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _table(batches: pa.RecordBatchReader, out: BinaryIO) -> int:
    shown, rows = [], 0
    for batch in batches:
        if rows < TABLE_ROWS:
            shown.append(batch.slice(0, TABLE_ROWS - rows))
        rows += batch.num_rows
    frame = pl.from_arrow(pa.Table.from_batches(shown, schema=batches.schema))
    text = io.StringIO()
    with pl.Config(tbl_rows=TABLE_ROWS, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200, tbl_hide_dataframe_shape=True):
        print(frame, file=text)
    more = f", the first {TABLE_ROWS} shown" if rows > TABLE_ROWS else ""
    out.write(f"{text.getvalue()}({rows} rows{more})\n".encode())
    return rows
