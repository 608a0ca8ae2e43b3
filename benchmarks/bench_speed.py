"""Throughput of cleannews on a synthetic corpus of at least 50 MB (deterministic for a seed).

The corpus varies the seed texts and mixes in the dev pages' naive text:
- seed articles: the title, body paragraphs shuffled and mixed across seeds, some paragraphs
  rebuilt from random body sentences; junk blocks (the lines a seed has that its hand-checked
  expected output does not) recombined across seeds: trailing slices of headline lists,
  "Read Next:"/disclaimer/credit tails, inline "See Also:" lines; a duplicated title,
  indentation, blank-line runs of varying length;
- dev pages: some exact copies, the rest with lines dropped, a seed tail appended, indentation.

It is written to benchmarks/.cache/ as JSONL (field "text") and as a folder of .txt files,
and reused while the inputs and this script are unchanged. Then, each on the same corpus:
the library on one core (one Cleaner reused, texts in memory), the C4 line filter for
reference, and the CLI (wall time): over the JSONL with -j 1 and -j 2, output to /dev/null,
and over the .txt folder with -j 2, written to a temporary folder (-o).

    python -m benchmarks.bench_speed [--size-mb 50] [--seed 0] [--no-cli] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import data
from benchmarks.extractors import c4_line_filter, speedups_note

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z])")
DEV_PAGE_SHARE = 0.25  # of documents, the rest are seed variations
DEV_EXACT_SHARE = 0.3  # of dev pages, kept byte for byte


@dataclass
class Seed:
    """A seed split against its expected output: body lines and the junk blocks between them."""

    title: str
    body: list[str]
    inline_junk: list[list[str]] = field(default_factory=list)
    tail_junk: list[list[str]] = field(default_factory=list)


def expected_path(seed: Path) -> Path | None:
    """The hand-checked output of a seed: seeds/NAME.expected.txt or tests/golden/NAME."""
    for path in (seed.with_suffix(".expected.txt"), data.REPO_DIR / "tests" / "golden" / seed.name):
        if path.is_file():
            return path
    return None


def split_seed(raw: str, expected: str | None) -> Seed:
    """Walk the seed's lines in order: a line equal to the next expected line is body, else junk.

    >>> s = split_seed("T\\n  T\\nA.\\nSee also: X\\nB.\\n\\nRead next\\nY", "T\\nA.\\nB.")
    >>> s.title, s.body, s.inline_junk, s.tail_junk
    ('T', ['A.', 'B.'], [['T'], ['See also: X']], [['Read next', 'Y']])
    """
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    keep = [line.strip() for line in (expected or raw).splitlines() if line.strip()]
    body: list[str] = []
    inline: list[list[str]] = []
    block: list[str] = []
    for line in lines:
        if len(body) < len(keep) and line == keep[len(body)]:
            if block:
                inline.append(block)
                block = []
            body.append(line)
        else:
            block.append(line)
    tail = [block] if block else []
    return Seed(title=body[0] if body else "", body=body[1:], inline_junk=inline, tail_junk=tail)


def load_seeds() -> list[Seed]:
    paths = sorted(p for p in data.seeds_dir().glob("*.txt") if not p.name.endswith(".expected.txt"))
    seeds = []
    for path in paths:
        expected = expected_path(path)
        seeds.append(split_seed(path.read_text(encoding="utf-8"), expected and expected.read_text(encoding="utf-8")))
    if not seeds:
        raise SystemExit(f"no seed texts in {data.seeds_dir()}")
    return seeds


class CorpusMaker:
    """Makes varied documents from the seeds and dev pages with one random.Random."""

    def __init__(self, seeds: list[Seed], dev_pages: list[str], rng: random.Random) -> None:
        self.seeds, self.dev_pages, self.rng = seeds, dev_pages, rng
        self.sentences = [s for seed in seeds for p in seed.body for s in SENTENCE_END_RE.split(p) if len(s) > 40]
        self.inline_junk = [b for seed in seeds for b in seed.inline_junk]
        self.tail_junk = [b for seed in seeds for b in seed.tail_junk]

    def _slice(self, block: list[str]) -> list[str]:
        """The whole block, or a random contiguous part of it."""
        if len(block) < 2 or self.rng.random() < 0.5:
            return block
        start = self.rng.randrange(len(block))
        return block[start : self.rng.randint(start + 1, len(block))]

    def _tail(self) -> list[str]:
        """One to three trailing junk pieces from any seeds, recombined."""
        if not self.tail_junk:
            return []
        return [line for _ in range(self.rng.randint(1, 3)) for line in self._slice(self.rng.choice(self.tail_junk))]

    def seed_document(self) -> str:
        rng = self.rng
        main = rng.choice(self.seeds)
        paragraphs = list(main.body)
        if rng.random() < 0.5:
            other = rng.choice(self.seeds).body
            paragraphs += rng.sample(other, k=min(len(other), rng.randint(1, 3)))
        if self.sentences:
            paragraphs = [
                " ".join(rng.sample(self.sentences, k=rng.randint(2, 5))) if rng.random() < 0.4 else p
                for p in paragraphs
            ]
        rng.shuffle(paragraphs)
        units = [[main.title]] + [[p] for p in paragraphs]
        if rng.random() < 0.2:
            units.insert(1, [main.title])
        for _ in range(rng.choice((0, 0, 1, 2))):
            if self.inline_junk:
                units.insert(rng.randint(2, len(units)), rng.choice(self.inline_junk))
        if rng.random() < 0.8:
            units.append(self._tail())
        indent = rng.choice(("", "", "", "    ", "\t"))
        unit_sep, line_sep = rng.choice(("\n", "\n\n", "\n\n\n")), rng.choice(("\n", "\n", "\n\n"))
        text = unit_sep.join(line_sep.join(indent + line for line in unit) for unit in units if unit)
        return text + "\n" * rng.choice((1, 1, 2, 4, 16))

    def dev_document(self) -> str:
        rng = self.rng
        page = rng.choice(self.dev_pages)
        if rng.random() < DEV_EXACT_SHARE:
            return page
        drop = rng.uniform(0.0, 0.2)
        lines = [line for line in page.splitlines() if rng.random() >= drop]
        if rng.random() < 0.5:
            lines += self._tail()
        if rng.random() < 0.2:
            lines = ["    " + line if line else line for line in lines]
        return "\n".join(lines) + "\n"

    def documents(self, min_bytes: int) -> list[str]:
        docs, size = [], 0
        while size < min_bytes:
            doc = self.dev_document() if self.rng.random() < DEV_PAGE_SHARE else self.seed_document()
            docs.append(doc)
            size += len(doc.encode())
        return docs


def corpus_key(size_mb: int, seed: int) -> str:
    """Changes whenever a seed, an expected output, the dev pages or this script change."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(data.seeds_dir().glob("*.txt")):
        expected = expected_path(path)
        digest.update(path.read_bytes() + (expected.read_bytes() if expected else b""))
    digest.update((data.dev_dir() / "raw-text.jsonl").read_bytes())
    return f"speed-{size_mb}mb-seed{seed}-{digest.hexdigest()[:12]}"


