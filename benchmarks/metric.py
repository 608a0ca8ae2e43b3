"""The shingle metric of the article-extraction benchmark, in one place.

Both texts are split into ``\\w+`` tokens; every run of 4 consecutive tokens is a shingle,
counted as a multiset. Per page, TP is the shingles in both (by count), FP those only in the
prediction, FN those only in the gold; the three are divided by TP+FP+FN so every page weighs
the same. A text with 1 to 3 tokens is a single, shorter shingle; an empty text has none.

Precision and recall are averaged over pages: a page with no predicted shingles (TP+FP = 0)
is left out of the precision mean, one with no gold shingles (TP+FN = 0) out of the recall
mean. F1 is 2PR/(P+R) of the two means. This follows ``evaluate.py`` of
scrapinghub/article-extraction-benchmark, re-written here; the README's "a page with
FP = FN = 0 counts as 1" needs no branch: such a page is either 1 = TP/TP or left out.

>>> score_page("the cat sat on the mat", "the cat sat on the mat")
PageScore(tp=1.0, fp=0.0, fn=0.0)
>>> s = score_page("a b c d e", "a b c d")
>>> s.precision, s.recall
(0.5, 1.0)
>>> score_page("", "")
PageScore(tp=0.0, fp=0.0, fn=0.0)
>>> score_page("Ok", "Ok")  # fewer than 4 tokens: one short shingle
PageScore(tp=1.0, fp=0.0, fn=0.0)
>>> aggregate([score_page("a b c d e", "a b c d"), score_page("", "w x y z")])
{'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

SHINGLE_SIZE = 4
TOKEN_RE = re.compile(r"\w+")  # str patterns are Unicode-aware in Python 3


def tokenize(text: str) -> list[str]:
    """Split into word tokens, case and all kept.

    >>> tokenize("Ça va? Oui, très-bien.")
    ['Ça', 'va', 'Oui', 'très', 'bien']
    """
    return TOKEN_RE.findall(text)


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the runs of ``n`` consecutive tokens; a shorter non-empty text is one shingle.

    >>> sorted(shingles("a b c d e").items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("a b")
    Counter({('a', 'b'): 1})
    """
    tokens = tokenize(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


class PageScore(NamedTuple):
    """TP, FP and FN of one page as fractions of TP+FP+FN (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """TP/(TP+FP), or None when nothing was predicted (left out of the mean)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        """TP/(TP+FN), or None when the gold is empty (left out of the mean)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        """Per-page F1 for diagnosis; an undefined precision or recall counts as 0."""
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_page(pred: str, gold: str) -> PageScore:
    """Compare one predicted body with its gold body."""
    pred_counts, gold_counts = shingles(pred), shingles(gold)
    tp = sum((pred_counts & gold_counts).values())
    fp = sum((pred_counts - gold_counts).values())
    fn = sum((gold_counts - pred_counts).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def aggregate(scores: Iterable[PageScore]) -> dict[str, float]:
    """Mean precision and recall over pages, and the F1 of those two means."""
    scores = list(scores)
    precision = _mean([p for s in scores if (p := s.precision) is not None])
    recall = _mean([r for s in scores if (r := s.recall) is not None])
    total = precision + recall
    f1 = 2 * precision * recall / total if total > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


if __name__ == "__main__":
    import doctest

    failures, tried = doctest.testmod()
    print(f"metric self-check: {tried - failures} passed, {failures} failed")
    raise SystemExit(1 if failures else 0)
