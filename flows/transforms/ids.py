"""Stable ids: the same text gives the same id on every run and machine. Pure."""

import hashlib

import polars as pl


def stable_id(text: str) -> str:
    """The first 16 hex digits of the text's sha256 (64 bits: no collision in any realistic warehouse)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stable_id_expr(text: pl.Expr) -> pl.Expr:
    """`stable_id` of each value of a string expression."""
    return text.map_elements(stable_id, return_dtype=pl.String)
