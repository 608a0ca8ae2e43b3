"""What cleaning did: the clean text plus every removed span, with the rule or heuristic that removed it.

A :class:`Removal` names *input* line numbers (1-based, ``str.splitlines`` numbering), so a user can find the
span in the file they gave. :meth:`Result.replay` rebuilds the clean text from the original input and the
removals alone; the test-suite asserts ``result.replay(raw) == result.text`` so the report cannot drift from
what was done.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from cleannews.normalize import assemble, normalize_lines


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed span: input lines ``first``..``last`` (1-based, inclusive)."""

    rule: str  # rule id ("PR03") or heuristic id ("H-TAIL-LIST")
    name: str  # readable name ("promo.read-next", "tail-link-list")
    first: int
    last: int
    text: str  # the removed non-blank lines, normalised, joined by "\n"
    reason: str = ""  # why, e.g. "7 short lines, no sentence punctuation"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of cleaning one document."""

    text: str
    removals: tuple[Removal, ...] = field(default_factory=tuple)
    # Problems met while cleaning that did not stop it, e.g. a user rule that ran out of time
    # (Config.regex_timeout) and was skipped for this document; each message names the rule id.
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def changed_lines(self) -> int:
        return sum(r.text.count("\n") + 1 for r in self.removals)

    @property
    def removed_chars(self) -> int:
        return sum(len(r.text) for r in self.removals)

    def counts(self) -> Counter[str]:
        """Removed lines per rule id."""
        c: Counter[str] = Counter()
        for r in self.removals:
            c[r.rule] += r.text.count("\n") + 1
        return c

    def replay(self, original: str) -> str:
        """Rebuild the clean text from *original* and the removals alone."""
        lines = normalize_lines(original)
        gone = set()
        for r in self.removals:
            gone.update(range(r.first - 1, r.last))
        return assemble([ln for i, ln in enumerate(lines) if ln and i not in gone])

    def to_json(self) -> str:
        data: dict[str, object] = {"text": self.text, "removals": [r.to_dict() for r in self.removals]}
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return json.dumps(data, ensure_ascii=False)


def explain_text(name: str, removals: Iterable[Removal]) -> str:
    """Removals as ``--explain`` prints them: ``NAME:FIRST-LAST: RULE name: reason`` and the removed lines."""
    out = []
    for r in removals:
        where = f"{r.first}-{r.last}" if r.first else "html"  # first = 0: an element removed by an HTML rule
        out.append(f"{name}:{where}: {r.rule} {r.name}: {r.reason}")
        out.extend(f"    - {ln}" for ln in r.text.split("\n"))
    return "\n".join(out) + ("\n" if out else "")


def rule_list(counts: Counter[str], names: dict[str, str]) -> str:
    """``PR02 promo.read-next ×2, H02``: rule ids, names where known, repeats (for ``--check`` messages)."""
    return ", ".join(
        f"{rid} {names.get(rid, '')}".rstrip() + (f" ×{n}" if n > 1 else "") for rid, n in sorted(counts.items())
    )
