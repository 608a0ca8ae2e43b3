"""Whitespace normalisation: the first stage of the pipeline.

Every later stage sees *normalised lines*: the input split into lines (``str.splitlines``
semantics, so ``\\r\\n``, lone ``\\r``, ``\\u2028`` … all end a line), with

* NZ01 zero-width characters and the BOM removed (``\\u200b`` ``\\u200c`` ``\\u200d`` ``\\u2060`` ``\\ufeff``,
  soft hyphen ``\\u00ad``);
* NZ02 every other Unicode space (NBSP, thin space, ideographic space, tab, …) read as a plain space;
* NZ03 leading and trailing white space stripped and inner runs of spaces folded to one.

Blank lines are kept as ``""`` so that line numbers in the report match the input.
Nothing else is changed: no case, no punctuation, no Unicode normal form, so "never invents text"
holds modulo white space.

>>> normalize_lines("  Title\\u00a0 here \\r\\n\\r\\n\\tBody\\u200b text.")
['Title here', '', 'Body text.']
"""

from __future__ import annotations

import re

from cleannews.accel import speedups

# NZ01 and NZ02 as two compiled patterns; pure-ASCII text only needs tabs folded. Each is tried only when
# one of its characters occurs (``in`` per character is many times faster than a character-class scan).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACES_RE = re.compile(f"[{_SPACES}]")
_SPACE_RUN = re.compile("   *")  # two spaces or more; the literal prefix lets `re` skip ahead fast


def _fold(text: str) -> str:
    if text.isascii():
        return text.replace("\t", " ") if "\t" in text else text
    return _SPACES_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text))


def normalize_lines(text: str) -> list[str]:
    """Split *text* into normalised lines (NZ01-NZ03); blank lines become ``""``.

    Lines are split *before* zero-width characters are removed, so ``"a\\r\\u200b\\nb"`` stays three lines,
    as the input numbers them. Runs in C where the optional module is built (:mod:`cleannews.accel`), else
    :func:`py_normalize_lines`; the two agree (``tests/test_normalize_c.py``).
    """
    c = speedups()
    if c is not None:
        return c.normalize_lines(text, _ZERO_WIDTH, _SPACES)  # type: ignore[no-any-return]
    return py_normalize_lines(text)


def py_normalize_lines(text: str) -> list[str]:
    """:func:`normalize_lines` in Python: the reference."""
    if text.isascii():
        if "\t" in text:
            text = text.replace("\t", " ")
    elif any(c in text for c in _ZERO_WIDTH):
        return [_SPACE_RUN.sub(" ", _fold(line)).strip() for line in text.splitlines()]
    elif any(c in text for c in _SPACES):
        text = _SPACES_RE.sub(" ", text)  # _fold(text), there being no zero-width characters
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return list(map(str.strip, text.splitlines()))


def normalize_line(line: str) -> str:
    """One line through NZ01-NZ03 (used by tests and by the report's replay)."""
    return _SPACE_RUN.sub(" ", _fold(line)).strip()


def assemble(lines: list[str]) -> str:
    """The output format: one paragraph per line, ``\\n``-separated, a final ``\\n``; ``""`` if empty.

    >>> assemble(["Title", "Body."])
    'Title\\nBody.\\n'
    >>> assemble([])
    ''
    """
    return "\n".join(lines) + "\n" if lines else ""
