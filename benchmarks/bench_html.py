"""Score cleannews.clean_html on the 83 scrapinghub-dev pages (HTML in), beside the HTML peers, in one run.

Rows: cleannews.clean_html, cleannews.extract_html (the located article before text cleaning), and every
installed peer (jusText, resiliparse, trafilatura, readability-lxml). P/R/F1 with the shared shingle metric,
pages/s over the same bytes on one core (the fastest of --repeat passes).

    python -m benchmarks.bench_html [--repeat N] [--per-page] [--no-peers] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from benchmarks import data
from benchmarks.bench_text import Run, print_per_page, print_table, run_interleaved
from benchmarks.extractors import html_extractors, speedups_note


def cleannews_extractors() -> dict[str, Any]:
    import cleannews
    from cleannews.html import extract_html

    return {
        "cleannews clean_html": lambda html: cleannews.clean_html(html).text,
        "cleannews extract_html (no text stage)": extract_html,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of timed passes (one pass of every extractor per round); the fastest counts")
    parser.add_argument("--per-page", action="store_true", help="per-page F1, sorted ascending, for diagnosis")
    parser.add_argument("--no-peers", action="store_true", help="only cleannews")
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    args = parser.parse_args(argv)

    gold = data.load_gold()
    html = {page_id: data.load_html(page_id) for page_id in gold}
    notes: list[str] = [speedups_note()]
    extractors = cleannews_extractors()
    if not args.no_peers:
        extractors |= html_extractors(notes)
    runs: list[Run] = run_interleaved([(name, "HTML", fn, html) for name, fn in extractors.items()], gold, args.repeat)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps({"pages": len(gold), "results": [r.summary() for r in runs]}, indent=2))
        return 0
    print(f"{len(gold)} pages of scrapinghub-dev, HTML in; MB/s and docs/s over the page bytes, one core")
    print_table(runs)
    speed = {r.name: r.summary()["docs_per_s"] for r in runs}
    traf = next((v for k, v in speed.items() if k.startswith("trafilatura")), None)
    if traf:
        print(f"\ncleannews clean_html pages/s ÷ trafilatura's: {speed['cleannews clean_html'] / traf:.1f}×")
    if args.per_page:
        print_per_page(runs, data.load_urls(), runs[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
