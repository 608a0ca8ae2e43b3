"""Context-aware detectors in Python: the heuristics stage, run after the rules.

Each heuristic has an id, a name, a docstring with ``Junk:`` and ``Article:`` blocks (run as tests), and
reads its thresholds from :class:`~cleannews.config.Config`. It sees the lines the rules kept and adds
``index -> (id, name, reason)`` marks. ``state`` is per document and lives across passes (e.g. the
detected language, computed once).

H10 article-region    flattened full pages: keep the article region, drop menus, footers, sidebars
                      (:mod:`cleannews.classify`); first, so the title it keeps is the copy above the body
H01 repeated-line     a line that repeats an earlier kept line (the title printed twice, a pull quote)
H02 tail-link-list    a run of >= 3 headline-shaped lines at the very end (a "latest news" link list)
"""

from __future__ import annotations

from collections.abc import Callable

from cleannews.classify import article_region
from cleannews.config import Config
from cleannews.features import ends_sentence, is_headline_shaped, titlecase_ratio
from cleannews.kinds import Marks


def repeated_line(lines: list[str], marks: Marks, cfg: Config, state: dict[str, object]) -> None:
    """H01: drop a line that repeats an earlier kept line (compared case-insensitively).

    A short punctuated line ("Yes.", "Thank you.") may repeat in dialogue and is kept.

    Junk:
        Meta to enhance Ad Targeting
        Meta to enhance Ad Targeting
    Article:
        "Yes."
        "Yes."
    """
    seen: set[str] = set()
    lowered: list[str] = state.get("lowered") or [ln.lower() for ln in lines]  # type: ignore[assignment]
    for i, line in enumerate(lines):
        if i in marks:
            continue
        key = lowered[i]
        if key in seen:
            if len(line) < cfg.repeat_min_chars and ends_sentence(line):
                continue
            marks[i] = ("H01", "repeated-line", "repeats an earlier line")
        else:
            seen.add(key)


def tail_link_list(lines: list[str], marks: Marks, cfg: Config, state: dict[str, object]) -> None:
    """H02: a run of headline-shaped lines at the end of the text, after the body, is a link list.

    The run needs ``link_list_min_lines`` lines, mostly title case (``link_list_titlecase``), or
    ``link_list_any_case_lines`` lines in any case; prose must come before it. A single subheading
    between paragraphs is never at the end, so never touched. A run introduced by a sentence-like line
    ending in a colon ("The band's 2020 tour dates:") is a list the article gives, and stays.

    Junk:
        Tesla Faces 19% Drop in UK Registrations as Competition Intensifies
        Airbus Faces Pressure After November Deliveries Dip
        Coupang Apologizes After Massive Data Breach
    Article:
        The board will meet again in March to decide.
    """
    run: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if i in marks:
            continue
        if not is_headline_shaped(lines[i], cfg.headline_max_words):
            break
        run.append(i)
    if len(run) < cfg.link_list_min_lines or len(run) == len(lines) - len(marks):
        return
    # a list the article introduces ("Tour dates:", "The winners in each category:") is article text
    intro = [*[i for i in range(run[-1] - 1, -1, -1) if i not in marks][:1], run[-1]]
    if any(lines[i].endswith(":") and lines[i].count(" ") >= 3 for i in intro):
        return
    titled = sum(titlecase_ratio(lines[i]) >= 0.5 for i in run) / len(run)
    if titled < cfg.link_list_titlecase and len(run) < cfg.link_list_any_case_lines:
        return
    reason = f"{len(run)} headline-shaped lines at the end, no sentence punctuation ({titled:.0%} title case)"
    for i in run:
        marks[i] = ("H02", "tail-link-list", reason)


HEURISTICS: dict[str, Callable[[list[str], Marks, Config, dict[str, object]], None]] = {
    "H10": article_region,
    "H01": repeated_line,
    "H02": tail_link_list,
}
