"""H10's region search in the C module against its Python reference (classify._run_weights, classify._kadane)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleannews.classify import _RUN_KINDS, BAD, GOOD, NEAR, SHORT, WALL, _kadane, _run_weights

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
