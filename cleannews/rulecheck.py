"""``cleannews rules check PATH...``: validate rule files and run every rule's examples.

The same check the test-suite runs on the shipped rules, for users' own rule files: each ``- `` line of an
example must be removed by its rule alone, each ``  `` line must stay. Errors name the file and rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleannews.config import Config
from cleannews.normalize import normalize_line
from cleannews.pipeline import Cleaner
from cleannews.ruleset import Rule, load_rules, rule_files


def example_failures(rule: Rule, paths: Sequence[str | Path]) -> list[str]:
    """What is wrong with *rule*'s examples (empty: they all hold)."""
    problems = []
    cleaner = Cleaner(Config(rules=tuple(map(str, paths)), default_rules=False, select=(rule.id,), heuristics=False))
    for n_ex, example in enumerate(rule.examples, 1):
        lines = example.parse()
        res = cleaner.report("\n".join(line for _, line in lines))
        gone = {n for r in res.removals for n in range(r.first, r.last + 1)}
        for n, (mark, line) in enumerate(lines, 1):
            if not normalize_line(line):
                continue
            if mark == "-" and n not in gone:
                problems.append(f"{rule.source}: rule {rule.id}: example {n_ex}: should remove {line!r}")
            elif mark == " " and n in gone:
                problems.append(f"{rule.source}: rule {rule.id}: example {n_ex}: removed {line!r}, which must stay")
    if not rule.examples:
        problems.append(f"{rule.source}: rule {rule.id}: has no examples")
    return problems


def check(paths: Sequence[str | Path]) -> tuple[int, list[str]]:
    """Load the rule files under *paths* (raises RuleError on invalid ones) and run their examples."""
    files = rule_files(paths)
    rules = load_rules(files)
    problems = [p for r in rules for p in example_failures(r, files)]
    return len(rules), problems
