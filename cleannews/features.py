"""Cheap per-line shape features shared by rule kinds and heuristics (compiled once).

Lines are normalised (:mod:`cleannews.normalize`): single spaces, no outer white space, so the word
count is ``line.count(" ") + 1``.
"""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter
from typing import TypeVar

import regex

from cleannews.accel import speedups

# Sentence end: . ! ? … (and CJK 。！？), optionally followed by closing quotes or brackets.
_CLOSERS = "\"'”’»)]*"
_ENDS = frozenset(".!?…。！？")
_LONG_WORD = regex.compile(r"(?<!\w)\p{L}[\p{L}\p{M}'’-]{3,}")
_CAP_WORD = regex.compile(r"(?<!\w)[\p{Lu}\p{Lt}][\p{L}\p{M}'’-]{3,}")


def words(line: str) -> int:
    """Word count of a normalised, non-empty line."""
    return line.count(" ") + 1


def ends_sentence(line: str) -> bool:
    """Does the line end like a sentence?

    >>> ends_sentence('He left.”'), ends_sentence('Read Next')
    (True, False)
    """
    return line.rstrip(_CLOSERS)[-1:] in _ENDS


_T = TypeVar("_T")
_LAST = itemgetter(slice(-1, None))


def pick(values: list[_T], at: list[int] | range) -> list[_T]:
    """``values`` at the indices *at*: *values* itself when *at* is all of them (callers only read it)."""
    if type(at) is range and len(at) == len(values):
        return values
    return list(map(values.__getitem__, at))


def word_counts(lines: list[str]) -> list[int]:
    """:func:`words` of each line."""
    return list(map((1).__add__, map(str.count, lines, repeat(" "))))


def sentence_ends(lines: list[str]) -> list[bool]:
    """:func:`ends_sentence` of each line, in C-level passes (no Python call per line)."""
    return list(map(_ENDS.__contains__, map(_LAST, map(str.rstrip, lines, repeat(_CLOSERS)))))


_ENDS_STR = "".join(sorted(_ENDS))


def line_shapes(lines: list[str]) -> tuple[list[int], list[bool]]:
    """``(word_counts(lines), sentence_ends(lines))``, in one C pass where the optional module is built
    (:mod:`cleannews.accel`; ``tests/test_shapes_c.py`` checks the two agree)."""
    c = speedups()
    if c is not None:
        return c.line_shapes(lines, _CLOSERS, _ENDS_STR)  # type: ignore[no-any-return]
    return word_counts(lines), sentence_ends(lines)


def titlecase_ratio(line: str) -> float:
    """Share of words of 4+ letters that start with a capital (1.0 if there are none)."""
    n = len(_LONG_WORD.findall(line))
    return len(_CAP_WORD.findall(line)) / n if n else 1.0


def is_prose(line: str, min_words: int = 6, long_words: int = 25) -> bool:
    """A sentence-like line: enough words and sentence punctuation, or simply long."""
    n = words(line)
    return n >= long_words or (n >= min_words and ends_sentence(line))


def is_headline_shaped(line: str, max_words: int = 25) -> bool:
    """Short and not ending a sentence: a headline, a link, a menu entry, a label."""
    return bool(line) and words(line) <= max_words and not ends_sentence(line)
