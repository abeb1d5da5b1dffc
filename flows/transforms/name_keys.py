"""Name keys: how two spellings of one name compare equal. Pure."""

from functools import lru_cache

import polars as pl


def name_key_expr(name: pl.Expr) -> pl.Expr:
    """Lowercase, accents, possessives and punctuation folded: `António Guterres` ==
    `antonio guterres`, `U.S.` == `us`, `Al-Bab` == `al bab`, `Erdogan’s` == `erdogan`."""
    return (
        name.str.replace_all("’", "'")
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all("ı", "i")
        .str.replace_all(r"'s\b", "")
        .str.replace_all(r"\.", "")
        .str.replace_all(r"[^\w]+", " ")
        .str.strip_chars()
    )


# A one-row frame costs about half a millisecond; the scripts that compare names one at a time
# (bench/quality.py, tools/build_dictionaries.py) fold the same names over and over.
@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """`name_key_expr` of one name, for code that compares names one at a time."""
    return pl.select(name_key_expr(pl.lit(name, dtype=pl.String))).item()
