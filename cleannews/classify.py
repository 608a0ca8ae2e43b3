"""H10 article-region: find the article body in flattened full-page text (no HTML needed).

The algorithm, in the spirit of jusText and boilerpipe but on text lines:

1. **Language.** Stopword hits over the document pick one of the shipped stopword lists
   (``rules/stopwords/<lang>.txt``); below ``lang_min_ratio`` no list is used and step 2 relies on shape.
2. **First verdict per line**, from its own features: words, sentence punctuation, stopword density.

   * ``good``  prose: ``good_min_words`` words or more, ends a sentence (or is long), stopword density at
     least ``sw_good`` (article sentences are full of function words; menus, tag lists and teasers are not);
   * ``near``  prose-shaped but shorter, or a little poorer in stopwords;
   * ``short`` a short line: headline, subheading, label, menu entry, byline. Context decides;
   * ``bad``   long enough to judge but not prose: low stopword density, lists of separators, copyright.

3. **Region.** Each line gets a weight (``good`` +chars, ``near`` +chars/2, ``short`` a small cost,
   ``bad`` a large one; the k-th short or bad line in a row costs ``min(k, short_run_cap)`` times as much,
   so a menu block is a wall while a lone subheading is a step) and the maximum-sum contiguous run of lines
   is the article region (Kadane).
   A short line between two paragraphs costs less than the paragraphs add, so subheadings stay; a menu of
   twenty short lines costs more than any nearby teaser adds, so it falls outside.
4. **Title.** The headline-shaped line right above the region is kept as the title (skipping at most
   ``title_lookback`` short lines such as a byline or date).
5. Lines outside the region are removed (``outside-region``), and ``bad`` lines inside it
   (``bad-line``). Runs of removed short lines are reported as ``menu-run``.

The heuristic stands down unless the text shows page chrome (``region_min_chrome``: menu-like lines of
one to three words without sentence punctuation, plus ``region_rule_hit_weight`` per line the rules
already removed), when it has fewer than ``region_min_good`` prose lines, and when the best region leaves
more than ``region_max_prose_out`` times its own prose (good and near lines, in characters) outside: text
that is only an article comes back unchanged, and a region that misses most of the prose is not the article.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import compress, filterfalse, repeat
from operator import itemgetter

import regex

from cleannews.accel import speedups
from cleannews.config import Config
from cleannews.features import is_headline_shaped, pick, sentence_ends, word_counts
from cleannews.kinds import Marks
from cleannews.stopwords import stopword_table, stopwords

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
_PROSE = frozenset((GOOD, NEAR))
WALL = "wall"  # a line the rules removed, seen by the region search as a short line
_SEPARATORS = (" | ", " · ", " • ", " » ")


_MACHINE = regex.compile(r"(?:https?://|www\.)\S+|[\d\s:./+TZ-]+|\S+@\S+\.\w+")


_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


def _unspaced(line: str) -> bool:
    """Is the line in a script written without spaces between words?"""
    # first count the characters at or above the lowest one _UNSPACED matches: few lines have 8
    return len(_unspaced_floor().findall(line, 0, 40)) >= 8 and len(_UNSPACED.findall(line, 0, 40)) >= 8


@lru_cache(maxsize=1)
def _unspaced_floor() -> re.Pattern[str]:
    """A class of every character from the lowest one _UNSPACED matches (U+0E01, Thai) up."""
    for start in range(0, 0x110000, 0x1000):
        m = _UNSPACED.search("".join(map(chr, range(start, min(start + 0x1000, 0x110000)))))
        if m:
            return re.compile(f"[{re.escape(m.group())}-\U0010ffff]")
    return re.compile("(?!)")


def _bad_shape(line: str) -> bool:
    """Copyright notices, separator-joined link rows ("Home | News | Sport"), and machine text: a bare URL,
    e-mail address, number or timestamp on a line of its own (page metadata leaking into the text).
    *line* is normalised: no white space at its ends."""
    if "©" in line or "rights reserved" in line or "Rights Reserved" in line:
        return True
    if ("|" in line or "·" in line or "•" in line or "»" in line) and sum(map(line.count, _SEPARATORS)) >= 2:
        return True
    return " " not in line and _maybe_machine(line) and _MACHINE.fullmatch(line) is not None


def _bad_word(word: str) -> bool:
    """:func:`_bad_shape` of a one-word line (no space: no separator row, no "rights reserved")."""
    return "©" in word or (_maybe_machine(word) and _MACHINE.fullmatch(word) is not None)


def _maybe_machine(word: str) -> bool:
    """Can _MACHINE match *word* at all? A cheap test that spares the pattern most single words: a word
    starting with an ASCII letter (not a digit, space or one of ``:./+TZ-``) is machine text only as a URL
    or an e-mail address."""
    c = word[:1]
    if not (c.isascii() and c.isalpha()) or c in "TZ" or "@" in word:
        return True
    return word.startswith(("http://", "https://", "www."))


def detect_language(lines: list[str], cfg: Config, lowered: list[str] | None = None) -> tuple[str | None, float]:
    """The language whose stopwords cover most tokens of the sample (the first ``lang_sample_chars``
    characters of the lines joined by spaces), and that share; ``(None, share)`` below the floor.

    *lowered*: the lines lowercased, if the caller has them. (Tokens never span lines, so lowering line by
    line is lowering the sample; only the line the sample cuts is lowered after the cut.)
    """
    limit, end = cfg.lang_sample_chars, 0
    low = lowered if lowered is not None else list(map(str.lower, lines))
    sample = low
    for k, line in enumerate(lines):  # the sample: whole lines, then the one it cuts
        end += len(line) + 1
        if end > limit:
            sample = [*low[:k], line[: len(line) - (end - 1 - limit)].lower()]
            break
    tokens, hits = stopword_table().totals(sample)
    if not tokens:
        return None, 0.0
    best = max(range(len(hits)), key=hits.__getitem__)
    share = hits[best] / tokens
    return (_languages()[best], share) if share >= cfg.lang_min_ratio else (None, share)


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    """The language codes, in the order the stopword table numbers them."""
    return tuple(stopwords())


@cache
def _lang_index(lang: str) -> int:
    return _languages().index(lang)


def line_verdict(line: str, lang: str | None, cfg: Config) -> tuple[str, float]:
    """``(verdict, region weight)`` of one line (steps 2 and 3); *lang*: the detected language (None: no
    stopword list applies)."""
    return line_verdicts([line], lang, cfg)[0]


def line_verdicts(
    lines: list[str],
    lang: str | None,
    cfg: Config,
    lowered: list[str] | None = None,
    words: list[int] | None = None,
    ends: list[bool] | None = None,
) -> list[tuple[str, float]]:
    """:func:`line_verdict` of each line. The lines lowercased, their word counts and sentence ends
    (:func:`~cleannews.features.word_counts`, :func:`~cleannews.features.sentence_ends`) are computed for
    all lines at once, unless the caller has them. The loop runs in C where the optional module is built
    (:mod:`cleannews.accel`), else in :func:`py_line_verdicts`; the two agree (``tests/test_region_c.py``)."""
    low = lowered if lowered is not None else list(map(str.lower, lines))
    words = words if words is not None else word_counts(lines)
    ends = ends if ends is not None else sentence_ends(lines)
    # stopword density of each line (cleannews.stopwords); with no list for the language, judge by shape alone
    dens = [cfg.sw_good] * len(lines) if lang is None else stopword_table().densities(low, _lang_index(lang))
    c = speedups()
    if c is None:
        return py_line_verdicts(lines, words, ends, dens, cfg)
    params = (cfg.short_max_words, 20 * cfg.short_max_words, cfg.prose_long_words, cfg.good_min_words,
              cfg.headline_max_words, cfg.sw_good, cfg.sw_bad, cfg.bad_cost, cfg.bad_weight, cfg.near_weight,
              cfg.good_weight_cap)  # fmt: skip
    short = (SHORT, -cfg.short_cost)
    return c.line_verdicts(lines, words, ends, dens, _VERDICTS, short, params, _unspaced, _bad_word, _bad_shape)  # type: ignore[no-any-return]


_VERDICTS = (GOOD, NEAR, SHORT, BAD)


def py_line_verdicts(
    lines: list[str], words: list[int], ends: list[bool], dens: list[float], cfg: Config
) -> list[tuple[str, float]]:
    """The loop of :func:`line_verdicts` in Python (the reference; the C module runs the same one, calling
    back :func:`_unspaced`, :func:`_bad_word` and :func:`_bad_shape`), given each line's word count, sentence
    end and stopword density."""
    short_words, short_chars, long_words = cfg.short_max_words, 20 * cfg.short_max_words, cfg.prose_long_words
    good_words, sw_good, sw_bad = cfg.good_min_words, cfg.sw_good, cfg.sw_bad
    bad_cost, bad_weight, near_weight, cap = cfg.bad_cost, cfg.bad_weight, cfg.near_weight, cfg.good_weight_cap
    short = (SHORT, -cfg.short_cost)
    out: list[tuple[str, float]] = []
    for line, n, punct, density in zip(lines, words, ends, dens, strict=True):
        chars = len(line)
        if chars > 6 * n and not line.isascii() and _unspaced(line):  # CJK, Thai: about 2 chars a word
            n = max(n, chars // 2)
        if n < short_words and chars < short_chars:
            if n == 1 and _bad_word(line):
                out.append((BAD, -(bad_cost + chars * bad_weight)))
            elif n >= 2 and punct:
                out.append((NEAR, chars * near_weight))
            else:
                out.append(short)
            continue
        if _bad_shape(line):
            out.append((BAD, -(bad_cost + chars * bad_weight)))
            continue
        if density < sw_bad:
            out.append((BAD, -(bad_cost + chars * bad_weight)))
        elif (punct or n >= long_words) and n >= good_words and density >= sw_good:
            # richer in function words reads more like running text
            out.append((GOOD, chars * min(cap, density / sw_good)))
        elif punct or n >= long_words:
            out.append((NEAR, chars * near_weight))
        elif density >= sw_good:  # a teaser or a subheading: neutral, context decides
            out.append((NEAR, 0.0))
        elif n <= cfg.headline_max_words:
            out.append(short)
        else:
            out.append((BAD, -(bad_cost + chars * bad_weight)))
    return out


def article_region(lines: list[str], marks: Marks, cfg: Config, state: dict[str, object]) -> None:
    """H10: keep the article region of a flattened page; see the module docstring."""
    walls = set(marks)  # lines the rules removed: chrome, so they separate blocks like short lines do
    live = list(filterfalse(walls.__contains__, range(len(lines)))) if walls else range(len(lines))
    if len(live) < 3:
        return
    live_lines = pick(lines, live)
    if "words" in state:  # the pipeline's, for this pass's lines
        words, ends = pick(state["words"], live), pick(state["ends"], live)  # type: ignore[arg-type]
    else:
        words, ends = word_counts(live_lines), sentence_ends(live_lines)
    # 0. only where the text shows page chrome: menu-like lines (at most 3 words, no sentence end), rule hits
    menu_like = sum(map(operator.and_, map((4).__gt__, words), map(operator.not_, ends)))
    if menu_like + cfg.region_rule_hit_weight * len(walls) < cfg.region_min_chrome:
        return
    state["context_dependent"] = True  # this pass's removals can change what H10 sees next pass
    # 1. language, detected on this pass's lines (as a later cleaning of the output would see them)
    lowered: list[str] = state.get("lowered") or list(map(str.lower, lines))  # type: ignore[assignment]
    live_lowered = pick(lowered, live)
    lang = detect_language(live_lines, cfg, live_lowered)[0]
    # 2. verdicts (cached per input line across passes while the language holds); walls weigh like short lines
    if state.get("lang", "?") != lang:
        state["lang"], state["verdicts"] = lang, {}
    cache: dict[int, tuple[str, float]] = state["verdicts"]  # type: ignore[assignment]
    orig: list[int] = state.get("orig", list(range(len(lines))))  # type: ignore[assignment]
    keys = pick(orig, live)
    todo = [k for k, key in enumerate(keys) if key not in cache] if cache else range(len(live))  # no verdict yet
    verdicts = line_verdicts(pick(live_lines, todo), lang, cfg, pick(live_lowered, todo), pick(words, todo),
                             pick(ends, todo))  # fmt: skip
    cache.update(zip(pick(keys, todo), verdicts, strict=True))
    wall = (WALL, -cfg.short_cost)
    scored = list(map(cache.get, orig, repeat(wall)))  # live lines all have a verdict now
    for i in walls:
        scored[i] = wall
    kinds = list(map(itemgetter(0), scored))
    if kinds.count(GOOD) < cfg.region_min_good:
        return
    # 3. region: maximum-sum contiguous run (Kadane) over run-weighted lines
    run_weights, kadane = _region_search()
    weights = run_weights(scored, _RUN_KINDS, cfg.short_run_cap)
    best, best_lo, best_hi = kadane(weights, 0, len(weights))
    if best_hi < 0:
        return
    regions = [(best_lo, best_hi)]
    # a second block of article (split by a wide gallery, an ad block) counts if it weighs nearly as much
    todo = [(0, best_lo), (best_hi + 1, len(weights))]
    while todo and cfg.second_region_ratio > 0:
        a, b = todo.pop()
        if b - a <= 0:
            continue
        # no run in [a, b) can weigh more than its positive lines together: most leftovers are skipped here
        # (with a margin for rounding, so a run _kadane would accept is never skipped)
        if sum(filter((0.0).__lt__, weights[a:b])) < cfg.second_region_ratio * best * (1 - 1e-9) - 1e-9:
            continue
        s2, lo2, hi2 = kadane(weights, a, b)
        if hi2 >= 0 and s2 >= cfg.second_region_ratio * best:
            regions.append((lo2, hi2))
            todo += [(a, lo2), (hi2 + 1, b)]
    regions.sort()
    # edges: absorb adjacent lines that read as prose (a closing "He declined to comment.")
    grown = []
    for lo_, hi_ in regions:
        while lo_ > 0 and scored[lo_ - 1][1] > 0:
            lo_ -= 1
        while hi_ < len(lines) - 1 and scored[hi_ + 1][1] > 0:
            hi_ += 1
        grown.append((lo_, hi_))
    regions = grown
    inside = [False] * len(lines)
    for lo_, hi_ in regions:
        inside[lo_ : hi_ + 1] = [True] * (hi_ + 1 - lo_)
    # the article is where the prose is: a region that leaves much more prose outside than it holds is not
    # the article (a short intro above a long list of product or Q&A blocks); losing it all is worse
    prose_chars = list(map(operator.mul, map(len, lines), map(_PROSE.__contains__, kinds)))  # walls: 0
    prose_in = sum(compress(prose_chars, inside))
    prose_out = sum(prose_chars) - prose_in
    if prose_out > cfg.region_max_prose_out * prose_in:
        return
    # 4. title: the headline-shaped line right above the region (walls skipped)
    title = -1
    k, looked = regions[0][0] - 1, 0
    while k >= 0 and looked < cfg.title_lookback:
        if k not in walls:
            ln = lines[k]
            if is_headline_shaped(ln, cfg.headline_max_words) and ln.count(" ") + 1 >= cfg.title_min_words:
                title = k
                break
            looked += 1
        k -= 1
    # 5. marks
    n_out = len(live) - sum(map(inside.__getitem__, live))
    spans = ", ".join(f"{orig[a] + 1}-{orig[b] + 1}" for a, b in regions) if orig else ""
    region = f"article region: lines {spans}"
    if lang:
        region += f", language {lang}"
    bad_inside = ("H10", "bad-line", f"not prose inside the article region ({region})")
    outside = {  # the mark of a line outside the region, by its verdict
        v: ("H10", "menu-run" if v == SHORT else "outside-region",
            f"{v} line outside the article region ({region}; {n_out} lines out)")
        for v in (GOOD, NEAR, SHORT, BAD)
    }  # fmt: skip
    kept_menu_like = 0  # menu-like lines this pass keeps: the chrome evidence the next pass will see
    for k, i in enumerate(live):
        v = scored[i][0]
        if inside[i]:
            if v == BAD:
                marks[i] = bad_inside
            elif words[k] < 4 and not ends[k]:
                kept_menu_like += 1
        elif i != title:
            marks[i] = outside[v]
        elif words[k] < 4 and not ends[k]:
            kept_menu_like += 1
    # The next pass sees the lines kept now, with no rule hits (rules run once): if they show too little
    # chrome, H10 stands down there, and it is not context dependent (the heuristics after it may only
    # remove more lines, which never adds chrome).
    state["context_dependent"] = kept_menu_like >= cfg.region_min_chrome


_RUN_KINDS = (SHORT, BAD, WALL)  # verdicts whose runs cost more the longer they get


def _region_search() -> tuple[Callable[..., list[float]], Callable[..., tuple[float, int, int]]]:
    """:func:`_run_weights` and :func:`_kadane`, from the C module where it is built (same results)."""
    c = speedups()
    return (c.run_weights, c.kadane) if c is not None else (_run_weights, _kadane)


def _run_weights(scored: list[tuple[str, float]], run_kinds: tuple[str, ...], cap: int) -> list[float]:
    """Line weights with the run penalty: the k-th line in a row whose verdict is one of *run_kinds* (short,
    bad, wall) costs min(k, cap) times its cost."""
    out = []
    run = 0
    for v, w in scored:
        if v in run_kinds:
            run += 1
            w *= run if run < cap else cap
        else:
            run = 0
        out.append(w)
    return out


def _kadane(weights: list[float], a: int, b: int) -> tuple[float, int, int]:
    """The maximum-sum contiguous run within ``weights[a:b]``: ``(sum, first, last)``, last -1 if none."""
    best, best_lo, best_hi = 0.0, a, -1
    cur, lo = 0.0, a
    for k in range(a, b):
        w = weights[k]
        if cur <= 0:
            cur, lo = w, k
        else:
            cur += w
        if cur > best:
            best, best_lo, best_hi = cur, lo, k
    return best, best_lo, best_hi
