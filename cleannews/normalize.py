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

# NZ01 + NZ02 in one translate table (C speed).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_TABLE = str.maketrans({**{c: None for c in _ZERO_WIDTH}, **{c: " " for c in _SPACES}})
_SPACE_RUN = re.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """NZ01 + NZ02 over the whole text (line structure untouched).

    >>> normalize_text("a\\u00a0b\\u200bc")
    'a bc'
    """
    return text.translate(_TABLE)


def normalize_lines(text: str) -> list[str]:
    """Split *text* into normalised lines (NZ01-NZ03); blank lines become ``""``."""
    text = text.translate(_TABLE)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return [line.strip() for line in text.splitlines()]


def normalize_line(line: str) -> str:
    """One line through NZ01-NZ03 (used by tests and by the report's replay)."""
    return _SPACE_RUN.sub(" ", line.translate(_TABLE)).strip()


def assemble(lines: list[str]) -> str:
    """The output format: one paragraph per line, ``\\n``-separated, a final ``\\n``; ``""`` if empty.

    >>> assemble(["Title", "Body."])
    'Title\\nBody.\\n'
    >>> assemble([])
    ''
    """
    return "\n".join(lines) + "\n" if lines else ""
