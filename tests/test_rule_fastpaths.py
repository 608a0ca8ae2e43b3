"""The shortcuts in front of the rule patterns never hide a hit.

``IndexedLineRules`` narrows a line's candidate rules by its last characters too (``rule_ends``), and
``ContainsRules`` matches a pattern's line-start alternatives apart from the others (``split_anchored``) and
searches the others only on lines holding a literal every match needs (``required_literals``). Each is
checked here against plain ``re`` on random patterns (as ``test_rule_index`` does for the prefixes), and the
two matchers against a naive reference (every rule tried on every line, first hit wins) on the rule examples.
"""

from __future__ import annotations

import random
import re

import pytest
from test_rule_index import STRINGS, _pattern

from cleannews.ruleset import (
    SUFFIX_LEN,
    ContainsRules,
    IndexedLineRules,
    LineDoc,
    default_rule_dir,
    load_rules,
    required_literals,
    rule_ends,
    split_anchored,
)

MORE = [s + tail for s in STRINGS[::7] for tail in ("", " a1", ":b ", "ab")]  # longer lines too


def _patterns(seed: int, n: int = 150) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pattern = _pattern(rng)
        try:
            re.compile(pattern)
        except re.error:
            continue
        out.append(pattern)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_ends_never_hide_a_match(seed: int) -> None:
    for pattern in _patterns(seed):
        keys, test = rule_ends(pattern)
        if keys is None and test is None:
            continue
        for s in filter(re.compile(pattern).fullmatch, STRINGS + MORE):
            end = s[-SUFFIX_LEN:]
            assert (keys is not None and end in keys) or (test is not None and test(end) is not None), (pattern, s)


@pytest.mark.parametrize("seed", range(4))
def test_required_literals_are_in_every_match(seed: int) -> None:
    for pattern in _patterns(seed + 10):
        literals = required_literals(pattern)
        if literals is None:
            continue
        search = re.compile(pattern).search
        for s in STRINGS + MORE:
            if search(s) is not None:
                assert any(lit in s for lit in literals), (pattern, s, literals)


@pytest.mark.parametrize("seed", range(4))
def test_split_anchored_finds_what_the_whole_pattern_finds(seed: int) -> None:
    rng = random.Random(seed)
    for pattern in _patterns(seed + 20):
        # give some alternatives a line-start anchor, as "contains" rules do
        pattern = "|".join(("^" + p if rng.random() < 0.5 else p) for p in pattern.split("|"))
        try:
            whole = re.compile(pattern).search
        except re.error:
            continue
        anchored, others = split_anchored(pattern)
        assert anchored or others
        matches = [re.compile(p).match for p in anchored]
        searches = [re.compile(p).search for p in others]
        for s in STRINGS + MORE:
            split = any(m(s) is not None for m in matches) or any(f(s) is not None for f in searches)
            assert split == (whole(s) is not None), (pattern, anchored, others, s)


def _naive(rules: list, lines: list[str]) -> dict[int, str]:
    """The first rule (in order) whose pattern hits each line, every rule tried on every line."""
    out: dict[int, str] = {}
    for i, line in enumerate(lines):
        low = line.lower()
        for r in rules:
            if len(low) > r.max_chars:
                continue
            text = line if r.case_sensitive else low
            pattern = re.compile(r.pattern)
            if (pattern.fullmatch if r.match == "line" else pattern.search)(text) is not None:
                out[i] = r.id
                break
    return out


def test_matchers_agree_with_a_naive_reference_on_the_rule_examples() -> None:
    rules = load_rules([default_rule_dir()])
    lines = sorted({ln.strip() for r in rules for ex in r.examples for _, ln in ex.parse() if ln.strip()})
    lines += [f"{a} {b}" for a, b in zip(lines[::5], lines[1::5], strict=False)]  # joined: contains rules see more
    for group in (
        [r for r in rules if r.match == "line" and not r.case_sensitive],
        [r for r in rules if r.match == "line" and r.case_sensitive],
        [r for r in rules if r.match == "search"],
    ):
        if not group:
            continue
        doc = LineDoc(lines)
        first = group[0]
        matcher = ContainsRules(group) if first.match == "search" else IndexedLineRules(group, first.case_sensitive)
        matcher.scan(doc, [])
        assert {i: r.id for i, r in doc.first.items()} == _naive(group, lines)
