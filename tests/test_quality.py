"""Quality floors: a regression in extraction quality fails CI.

The dev pages live in ../shared (beside the repo, as in CI); where they are absent the dev-set checks skip.
Floors sit a little under what the current code reaches (see README, "Quality"), so a real regression fails
while noise does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import data  # noqa: E402
from benchmarks.bench_text import multilingual_check  # noqa: E402
from benchmarks.metric import aggregate, score_page, tokenize  # noqa: E402

DEV_F1_FLOOR = 0.90
DEV_RECALL_FLOOR = 0.955
GOLD_LOSS_CEILING = 0.01  # share of gold tokens removed when cleaning the clean gold bodies
MULTILINGUAL_F1_FLOOR = 0.93

needs_dev = pytest.mark.skipif(not data.dev_dir().exists(), reason="../shared (dev pages) not present")


@needs_dev
def test_dev_pages_f1_floor(cleaner):
    raw, gold = data.load_raw_texts(), data.load_gold()
    agg = aggregate(score_page(cleaner.clean(raw[k]), gold[k]) for k in gold)
    assert agg["f1"] >= DEV_F1_FLOOR, agg
    assert agg["recall"] >= DEV_RECALL_FLOOR, agg


@needs_dev
def test_clean_article_text_survives(cleaner):
    gold = data.load_gold()
    total = sum(len(tokenize(g)) for g in gold.values())
    kept = sum(min(len(tokenize(cleaner.clean(g))), len(tokenize(g))) for g in gold.values())
    assert (total - kept) / total <= GOLD_LOSS_CEILING


def test_multilingual_check_set(cleaner):
    result = multilingual_check(cleaner.clean)
    assert result is not None and result["pages"] >= 9
    assert result["cleannews"]["f1"] >= MULTILINGUAL_F1_FLOOR, result
    assert result["cleannews"]["f1"] > result["unchanged"]["f1"] + 0.05


@needs_dev
def test_idempotent_on_real_pages_and_shuffled_line_subsets(cleaner):
    """clean(clean(x)) == clean(x) on the dev pages, their gold bodies and random line subsets of the pages."""
    import random

    rng = random.Random(7)
    raw, gold = data.load_raw_texts(), data.load_gold()
    texts = [*raw.values(), *gold.values()]
    for page in raw.values():
        lines = page.split("\n")
        rng.shuffle(lines)
        texts.append("\n".join(lines[: rng.randint(1, len(lines))]))
    bad = [t[:80] for t in texts if cleaner.clean(cleaner.clean(t)) != cleaner.clean(t)]
    assert not bad
