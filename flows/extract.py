"""Files -> raw documents: bytes, hash, encoding and text. The only reader of input files."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

MAX_FILE_BYTES = 5_000_000  # larger than any news article; a dump or a video, not a story

RAW_DOCUMENTS = pl.Schema(
    {
        "source_file": pl.String,
        "content_sha256": pl.String,
        "size_bytes": pl.Int64,
        "raw_bytes": pl.Binary,
        "problem": pl.String,
    }
)

# Signatures of common binary formats, so the quarantine reason can name what the file is.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
_TEXT_CONTROL_BYTES = {9, 10, 12, 13}
# Unicode's control characters (category Cc) but tab and newline.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VANISHED = "the file disappeared while the run was reading the folder"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    root: Path | None = None  # the source folder: a link may not lead out of it


def list_source_files(source: Path, excluded: list[Path] | tuple = ()) -> list[SourceFile]:
    """Every regular file under `source`, recursively, in a stable order, and every folder
    that could not be listed (so that its files do not vanish without a word); nothing at or
    under an `excluded` path (the warehouse's own files, when it lives inside its source).

    Symlinked directories are not followed (a link loop cannot trap the walk); hidden files
    are included, because a skipped file would be a silently lost article.
    """
    found: list[SourceFile] = []
    unlisted: list[Path] = []

    def unreadable(error: OSError) -> None:
        if error.filename and Path(error.filename) != source:
            unlisted.append(Path(error.filename))

    skipped = {Path(os.path.abspath(path)) for path in excluded}
    for folder, dirnames, filenames in os.walk(source, followlinks=False, onerror=unreadable):
        dirnames[:] = sorted(name for name in dirnames if Path(os.path.abspath(Path(folder) / name)) not in skipped)
        for name in sorted(filenames):
            path = Path(folder) / name
            if Path(os.path.abspath(path)) in skipped:
                continue
            found.append(SourceFile(path, readable_name(path.relative_to(source).as_posix()), source))
    return found + [SourceFile(path, readable_name(path.relative_to(source).as_posix()), source) for path in sorted(unlisted)]


# A backslash that already reads like an escape, so that escaping stays reversible.
_LOOKS_ESCAPED = re.compile(r"\\(?=x[0-9a-fA-F]{2})")
_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def readable_name(name: str) -> str:
    """A file name as text any table, log or Parquet file can hold. Bytes of the name that are
    not UTF-8 (Python hands them over as lone surrogates, which nothing can store) become
    `\\xNN`, and a backslash already followed by `xNN` becomes `\\x5c`, so `source_path` gives
    back the exact name. Every other name is unchanged."""
    if "\\x" not in name and not _has_surrogates(name):
        return name
    return _LOOKS_ESCAPED.sub(r"\\x5c", name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def source_path(source: Path, name: str) -> Path:
    """The file that `readable_name` gave `name` to."""
    if "\\x" not in name:
        return source / name
    return source / os.fsdecode(_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), name.encode("utf-8")))


def _has_surrogates(name: str) -> bool:
    return any("\udc80" <= character <= "\udcff" for character in name)


def read_raw_documents(files: list[SourceFile], max_bytes: int = MAX_FILE_BYTES) -> pl.DataFrame:
    """One row per file: its bytes and their sha256, or the reason they could not be read."""
    rows = [_read_one(file, max_bytes) for file in files]
    return pl.DataFrame(rows, schema=RAW_DOCUMENTS)


def scan_files(files: list[SourceFile], max_bytes: int = MAX_FILE_BYTES, chunk: int = 500):
    """The hash, size or problem of each file, read in chunks and without keeping the bytes:
    what the inventory needs to tell new and changed files from unchanged ones. Yields a frame
    per chunk."""
    for start in range(0, len(files), chunk):
        yield read_raw_documents(files[start : start + chunk], max_bytes).drop("raw_bytes")


def _read_one(file: SourceFile, max_bytes: int) -> dict:
    try:
        if _leads_outside(file):
            return _raw_document(file, problem="a link to a file outside the source folder: not read (copy the file in to load it)")
        if file.path.is_dir() and not file.path.is_symlink():
            return _raw_document(file, problem=_unlisted_folder(file.path))
        if not file.path.is_file():
            if not file.path.is_symlink() and not file.path.exists():
                return _raw_document(file, problem=_VANISHED)
            return _raw_document(file, problem="not a regular file (a broken link, a link loop, a pipe or a device)")
        size = file.path.stat().st_size
        if size > max_bytes:
            # Hashed as a stream and not copied: no news article is this big, and the file
            # itself stays where it is.
            return _raw_document(file, content_sha256=_sha256_of(file.path), size_bytes=size,
                                 problem=f"too large for a news article: {size:,} bytes (limit {max_bytes:,}); not copied, the file stays at its path")  # fmt: skip
        data = file.path.read_bytes()
    except FileNotFoundError:
        return _raw_document(file, problem=_VANISHED)
    except PermissionError:
        return _raw_document(file, problem="permission denied: make the file readable and run again")
    except OSError as error:
        return _raw_document(file, problem=f"could not be read: {error.strerror or error}")
    return _raw_document(file, content_sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), raw_bytes=data)


def _raw_document(
    file: SourceFile, *, content_sha256: str | None = None, size_bytes: int | None = None, raw_bytes: bytes | None = None,
    problem: str | None = None,
) -> dict:  # fmt: skip
    """A RAW_DOCUMENTS row by column name (keywords, so that a misspelt column is an error, not a NULL)."""
    return {"source_file": file.relative, "content_sha256": content_sha256, "size_bytes": size_bytes, "raw_bytes": raw_bytes,
            "problem": problem}  # fmt: skip


def _leads_outside(file: SourceFile) -> bool:
    if file.root is None or not file.path.is_symlink():
        return False
    try:
        target = file.path.resolve()
    except (OSError, RuntimeError):  # a link loop, reported as not a regular file
        return False
    return not target.is_relative_to(file.root.resolve())


def _unlisted_folder(path: Path) -> str:
    try:
        with os.scandir(path):
            problem = "could not be listed while the run read the folder"
    except OSError as error:
        problem = f"could not be listed ({(error.strerror or str(error)).lower()})"
    return f"a folder that {problem}: none of its files were read; make it readable and run again"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Bytes -> (text, encoding, problem). Exactly one of text and problem is set."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return None, None, f"binary file ({what}), not article text"
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif utf16 := _utf16_without_bom(data):
        text, encoding = data.decode(utf16, errors="replace"), utf16
    elif _looks_binary(data):
        return None, None, "binary file (control bytes where text should be), not article text"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # UTF-8 text with a few bad bytes (a truncated paste, one mis-saved character) stays
            # UTF-8 with only those bytes replaced; read as cp1252, every accent would turn to mojibake.
            replaced = data.decode("utf-8", errors="replace")
            bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
            if any(ord(character) > 127 and character != "\ufffd" for character in replaced):
                return _finish(replaced, f"utf-8 ({bad} invalid byte{'s' if bad != 1 else ''} replaced)")
            try:
                # cp1252, never latin-1: latin-1 maps 0x85 to a control character, so `…`
                # would become a line break and curly quotes would vanish.
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                return None, None, "undecodable: the bytes are neither UTF-8 nor Windows-1252 text"
    return _finish(text, encoding)


def _finish(text: str, encoding: str) -> tuple[str | None, str | None, str | None]:
    text = normalise_text(text)
    if not text.strip():
        return None, encoding, "empty file: no text at all"
    return text, encoding, None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 that lacks its byte-order mark, told by its zero bytes: text in a Latin script has
    one in every other position (the high byte), on the same side throughout."""
    head = data[:8192]
    if len(head) < 8 or len(head) % 2:
        return None
    even, odd = head[0::2].count(0) / (len(head) / 2), head[1::2].count(0) / (len(head) / 2)
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def normalise_text(text: str) -> str:
    """Unix line endings, NFC, and no control characters other than newline and tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    return _CONTROL_CHARACTERS.sub("", text)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROL_BYTES)
    return control > max(2, len(head) // 100)


def decoded_documents(raw: pl.DataFrame) -> pl.DataFrame:
    """Adds `text` and `encoding` to readable raw documents; a decoding failure becomes `problem`."""
    decoded = [decode(data) if problem is None else (None, None, problem) for data, problem in zip(raw["raw_bytes"], raw["problem"])]
    return raw.with_columns(
        text=pl.Series([d[0] for d in decoded], dtype=pl.String),
        encoding=pl.Series([d[1] for d in decoded], dtype=pl.String),
        problem=pl.Series([d[2] for d in decoded], dtype=pl.String),
    )
