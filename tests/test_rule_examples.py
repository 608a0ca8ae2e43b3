"""Every rule carries examples: "- " lines must be removed by the rule alone, "  " lines must stay
(also under the full default pipeline), "~ " lines are known misses (strict xfail)."""

from __future__ import annotations

import pytest

from cleannews import Cleaner, Config
from cleannews.normalize import normalize_line
from cleannews.ruleset import default_rule_dir, load_rules

RULES = load_rules([default_rule_dir()])
CASES = [(r, i, ex) for r in RULES for i, ex in enumerate(r.examples)]


def _removed(cleaner: Cleaner, text: str) -> set[int]:
    res = cleaner.report(text)
    return {n for rm in res.removals for n in range(rm.first, rm.last + 1)}


@pytest.mark.parametrize(("rule", "idx", "example"), CASES, ids=[f"{r.id}-{i}" for r, i, _ in CASES])
def test_rule_example(rule, idx, example, cleaner):
    lines = example.parse()
    text = "\n".join(line for _, line in lines)
    alone = Cleaner(Config(select=(rule.id,), heuristics=False))
    gone = _removed(alone, text)
    for n, (mark, line) in enumerate(lines, 1):
        if not normalize_line(line):
            continue
        if mark == "-":
            assert n in gone, f"{rule.id} should remove line {n}: {line!r}"
        elif mark == " ":
            assert n not in gone, f"{rule.id} removed line {n} that must stay: {line!r}"
    # the whole default pipeline must not lose a line marked to stay either
    full = _removed(cleaner, text)
    kept_lost = [line for n, (mark, line) in enumerate(lines, 1) if mark == " " and n in full and line.strip()]
    assert not kept_lost, f"default pipeline removed lines that must stay: {kept_lost}"


@pytest.mark.parametrize(("rule", "idx", "example"), [c for c in CASES if any(m == "~" for m, _ in c[2].parse())])
def test_rule_known_misses(rule, idx, example):
    lines = example.parse()
    text = "\n".join(line for _, line in lines)
    gone = _removed(Cleaner(Config(select=(rule.id,), heuristics=False)), text)
    still_missed = [n for n, (m, _) in enumerate(lines, 1) if m == "~" and n not in gone]
    if still_missed:
        pytest.xfail(f"known miss, lines {still_missed}")
    pytest.fail("a '~' line is now removed: flip its marker to '-'")


@pytest.mark.parametrize(("rule", "idx", "example"), CASES, ids=[f"{r.id}-{i}" for r, i, _ in CASES])
def test_rule_example_same_under_both_engines(rule, idx, example):
    """Joined patterns run on `re` where they compile there; `regex` must give the same hits."""
    text = "\n".join(line for _, line in example.parse())
    fast = _removed(Cleaner(Config(select=(rule.id,), heuristics=False, engine="auto")), text)
    slow = _removed(Cleaner(Config(select=(rule.id,), heuristics=False, engine="regex")), text)
    assert fast == slow