def build_corpus(size_mb: int, seed: int, rebuild: bool) -> tuple[Path, Path]:
    """Write (or reuse) the corpus as JSONL and as a folder of .txt files; return both paths."""
    CACHE_DIR.mkdir(exist_ok=True)
    (CACHE_DIR / ".gitignore").write_text("*\n")
    key = corpus_key(size_mb, seed)
    jsonl, folder = CACHE_DIR / f"{key}.jsonl", CACHE_DIR / key
    if jsonl.is_file() and folder.is_dir() and not rebuild:
        return jsonl, folder
    for stale in CACHE_DIR.glob("speed-*"):  # one corpus at a time: older ones go
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    maker = CorpusMaker(load_seeds(), list(data.load_raw_texts().values()), random.Random(seed))
    docs = maker.documents(size_mb * 1_000_000)
    tmp_folder = CACHE_DIR / f"{key}.tmp"
    tmp_folder.mkdir()
    for i, doc in enumerate(docs):
        (tmp_folder / f"{i:06d}.txt").write_text(doc, encoding="utf-8")
    tmp_folder.rename(folder)
    tmp_jsonl = jsonl.with_suffix(".tmp")
    with tmp_jsonl.open("w", encoding="utf-8") as f:
        for i, doc in enumerate(docs):
            f.write(json.dumps({"id": i, "text": doc}, ensure_ascii=False) + "\n")
    tmp_jsonl.rename(jsonl)
    return jsonl, folder


