"""Builds flows/data/agents.tsv: nouns for people and units that act, with their sector.

Run by tools/build_dictionaries.py (or alone):
    .venv/bin/python tools/build_agents.py [tools/sources]

Columns: `noun` (lower case, singular and plural each a row, multi-word agents with spaces:
`foreign minister`), `sector` (the first three letters of the agent code: GOV, MIL, REB, OPP, ...;
empty for places and things that are only targets), `code` (Phoenix's full agent code without `~`:
`GOVMED` for `information minister`, the same as `sector` when Phoenix gives three letters; empty
for curated rows), `source` (`phoenix` or `curated`).

From Phoenix.agents.txt (PETRARCH's agent dictionary): `A_B {PLURALS} [~COD]`. `_` and spaces both
join words; `{...}` lists the plurals and `{}` says there is none (`POLICE {}`); otherwise the
regular plural is formed; `!PERSON!` and `!MINIST!` expand to every item of their substitution
list, with no further plural (`CATTLE!PERSON!` -> cattleman, cattlemen, cattlewoman, ...). `~` before
or after the code only says where PETRARCH appends it to an actor code, so it is dropped. A noun
Phoenix lists under several codes keeps the first, so a join on `noun` never fans out.
The curated nouns also keep the plural the previous build formed (`polices`), so agent_nouns()
keeps every noun it held.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tools" / "sources"
OUTPUT = ROOT / "flows" / "data" / "agents.tsv"
COLUMNS = ["noun", "sector", "code", "source"]

# Military units, means and targets a report names as actors or objects that Phoenix's agents
# lack, with the sector they act for: MIL for armed forces and their means, GOV and others for
# officials, empty for places and things that are only attacked or seized.
CURATED: dict[str, str] = {
    **dict.fromkeys(
        [
            "jet", "warplane", "plane", "aircraft", "airstrike", "strike", "missile", "rocket", "drone",
            "artillery", "tank", "warship", "submarine", "helicopter", "convoy", "unit", "battalion",
            "brigade", "division", "fighter", "force", "troop", "army", "navy", "military", "guard",
            "coastguard", "serviceman", "commander", "general", "officer", "militia", "soldier",
        ],
        "MIL",
    ),
    **dict.fromkeys(
        [
            "delegation", "government", "ministry", "authority", "official", "leader", "diplomat", "envoy",
            "minister", "chief", "spokesman", "spokeswoman", "spokesperson", "counterpart", "premier",
            "negotiator", "mediator", "cabinet", "agency", "administration", "regime", "president", "ambassador",
        ],
        "GOV",
    ),
    # people who act for a state or a body they belong to: `senior members of the royal family`,
    # `Saudi royals`, `representatives of the two states`, `the bloc's leadership`
    **dict.fromkeys(["royal", "representative", "leadership"], "GOV"),
    **dict.fromkeys(["hijacker"], "UAF"),
    **dict.fromkeys(["captor", "kidnapper"], "CRM"),
    # parties named by what they are, whose sector their own name or antecedent says: `the group`,
    # `members of X`, `its allies`, `the bloc`
    **dict.fromkeys(["group", "member", "ally", "faction", "bloc", "alliance", "coalition", "supporter", "loyalist", "side"], ""),
    **dict.fromkeys(["police"], "COP"),
    **dict.fromkeys(["insurgent", "jihadist", "extremist", "gunman", "rebel", "militant", "guerrilla"], "REB"),
    **dict.fromkeys(["protester", "opposition"], "OPP"),
    **dict.fromkeys(["civilian", "fisherman", "prisoner", "inmate", "youth", "crowd", "mob"], "CVL"),
    **dict.fromkeys(["miner"], "LAB"),
    **dict.fromkeys(["fundamentalist"], "RAD"),
    **dict.fromkeys(["lawmaker", "parliament"], "LEG"),
    **dict.fromkeys(["court", "judge", "prosecutor"], "JUD"),
    # what an attack or a seizure is aimed at
    **dict.fromkeys(
        [
            "ship", "vessel", "boat", "tanker", "crew", "post", "outpost", "position", "base", "checkpoint",
            "target", "facility", "site", "installation", "camp", "barracks", "embassy", "consulate",
        ],
        "",
    ),
}  # fmt: skip


def plural(noun: str) -> str:
    """The previous build's regular plural, which agent_nouns() has relied on."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith("man"):
        return noun[:-3] + "men"
    return noun + "s"


def _phrase(text: str) -> str:
    return " ".join(text.replace("_", " ").replace(",", " ").lower().split())


def phoenix_agents(path: Path) -> list[tuple[str, str]]:
    """(noun, code) for every form of every entry, in file order."""
    substitutions: dict[str, list[str]] = {}
    out: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        macro = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", line)
        if macro:
            substitutions[macro.group(1)] = [item.strip() for item in macro.group(2).split(",") if item.strip()]
            continue
        code = re.search(r"\[\s*~?([A-Z]+)~?\s*\]", line)
        if not code:
            continue  # an entry without a code codes nothing (`ISLAMIC_EXTREMIST`)
        body = line[: code.start()]
        plurals_match = re.search(r"\{([^}]*)\}", body)
        root = re.sub(r"\{[^}]*\}", " ", body).strip()
        if not root:
            continue
        explicit = None if plurals_match is None else plurals_match.group(1).split()
        macros = re.findall(r"![A-Z]+!", root)
        if macros:
            forms = [root]
            for name in macros:
                forms = [f.replace(name, item, 1) for f in forms for item in substitutions.get(name, [name])]
            nouns = [_phrase(f) for f in forms]
        else:
            singular = _phrase(root)
            nouns = [singular]
            if explicit is not None:
                nouns += [_phrase(p) for p in explicit]
            elif " " not in singular:
                nouns.append(plural(singular))
            elif not singular.endswith("s"):  # `armed citizens` is plural already
                words = singular.split()
                nouns.append(" ".join([*words[:-1], plural(words[-1])]))
        out.extend((noun, code.group(1)) for noun in nouns if noun)
    return out


def build(sources: Path = SOURCES, output: Path = OUTPUT) -> None:
    rows: dict[str, tuple[str, str, str]] = {}
    for noun, code in phoenix_agents(sources / "openeventdata" / "Phoenix.agents.txt"):
        rows.setdefault(noun, (code[:3], code, "phoenix"))
    phoenix = len(rows)
    for noun, sector in CURATED.items():
        # The regular plural even where English has none (`polices`): the previous build formed it
        # and agent_nouns() keeps every noun it held.
        for form in (noun, plural(noun)):
            rows.setdefault(form, (sector, "", "curated"))
    with open(output, "w", encoding="utf-8") as out:
        out.write("\t".join(COLUMNS) + "\n")
        for noun in sorted(rows):
            if "\t" in noun:
                raise SystemExit(f"tab inside an agent noun: {noun!r}")
            out.write("\t".join([noun, *rows[noun]]) + "\n")
    print(f"wrote {output}: {len(rows)} nouns ({phoenix} from Phoenix, {len(rows) - phoenix} curated)")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
