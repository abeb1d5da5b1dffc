"""Name keys: how two spellings of one name compare equal. Pure."""

import re
import unicodedata

import polars as pl

_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"'s\b")


def name_key(name: str) -> str:
    """Lowercase, accents, possessives and punctuation folded: `António Guterres` ==
    `antonio guterres`, `U.S.` == `us`, `Al-Bab` == `al bab`, `Erdogan’s` == `erdogan`."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    folded = _POSSESSIVE.sub("", folded.replace("ı", "i")).replace(".", "")
    return _NON_WORD.sub(" ", folded).strip()


def name_key_expr(name: pl.Expr) -> pl.Expr:
    """`name_key` as a Polars expression (a test keeps the two in step)."""
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
