"""The model's two passes: what gets parsed; the attribute table and the batch entity decoder
against spaCy's own components."""

from pathlib import Path

import numpy as np
import polars as pl
import spacy
from spacy.tokens import Doc, Span

from flows.transforms.attribute_table import AttributeTable
from flows.transforms.ner_batch_decoder import BatchEntityDecoder
from flows.transforms.nlp import (
    _COPIED,
    _FIND,
    MODEL,
    PIECE_CHARACTERS,
    _layout,
    _members,
    _pieces,
    _run,
    _sentence_copies,
    load_model,
    parse_bodies,
)

from .nlp_helpers import articles_from


def test_only_sentences_with_two_actors_and_a_dictionary_verb_form_are_parsed():
    body = (
        "Russian forces shelled Ukrainian positions near Kharkiv on Tuesday.\n\n"  # `shelled`: by the suffix rules
        "A storm hit London on Monday.\n\n"  # one actor and no word that could stand for a second: no event possible
        "The weather was cold and the roads were closed.\n\n"  # no actor at all
        "Turkey and Greece fought over the islands for decades.\n\n"  # `fought`: an irregular form from the lemmatizer's list
        "He criticised Greece."  # one named actor and a pronoun that may stand for another
    )
    parsed = parse_bodies(articles_from(body))
    parsed_sentences = sorted(set(parsed.clauses["sentence_index"].to_list()))
    assert parsed_sentences == [0, 3, 4]
    assert {"shell", "fight", "criticise"} <= set(parsed.clauses["lemma"].to_list())
    # Every sentence still has its mentions, parsed or not.
    assert set(parsed.mentions["sentence_index"].to_list()) >= {0, 1, 3}
    assert parsed.sentences.height == 5


def test_a_sentence_that_was_not_parsed_still_gives_the_title_before_a_name():
    parsed = parse_bodies(articles_from("The talks will resume soon, according to Kremlin spokesman Dmitry Peskov."))
    peskov = parsed.mentions.filter(parsed.mentions["text"] == "Dmitry Peskov")
    assert peskov["left_context"].to_list() == ["Kremlin spokesman"]


def test_a_verb_standing_as_a_modifier_does_not_cut_a_name_off_its_nationality():
    parsed = parse_bodies(
        articles_from(
            "Iranian hired gun Ali Karimi attacked the embassy in Baghdad.\n\n"  # `hired` tagged a verb, parsed as a modifier
            "Saudi hired gun Salim Hamdan, whose body was found last month in Cairo, was killed on the orders of "
            "Egyptian officers, police said.\n\n"  # `hired` parsed as the subject of `killed`
            "Turkish soldiers wounded protester Omar Haddad in Ankara."  # `wounded` is the clause's verb: the soldiers' country stays theirs
        )
    )
    context = dict(parsed.mentions.select("text", "left_context").iter_rows())
    assert context["Ali Karimi"] == "Iranian hired gun"
    assert context["Salim Hamdan"] == "Saudi hired gun"
    assert context["Omar Haddad"] == "protester"


def test_a_long_text_is_cut_after_line_breaks_into_pieces_no_longer_than_the_limit():
    paragraphs = [f"Paragraph {i} says something about the talks in Geneva." for i in range(40)]
    text = "\n\n".join(paragraphs) + "\n"
    pieces = _pieces(text, limit=200)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece and len(piece) <= 200 for offset, piece in pieces)
    # Each cut falls after a line break and its blank line, before the next paragraph's first word.
    assert all(piece.endswith("\n\n") and piece.split("\n\n")[0].startswith("Paragraph") for _, piece in pieces[:-1])
    assert len(pieces) > len(text) // 200
    assert _pieces(text, limit=len(text)) == [(0, text)]
    # Without a line break a cut falls after a space; without a space, at the limit.
    assert [piece for _, piece in _pieces("one two three four", limit=9)] == ["one two ", "three ", "four"]
    assert [piece for _, piece in _pieces("abcdefghij", limit=4)] == ["abcd", "efgh", "ij"]


