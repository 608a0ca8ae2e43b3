"""The pure core: text in, :class:`~cleannews.report.Result` out. No I/O.

One pass, read top to bottom (:meth:`Cleaner._pass`):

1. **normalise**   split into lines, fold white space, drop blank lines   (:mod:`cleannews.normalize`)
2. **rules**       every line against the rules its first characters allow, then "contains" rules on
                   the lines holding their literals; each hit acts by its rule's kind
                   (:mod:`cleannews.ruleset`, :mod:`cleannews.kinds`)
3. **heuristics**  context-aware detectors over what the rules kept    (:mod:`cleannews.heuristics`)
4. **report**      kept lines joined, removed ones recorded as :class:`~cleannews.report.Removal`

Passes repeat on the kept lines until one removes nothing, so ``clean(clean(x)) == clean(x)``: the last pass
saw exactly the output. Later passes reuse what the first computed per line (rule hits, line verdicts), and
a pass is only repeated when a context-dependent stage (H10) acted in it and may act again on what it kept.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress
from pathlib import Path

from cleannews.config import Config
from cleannews.features import line_shapes, pick
from cleannews.heuristics import HEURISTICS
from cleannews.kinds import APPLY, Hits, Marks, prose_prefix
from cleannews.normalize import assemble, normalize_lines
from cleannews.report import Removal, Result
from cleannews.ruleset import (
    LineDoc,
    Rule,
    compile_matchers,
    default_rule_dir,
    load_rules,
    rule_files,
    select_rules,
)


class Cleaner:
    """A reusable cleaner: rules loaded and compiled once; picklable (sent to worker processes).

    >>> Cleaner().clean("Title\\n\\nBody text of the story goes here, as it should.\\nLeave a Reply\\n")
    'Title\\nBody text of the story goes here, as it should.\\n'
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        rules: Iterable[str | Path | Rule] = (),
        select: Sequence[str] = (),
        disable: Sequence[str] = (),
    ) -> None:
        cfg = config or Config()
        extra = [r for r in rules if not isinstance(r, Rule)]
        given = [r for r in rules if isinstance(r, Rule)]
        if extra or select or disable:
            cfg = cfg.with_(
                rules=(*cfg.rules, *map(str, extra)),
                select=(*cfg.select, *select),
                disable=(*cfg.disable, *disable),
            )
        self.config = cfg
        paths = [default_rule_dir()] if cfg.default_rules else []
        loaded = load_rules([*paths, *cfg.rules]) + given
        self.rules: list[Rule] = select_rules(loaded, cfg.select, cfg.disable)
        self._compile()

    def _compile(self) -> None:
        cfg = self.config
        # The shipped rules run as vetted; the user's (rule files, Rule objects) under a time budget.
        shipped = _shipped_sources()
        user = [r for r in self.rules if r.source not in shipped]
        self._matchers = compile_matchers(self.rules, cfg.engine, guarded=user, timeout=cfg.regex_timeout)
        # Hits reach the kinds in line order when a "contains" or user rule is active. Without one, each
        # whole-line matcher's hits follow the previous matcher's, unsorted, as the code always did (kept for
        # identical output; only reachable with several case-sensitivity groups and no contains rule).
        self._sort_hits = bool(user) or any(r.match == "search" for r in self.rules)
        self._heuristics = (
            [f for hid, f in HEURISTICS.items() if hid not in cfg.disable_heuristics] if cfg.heuristics else []
        )

    # Pickle the data, not the compiled pattern: workers recompile once.
    def __getstate__(self) -> dict[str, object]:
        return {"config": self.config, "rules": self.rules}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.config = state["config"]  # type: ignore[assignment]
        self.rules = state["rules"]  # type: ignore[assignment]
        self._compile()

    # ------------------------------------------------------------------------------------------------
    def clean(self, text: str) -> str:
        """The clean article text (see :func:`cleannews.normalize.assemble` for the format)."""
        return self._run(text, explain=False).text

    __call__ = clean

    def report(self, text: str) -> Result:
        """The clean text plus every removal with its rule id and reason."""
        return self._run(text, explain=True)

    def clean_batch(self, texts: Iterable[str]) -> list[str]:
        """Clean many texts (for ``datasets.map(batched=True)``, pandas, pools)."""
        return [self._run(t, explain=False).text for t in texts]

    # ------------------------------------------------------------------------------------------------
    def _run(self, text: str, explain: bool) -> Result:
        if not isinstance(text, str):
            raise TypeError(f"cleannews expects str, got {type(text).__name__} (decode bytes first)")
        lines = normalize_lines(text)  # 1. normalise
        alive = list(compress(range(len(lines)), lines))  # the non-blank lines
        lowered = list(map(str.lower, lines))  # what case-insensitive rules and heuristics compare
        marks: dict[int, tuple[str, str, str]] = {}
        warnings: list[str] = []  # user rules that ran out of time
        state: dict[str, object] = {"warnings": warnings}  # per document, across passes (language, verdicts)
        texts = list(map(lines.__getitem__, alive))
        words, ends = line_shapes(texts)  # word counts and sentence ends, read by the kinds and H10
        at: list[int] | range = range(len(alive))  # where this pass's lines are in texts, words, ends
        for n_pass in range(self.config.max_passes):
            state["orig"] = alive
            state["lowered"] = list(map(lowered.__getitem__, alive))
            state["words"], state["ends"] = pick(words, at), pick(ends, at)
            found = self._pass(pick(texts, at), state, rules=n_pass == 0)
            if not found:
                break
            marks.update(zip(map(alive.__getitem__, found), found.values(), strict=True))
            kept = list(map(operator.not_, map(found.__contains__, range(len(alive)))))
            alive = list(compress(alive, kept))  # the lines this pass did not remove
            at = list(compress(at, kept))
            if not state.get("context_dependent"):
                # Nothing this pass decided depends on lines it removed: rules ran (and only run) in
                # the first pass, H01 and H02 reach the same verdicts on the survivors, and H10 stood
                # down (its chrome evidence can only shrink). The next pass would remove nothing.
                break
            state["context_dependent"] = False
        out = assemble([lines[i] for i in alive])  # 4. report
        if not explain:
            return Result(out, warnings=tuple(warnings))
        return Result(out, tuple(_spans(lines, marks)), tuple(warnings))

    def _pass(self, lines: list[str], state: dict[str, object], rules: bool = True) -> Marks:
        """One pass over non-blank normalised lines; returns ``index -> (id, name, reason)``.

        Rules run in the first pass only: every line a rule hits is removed in that pass, and a rule hit
        depends on the line alone, so later passes (over the survivors) could not hit anything.
        """
        cfg = self.config
        marks: Marks = {}
        # 2. rules: each line takes the first rule that hits it; hits grouped by their rule's kind
        if rules and self._matchers and lines:
            doc = LineDoc(lines, state.get("lowered"))  # type: ignore[arg-type]
            for matcher in self._matchers:
                matcher.scan(doc, state["warnings"])  # type: ignore[arg-type]
            by_kind: dict[str, Hits] = {}
            for i, rule in sorted(doc.first.items()) if self._sort_hits else doc.first.items():
                by_kind.setdefault(rule.kind, []).append((i, rule))
            if by_kind:
                cache: list[list[int]] = []

                def prose() -> list[int]:
                    if not cache:
                        cache.append(prose_prefix(lines, cfg, state.get("words"), state.get("ends")))  # type: ignore[arg-type]
                    return cache[0]

                for kind, apply in APPLY.items():
                    if kind in by_kind:
                        apply(lines, by_kind[kind], marks, cfg, prose)
        # 3. heuristics, over what the rules kept
        for heuristic in self._heuristics:
            heuristic(lines, marks, cfg, state)
        return marks


def _spans(lines: list[str], marks: dict[int, tuple[str, str, str]]) -> list[Removal]:
    """Group marked lines into spans: consecutive (blank lines between allowed), same rule and reason."""
    out: list[Removal] = []
    cur: list[int] = []
    for i in sorted(marks):
        if cur:
            last = cur[-1]
            gap_blank = all(not lines[k] for k in range(last + 1, i))
            if gap_blank and marks[last] == marks[i]:
                cur.append(i)
                continue
            out.append(_removal(lines, cur, marks[last]))
        cur = [i]
    if cur:
        out.append(_removal(lines, cur, marks[cur[-1]]))
    return out


def _removal(lines: list[str], idx: list[int], mark: tuple[str, str, str]) -> Removal:
    rid, name, reason = mark
    return Removal(rid, name, idx[0] + 1, idx[-1] + 1, "\n".join(lines[i] for i in idx), reason)


@lru_cache(maxsize=1)
def _shipped_sources() -> frozenset[str]:
    """The ``Rule.source`` of the shipped rules (the files under :func:`default_rule_dir`)."""
    return frozenset(map(str, rule_files([default_rule_dir()])))


_DEFAULT: Cleaner | None = None


def default_cleaner() -> Cleaner:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT
