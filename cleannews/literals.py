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

try:
    from ahocorasick_rs import AhoCorasick
except ImportError:  # pragma: no cover - exercised by tests through FORCE_FALLBACK
    AhoCorasick = None

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
        self._automaton = AhoCorasick(self.literals) if AhoCorasick is not None and self.literals else None

    def scan(self, text: str, starts: list[int]) -> Found:
        """``literal -> lines holding it`` for each literal found in *text*; *starts*: each line's offset."""
        if self._automaton is None or self.force_fallback:
            return self._scan_find(text, starts)
        found: Found = {}
        last: dict[int, int] = {}  # literal number -> the last line recorded for it
        literals = self.literals
        for k, start, _end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            i = bisect_right(starts, start) - 1
            if last.get(k) != i:  # hits come in text order, so a line's repeats are adjacent
                last[k] = i
                found.setdefault(literals[k], []).append(i)
        return found

    def _scan_find(self, text: str, starts: list[int]) -> Found:
        return {literal: got for literal in self.literals if (got := lines_with(text, starts, literal))}


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
