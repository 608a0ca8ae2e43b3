"""H10 in the C module against its Python reference: line verdicts (classify.py_line_verdicts), run weights
and the Kadane search (classify._run_weights, classify._kadane)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleannews.classify import (
    _RUN_KINDS,
    _VERDICTS,
    BAD,
    GOOD,
    NEAR,
    SHORT,
    WALL,
    _bad_shape,
    _bad_word,
    _kadane,
    _run_weights,
    _unspaced,
    py_line_verdicts,
)
from cleannews.config import Config
from cleannews.features import word_counts

SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
weight = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-10**6, 10**6)
scored_lists = st.lists(st.tuples(st.sampled_from([GOOD, NEAR, SHORT, BAD, WALL]), weight), max_size=60)


@SETTINGS
@given(scored_lists, st.integers(1, 8))
def test_c_run_weights_equal_python(speedups_module, scored, cap) -> None:
    assert speedups_module.run_weights(scored, _RUN_KINDS, cap) == _run_weights(scored, _RUN_KINDS, cap)


@SETTINGS
@given(st.lists(weight, max_size=60), st.data())
def test_c_kadane_equals_python(speedups_module, weights, data) -> None:
    weights = [float(w) for w in weights]  # as run_weights returns them
    a = data.draw(st.integers(0, len(weights)))
    b = data.draw(st.integers(a, len(weights)))
    assert speedups_module.kadane(weights, a, b) == _kadane(weights, a, b)


def test_c_region_search_rejects_bad_input(speedups_module) -> None:
    with pytest.raises(TypeError):
        speedups_module.run_weights([("good",)], _RUN_KINDS, 6)
    with pytest.raises(TypeError):
        speedups_module.run_weights([("good", "heavy")], _RUN_KINDS, 6)
    with pytest.raises(IndexError):
        speedups_module.kadane([1.0], 0, 2)
    assert speedups_module.kadane([], 0, 0) == (0.0, 0, -1)


# ---- line verdicts ---------------------------------------------------------------------------------------
line_text = st.text("ab ©|·•» .:/@0123456789\u4e00\u0e01\u00e9", max_size=140) | st.sampled_from(
    ["https://example.com/a", "info@example.com", "12:30", "© 2024 All rights reserved", "Home | News | Sport",
     "中文的句子没有空格但是很长很长很长", "one two three four five six seven eight nine ten eleven."]
)  # fmt: skip
configs = st.builds(
    Config,
    short_max_words=st.integers(1, 8), good_min_words=st.integers(1, 12), prose_long_words=st.integers(5, 30),
    headline_max_words=st.integers(1, 30), sw_good=st.floats(0.05, 0.6), sw_bad=st.floats(0.0, 0.2),
    bad_cost=st.floats(0, 100) | st.integers(0, 100), bad_weight=st.floats(0, 2), near_weight=st.floats(0, 2),
    good_weight_cap=st.floats(0.5, 3), short_cost=st.floats(0, 50),
)  # fmt: skip


@SETTINGS
@given(st.lists(st.tuples(line_text, st.booleans(), st.floats(0, 1)), max_size=25), configs)
def test_c_line_verdicts_equal_python(speedups_module, rows, cfg: Config) -> None:
    lines = [r[0] for r in rows]
    words, ends, dens = word_counts(lines), [r[1] for r in rows], [r[2] for r in rows]
    params = (cfg.short_max_words, 20 * cfg.short_max_words, cfg.prose_long_words, cfg.good_min_words,
              cfg.headline_max_words, cfg.sw_good, cfg.sw_bad, cfg.bad_cost, cfg.bad_weight, cfg.near_weight,
              cfg.good_weight_cap)  # fmt: skip
    got = speedups_module.line_verdicts(lines, words, ends, dens, _VERDICTS, (SHORT, -cfg.short_cost), params,
                                        _unspaced, _bad_word, _bad_shape)  # fmt: skip
    want = py_line_verdicts(lines, words, ends, dens, cfg)
    assert got == want
    assert [v for v, _ in got] == [v for v, _ in want]  # the same verdict objects
