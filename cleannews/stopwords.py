"""Stopword lists and the stopword counts H10 reads (language detection, per-line stopword density).

A line's *tokens* are ``line.split()``. A token is a stopword of a language when it is one of the language's
words (``rules/stopwords/<lang>.txt``), or one of them with one piece of punctuation that sticks to words in
running text (``said,`` ``it.`` ``(the`` ``¿qué``: :data:`SUFFIXES`, :data:`PREFIXES`).

Two implementations of one :class:`StopwordCounter` interface give the same answers:

* :class:`PyStopwordTable` here, the reference: the words with their affixes as one Python set per language;
* ``cleannews._speedups.StopwordTable`` (``cleannews/_speedups.c``), built when ``pip install`` finds a C
  compiler: it hashes each token as it reads it, with no string object made, and looks it up in one table
  of every language's words (splitting a sticky affix off in place of listing each word with each affix).
  Counting stopwords is the one step of the pipeline that costs a Python set lookup per token (about 900
  CPython instructions); on the dev pages the C table is 3 to 4 times faster.

``tests/test_stopwords.py`` checks that the two agree on arbitrary Unicode and on the dev pages.
:func:`stopword_table` returns the C table where it is built, else the Python one (:mod:`cleannews.accel`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import regex

from cleannews.accel import speedups

_WORD = regex.compile(r"\w+")
# punctuation that sticks to a word in running text: after it ("said," "it." "end.”") and before it ("(the")
SUFFIXES = (",", ".", ":", ";", "!", "?", ")", '"', "”", "’", "'", "»", ".”", ",”", "...", "…")
PREFIXES = ("(", '"', "“", "«", "'", "‘", "¿", "¡")


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """The shipped stopword lists, by language code (``rules/stopwords/<lang>.txt``), in file-name order."""
    from cleannews.ruleset import default_rule_dir

    out: dict[str, frozenset[str]] = {}
    for f in sorted((default_rule_dir() / "stopwords").glob("*.txt")):
        if not f.stem.isalpha() or not f.stem.islower():  # a language code (en, de, pt); not LICENSE-jusText
            continue
        words = set()
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                words.update(_WORD.findall(line.lower()))
        out[f.stem] = frozenset(words)
    return out


class StopwordCounter(Protocol):
    """What H10 asks of a stopword table (languages numbered in the order they were given)."""

    def totals(self, lines: list[str]) -> tuple[int, list[int]]:
        """``(tokens, hits)``: the tokens in all *lines*, and how many of them are stopwords of each language."""
        ...

    def densities(self, lines: list[str], lang: int) -> list[float]:
        """For each line, the share of its tokens that are stopwords of language *lang* (0.0: no token)."""
        ...


def with_affixes(words: Iterable[str], suffixes: Sequence[str], prefixes: Sequence[str]) -> frozenset[str]:
    """Every token that counts as one of *words*: the word, the word + a suffix, a prefix + the word."""
    words = [w for w in words if w]
    return frozenset(words).union([w + s for w in words for s in suffixes], [p + w for w in words for p in prefixes])


# Counts for every language at once: each stopword token maps to an integer holding one counter of _FIELD bits
# per language, 1 where the token is a stopword of that language. Summing the integers of a text's tokens
# counts its stopwords in every language in one pass (no count can reach 2**32).
_FIELD = 32
_FIELD_MASK = (1 << _FIELD) - 1


class PyStopwordTable:
    """The reference :class:`StopwordCounter`: a set of tokens per language (see :func:`with_affixes`).

    >>> t = PyStopwordTable([["the", "of"], ["der"]], SUFFIXES, PREFIXES)
    >>> t.totals(["the end of it.", "der (der"])
    (6, [2, 2])
    >>> t.densities(["the end of it.", "", "Der"], 0)
    [0.5, 0.0, 0.0]
    """

    def __init__(self, languages: Sequence[Iterable[str]], suffixes: Sequence[str] = (),
                 prefixes: Sequence[str] = ()) -> None:  # fmt: skip
        self.tokens = [with_affixes(words, suffixes, prefixes) for words in languages]
        packed: dict[str, int] = {}
        for bit, tokens in enumerate(self.tokens):
            one = 1 << (_FIELD * bit)
            for w in tokens:
                packed[w] = packed.get(w, 0) + one
        self._known = frozenset(packed)  # a set answers "a stopword at all?" faster than the dict
        self._packed = packed

    def totals(self, lines: list[str]) -> tuple[int, list[int]]:
        tokens = " ".join(lines).split()
        packed = sum(map(self._packed.__getitem__, filter(self._known.__contains__, tokens)))
        return len(tokens), [packed >> (_FIELD * b) & _FIELD_MASK for b in range(len(self.tokens))]

    def densities(self, lines: list[str], lang: int) -> list[float]:
        contains = self.tokens[lang].__contains__
        out = []
        for line in lines:
            toks = line.split()
            out.append(sum(map(contains, toks)) / len(toks) if toks else 0.0)
        return out


@lru_cache(maxsize=1)
def stopword_table() -> StopwordCounter:
    """The table of the shipped lists (languages in :func:`stopwords` order): C when built, else Python."""
    words = list(stopwords().values())
    c = speedups()
    table: StopwordCounter = (c.StopwordTable if c else PyStopwordTable)(words, SUFFIXES, PREFIXES)
    return table
