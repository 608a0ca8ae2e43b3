"""Which lines of a document hold which literal strings: the filter in front of the "contains" rules.

Every "contains" rule names literals (``requires``), one of which any line it can hit contains; only those
lines are searched with the rule's pattern. :class:`LiteralScanner` finds all the literals of all the rules
in **one** pass over the document's lowercased text with an Aho-Corasick automaton (`ahocorasick_rs`_, a
compiled library), instead of one ``str.find`` scan per literal: with some fifty literals that is the
difference between reading the text once and reading it fifty times.

Without ``ahocorasick_rs`` (a platform with no wheel for it), the scanner falls back to ``str.find`` per
literal, with the same answers.

.. _ahocorasick_rs: https://github.com/G-Research/ahocorasick_rs
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate, chain, repeat
from operator import itemgetter

try:
    from ahocorasick_rs import BytesAhoCorasick, Implementation
except ImportError:  # pragma: no cover - tests set force_fallback
    BytesAhoCorasick = Implementation = None

Found = dict[str, list[int]]  # literal -> indices (ascending) of the lines holding it


class LiteralScanner:
    """All the *literals*, found at once in a text of lines joined by ``"\\n"``.

    >>> text = "by jane doe\\nthe cookie jar\\nnothing here"
    >>> LiteralScanner(["cookie", "by ", "jar"]).scan(text, [0, 12, 27])
    {'by ': [0], 'cookie': [1], 'jar': [1]}
    """

    force_fallback = False  # tests set this to check the str.find path gives the same answers

    def __init__(self, literals: Iterable[str]) -> None:
        # a literal holding a line break can never be inside one line
        self.literals: tuple[str, ...] = tuple(sorted({s for s in literals if s and "\n" not in s}))
        self._automaton = None
        if BytesAhoCorasick is not None and self.literals:
            # a DFA, always: left to choose, the library takes a slower NFA past about a hundred literals
            encoded = [_utf8(s) for s in self.literals]
            self._automaton = BytesAhoCorasick(encoded, implementation=Implementation.DFA)

    def scan(self, text: str, starts: list[int]) -> Found:
        """``literal -> lines holding it`` for each literal found in *text*; *starts*: each line's offset."""
        found: Found = {}
        for k, i in dict.fromkeys(self.line_hits(text, starts)):
            found.setdefault(self.literals[k], []).append(i)
        return found

    def line_hits(self, text: str, starts: list[int] | None = None) -> Iterable[tuple[int, int]]:
        """``(k, line)`` for each line holding ``literals[k]``, lines in ascending order (a pair may repeat).
        *starts* (each line's offset in *text*) is only read without the automaton.

        The automaton runs on the UTF-8 bytes (what it reads anyway: no byte-to-character offsets to convert
        back). It reports hits in the order they end, so a hit's line is the line breaks counted from the
        previous hit's end to its own: C-level ``map``/``accumulate``, no Python loop per hit, where the common
        literals (a year, a bracket) hit dozens of times per document.
        """
        if self._automaton is None or self.force_fallback:
            return self._line_hits_find(text, starts if starts is not None else line_starts(text))
        data = _utf8(text)
        hits = self._automaton.find_matches_as_indexes(data, overlapping=True)
        ends = list(map(itemgetter(2), hits))
        breaks = map(data.count, repeat(b"\n"), chain((0,), ends), ends)  # line breaks since the previous hit
        return zip(map(itemgetter(0), hits), accumulate(breaks), strict=True)

    def _line_hits_find(self, text: str, starts: list[int]) -> list[tuple[int, int]]:
        pairs = [(k, i) for k, literal in enumerate(self.literals) for i in lines_with(text, starts, literal)]
        return sorted(pairs, key=itemgetter(1))


def _utf8(text: str) -> bytes:
    """*text* in UTF-8, a lone surrogate (JSON may hold "\\ud800") included: its bytes cannot be part of
    another character's, so a literal is found in the bytes exactly where it is in the text."""
    return text.encode("utf-8", "surrogatepass")


def line_starts(text: str) -> list[int]:
    """The offset of each line of *text* (lines joined by ``"\\n"``)."""
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


def lines_with(text: str, starts: list[int], literal: str) -> list[int]:
    """The lines (ascending) of *text* holding *literal*, by ``str.find`` jumping to the next line after
    each hit; *starts*: each line's offset in *text*."""
    got: list[int] = []
    last_line = len(starts) - 1
    pos = text.find(literal)
    while pos >= 0:
        i = bisect_right(starts, pos) - 1
        got.append(i)
        if i == last_line:
            break
        pos = text.find(literal, starts[i + 1])
    return got
