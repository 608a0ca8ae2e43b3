"""The literal filter in front of the "contains" rules: one Aho-Corasick pass must find exactly the lines
that hold each literal, as ``str.find`` (the fallback) and a plain ``in`` per line do."""

from __future__ import annotations

from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews import Cleaner
from cleannews.literals import BytesAhoCorasick, LiteralScanner
from cleannews.ruleset import ContainsRules, LineDoc


def joined(lines: list[str]) -> tuple[str, list[int]]:
    return "\n".join(lines), [0, *accumulate(len(ln) + 1 for ln in lines[:-1])]


def brute(lines: list[str], literals: list[str]) -> dict[str, list[int]]:
    out = {lit: [i for i, ln in enumerate(lines) if lit in ln] for lit in literals if lit and "\n" not in lit}
    return {lit: got for lit, got in out.items() if got}


alphabet = st.sampled_from([*"ab é|·»)20 ", "by ", "ß", "İ", "\U0001f600"])
line = st.lists(alphabet, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(line, min_size=1, max_size=8), st.lists(line.filter(bool), min_size=1, max_size=6))
def test_scanner_finds_exactly_the_lines_holding_each_literal(lines: list[str], literals: list[str]) -> None:
    text, starts = joined(lines)
    scanner = LiteralScanner(literals)
    expected = brute(lines, literals)
    assert scanner.scan(text, starts) == expected
    scanner.force_fallback = True  # the str.find path, on this instance only
    assert scanner.scan(text, starts) == expected


def test_overlapping_literals_are_all_found() -> None:
    lines = ["tous droits réservés", "traceurs et cookies", "nothing"]
    literals = ["réserv", "réservés", "traceur", "traceurs", "eur", "cookie"]
    text, starts = joined(lines)
    assert LiteralScanner(literals).scan(text, starts) == brute(lines, literals)


@pytest.mark.skipif(BytesAhoCorasick is None, reason="ahocorasick_rs not installed")
def test_automaton_and_fallback_clean_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped "contains" rules through the automaton and through str.find hit the same lines."""
    cleaner = Cleaner()
    contains = [m for m in cleaner._matchers if isinstance(m, ContainsRules)]
    assert contains
    lines = [
        "Photo: Jane Doe/Reuters",
        "By continuing to browse this website you accept our use of cookies.",
        "Home › News › World",
        "© 2024 Example Media. All rights reserved.",
        "The council met on Tuesday and voted 7-2 to approve the plan, which has been debated since 2019.",
        "Posted by admin | 12 March 2024",
    ]
    hits = []
    for fallback in (False, True):
        monkeypatch.setattr(LiteralScanner, "force_fallback", fallback)
        doc = LineDoc(lines)
        for matcher in contains:
            matcher.scan(doc, [])
        hits.append({i: rule.id for i, rule in doc.first.items()})
    assert hits[0] == hits[1]
    assert hits[0]  # the example lines do hit contains rules
