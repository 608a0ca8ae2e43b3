"""The prefix index of whole-line rules (ruleset.rule_clauses / IndexedLineRules) never hides a hit.

Random patterns (literals, classes, alternations, repeats, lookarounds, anchors, scoped flags) against every
short string over a small alphabet: whenever a pattern fullmatches a string, one of its clauses admits the
string's first characters and the string holds the clause's needed character. And on the shipped rules: the
indexed matcher finds the same first hit as one joined alternation, on every line of the rule examples.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

from cleannews.ruleset import (
    PREFIX_LEN,
    IndexedLineRules,
    JoinedLineRules,
    LineDoc,
    default_rule_dir,
    load_rules,
    rule_clauses,
)

STRINGS = ["".join(t) for n in (3, 4, 5) for t in itertools.product("ab :1A", repeat=n)]


def _pattern(rng: random.Random) -> str:
    def atom(d: int) -> str:
        r = rng.random()
        if d > 3 or r < 0.3:
            return rng.choice(["a", "b", " ", ":", "1", "A"])
        if r < 0.4:
            return rng.choice(["[ab]", "[^a]", r"\d", r"\w", r"\s", ".", "[a-c:]", r"[\w:]", "[b1 ]"])
        if r < 0.55:
            return "(?:" + "|".join(seq(d + 1) for _ in range(rng.randint(1, 3))) + ")"
        if r < 0.62:
            return rng.choice(["^", "$", r"\b", r"\B"])
        if r < 0.7:
            return rng.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rng.choice("ab: ") + ")"
        if r < 0.76:
            return "(?i:" + seq(d + 1) + ")"
        if r < 0.8:
            return "(?>" + seq(d + 1) + ")"
        return atom(d + 1) + rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "*?", "+?", "{3,}", "++"])

    def seq(d: int) -> str:
        return "".join(atom(d) for _ in range(rng.randint(1, 4)))

    return "|".join(seq(0) for _ in range(rng.randint(1, 3)))


@pytest.mark.parametrize("seed", range(4))
def test_clauses_never_hide_a_match(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        pattern = _pattern(rng)
        try:
            compiled = re.compile(pattern)
        except re.error:
            continue
        clauses = rule_clauses(pattern)
        if clauses is None:
            continue
        for s in filter(compiled.fullmatch, STRINGS):
            key = s[:PREFIX_LEN]
            assert any(
                (keys is None or key in keys or (test is not None and test(key) is not None))
                and (need is None or need in s)
                for keys, test, need in clauses
            ), (pattern, s, clauses)


def test_indexed_rules_agree_with_the_joined_pattern() -> None:
    rules = [r for r in load_rules([default_rule_dir()]) if r.match == "line"]
    lines = sorted({line.strip() for r in rules for ex in r.examples for _, line in ex.parse() if line.strip()})
    for cs in (False, True):
        group = [r for r in rules if r.case_sensitive == cs]
        if not group:
            continue
        fast, slow = LineDoc(lines), LineDoc(lines)
        IndexedLineRules(group, cs).scan(fast, [])
        JoinedLineRules(group, cs, "re").scan(slow, [])
        assert {i: r.id for i, r in fast.first.items()} == {i: r.id for i, r in slow.first.items()}
