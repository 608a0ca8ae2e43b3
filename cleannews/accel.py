"""The optional C module ``cleannews._speedups`` (``cleannews/_speedups.c``), where it is built.

Each function in it has a Python twin that defines what it does and is used where the module is missing
(``PyStopwordTable``, ``py_normalize_lines``, ``py_line_verdicts``, ``IndexedLineRules.py_scan`` …: the
header of ``_speedups.c`` lists them all, with the test that checks each pair agrees).
``pip install`` builds the module where it finds a C compiler (``hatch_build.py``); set
``CLEANNEWS_PURE_PYTHON=1`` to run without it.
"""

from __future__ import annotations

import os
import warnings
from functools import lru_cache
from types import ModuleType

API = 1  # SPEEDUPS_API in _speedups.c: what this code expects of the module


@lru_cache(maxsize=1)
def speedups() -> ModuleType | None:
    """The C module, or None (not built, built from other source, or ``CLEANNEWS_PURE_PYTHON`` set)."""
    if os.environ.get("CLEANNEWS_PURE_PYTHON"):
        return None
    try:
        from cleannews import _speedups
    except ImportError:
        return None
    if getattr(_speedups, "API", None) != API:  # e.g. a checkout updated since `pip install -e .` built it
        warnings.warn(
            f"cleannews: the C module at {getattr(_speedups, '__file__', '?')} was built from other source (API "
            f"{getattr(_speedups, 'API', None)}, expected {API}); running without it: reinstall to rebuild",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return _speedups


def speedups_available() -> bool:
    """Is the C module built and in use?"""
    return speedups() is not None
