"""The model's entity recogniser with its greedy decoder run over a whole batch at once.

spaCy decodes one action per token in compiled code, but in the wheels this machine installs
every validity check in that loop takes Python's global lock again (a few hundred lock
round trips per token), so the loop costs more than the network. Here the network is the
model's own (its embedding, its precomputed hidden layer, its output layer); only the loop
is replaced: one step per token position for every document of the batch, in array
operations, with the same features, spaCy's BILUO validity rules (entities set before the
recogniser, such as the curated names, are kept; no entity crosses a sentence start or
starts on whitespace) and the same tie-breaking (the first best valid action). The
entities come out the same; the tests compare both token by token.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START
from spacy.tokens import Span

BEGIN, IN, LAST, UNIT, OUT = range(5)
_KIND_OF = {"B": BEGIN, "I": IN, "L": LAST, "U": UNIT, "O": OUT}
# Token.ent_iob as set before the recogniser runs.
_PRESET_INSIDE, _PRESET_BEGIN = 1, 3


class BatchEntityDecoder:
    def __init__(self, ner) -> None:
        self._ner = ner
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        # Anything but the greedy three-feature maxout network of spaCy's v3 English models is
        # left to spaCy's own decoder.
        self._exact = (
            ner.cfg.get("beam_width") == 1 and ner.model.attrs.get("has_upper") and len(ner.model.layers) == 3
            and ner.model.layers[1].get_dim("nF") == 3 and ner.model.layers[1].get_dim("nP") >= 2
            and all(name[0] in _KIND_OF for name in names)
        )  # fmt: skip
        if not self._exact:
            return
        self._kinds = np.array([_KIND_OF[name[0]] for name in names])
        self._labels = np.array([ner.vocab.strings.add(name[2:]) if name[2:] else 0 for name in names], dtype=np.uint64)
        self._labelled = self._labels != 0
        self._blocked_unit = (self._kinds == UNIT) & ~self._labelled  # "U-": only on a token preset as blocked
        self._out = self._kinds == OUT
        self._embed, self._lower, upper = ner.model.layers
        self._bias = self._lower.get_param("b")
        self._upper_w, self._upper_b = upper.get_param("W"), upper.get_param("b")
        self._unseen = np.array(sorted(ner.model.attrs["unseen_classes"]), dtype=np.int64)
        self._ops = ner.model.ops

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 64):
        if not self._exact:
            yield from self._ner.pipe(docs, batch_size=batch_size)
            return
        docs = list(docs)
        for start in range(0, len(docs), batch_size):
            batch = docs[start : start + batch_size]
            for doc, spans in zip(batch, self._decode(batch)):
                # A token preset as blocked stays blocked (its only valid action is the unlabelled unit).
                doc.set_ents(
                    [Span(doc, s, e, label=int(label), kb_id=doc[s].ent_kb_id) for s, e, label in spans if label],
                    blocked=[doc[s:e] for s, e, label in spans if not label],
                    default="outside",
                )
            yield from batch

    def _decode(self, docs) -> list[list[tuple[int, int, int]]]:
        """(start, end, label) of the entities of each document, as spaCy's greedy decoder
        would find them."""
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        lengths = np.array([len(doc) for doc in docs])
        if not lengths.any():
            return found
        # Row 0 of the precomputed layer is its padding (a feature that points at no token);
        # the token at position p of the concatenated batch is row p + 1.
        precomputed = self._lower.predict(self._embed.predict(docs))
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        order = np.argsort(-lengths, kind="stable")  # longest first: the live documents are a prefix
        lengths, offsets = lengths[order], offsets[order]
        width = int(lengths[0]) + 1  # one column past the end: spaCy's empty token
        iob = np.zeros((len(docs), width), dtype=np.int8)
        types = np.zeros((len(docs), width), dtype=np.uint64)
        sentence_start = np.zeros((len(docs), width), dtype=bool)
        space = np.zeros((len(docs), width), dtype=bool)
        for row, d in enumerate(order):
            if lengths[row]:
                values = docs[d].to_array([ENT_IOB, ENT_TYPE, SENT_START, IS_SPACE])
                n = lengths[row]
                iob[row, :n], types[row, :n] = values[:, 0], values[:, 1]
                sentence_start[row, :n], space[row, :n] = values[:, 2] == 1, values[:, 3] == 1
        is_open = np.zeros(len(docs), dtype=bool)
        open_label = np.zeros(len(docs), dtype=np.uint64)
        open_start = np.zeros(len(docs), dtype=np.int64)
        alive = np.ones(len(docs), dtype=bool)
        for t in range(width - 1):
            k = int(np.count_nonzero(lengths > t))
            scores = self._scores(precomputed, offsets[:k] + t, is_open[:k], offsets[:k] + open_start[:k])
            valid = (
                self._valid(t, lengths[:k], iob[:k], types[:k], sentence_start[:k], space[:k], is_open[:k], open_label[:k])
                & alive[:k, None]
            )
            alive[:k] &= valid.any(axis=1)  # spaCy ends a document with no valid action
            guess = np.where(valid, scores, -np.inf).argmax(axis=1)
            kind, label = self._kinds[guess], self._labels[guess]
            live = alive[:k]
            for row in np.flatnonzero(live & (kind == UNIT)):
                found[order[row]].append((t, t + 1, label[row]))
            for row in np.flatnonzero(live & (kind == LAST)):
                found[order[row]].append((int(open_start[row]), t + 1, open_label[row]))
            begins = live & (kind == BEGIN)
            open_label[:k] = np.where(begins, label, open_label[:k])
            open_start[:k] = np.where(begins, t, open_start[:k])
            is_open[:k] = (is_open[:k] & ~(live & (kind == LAST))) | begins
        return found

    def _scores(self, precomputed, rows, is_open, start_rows):
        """The output layer's scores for each live state: the hidden layer sums the precomputed
        rows of three features (the next token, the open entity's first token and the token
        before the next), in spaCy's order, then maxout and the output layer."""
        hidden = precomputed[rows + 1, 0]
        hidden = hidden + precomputed[np.where(is_open, start_rows + 1, 0), 1]
        hidden += precomputed[np.where(is_open, rows, 0), 2]
        hidden += self._bias
        scores = self._ops.gemm(hidden.max(axis=2), self._upper_w, trans2=True)
        scores += self._upper_b
        if self._unseen.size:
            scores[:, self._unseen] = scores.min()
        return scores

    def _valid(self, t, lengths, iob, types, sentence_start, space, is_open, open_label):
        """Which actions spaCy's BILUO system allows for each live state at token t."""
        iob0, iob1 = iob[:, t], iob[:, t + 1]
        type0, next_starts, space0 = types[:, t], sentence_start[:, t + 1], space[:, t]
        last_token = lengths == t + 1
        preset_begin, preset_inside = iob0 == _PRESET_BEGIN, iob0 == _PRESET_INSIDE
        ends_preset = preset_inside & (iob1 != _PRESET_INSIDE)
        allowed = np.zeros((len(lengths), 5), dtype=bool)
        allowed[:, BEGIN] = (
            ~is_open
            & ~last_token
            & ~preset_inside
            & np.where(preset_begin, iob1 == _PRESET_INSIDE, (iob1 != _PRESET_BEGIN) & ~next_starts & ~space0)
        )
        allowed[:, IN] = (
            is_open & ~last_token & ~preset_begin & (iob1 != _PRESET_BEGIN)
            & np.where(preset_inside, (iob1 == _PRESET_INSIDE) & (open_label == type0), ~next_starts)
        )  # fmt: skip
        allowed[:, LAST] = is_open & (ends_preset | (iob1 != _PRESET_INSIDE))
        allowed[:, UNIT] = ~is_open & (iob1 != _PRESET_INSIDE) & (preset_begin | ~space0)
        allowed[:, OUT] = ~is_open & ~preset_begin & ~preset_inside
        # The label an action must carry: the preset one, the open entity's, or any.
        required = np.zeros((len(lengths), 5), dtype=np.uint64)
        any_label = np.zeros((len(lengths), 5), dtype=bool)
        required[:, BEGIN] = required[:, UNIT] = type0
        any_label[:, BEGIN] = any_label[:, UNIT] = ~preset_begin
        required[:, IN] = open_label
        required[:, LAST] = np.where(ends_preset, type0, open_label)
        valid = allowed[:, self._kinds] & (any_label[:, self._kinds] | (required[:, self._kinds] == self._labels)) & self._labelled
        valid[:, self._blocked_unit] = (preset_begin & (type0 == 0))[:, None]
        valid[:, self._out] = allowed[:, OUT][:, None]
        return valid
