"""Golden files: each seed's expected output was written by reading the seed line by line."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_every_seed_has_a_golden_file():
    assert SEEDS, "no seeds found"
    missing = [s.name for s in SEEDS if not (ROOT / "tests" / "golden" / s.name).exists()]
    assert not missing


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden(seed: Path, cleaner):
    expected = (ROOT / "tests" / "golden" / seed.name).read_text(encoding="utf-8")
    result = cleaner.report(seed.read_text(encoding="utf-8"))
    if result.text != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), result.text.splitlines(),
                                              "expected", "cleannews", lineterm=""))  # fmt: skip
        pytest.fail(f"{seed.name} differs from its golden file:\n{diff}")
    # the report replays to the same text, and golden files are fixed points
    assert result.replay(seed.read_text(encoding="utf-8")) == result.text
    assert cleaner.clean(expected) == expected
