"""What a rule hit removes, per rule kind. Rule *data* lives in ``rules/*.toml``; its *meaning* lives here.

``line``    the matching line only.
``marker``  the matching label line plus up to ``max_follow`` headline-shaped teaser lines right after it
            ("Read Next:" + the teaser headline); stops at the first sentence-like line.
``tail``    the matching line and everything after it, but only where the marker sits after the body:
            at least ``tail_min_prose_before`` characters of prose before it, and at most
            ``tail_max_after_ratio`` times that much prose after it, and at most
            ``tail_max_after_chars_ratio`` times as many characters of any kind after it as before (a rule's
            ``after_ratio`` replaces both ratios: a comment-count heading may be followed by more text than
            the article, and is still the start of the comments). An early marker-like line never cuts
            the article: where no cut is safe, only the marker line itself goes.
``head``    everything from the start up to and including the matching line ("Skip to content", a menu),
            only where at least ``head_min_prose_after`` characters of prose follow and the prose before
            is at most ``head_max_before_ratio`` of it (else, again, only the marker line).

Each function takes the document's lines, the rule hits ``[(index, rule)]`` of its kind and the lines already
marked, and adds ``index -> (rule id, rule name, reason)`` marks.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate
from operator import and_, mul, or_

from cleannews.accel import speedups
from cleannews.config import Config
from cleannews.features import is_headline_shaped, is_prose, sentence_ends, word_counts
from cleannews.ruleset import Rule

Mark = tuple[str, str, str]  # (rule id, name, reason)
Marks = dict[int, Mark]
Hits = list[tuple[int, Rule]]


def prose_prefix(
    lines: list[str], cfg: Config, words: list[int] | None = None, ends: list[bool] | None = None
) -> list[int]:
    """``P[i]`` = characters of prose in ``lines[:i]`` (:func:`~cleannews.features.is_prose`, for all lines at
    once: long enough, or enough words and a sentence end). *words*, *ends*: the lines'
    :func:`~cleannews.features.word_counts` and :func:`~cleannews.features.sentence_ends`, if known.
    In one C pass where the optional module is built, else :func:`py_prose_prefix` (the same sums)."""
    words = words if words is not None else word_counts(lines)
    ends = ends if ends is not None else sentence_ends(lines)
    c = speedups()
    prefix = c.prose_prefix if c is not None else py_prose_prefix
    return prefix(lines, words, ends, cfg.prose_min_words, cfg.prose_long_words)  # type: ignore[no-any-return]


def py_prose_prefix(lines: list[str], words: list[int], ends: list[bool], min_words: int, long_words: int) -> list[int]:
    """:func:`prose_prefix` in Python: the reference."""
    enough = map(and_, map(min_words.__le__, words), ends)
    prose = map(or_, map(long_words.__le__, words), enough)
    return list(accumulate(map(mul, map(len, lines), prose), initial=0))


def apply_line(lines: list[str], hits: Hits, marks: Marks, cfg: Config, prose: Callable[[], list[int]]) -> None:
    for i, rule in hits:
        marks.setdefault(i, (rule.id, rule.name, rule.message))


def apply_marker(lines: list[str], hits: Hits, marks: Marks, cfg: Config, prose: Callable[[], list[int]]) -> None:
    hit_lines = {i for i, _ in hits}
    for i, rule in hits:
        if i in marks:
            continue
        marks[i] = (rule.id, rule.name, rule.message)
        for j in range(i + 1, min(len(lines), i + 1 + rule.max_follow)):
            line = lines[j]
            if j in marks or j in hit_lines or not is_headline_shaped(line, cfg.headline_max_words):
                break
            if is_prose(line, cfg.prose_min_words, cfg.prose_long_words):
                break
            marks[j] = (rule.id, rule.name, f"teaser after '{lines[i]}'")


def apply_tail(lines: list[str], hits: Hits, marks: Marks, cfg: Config, prose: Callable[[], list[int]]) -> None:
    if not hits:
        return
    p = prose()
    total = p[-1]
    chars_total = sum(map(len, lines))
    chars_before = 0
    last = 0
    cut_at = len(lines)
    for i, rule in hits:  # earliest safe marker wins
        chars_before += sum(map(len, lines[last:i]))
        last = i
        before, after = p[i], total - p[i + 1]
        chars_after = chars_total - chars_before - len(lines[i])
        ratio = rule.after_ratio
        if (
            before >= cfg.tail_min_prose_before
            and after <= (ratio if ratio is not None else cfg.tail_max_after_ratio) * before
            and chars_after <= (ratio if ratio is not None else cfg.tail_max_after_chars_ratio) * chars_before
        ):
            reason = f"{rule.message} (cut to the end: {before} chars of prose before, {after} after)"
            for j in range(i, len(lines)):
                marks.setdefault(j, (rule.id, rule.name, reason))
            cut_at = i
            break
    for i, rule in hits:  # markers before the cut: the marker line itself is still junk
        if i < cut_at:
            marks.setdefault(i, (rule.id, rule.name, f"{rule.message} (marker line only: a cut here is unsafe)"))


def apply_head(lines: list[str], hits: Hits, marks: Marks, cfg: Config, prose: Callable[[], list[int]]) -> None:
    if not hits:
        return
    p = prose()
    total = p[-1]
    for i, rule in reversed(hits):  # latest safe marker wins
        before, after = p[i], total - p[i + 1]
        if after >= cfg.head_min_prose_after and before <= cfg.head_max_before_ratio * after:
            reason = f"{rule.message} (cut from the start: {before} chars of prose before, {after} after)"
            for j in range(i + 1):
                marks.setdefault(j, (rule.id, rule.name, reason))
            break
    for i, rule in hits:  # markers outside the cut: the marker line itself is still junk
        marks.setdefault(i, (rule.id, rule.name, f"{rule.message} (marker line only: a cut here is unsafe)"))


# Order matters: single lines first, so a tail cut never steals their attribution.
APPLY: dict[str, Callable[[list[str], Hits, Marks, Config, Callable[[], list[int]]], None]] = {
    "line": apply_line,
    "marker": apply_marker,
    "head": apply_head,
    "tail": apply_tail,
}
