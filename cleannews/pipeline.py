"""The pure core: text in, :class:`~cleannews.report.Result` out. No I/O.

One pass, read top to bottom (:meth:`Cleaner._pass`):

1. **normalise**   split into lines, fold white space, drop blank lines   (:mod:`cleannews.normalize`)
2. **rules**       one joined pattern over every line; each hit acts by its rule's kind
                   (:mod:`cleannews.ruleset`, :mod:`cleannews.kinds`)
3. **heuristics**  context-aware detectors over what the rules kept    (:mod:`cleannews.heuristics`)
4. **report**      kept lines joined, removed ones recorded as :class:`~cleannews.report.Removal`

Passes repeat on the kept lines until one removes nothing, so ``clean(clean(x)) == clean(x)``: the last pass
saw exactly the output. Later passes reuse what the first computed per line (rule hits, line verdicts), and
a pass is only repeated when a context-dependent stage (H10) acted in it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from pathlib import Path

from cleannews.config import Config
from cleannews.heuristics import HEURISTICS
from cleannews.kinds import APPLY, Hits, Marks, prose_prefix
from cleannews.normalize import assemble, normalize_lines
from cleannews.report import Removal, Result
from cleannews.ruleset import Rule, compile_groups, compile_search, default_rule_dir, load_rules, select_rules


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
        # whole-line rules: per line, one joined pattern per length bucket
        self._groups = [
            (cs, [lim for lim, _ in b], [p.fullmatch for _, p in b]) for cs, b in compile_groups(self.rules, cfg.engine)
        ]
        # "contains" rules: each on its own, behind its cheap literal filter (``requires``)
        self._search = [(r, compile_search(r).search) for r in self.rules if r.match == "search"]
        self._by_group = {r.group: r for r in self.rules}
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
        alive = [i for i, ln in enumerate(lines) if ln]
        marks: dict[int, tuple[str, str, str]] = {}
        state: dict[str, object] = {}  # per document, across passes (language, per-line verdicts)
        for n_pass in range(self.config.max_passes):
            state["orig"] = alive
            found = self._pass([lines[i] for i in alive], state, rules=n_pass == 0)
            if not found:
                break
            for j, mark in found.items():
                marks[alive[j]] = mark
            alive = [i for j, i in enumerate(alive) if j not in found]
            if not state.get("context_dependent"):
                # Nothing this pass decided depends on lines it removed: rules ran (and only run) in
                # the first pass, H01 and H02 reach the same verdicts on the survivors, and H10 stood
                # down (its chrome evidence can only shrink). The next pass would remove nothing.
                break
            state["context_dependent"] = False
        out = assemble([lines[i] for i in alive])  # 4. report
        if not explain:
            return Result(out)
        return Result(out, tuple(_spans(lines, marks)))

    def _pass(self, lines: list[str], state: dict[str, object], rules: bool = True) -> Marks:
        """One pass over non-blank normalised lines; returns ``index -> (id, name, reason)``.

        Rules run in the first pass only: every line a rule hits is removed in that pass, and a rule hit
        depends on the line alone, so later passes (over the survivors) could not hit anything.
        """
        cfg = self.config
        marks: Marks = {}
        # 2. rules: joined whole-line patterns, then "contains" rules; hits grouped by their rule's kind
        if rules and (self._groups or self._search):
            by_kind: dict[str, Hits] = {}
            rule_of = self._by_group
            lowered = [ln.lower() for ln in lines]
            hit: set[int] = set()  # a line is hit by one rule at most: the first group's, then search rules
            for cs, limits, matchers in self._groups:
                top = limits[-1]
                first_limit, first = limits[0], matchers[0]
                for i, line in enumerate(lines if cs else lowered):
                    n = len(line)
                    if n <= first_limit:
                        m = first(line)
                    elif n > top:
                        continue
                    else:
                        m = matchers[bisect_left(limits, n)](line)
                    if m is not None and i not in hit:
                        hit.add(i)
                        rule = rule_of[m.lastgroup]  # type: ignore[index]
                        by_kind.setdefault(rule.kind, []).append((i, rule))
            if self._search:
                low_doc = "\n".join(lowered)
                for rule, search in self._search:
                    candidates: Iterable[int] = range(len(lines))
                    if rule.requires:  # only lines holding one of the literals (checked on the text first)
                        present = [k for k in rule.requires if k in low_doc]
                        if not present:
                            continue
                        if len(present) == 1:
                            k = present[0]
                            candidates = [i for i, low in enumerate(lowered) if k in low]
                        else:
                            candidates = [i for i, low in enumerate(lowered) if any(k in low for k in present)]
                    for i in candidates:
                        low = lowered[i]
                        if i in hit or len(low) > rule.max_chars:
                            continue
                        if search(lines[i] if rule.case_sensitive else low) is not None:
                            hit.add(i)
                            by_kind.setdefault(rule.kind, []).append((i, rule))
                for hits in by_kind.values():
                    hits.sort(key=lambda h: h[0])
            if by_kind:
                cache: list[list[int]] = []

                def prose() -> list[int]:
                    if not cache:
                        cache.append(prose_prefix(lines, cfg))
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


_DEFAULT: Cleaner | None = None


def default_cleaner() -> Cleaner:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT
