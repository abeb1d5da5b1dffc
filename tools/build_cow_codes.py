"""Builds flows/data/iso3_to_cow.tsv: ISO 3166-1 alpha-3 -> Correlates of War state number
(the `Actor COW` / `Recipient COW` columns of `wirehouse export --format polecat`).

Run by a developer, never at run time, with the `countrycode` package installed beside the
project (pip install countrycode==0.6.0, Vincent Arel-Bundock's Python port of the R package):
    .venv/bin/python tools/build_cow_codes.py
The pairs are the package's codelist as it is (its `iso3c`, `cown` and `cow.name` columns): a
state COW lists without an ISO code (Kosovo, 347), or an ISO code COW does not list as a state
of its own today (Serbia, which COW numbers 345 as Yugoslavia; Palestine) is left out, not guessed.
"""

from __future__ import annotations

import csv
import pickle
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "flows" / "data" / "iso3_to_cow.tsv"


def main() -> None:
    codelist = pickle.loads(files("countrycode").joinpath("data/codelist.pickle").read_bytes())
    rows = sorted(
        {
            (iso3, int(cown), name)
            for iso3, cown, name in zip(codelist["iso3c"], codelist["cown"], codelist["cow.name"])
            if iso3 and cown == cown and cown is not None
        }  # noqa: E501
    )
    with open(OUT, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["iso3", "cow", "cow_name"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} ISO alpha-3 -> COW pairs to {OUT}")


if __name__ == "__main__":
    main()
