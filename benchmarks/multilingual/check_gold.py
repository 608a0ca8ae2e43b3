#!/usr/bin/env python3
"""Check the hand-made multilingual set: every gold line must be a whole line of the raw page.

For each <name>.gold.txt next to this file it checks that:
- the matching <name>.raw.txt exists and both are valid UTF-8;
- the gold has no empty lines and no leading or trailing whitespace on any line;
- each gold line appears verbatim as a whole line of the raw page, and the gold lines appear in the
  same order as in the raw page (a subsequence of the raw lines).

Exit status 0 when every page passes. Standard library only:
    python3 benchmarks/multilingual/check_gold.py
"""
from __future__ import annotations

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def check(gold_path: pathlib.Path) -> list[str]:
    name = gold_path.name[: -len(".gold.txt")]
    raw_path = gold_path.with_name(f"{name}.raw.txt")
    if not raw_path.exists():
        return [f"{name}: no {raw_path.name}"]
    raw = raw_path.read_text(encoding="utf-8").splitlines()
    gold = gold_path.read_text(encoding="utf-8").splitlines()
    errors: list[str] = []
    if not gold:
        errors.append(f"{name}: empty gold")
    raw_set = set(raw)
    pos = 0
    for i, line in enumerate(gold, 1):
        if not line.strip():
            errors.append(f"{name}: gold line {i} is empty")
            continue
        if line != line.strip():
            errors.append(f"{name}: gold line {i} has surrounding whitespace")
        if line not in raw_set:
            errors.append(f"{name}: gold line {i} not found verbatim in raw: {line[:60]!r}")
            continue
        try:
            pos = raw.index(line, pos) + 1
        except ValueError:
            errors.append(f"{name}: gold line {i} is out of order: {line[:60]!r}")
    return errors


def main() -> int:
    golds = sorted(HERE.glob("*.gold.txt"))
    if not golds:
        print("no gold files found")
        return 1
    failed = 0
    for g in golds:
        errs = check(g)
        name = g.name[: -len(".gold.txt")]
        raw_lines = g.with_name(f"{name}.raw.txt").read_text(encoding="utf-8").splitlines()
        gold_lines = g.read_text(encoding="utf-8").splitlines()
        status = "ok" if not errs else "FAIL"
        non_blank = sum(1 for x in raw_lines if x.strip())
        print(f"{name}: {status} (raw {len(raw_lines)} lines, {non_blank} non-blank; gold {len(gold_lines)} lines)")
        for e in errs:
            print("  " + e)
        failed += bool(errs)
    print(f"{len(golds) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
