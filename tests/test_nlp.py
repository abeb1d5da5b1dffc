"""The model's two passes: what gets parsed, and the attribute table against spaCy's own ruler."""

import spacy
from spacy.tokens import Doc

from flows.fast_attributes import FastAttributes
from flows.nlp import MODEL, load_model, parse_bodies

from .nlp_helpers import articles_from


def test_only_sentences_with_two_actors_and_a_dictionary_verb_form_are_parsed():
    body = (
        "Russian forces shelled Ukrainian positions near Kharkiv on Tuesday.\n\n"  # `shelled`: by the suffix rules
        "The mayor of London counted the damage.\n\n"  # one actor: no event possible
        "The weather was cold and the roads were closed.\n\n"  # no actor at all
        "Turkey and Greece fought over the islands for decades."  # `fought`: an irregular form from the lemmatizer's list
    )
    parsed = parse_bodies(articles_from(body))
    parsed_sentences = sorted(set(parsed.clauses["sentence_index"].to_list()))
    assert parsed_sentences == [0, 3]
    assert {"shell", "fight"} <= set(parsed.clauses["lemma"].to_list())
    # Every sentence still has its mentions, parsed or not.
    assert set(parsed.mentions["sentence_index"].to_list()) >= {0, 1, 3}
    assert parsed.sentences.height == 4


def test_a_sentence_that_was_not_parsed_still_gives_the_title_before_a_name():
    parsed = parse_bodies(articles_from("The talks will resume soon, according to Kremlin spokesman Dmitry Peskov."))
    peskov = parsed.mentions.filter(parsed.mentions["text"] == "Dmitry Peskov")
    assert peskov["left_context"].to_list() == ["Kremlin spokesman"]


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
    FastAttributes(nlp.get_pipe("attribute_ruler"))(by_table)

    def attributes(doc):
        return [(t.text, t.pos_, str(t.morph), t.lemma_, t.dep_, t.tag_) for t in doc]

    assert attributes(by_table) == attributes(by_ruler)
    assert len({pos for _, pos, *_ in attributes(by_table)}) > 8  # the text exercises many tags


def test_the_pipeline_runs_the_table_instead_of_the_ruler():
    nlp = load_model()
    assert "fast_attributes" in nlp.pipe_names and "attribute_ruler" in nlp.disabled
