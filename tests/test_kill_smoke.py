"""CI smoke run of ``scripts/kill_test.py``: SIGKILL ``cleannews --in-place`` (text, -j 1 and -j 2) and JSONL runs
(``-o`` and ``--in-place``) at random points; every file must be its complete original or its complete cleaned
version afterwards, and a complete rerun must finish the job. The long run (100+ kills of each) is the script.

Temp files of killed runs (``.NAME.cleannews-<pid>-*.tmp``, their process gone) must be removed by the next
complete run, and a complete run must leave no temp files of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import kill_test  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _check(stats: kill_test.Stats, rounds: int) -> None:
    report = "\n".join(kill_test.summary("smoke", stats, strict_temps=True))
    assert stats.rounds == rounds, report
    assert not stats.failures, report + "\n" + "\n".join(stats.failures[:20])
    assert stats.temps_added_by_rerun == 0, report
    assert stats.stale_after_rerun == 0, report


def test_kill_in_place_text(tmp_path: Path) -> None:
    stats = kill_test.run_text_rounds(tmp_path, n_files=60, rounds=5, seed=1, jobs=(1, 2), kill_target="mixed",
                                       calibrated=False)  # fmt: skip
    _check(stats, 5)
    assert stats.files_checked == 2 * 5 * 60


def test_kill_jsonl(tmp_path: Path) -> None:
    stats = kill_test.run_jsonl_rounds(tmp_path, n_records=60, rounds=2, seed=1, jobs=(2,), kill_target="group",
                                        calibrated=False)  # fmt: skip
    _check(stats, 2)


def test_checker_sees_torn_missing_and_stray_files(tmp_path: Path) -> None:
    """The check itself can fail: a truncated, a missing and a stray file are each reported; temps are counted."""
    import random

    specs = kill_test.make_text_corpus(tmp_path, 8, random.Random(3))
    changed = [rel for rel, s in specs.items() if s.original != s.expected and s.original]
    torn, gone = changed[0], changed[1]
    (tmp_path / torn).write_bytes(specs[torn].expected[: len(specs[torn].expected) // 2])
    (tmp_path / gone).unlink()
    (tmp_path / "stray.txt").write_text("x")
    (tmp_path / f".{Path(gone).name}.cleannews-abc123.tmp").write_text("partial")
    snap = kill_test.snapshot(tmp_path, specs)
    assert snap.states[torn] == "corrupt" and snap.states[gone] == "missing"
    assert len(snap.problems) == 3, snap.problems
    assert snap.strays == ["stray.txt"] and len(snap.temps) == 1
