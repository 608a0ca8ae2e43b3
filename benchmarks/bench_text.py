"""Score extractors on the 83 scrapinghub-dev pages with the shingle metric.

Rows: the naive text unchanged, the C4 line filter, cleannews.clean (all on the naive text),
and with --peers the HTML extractors (jusText, resiliparse, trafilatura, readability-lxml).
Then a gold self-check: cleannews run on each gold body should remove (almost) nothing.

    python -m benchmarks.bench_text [--peers] [--per-page] [--json] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import data
from benchmarks.extractors import html_extractors, text_extractors
from benchmarks.metric import PageScore, aggregate, score_page, tokenize


@dataclass
class Run:
    """One extractor over every page: its per-page scores and its best wall time."""

    name: str
    source: str  # "text" or "HTML": what the extractor reads
    scores: dict[str, PageScore]
    seconds: float
    bytes_in: int

    def summary(self) -> dict[str, Any]:
        pages = len(self.scores)
        return {
            "name": self.name,
            "input": self.source,
            **aggregate(self.scores.values()),
            "mb_per_s": self.bytes_in / 1e6 / self.seconds if self.seconds else None,
            "docs_per_s": pages / self.seconds if self.seconds else None,
        }


def run_interleaved(
    extractors: list[tuple[str, str, Callable[[Any], str], dict[str, Any]]],
    gold: dict[str, str],
    repeat: int,
) -> list[Run]:
    """Extract every page with each extractor ``(name, source, extract, inputs)`` ``repeat`` times and score
    the outputs, keeping each one's fastest pass. In rounds: each round times one pass of every extractor, so
    that all of them see the same spells of a busy or quiet machine (on a shared VM the speed of one core
    moves by a third within minutes)."""
    best = {name: float("inf") for name, *_ in extractors}
    outputs: dict[str, dict[str, str]] = {}
    for _ in range(repeat):
        for name, _source, extract, inputs in extractors:
            start = time.perf_counter()
            outputs[name] = {page_id: extract(page) for page_id, page in inputs.items()}
            best[name] = min(best[name], time.perf_counter() - start)
    runs = []
    for name, source, _extract, inputs in extractors:
        size = sum(len(page.encode() if isinstance(page, str) else page) for page in inputs.values())
        scores = {page_id: score_page(outputs[name][page_id], gold[page_id]) for page_id in inputs}
        runs.append(Run(name, source, scores, best[name], size))
    return runs


def gold_self_check(clean: Callable[[str], str], gold: dict[str, str]) -> dict[str, Any]:
    """How much of the clean gold bodies cleannews removes, counted in tokens (target < 1%)."""
    removed = total = touched = 0
    worst_page, worst = "", 0.0
    for page_id, body in gold.items():
        before = Counter(tokenize(body))
        lost = sum((before - Counter(tokenize(clean(body)))).values())
        size = sum(before.values())
        removed, total, touched = removed + lost, total + size, touched + (lost > 0)
        if size and lost / size > worst:
            worst_page, worst = page_id, lost / size
    return {
        "tokens_removed": removed / total if total else 0.0,
        "pages_touched": touched,
        "pages": len(gold),
        "worst_page": worst_page,
        "worst_page_removed": worst,
    }


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_table(runs: list[Run]) -> None:
    print(f"{'extractor':<30} {'input':<5} {'P':>6} {'R':>6} {'F1':>6} {'MB/s':>8} {'docs/s':>8}")
    for run in runs:
        s = run.summary()
        print(
            f"{s['name']:<30} {s['input']:<5} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
            f" {_fmt(s['mb_per_s'], '8.2f')} {_fmt(s['docs_per_s'], '8.0f')}"
        )


def print_per_page(runs: list[Run], urls: dict[str, str], key: Run) -> None:
    """Per-page F1 of every extractor, sorted ascending by ``key``'s F1 (P and R shown for it)."""
    print(f"\nper page, sorted by F1 of {key.name} (P and R are its own); F1 of each extractor:")
    for i, run in enumerate(runs, 1):
        print(f"  [{i}] {run.name}")
    print(f"{'page':<10} {'host':<28} {'P':>6} {'R':>6} " + " ".join(f"{f'[{i}]':>6}" for i in range(1, len(runs) + 1)))
    for page_id in sorted(key.scores, key=lambda page_id: (key.scores[page_id].f1, page_id)):
        score = key.scores[page_id]
        host = urlsplit(urls.get(page_id, "")).hostname or ""
        print(
            f"{page_id[:10]:<10} {host[:28]:<28} {_fmt(score.precision, '6.3f')} {_fmt(score.recall, '6.3f')} "
            + " ".join(f"{r.scores[page_id].f1:6.3f}" for r in runs)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", action="store_true", help="also run the HTML extractors that are installed")
    parser.add_argument("--per-page", action="store_true", help="per-page F1, sorted ascending, for diagnosis")
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    parser.add_argument("--repeat", type=int, default=7,
                        help="rounds of timed passes (one pass of every extractor per round); the fastest counts")
    args = parser.parse_args(argv)

    raw, gold = data.load_raw_texts(), data.load_gold()
    if raw.keys() != gold.keys():
        raise SystemExit("raw-text.jsonl and ground-truth.json list different pages")
    notes: list[str] = []
    texts = text_extractors(notes)
    todo = [(name, "text", fn, raw) for name, fn in texts.items()]
    if args.peers:
        html = {page_id: data.load_html(page_id) for page_id in gold}
        todo += [(name, "HTML", fn, html) for name, fn in html_extractors(notes).items()]
    runs = run_interleaved(todo, gold, args.repeat)

    cleannews_name = next((name for name in texts if name.startswith("cleannews")), None)
    self_check = gold_self_check(texts[cleannews_name], gold) if cleannews_name else None
    key = next(run for run in runs if run.name == (cleannews_name or list(texts)[-1]))

    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        result: dict[str, Any] = {
            "pages": len(gold),
            "results": [run.summary() for run in runs],
            "gold_self_check": self_check,
            "multilingual": multilingual_check(texts[cleannews_name]) if cleannews_name else None,
            "notes": notes,
        }
        if args.per_page:
            result["per_page"] = {run.name: {p: s._asdict() for p, s in run.scores.items()} for run in runs}
        print(json.dumps(result, indent=2))
        return 0

    print(f"{len(gold)} pages of scrapinghub-dev; MB/s and docs/s over what each extractor reads, one core")
    print_table(runs)
    if self_check:
        print(
            f"\ngold self-check ({cleannews_name} on the {self_check['pages']} gold bodies): "
            f"{self_check['tokens_removed']:.2%} of gold tokens removed (target < 1%), "
            f"{self_check['pages_touched']} pages touched, worst {self_check['worst_page'][:10]} "
            f"{self_check['worst_page_removed']:.1%}"
        )
    ml = multilingual_check(texts[cleannews_name]) if cleannews_name else None
    if ml:
        print(
            f"\nmultilingual check set ({ml['pages']} hand-written de/fr/es pages, benchmarks/multilingual/): "
            f"cleannews P {ml['cleannews']['precision']:.3f} R {ml['cleannews']['recall']:.3f} "
            f"F1 {ml['cleannews']['f1']:.3f}; unchanged F1 {ml['unchanged']['f1']:.3f}"
        )
    if args.per_page:
        print_per_page(runs, data.load_urls(), key)
    return 0


def multilingual_check(clean: Callable[[str], str]) -> dict[str, Any] | None:
    """Score on the project's own de/fr/es check set (raw page + gold body pairs)."""
    folder = Path(__file__).resolve().parent / "multilingual"
    pairs = sorted(folder.glob("*.raw.txt"))
    if not pairs:
        return None
    ours, unchanged = [], []
    for raw in pairs:
        gold = raw.with_name(raw.name.replace(".raw.txt", ".gold.txt")).read_text(encoding="utf-8")
        text = raw.read_text(encoding="utf-8")
        ours.append(score_page(clean(text), gold))
        unchanged.append(score_page(text, gold))
    return {"pages": len(pairs), "cleannews": aggregate(ours), "unchanged": aggregate(unchanged)}


if __name__ == "__main__":
    raise SystemExit(main())
