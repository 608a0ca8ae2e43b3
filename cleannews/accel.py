"""The optional C module ``cleannews._speedups`` (``cleannews/_speedups.c``), where it is built.

Each function in it has a Python twin that defines what it does and is used where the module is missing:
:class:`~cleannews.stopwords.PyStopwordTable` for the stopword counts, and
:func:`~cleannews.normalize.py_normalize_lines` for the first stage. The tests check each pair agrees.
``pip install`` builds the module where it finds a C compiler (``hatch_build.py``); set
``CLEANNEWS_PURE_PYTHON=1`` to run without it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def speedups() -> ModuleType | None:
    """The C module, or None (not built, or ``CLEANNEWS_PURE_PYTHON`` set)."""
    if os.environ.get("CLEANNEWS_PURE_PYTHON"):
        return None
    try:
        from cleannews import _speedups
    except ImportError:
        return None
    return _speedups


def speedups_available() -> bool:
    """Is the C module built and in use?"""
    return speedups() is not None
