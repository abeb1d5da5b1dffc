"""The model's attribute ruler (tag -> part of speech and morphology, plus word exceptions),
answered from a table instead of its token matcher.

The ruler runs 179 patterns through spaCy's Matcher for every token, as much time as the
parser itself. All but a handful of its patterns look at one token's tag, lowercase form,
dependency label and whether it is a space, so their outcome is a function of those four
values and is worked out once per distinct combination. The few patterns over two tokens
still go through a Matcher. Tokens get the same attributes in the same order as the ruler
would give them (the tests compare the two).
"""

from __future__ import annotations

import re

from spacy.matcher import Matcher
from spacy.tokens._retokenize import set_token_attrs

_FEATURES = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


class AttributeTable:
    def __init__(self, ruler) -> None:
        self._single: list[tuple[int, dict]] = []  # (rule number, token pattern)
        self._multi = Matcher(ruler.vocab)
        self._attrs = ruler.attrs  # normalised attributes per rule number
        self._indices = ruler.indices
        for number, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                if len(pattern) == 1 and set(pattern[0]) <= set(_FEATURES):
                    self._single.append((number, pattern[0]))
                else:
                    self._multi.add(str(number), [pattern])
        self._cache: dict[tuple, tuple[int, ...]] = {}

    def __call__(self, doc):
        rules_of = []
        for token in doc:
            key = (token.tag_, token.lower_, token.dep_, token.is_space)
            rules = self._cache.get(key)
            if rules is None:
                rules = self._cache[key] = tuple(n for n, pattern in self._single if _matches(pattern, key))
            rules_of.append(rules)
            for number in rules:
                set_token_attrs(token, self._attrs[number])
        # A two-token rule can sit between one-token rules in the ruler's order: the tokens it
        # touches get all their rules again, in order, so later rules still win.
        touched: dict[int, list[int]] = {}
        for match_id, start, end in self._multi(doc, allow_missing=True):
            number = int(doc.vocab.strings[match_id])
            index = self._indices[number]
            position = (end if index < 0 else start) + index
            touched.setdefault(position, []).append(number)
        for position, numbers in touched.items():
            for number in sorted([*rules_of[position], *numbers]):
                set_token_attrs(doc[position], self._attrs[number])
        return doc


def _matches(pattern: dict, key: tuple) -> bool:
    for feature, condition in pattern.items():
        value = key[_FEATURES[feature]]
        if not isinstance(condition, dict):
            if value != condition:
                return False
            continue
        for operator, argument in condition.items():
            if operator == "IN" and value not in argument:
                return False
            if operator == "NOT_IN" and value in argument:
                return False
            if operator == "REGEX" and not re.search(argument, value):
                return False
            if operator not in ("IN", "NOT_IN", "REGEX"):
                raise ValueError(f"attribute ruler operator {operator} is not supported")
    return True
