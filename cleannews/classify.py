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
already removed), and when it has fewer than ``region_min_good`` prose lines: text that is only an
article comes back unchanged.
"""

from __future__ import annotations

from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import regex

from cleannews.config import Config
from cleannews.features import ends_sentence, is_headline_shaped
from cleannews.kinds import Marks

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
WALL = "wall"  # a line the rules removed, seen by the region search as a short line
_TOKEN = regex.compile(r"\w+")
_STICKY = (",", ".", ":", ";", "!", "?", ")", "\"", "”", "’", "'", "»", ".”", ",”", "...", "…")
_SEPARATORS = (" | ", " · ", " • ", " » ")


_MACHINE = regex.compile(r"(?:https?://|www\.)\S+|[\d\s:./+TZ-]+|\S+@\S+\.\w+")


_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


def _unspaced(line: str) -> bool:
    """Is the line in a script written without spaces between words?"""
    return len(_UNSPACED.findall(line, 0, 40)) >= 8


def _bad_shape(line: str) -> bool:
    """Copyright notices, separator-joined link rows ("Home | News | Sport"), and machine text: a bare URL,
    e-mail address, number or timestamp on a line of its own (page metadata leaking into the text)."""
    if "©" in line or "rights reserved" in line or "Rights Reserved" in line:
        return True
    if ("|" in line or "·" in line or "•" in line or "»" in line) and sum(map(line.count, _SEPARATORS)) >= 2:
        return True
    return " " not in line.strip() and _MACHINE.fullmatch(line) is not None


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """The shipped stopword lists, by language code (``rules/stopwords/<lang>.txt``)."""
    from cleannews.ruleset import default_rule_dir

    out: dict[str, frozenset[str]] = {}
    for f in sorted((default_rule_dir() / "stopwords").glob("*.txt")):
        words = set()
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                words.update(_TOKEN.findall(line.lower()))
        out[f.stem] = frozenset(words)
    return out


@cache
def stopword_tokens(lang: str) -> frozenset[str]:
    """The stopwords of *lang* as white-space tokens may carry them: bare, and with the punctuation that
    sticks to a word in running text ("said," "(the" "it."), so density is ``str.split`` plus set lookups."""
    out = set()
    for w in stopwords()[lang]:
        out.add(w)
        for p in _STICKY:
            out.add(w + p)
        for q in "(\"“«'‘¿¡":
            out.add(q + w)
    return frozenset(out)


@lru_cache(maxsize=1)
def _token_langs() -> dict[str, int]:
    """white-space token -> bit mask of the languages whose stopword list has it."""
    masks: dict[str, int] = {}
    for bit, lang in enumerate(stopwords()):
        for w in stopword_tokens(lang):
            masks[w] = masks.get(w, 0) | (1 << bit)
    return masks


def detect_language(lines: list[str], cfg: Config) -> tuple[str | None, float]:
    """The language whose stopwords cover most tokens, and that share; ``(None, share)`` below the floor."""
    sample = " ".join(lines)[: cfg.lang_sample_chars].lower()
    tokens = sample.split()
    if not tokens:
        return None, 0.0
    masks = _token_langs()
    langs = list(stopwords())
    by_mask: Counter[int] = Counter()
    counts = Counter(tokens)
    for tok in counts.keys() & masks.keys():  # set intersection in C: only the stopwords present
        by_mask[masks[tok]] += counts[tok]
    hits = [0] * len(langs)
    for m, n in by_mask.items():
        for b in range(len(langs)):
            if m >> b & 1:
                hits[b] += n
    best = max(range(len(langs)), key=hits.__getitem__)
    share = hits[best] / len(tokens)
    return (langs[best], share) if share >= cfg.lang_min_ratio else (None, share)


def line_verdict(line: str, sw: frozenset[str] | None, cfg: Config) -> tuple[str, float]:
    """``(verdict, region weight)`` of one line (steps 2 and 3)."""
    n = line.count(" ") + 1
    chars = len(line)
    if chars > 6 * n and not line.isascii() and _unspaced(line):  # CJK, Thai: about 2 chars a word
        n = max(n, chars // 2)
    if n < cfg.short_max_words and chars < 20 * cfg.short_max_words:
        if n == 1 and _bad_shape(line):
            return BAD, -(cfg.bad_cost + chars * cfg.bad_weight)
        if n >= 2 and ends_sentence(line):
            return NEAR, chars * cfg.near_weight
        return SHORT, -cfg.short_cost
    if _bad_shape(line):
        return BAD, -(cfg.bad_cost + chars * cfg.bad_weight)
    punct = ends_sentence(line)
    if sw is not None:
        toks = line.lower().split()
        density = sum(map(sw.__contains__, toks)) / len(toks) if toks else 0.0
    else:
        density = cfg.sw_good  # no list for this language: judge by shape alone
    if density < cfg.sw_bad:
        return BAD, -(cfg.bad_cost + chars * cfg.bad_weight)
    if (punct or n >= cfg.prose_long_words) and n >= cfg.good_min_words and density >= cfg.sw_good:
        # richer in function words reads more like running text
        return GOOD, chars * min(cfg.good_weight_cap, density / cfg.sw_good)
    if punct or n >= cfg.prose_long_words:
        return NEAR, chars * cfg.near_weight
    if density >= cfg.sw_good:  # a teaser or a subheading: neutral, context decides
        return NEAR, 0.0
    if n <= cfg.headline_max_words:
        return SHORT, -cfg.short_cost
    return BAD, -(cfg.bad_cost + chars * cfg.bad_weight)


def article_region(lines: list[str], marks: Marks, cfg: Config, state: dict[str, object]) -> None:
    """H10: keep the article region of a flattened page; see the module docstring."""
    walls = set(marks)  # lines the rules removed: chrome, so they separate blocks like short lines do
    live = [i for i in range(len(lines)) if i not in walls]
    if len(live) < 3:
        return
    # 0. only where the text shows page chrome: menu-like lines, or rule hits on chrome
    menu_like = sum(1 for i in live if lines[i].count(" ") < 3 and not ends_sentence(lines[i]))
    if menu_like + cfg.region_rule_hit_weight * len(walls) < cfg.region_min_chrome:
        return
    state["context_dependent"] = True  # this pass's removals can change what H10 sees next pass
    # 1. language, detected on this pass's lines (as a later cleaning of the output would see them)
    lang = detect_language([lines[i] for i in live], cfg)[0]
    sw = stopword_tokens(lang) if lang else None
    # 2. verdicts (cached per input line across passes while the language holds); walls weigh like short lines
    if state.get("lang", "?") != lang:
        state["lang"], state["verdicts"] = lang, {}
    cache: dict[int, tuple[str, float]] = state["verdicts"]  # type: ignore[assignment]
    orig: list[int] = state.get("orig", list(range(len(lines))))  # type: ignore[assignment]
    wall = (WALL, -cfg.short_cost)
    scored: list[tuple[str, float]] = []
    for i, ln in enumerate(lines):
        if i in walls:
            scored.append(wall)
            continue
        got = cache.get(orig[i])
        if got is None:
            got = cache[orig[i]] = line_verdict(ln, sw, cfg)
        scored.append(got)
    if sum(v == GOOD for v, _ in scored) < cfg.region_min_good:
        return
    # 3. region: maximum-sum contiguous run (Kadane) over run-weighted lines
    weights = _run_weights(scored, cfg.short_run_cap)
    best, best_lo, best_hi = _kadane(weights, 0, len(weights))
    if best_hi < 0:
        return
    regions = [(best_lo, best_hi)]
    # a second block of article (split by a wide gallery, an ad block) counts if it weighs nearly as much
    todo = [(0, best_lo), (best_hi + 1, len(weights))]
    while todo and cfg.second_region_ratio > 0:
        a, b = todo.pop()
        if b - a <= 0:
            continue
        s2, lo2, hi2 = _kadane(weights, a, b)
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
        for k in range(lo_, hi_ + 1):
            inside[k] = True
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
    n_out = sum(1 for i in live if not inside[i])
    spans = ", ".join(f"{orig[a] + 1}-{orig[b] + 1}" for a, b in regions) if orig else ""
    region = f"article region: lines {spans}"
    if lang:
        region += f", language {lang}"
    for i in live:
        v = scored[i][0]
        if inside[i]:
            if v == BAD:
                marks[i] = ("H10", "bad-line", f"not prose inside the article region ({region})")
        elif i != title:
            kind = "menu-run" if v == SHORT else "outside-region"
            marks[i] = ("H10", kind, f"{v} line outside the article region ({region}; {n_out} lines out)")


def _run_weights(scored: list[tuple[str, float]], cap: int) -> list[float]:
    """Line weights with the run penalty: the k-th short/bad line in a row costs min(k, cap) times its cost."""
    out = []
    run = 0
    for v, w in scored:
        if v in (SHORT, BAD, WALL):
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