def time_library(name: str, clean: Callable[[str], str], texts: list[str], size: int) -> dict[str, Any]:
    start = time.perf_counter()
    for text in texts:
        clean(text)
    seconds = time.perf_counter() - start
    return {"name": name, "seconds": seconds, "mb_per_s": size / 1e6 / seconds, "docs_per_s": len(texts) / seconds}


def cli_command() -> list[str]:
    """The cleannews script installed beside this Python, else on PATH, else python -m cleannews."""
    beside = Path(sys.executable).parent / "cleannews"
    found = str(beside) if beside.is_file() else shutil.which("cleannews")
    return [found] if found else [sys.executable, "-m", "cleannews"]


def time_cli(name: str, args: list[str], docs: int, size: int) -> dict[str, Any]:
    """Wall time of one CLI run, stdout to /dev/null; a failure is reported, not raised."""
    cmd = [*cli_command(), *args]
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        error = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {"name": name, "error": f"exit {done.returncode}: {error}", "command": " ".join(cmd)}
    return {"name": name, "seconds": seconds, "mb_per_s": size / 1e6 / seconds, "docs_per_s": docs / seconds}


def time_cli_runs(jsonl: Path, folder: Path, docs: int, size: int) -> list[dict[str, Any]]:
    """The CLI over the JSONL with -j 1 and -j 2, and over the .txt folder with -j 2."""
    results = [
        time_cli(
            f"CLI -j {jobs}, JSONL to /dev/null",
            ["--jsonl", "--field", "text", "-j", str(jobs), "--no-progress", "-q", str(jsonl)],
            docs,
            size,
        )
        for jobs in (1, 2)
    ]
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as out:
        args = ["-j", "2", "--no-progress", "-q", "-o", out, str(folder)]
        results.append(time_cli("CLI -j 2, .txt folder to -o DIR", args, docs, size))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=50, help="corpus size in MB of text (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the corpus (default 0)")
    parser.add_argument("--rebuild", action="store_true", help="write the corpus again even if cached")
    parser.add_argument("--no-cli", action="store_true", help="time only the library, not the CLI")
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    args = parser.parse_args(argv)

    jsonl, folder = build_corpus(args.size_mb, args.seed, args.rebuild)
    with jsonl.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    size = sum(len(text.encode()) for text in texts)

    c4_name, c4 = c4_line_filter()
    results = [time_library(f"{c4_name}, library, 1 core", c4, texts, size)]
    try:
        import cleannews
    except ImportError as exc:
        print(f"note: cleannews not importable ({exc})", file=sys.stderr)
    else:
        print(f"note: {speedups_note()}", file=sys.stderr)
        results.append(
            time_library("cleannews library, 1 core, Cleaner reused", cleannews.Cleaner().clean, texts, size)
        )
        if not args.no_cli:
            results += time_cli_runs(jsonl, folder, len(texts), size)

    corpus = {"docs": len(texts), "mb": size / 1e6, "jsonl": str(jsonl), "txt_dir": str(folder)}
    if args.json:
        print(json.dumps({"corpus": corpus, "cpus": os.cpu_count(), "results": results}, indent=2))
        return 0
    print(f"corpus: {corpus['docs']} docs, {corpus['mb']:.1f} MB of text, {os.cpu_count()} CPUs")
    print(f"  {jsonl}\n  {folder}/")
    print(f"{'what':<48} {'MB/s':>7} {'docs/s':>8} {'seconds':>8}")
    for r in results:
        if "error" in r:
            print(f"{r['name']:<48} failed: {r['error']}\n  command: {r['command']}")
        else:
            print(f"{r['name']:<48} {r['mb_per_s']:7.2f} {r['docs_per_s']:8.0f} {r['seconds']:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
