"""The optional C module as the pipeline uses it: the same results as the pure-Python pipeline, and a module
built from other source is never used (cleannews/accel.py)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

import cleannews
from cleannews import Cleaner, accel

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "scrapinghub-dev" / "raw-text.jsonl"


def test_the_c_module_offers_what_cleannews_calls(speedups_module) -> None:
    assert speedups_module.API == accel.API  # bump both when the module's functions change
    for name in ("StopwordTable", "normalize_lines", "line_shapes", "prose_prefix", "line_verdicts", "run_weights",
                 "kadane", "index_scan"):  # fmt: skip
        assert callable(getattr(speedups_module, name)), name


def _use(monkeypatch, module) -> None:
    """Run cleannews with *module* as its C module (None: pure Python)."""
    monkeypatch.setattr(accel, "speedups", lambda: module)
    for name in ("cleannews.classify", "cleannews.features", "cleannews.kinds", "cleannews.normalize",
                 "cleannews.ruleset", "cleannews.stopwords"):  # fmt: skip
        if hasattr(sys.modules[name], "speedups"):
            monkeypatch.setattr(sys.modules[name], "speedups", lambda: module)
    from cleannews import stopwords

    stopwords.stopword_table.cache_clear()


def test_the_pipeline_gives_the_same_reports_with_and_without_the_c_module(speedups_module, monkeypatch) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "multilingual").glob("*.txt"))]
    if DEV.is_file():
        texts += [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    texts += ["", "\n\n", "Title\r\n\r\nOne line only.", "\u200bZero\u00a0width  and\tspaces \x1f\n" * 3]
    results = []
    try:
        for module in (speedups_module, None):
            _use(monkeypatch, module)
            cleaner = Cleaner()
            results.append([cleaner.report(t) for t in texts])
    finally:
        from cleannews import stopwords

        stopwords.stopword_table.cache_clear()
    assert results[0] == results[1]


def test_a_c_module_built_from_other_source_is_not_used(monkeypatch) -> None:
    stale = types.ModuleType("cleannews._speedups")
    stale.API = accel.API - 1  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cleannews._speedups", stale)
    monkeypatch.setattr(cleannews, "_speedups", stale, raising=False)  # where `from cleannews import` looks first
    monkeypatch.delenv("CLEANNEWS_PURE_PYTHON", raising=False)
    accel.speedups.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="built from other source"):
            assert accel.speedups() is None
    finally:
        accel.speedups.cache_clear()
