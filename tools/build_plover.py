"""Builds flows/data/cameo_to_plover.tsv from the Open Event Data Alliance's CAMEO2PLOVER table.

Run by a developer when the source changes, never at run time:
    .venv/bin/python tools/build_plover.py [tools/sources/plover/CAMEO2PLOVER-2021.txt]

Columns: cameo_code (2 to 4 digits as written), plover_event, plover_mode, plover_context (empty
when the line gives none), label (the comment after `#`).

The source's lines read `0311: AGREE,  ,   economic # Express intent to cooperate economically`:
code, then event, mode and context separated by commas, padded with spaces. A root line may give
the event alone (`03: AGREE`). A context may list several, `;` separated (`crime; corruption`),
kept as written. `~~~~~` ends the table. One row per code, so the events join (longest prefix of
an event's code) never fans out: where the source lists a code twice, the first line is kept and
the others are reported (root `08` is both CONCEDE, for 080-083, and RETREAT, for 084-087, whose
three-digit lines say which; `175` is listed twice with two labels).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "sources" / "plover" / "CAMEO2PLOVER-2021.txt"
OUTPUT = ROOT / "flows" / "data" / "cameo_to_plover.tsv"
COLUMNS = ["cameo_code", "plover_event", "plover_mode", "plover_context", "label"]
_LINE = re.compile(r"(\d{2,4}):\s*(.*)")


def read_crosswalk(path: Path) -> tuple[list[list[str]], list[str]]:
    """The rows, one per code in source order, and the lines left out as repeats."""
    rows: dict[str, list[str]] = {}
    repeats: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("~~~"):
            break
        match = _LINE.fullmatch(line)
        if not match:
            continue  # comments and blank lines
        code, rest = match.groups()
        fields, _, label = rest.partition("#")
        parts = [" ".join(part.split()) for part in fields.split(",")]
        event, mode, context = (parts + ["", "", ""])[:3]
        if len(parts) > 3 or not re.fullmatch(r"[A-Z]+", event):
            raise SystemExit(f"{path}: cannot read {raw!r}")
        row = [code, event, mode, context, label.strip()]
        if code in rows:
            repeats.append(raw)
        else:
            rows[code] = row
    return list(rows.values()), repeats


def build(source: Path = SOURCE, output: Path = OUTPUT) -> None:
    rows, repeats = read_crosswalk(source)
    with open(output, "w", encoding="utf-8") as out:
        out.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            if any("\t" in value for value in row):
                raise SystemExit(f"tab inside a value: {row}")
            out.write("\t".join(row) + "\n")
    print(f"wrote {output}: {len(rows)} codes")
    for raw in repeats:
        print(f"  left out, code listed before: {raw.strip()}")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
