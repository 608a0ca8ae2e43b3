#!/usr/bin/env python3
"""Time and peak memory of the cleannews CLI on large and many inputs (figures for issue 7's closing note).

Cases (each input generated under a temp directory, deleted afterwards):

* ``line``: one single-line file (no newline) of words, at growing sizes up to ``--line-mb`` (default 100);
* ``multi``: a multi-line text file of dirty news documents (the seeds with junk; a ~2 MB pool of distinct
  documents reshuffled per block) at growing sizes up to ``--multi-mb`` (default 1024);
* ``tiny``: ``--tiny`` (default 20,000) files of 0.2-2 KB in a directory, ``--in-place -j 2`` (and ``-j 1``).

Every run goes through the CLI (``python -m cleannews -q --no-progress``; files to ``-o OUT``, the directory
``--in-place``) and is stopped after ``--limit`` seconds (default 180). A size whose time, extrapolated
from the smaller sizes, would pass 90% of the limit is not run; the fit (seconds = a + b x MB, MB per GB of peak
memory) extrapolates it instead. Peak memory is reported two ways: the largest single process
(``ru_maxrss`` from ``wait4``) and the whole process tree (``VmRSS`` of the process and its children,
sampled every 20 ms), which is what ``-j 2`` costs.

    python scripts/measure.py                         # all cases, about 6 minutes (1 GB extrapolated)
    python scripts/measure.py --cases multi --multi-sizes 1024 --limit 240   # the real 1 GB run (~3 min)
    python scripts/measure.py --cases line,tiny --tiny 5000
    python scripts/measure.py --json figures.json     # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dirtygen

MB = 1024 * 1024


@dataclass
class Run:
    case: str
    size_mb: float
    files: int
    jobs: int
    seconds: float | None  # None: stopped at the limit
    exit_code: int | None
    max_rss_mb: float  # largest single process
    tree_rss_mb: float  # sampled sum over the process tree
    stderr: str = ""

    def line(self) -> str:
        t = f"{self.seconds:7.1f} s" if self.seconds is not None else "  > limit"
        rate = f"{self.size_mb / self.seconds:6.1f} MB/s" if self.seconds else "        -"
        return (f"{self.case:6} {self.size_mb:8.1f} MB {self.files:6} files -j{self.jobs}: {t} {rate}  "
                f"peak RSS {self.max_rss_mb:7.0f} MB (process), {self.tree_rss_mb:7.0f} MB (tree)  "
                f"exit {self.exit_code}")  # fmt: skip


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of *pid* and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for ln in fh:
                    if ln.startswith("VmRSS:"):
                        total += int(ln.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(x) for x in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_cli(args: list[object], limit: float, case: str, size_mb: float, files: int, jobs: int) -> Run:
    cmd = [sys.executable, "-m", "cleannews", *map(str, args), "-q", "--no-progress"]
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)  # fmt: skip
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.02)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        timer = threading.Timer(limit, lambda: os.killpg(proc.pid, 9))
        timer.start()
        _pid, status, ru = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t0
        timer.cancel()
        done.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        timed_out = proc.returncode == -9 and secs >= limit * 0.99
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-400:]
    return Run(case, size_mb, files, jobs, None if timed_out else secs, proc.returncode, ru.ru_maxrss / 1024,
               peak[0] / MB, tail)  # fmt: skip


def fit(runs: list[Run]) -> tuple[float, float] | None:
    """Least squares seconds = a + b * MB over the finished runs (None if fewer than two)."""
    pts = [(r.size_mb, r.seconds) for r in runs if r.seconds is not None]
    if len(pts) < 2:
        return None
    n = len(pts)
    mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    b = sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else 0.0
    return my - b * mx, b


# ---- inputs ---------------------------------------------------------------------------------------------------
def _whole_chars(data: bytes) -> bytes:
    """*data* less a UTF-8 sequence cut at its end (so a file cut to size is still valid UTF-8)."""
    for back in range(1, min(4, len(data)) + 1):
        b = data[-back]
        if b < 0x80:
            return data
        if b >= 0xC0:  # a lead byte: keep the sequence only if it is complete
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return data if back == need else data[:-back]
    return data


def write_single_line(path: Path, size: int, rng: random.Random) -> None:
    words = " ".join(dirtygen.seed_texts()).split()
    chunk = " ".join(rng.choice(words) for _ in range(200_000)).encode() + b" "
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            data = _whole_chars(chunk[:left])
            fh.write(data)
            left -= len(data)


def doc_pool(rng: random.Random, target: int = 2 * MB) -> list[bytes]:
    seeds = dirtygen.seed_texts()
    pool, n = [], 0
    while n < target:
        d = dirtygen.dirty_document(rng, seeds, rng.choice([1, 1, 2, 4])).replace("\ufeff", "")
        b = (d.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n\n").encode()
        pool.append(b)
        n += len(b)
    return pool


def write_multi_line(path: Path, size: int, pool: list[bytes], rng: random.Random) -> None:
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            block = pool[:]
            rng.shuffle(block)
            data = _whole_chars(b"".join(block)[:left])
            fh.write(data)
            left -= len(data)


def write_tiny(root: Path, n: int, rng: random.Random) -> int:
    seeds = dirtygen.seed_texts()
    total = 0
    for i in range(n):
        d = root / f"d{i // 1000:02d}"
        if i % 1000 == 0:
            d.mkdir(parents=True)
        lines = dirtygen.dirty_lines(rng, seeds)
        text = "\n".join(lines[: rng.randint(2, 12)])[: rng.randint(200, 2000)] + "\n"
        data = text.encode()
        (d / f"t{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


# ---- cases ----------------------------------------------------------------------------------------------------
def sized_case(case: str, sizes_mb: list[float], work: Path, limit: float, make) -> list[Run]:  # type: ignore[no-untyped-def]
    runs: list[Run] = []
    for mb in sizes_mb:
        f = fit(runs)
        if f is not None and f[0] + f[1] * mb > 0.9 * limit:  # 10% margin: the fit is a little optimistic
            print(f"{case}: {mb:.0f} MB not run: the fit predicts {f[0] + f[1] * mb:.0f} s > {0.9 * limit:.0f} s",
                  flush=True)  # fmt: skip
            continue
        src = work / f"{case}_{mb:g}MB.txt"
        make(src, int(mb * MB))
        out = work / "out"
        r = run_cli([src, "-o", out], limit, case, mb, 1, 1)
        print(r.line(), flush=True)
        if r.stderr.strip():
            print("   stderr:", r.stderr.strip().splitlines()[-1][:300])
        runs.append(r)
        src.unlink()
        shutil.rmtree(out, ignore_errors=True)
        if r.seconds is None:
            break
    return runs


def report_fit(case: str, runs: list[Run], target_mb: float) -> list[str]:
    out = []
    f = fit(runs)
    done = [r for r in runs if r.seconds is not None]
    if f:
        a, b = f
        out.append(f"{case}: seconds = {a:.2f} + {b:.3f} x MB ({1 / b if b else float('inf'):.1f} MB/s marginal)")
        if done[-1].size_mb < target_mb:
            out.append(f"{case}: {target_mb:.0f} MB extrapolated: {a + b * target_mb:.0f} s")
        first, last = done[0], done[-1]
        r1, r2 = first.size_mb / first.seconds, last.size_mb / last.seconds  # type: ignore[operator]
        out.append(f"{case}: throughput {r1:.1f} MB/s at {first.size_mb:g} MB, {r2:.1f} MB/s at {last.size_mb:g} MB"
                   + ("  <- NON-LINEAR" if r2 < 0.7 * r1 and last.size_mb >= 2 * first.size_mb else ""))  # fmt: skip
    for r in done:
        out.append(f"{case}: {r.size_mb:g} MB: peak RSS {r.max_rss_mb:.0f} MB = {r.max_rss_mb / r.size_mb:.1f} x input")
    if done and done[-1].size_mb < target_mb:
        ratio = max(r.max_rss_mb / r.size_mb for r in done if r.size_mb >= 10) if any(
            r.size_mb >= 10 for r in done) else done[-1].max_rss_mb / done[-1].size_mb  # fmt: skip
        out.append(f"{case}: {target_mb:.0f} MB extrapolated peak RSS: {ratio * target_mb / 1024:.1f} GB")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", default="line,multi,tiny")
    p.add_argument("--line-mb", type=float, default=100)
    p.add_argument("--multi-mb", type=float, default=1024)
    p.add_argument("--multi-sizes", default=None, help="comma-separated MB sizes (default 64,128,256,512,MAX)")
    p.add_argument("--tiny", type=int, default=20_000)
    p.add_argument("--tiny-jobs", default="2,1", help="worker counts for the tiny case (default 2,1)")
    p.add_argument("--limit", type=float, default=180, help="seconds one run may take (default 180)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, default=None, help="write the runs here as JSON")
    a = p.parse_args(argv)
    cases = a.cases.split(",")
    rng = random.Random(a.seed)
    work = Path(tempfile.mkdtemp(prefix="cleannews-measure-", dir="/tmp"))
    runs: list[Run] = []
    notes: list[str] = []
    try:
        if "line" in cases:
            sizes = sorted({min(a.line_mb, s) for s in (10, 30, a.line_mb)})
            rr = sized_case("line", sizes, work, a.limit, lambda path, n: write_single_line(path, n, rng))
            runs += rr
            notes += report_fit("line", rr, a.line_mb)
        if "multi" in cases:
            pool = doc_pool(rng)
            sizes = sorted({min(a.multi_mb, s) for s in (64, 128, 256, 512, a.multi_mb)})
            if a.multi_sizes:
                sizes = [float(x) for x in a.multi_sizes.split(",")]
            rr = sized_case("multi", sizes, work, a.limit, lambda path, n: write_multi_line(path, n, pool, rng))
            runs += rr
            notes += report_fit("multi", rr, a.multi_mb)
        if "tiny" in cases:
            root = work / "tiny"
            total = write_tiny(root, a.tiny, rng)
            for jobs in map(int, a.tiny_jobs.split(",")):
                r = run_cli(["--in-place", root, "-j", jobs], a.limit, "tiny", total / MB, a.tiny, jobs)
                print(r.line(), flush=True)
                if r.seconds:
                    notes.append(f"tiny -j{jobs}: {a.tiny / r.seconds:.0f} files/s")
                runs.append(r)
                shutil.rmtree(root)
                write_tiny(root, a.tiny, random.Random(a.seed))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(notes))
    if a.json:
        a.json.write_text(json.dumps([asdict(r) for r in runs], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
