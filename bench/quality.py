"""Entity and event quality against the gold annotations in bench/gold/.

Runs the real pipeline (the Prefect flow, spaCy, GX, DuckDB) on the gold articles in a
temporary folder and prints:
  entities  precision, recall, F1 for PERSON/ORG/LOC, matching a system entity to a gold one
            when their canonical names or aliases fold to the same key (one to one); country
            accuracy over the matched pairs
  events    precision, recall, F1 on distinct (actor1 country, CAMEO root, actor2 country) of
            asserted events per article; modality accuracy over gold events whose triple the
            system found; date accuracy over matched events the gold dates
Usage: .venv/bin/python bench/quality.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from flows.transforms.name_keys import name_key  # noqa: E402

GOLD = PROJECT / "bench" / "gold"
EVALUATED_TYPES = ("PERSON", "ORG", "LOC")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    args = parser.parse_args()
    golds = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLD.glob("*.json"))}
    with tempfile.TemporaryDirectory() as folder:
        source, warehouse = Path(folder) / "articles", Path(folder) / "warehouse" / "news.duckdb"
        source.mkdir()
        for gold in golds.values():
            shutil.copy(PROJECT / gold["file"], source / Path(gold["file"]).name)
        from flows.pipeline import etl

        state = etl(source=source, warehouse=warehouse, return_state=True)
        if not state.is_completed():
            sys.exit(f"the run failed: {state.message}")
        system = _read(warehouse)
    entity_counts, event_counts = [0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]
    print(f"{'article':<24} {'ent P':>6} {'ent R':>6} {'ev P':>6} {'ev R':>6}")
    for stem, gold in golds.items():
        name = Path(gold["file"]).name
        article = system["by_file"].get(name)
        if article is None:
            print(f"{stem:<24} not loaded")
            continue
        e = _score_entities(gold["entities"], system["entities"].get(article, []), args.verbose, stem)
        v = _score_events(gold["events"], system["events"].get(article, []), args.verbose, stem)
        entity_counts = [a + b for a, b in zip(entity_counts, e)]
        event_counts = [a + b for a, b in zip(event_counts, v)]
        print(
            f"{stem:<24} {_ratio(e[0], e[0] + e[1]):>6} {_ratio(e[0], e[0] + e[2]):>6} {_ratio(v[0], v[0] + v[1]):>6} {_ratio(v[0], v[0] + v[2]):>6}"
        )
    tp, fp, fn, country_ok, matched = entity_counts
    print()
    print(f"entities  precision {_ratio(tp, tp + fp)}  recall {_ratio(tp, tp + fn)}  F1 {_f1(tp, fp, fn)}"
          f"  (tp {tp}, fp {fp}, fn {fn})  country accuracy {_ratio(country_ok, matched)} ({country_ok}/{matched})")  # fmt: skip
    tp, fp, fn, modality_ok, modality_n, date_ok, date_n = event_counts
    print(f"events    precision {_ratio(tp, tp + fp)}  recall {_ratio(tp, tp + fn)}  F1 {_f1(tp, fp, fn)}"
          f"  (tp {tp}, fp {fp}, fn {fn})  modality accuracy {_ratio(modality_ok, modality_n)} ({modality_ok}/{modality_n})"
          f"  date accuracy {_ratio(date_ok, date_n)} ({date_ok}/{date_n})")  # fmt: skip


def _read(warehouse: Path) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        by_file = dict(con.execute("select source_file, article_id from articles").fetchall())
        entities: dict[str, list] = {}
        rows = con.execute(
            """
            select m.article_id, e.entity_id, e.name, e.type, e.country, list(distinct m.mention order by m.mention)
            from entity_mentions m join entities e using (entity_id)
            group by all
            order by all
            """
        ).fetchall()
        for article, _entity_id, name, kind, country, mentions in rows:
            entities.setdefault(article, []).append({"name": name, "type": kind, "country": country, "mentions": mentions})
        events: dict[str, list] = {}
        for article, a1, root, a2, modality, day in con.execute(
            "select article_id, actor1_country, cameo_root, actor2_country, modality, event_date from events"
        ).fetchall():
            events.setdefault(article, []).append((a1, root, a2, modality, day.isoformat() if day else None))
        return {"by_file": by_file, "entities": entities, "events": events}
    finally:
        con.close()


def _score_entities(gold: list[dict], found: list[dict], verbose: bool, stem: str) -> list[int]:
    """One-to-one matching: canonical names that fold equal first, then any shared alias."""
    gold_names = [name_key(g["name"]) for g in gold]
    gold_keys = [{name_key(g["name"]), *(name_key(a) for a in g["aliases"])} for g in gold]
    found = sorted((f for f in found if f["type"] in EVALUATED_TYPES), key=lambda f: (f["name"], f["type"]))
    found_keys = [{name_key(f["name"]), *(name_key(m) for m in f["mentions"])} for f in found]
    pairs: dict[int, int] = {}
    for exact in (True, False):
        for index, keys in enumerate(found_keys):
            if index in pairs:
                continue
            taken = set(pairs.values())
            match = next(
                (
                    g
                    for g in range(len(gold))
                    if g not in taken and (gold_names[g] == name_key(found[index]["name"]) if exact else keys & gold_keys[g])
                ),
                None,
            )
            if match is not None:
                pairs[index] = match
    country_ok = 0
    for index, match in sorted(pairs.items()):
        if found[index]["country"] == gold[match]["country"]:
            country_ok += 1
        elif verbose:
            print(f"  {stem}: country of {found[index]['name']}: {found[index]['country']} (gold {gold[match]['country']})")
    false_positives = [f for i, f in enumerate(found) if i not in pairs]
    missed = [g for i, g in enumerate(gold) if i not in pairs.values()]
    if verbose:
        for f in false_positives:
            print(f"  {stem}: extra entity {f['name']} ({f['type']}, {f['mentions']})")
        for g in missed:
            print(f"  {stem}: missed entity {g['name']} ({g['type']})")
    return [len(pairs), len(false_positives), len(missed), country_ok, len(pairs)]


def _score_events(gold: list[dict], found: list[tuple], verbose: bool, stem: str) -> list[int]:
    triple = lambda a1, root, a2: (a1, root, a2)  # noqa: E731
    gold_asserted = {triple(g["actor1_country"], g["cameo_root"], g["actor2_country"]) for g in gold if g["modality"] == "asserted"}
    found_asserted = {triple(a1, root, a2) for a1, root, a2, modality, _ in found if modality == "asserted"}
    tp = len(gold_asserted & found_asserted)
    modality_ok = modality_n = date_ok = date_n = 0
    for g in gold:
        key = triple(g["actor1_country"], g["cameo_root"], g["actor2_country"])
        same = [f for f in found if triple(*f[:3]) == key]
        if not same:
            continue
        modality_n += 1
        modality_ok += any(f[3] == g["modality"] for f in same)
        if g["event_date"] and g["modality"] == "asserted":
            date_n += 1
            date_ok += any(f[4] == g["event_date"] for f in same)
    if verbose:
        for t in sorted(found_asserted - gold_asserted, key=str):
            print(f"  {stem}: extra event {t}")
        for t in sorted(gold_asserted - found_asserted, key=str):
            print(f"  {stem}: missed event {t}")
    return [tp, len(found_asserted - gold_asserted), len(gold_asserted - found_asserted), modality_ok, modality_n, date_ok, date_n]


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def _f1(tp: int, fp: int, fn: int) -> str:
    return f"{2 * tp / (2 * tp + fp + fn):.3f}" if tp else "0.000"


if __name__ == "__main__":
    main()