def test_a_story_longer_than_a_piece_keeps_offsets_and_sentence_numbers_of_its_whole_body():
    paragraph = (
        "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Ankara on Tuesday. "
        "The two leaders discussed grain exports, officials said."
    )
    body = "\n\n".join(f"{paragraph} It was meeting number {i}." for i in range(PIECE_CHARACTERS // len(paragraph) + 20))
    assert len(_pieces(body)) > 1
    parsed = parse_bodies(articles_from(body))
    sentences = parsed.sentences.sort("start_char")
    assert sentences["sentence_index"].to_list() == list(range(sentences.height))
    assert sentences.height == 3 * (body.count("\n\n") + 1)
    assert all(body[start:end] == text for start, end, text in sentences.select("start_char", "end_char", "text").iter_rows())
    mentions = parsed.mentions
    assert all(body[start:end] == text for start, end, text in mentions.select("start_char", "end_char", "text").iter_rows())
    # Every meeting, in every piece, is found where it is: Putin once per paragraph, in its sentence.
    putin = mentions.filter(pl.col("text") == "Vladimir Putin").sort("start_char")
    assert putin["start_char"].to_list() == [i + len("Russian President ") for i in range(len(body)) if body.startswith("Russian", i)]
    assert putin["sentence_index"].to_list() == list(range(0, sentences.height, 3))
    met = parsed.clauses.filter(pl.col("lemma") == "meet")
    assert met["verb_char"].to_list() == [i for i in range(len(body)) if body.startswith("met Turkish", i)]


def test_the_model_gives_the_same_rows_however_the_bodies_are_batched():
    pages = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.txt"))
    bodies = [page.read_text(encoding="utf-8", errors="replace") for page in pages[:6]]
    articles = articles_from(*bodies)
    together = parse_bodies(articles)
    for alone in (parse_bodies(articles, batch_size=1), parse_bodies(articles, batch_characters=1)):
        for name in ("mentions", "sentences", "clauses", "arguments"):
            assert getattr(alone, name).equals(getattr(together, name)), name
    assert together.clauses.height > 0


def test_the_attribute_table_gives_every_token_what_the_models_attribute_ruler_gives():
    text = (
        "There is a problem, and there were others. Let's go: y'all gonna see it. I ain't done, "
        "but I said it to you and it hit me. Doin' nothin' is 'nuff. C'mon, we gotta go. "
        "Russian forces shelled the port of Odesa on Tuesday, officials said. Did he do it? "
        "He has had enough; she does what she did. The ones that were left went home.  Double  spaces."
    )
    nlp = spacy.load(MODEL)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = nlp(text)
    by_ruler, by_table = Doc(nlp.vocab).from_bytes(parsed.to_bytes()), Doc(nlp.vocab).from_bytes(parsed.to_bytes())
    nlp.get_pipe("attribute_ruler")(by_ruler)
    AttributeTable(nlp.get_pipe("attribute_ruler"))(by_table)

    def attributes(doc):
        return [(t.text, t.pos_, str(t.morph), t.lemma_, t.dep_, t.tag_) for t in doc]

    assert attributes(by_table) == attributes(by_ruler)
    assert len({pos for _, pos, *_ in attributes(by_table)}) > 8  # the text exercises many tags


def test_the_pipeline_runs_the_table_and_the_batch_decoder_instead_of_spacys_components():
    nlp = load_model()
    assert "attribute_table" in nlp.pipe_names and "attribute_ruler" in nlp.disabled
    assert "ner_batch_decoder" in nlp.pipe_names and "ner" in nlp.disabled


def test_the_model_multiplies_on_numpys_blas_in_one_thread_and_reads_as_it_does_on_blis():
    import spacy
    from threadpoolctl import threadpool_info

    nlp = load_model()
    layers = [node for name, pipe in nlp.components if getattr(pipe, "model", None) for node in pipe.model.walk()]
    assert layers and all(not getattr(node.ops, "use_blis", True) for node in layers)
    # numpy's own BLAS (a library loaded later, such as scipy's copy, is not what thinc calls).
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas" and "/numpy" in pool["filepath"]]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
    # The same weights through the other library: the same tags, tree and mentions.
    text = (
        "Kenyan troops crossed into Somalia on Sunday, and the Somali government said it had not been told. "
        "The European Union urged both sides to resume talks in Brussels next week."
    )
    on_blis = spacy.load(MODEL)(text)
    ours = nlp.get_pipe("tok2vec")(nlp.make_doc(text))
    for name in ("tagger", "parser", "ner"):
        ours = nlp.get_pipe(name)(ours)
    assert [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in ours] == [
        (t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in on_blis
    ]


def _entities_both_ways(texts: list[str], preset=lambda docs: None):
    """Each text through the first pass up to the entity recogniser, then once through spaCy's
    recogniser and once through the batch decoder (in batches of four)."""
    nlp = load_model()
    docs = [nlp.make_doc(text) for text in texts]
    for name in ("senter", "paragraph_boundaries", "entity_ruler"):
        docs = [nlp.get_pipe(name)(doc) for doc in docs]
    preset(docs)
    copies = [Doc(nlp.vocab).from_bytes(doc.to_bytes()) for doc in docs]
    by_spacy = list(nlp.get_pipe("ner").pipe(docs, batch_size=4))
    by_decoder = list(BatchEntityDecoder(nlp.get_pipe("ner")).pipe(copies, batch_size=4))

    def entities(doc):
        return [(token.text, token.ent_iob_, token.ent_type_) for token in doc]

    return [entities(doc) for doc in by_spacy], [entities(doc) for doc in by_decoder]


def _odd_presets(docs) -> None:
    """Presets the curated names never make: an entity on a lowercase word, and a blocked token."""
    doc = docs[3]
    reporters = next(token.i for token in doc if token.text == "reporters")
    convoy = next(token.i for token in doc if token.text == "convoy")
    doc.set_ents([Span(doc, reporters, reporters + 1, label="ORG")], blocked=[doc[convoy : convoy + 1]], default="unmodified")


def test_the_batch_decoder_finds_what_spacys_entity_recogniser_finds():
    by_spacy, by_decoder = _entities_both_ways(
        [
            # Curated names (preset by the ruler) inside sentences and at the end of the text.
            "The United Nations and the European Union met in Geneva on Monday. Talks went on.\n\nUnited Nations",
            (
                "Russian President Vladimir Putin spoke to reporters in Moscow , while Kyiv said 3,000 troops had "
                "left on 12 March 2024 at 10 a.m. for $4.5 billion, a 20% rise."
            ),
            "",  # an empty body in the middle of a batch
            "New York  Times\n\nreporters \n saw   the Red Cross convoy cross into Gaza. NATO",
            "a",
            "He said the U.S. Department of State would respond. Mr. Blinken and Ms. Harris agreed; so did the EU.",
        ],
        _odd_presets,
    )
    assert by_decoder == by_spacy
    labels = {label for doc in by_decoder for *_, label in doc}
    assert {"ORG", "PERSON", "GPE", "DATE", "MONEY", "CARDINAL", "PERCENT", "NORP"} <= labels  # many labels exercised
    assert ("reporters", "B", "ORG") in by_decoder[3]  # the odd preset was kept


def test_the_batch_decoder_agrees_with_spacy_on_every_fixture_page():
    pages = sorted(Path(__file__).parent.joinpath("fixtures", "pages").rglob("*.txt"))
    by_spacy, by_decoder = _entities_both_ways([page.read_bytes().decode("utf-8", "replace") for page in pages])
    assert by_decoder == by_spacy
    assert sum(iob == "B" for doc in by_spacy for _, iob, _ in doc) > 20


def test_a_recogniser_the_batch_decoder_does_not_reproduce_is_left_to_spacy():
    nlp = spacy.load(MODEL)
    ner = nlp.get_pipe("ner")
    ner.cfg["beam_width"] = 4  # beam search: not the greedy decoder the batch decoder reproduces
    texts = ["Russian forces shelled Kharkiv on Tuesday, the Ukrainian army said."] * 3
    by_spacy = [[(e.text, e.label_) for e in doc.ents] for doc in ner.pipe(nlp.make_doc(t) for t in texts)]
    by_wrapper = [[(e.text, e.label_) for e in doc.ents] for doc in BatchEntityDecoder(ner).pipe(nlp.make_doc(t) for t in texts)]
    assert by_wrapper == by_spacy and by_spacy[0]
    assert not BatchEntityDecoder(ner)._exact


def test_a_sentence_copied_for_the_parser_has_what_spacys_own_copy_has():
    nlp = load_model()
    bodies = [
        "ADDIS ABABA — Ethiopian officials urged Sudan to end the war.  Kenya's  president met\n\nUgandan troops in Kampala.",
        "He said the U.S. Department of State would respond. Mr. Blinken and Ms. Harris agreed; so did the EU.",
    ]
    docs = _run(nlp, _FIND, [nlp.make_doc(body) for body in bodies])
    chosen = [(d, sent) for d, doc in enumerate(docs) for sent, _ in _layout(doc)]
    # A mention the sentence splitter cut: the second sentence starts inside it.
    cut = Doc(nlp.vocab, words=["Kenya", "met", "New", "York", "officials"], sent_starts=[True, False, False, True, False],
              ents=["B-GPE", "O", "B-GPE", "I-GPE", "O"])  # fmt: skip
    docs.append(cut)
    chosen += [(len(docs) - 1, sent) for sent in cut.sents]
    copies = _sentence_copies(nlp, docs, chosen)
    assert len(copies) == len(chosen) > 5
    for (_, sent), copy in zip(chosen, copies):
        spacys = sent.as_doc(array_head=_COPIED)
        assert copy.text_with_ws == spacys.text_with_ws
        assert [(e.start, e.end, e.label_) for e in copy.ents] == [(e.start, e.end, e.label_) for e in spacys.ents]


def test_the_word_lookup_agrees_with_a_set():
    words = np.array([5, 17, 3, 2**63 + 1, 0, 99], dtype=np.uint64)
    known = np.sort(np.array([3, 99, 2**63 + 1, 2**64 - 1], dtype=np.uint64))
    assert _members(words, known).tolist() == [int(w) in {int(k) for k in known} for w in words]
    assert _members(words, np.array([], dtype=np.uint64)).tolist() == [False] * len(words)


def test_a_nationality_word_the_model_leaves_unlabelled_is_a_nationality():
    parsed = parse_bodies(
        articles_from("Ghanaian authorities deported 40 Nigerian traders on Monday. Malian troops clashed with Tuareg rebels.")
    )
    nationalities = parsed.mentions.filter(pl.col("label") == "NORP")["text"].to_list()
    assert {"Ghanaian", "Nigerian", "Malian"} <= set(nationalities)
    # A nationality word inside a name the model found stays part of that name.
    airline = parse_bodies(articles_from("Turkish Airlines cancelled flights to Ghana."))
    assert airline.mentions.filter(pl.col("text").str.contains("Turkish"))[["text", "label"]].rows() == [("Turkish Airlines", "ORG")]
