"""Word counts, sentence ends and the prose prefix in the C module against the Python reference
(features.word_counts, features.sentence_ends, kinds.py_prose_prefix)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleannews.features import _CLOSERS, _ENDS_STR, sentence_ends, word_counts
from cleannews.kinds import py_prose_prefix

SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = _CLOSERS + _ENDS_STR + " ab\u00e9\u0100\U00010000"


@SETTINGS
@given(st.lists(st.text(ALPHABET, max_size=12) | st.text(max_size=20), max_size=10))
@example(["", " ", "He left.”", "Read Next", "Why?)*", "。", "a\U00010000!"])
def test_c_line_shapes_equal_python(speedups_module, lines: list[str]) -> None:
    words, ends = speedups_module.line_shapes(lines, _CLOSERS, _ENDS_STR)
    assert words == word_counts(lines)
    assert ends == sentence_ends(lines)
    assert all(type(e) is bool for e in ends)


@SETTINGS
@given(st.lists(st.tuples(st.text(ALPHABET, max_size=12), st.integers(0, 40), st.booleans()), max_size=12),
       st.integers(0, 30), st.integers(0, 40))  # fmt: skip
def test_c_prose_prefix_equals_python(speedups_module, rows, min_words: int, long_words: int) -> None:
    lines, words, ends = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    got = speedups_module.prose_prefix(lines, words, ends, min_words, long_words)
    assert got == py_prose_prefix(lines, words, ends, min_words, long_words)
