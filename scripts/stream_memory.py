"""Stream a generated multi-GB JSONL corpus through ``cleannews`` over pipes and report its peak memory.

    python scripts/stream_memory.py [--gb 2] [--jobs 2] [--compress none|gz|zst]

A generator process writes JSON lines (seed articles and dev pages with junk, ids counting up) to a pipe;
``cleannews -j N`` reads the pipe and writes to another pipe, which this script reads, checking that the
ids come back complete and in order while counting bytes. Every 0.2 s the resident memory of cleannews
and all its worker processes is summed from /proc; the peak is reported beside the bytes streamed.
Constant memory means the peak does not grow with --gb (try 0.2 and 2).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "scrapinghub-dev" / "raw-text.jsonl"


def corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if DEV.exists():
        for line in DEV.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            t = obj.get("text") or obj.get("raw_text") or ""
            if isinstance(t, str) and t:
                texts.append(t)
    return texts


def generate(target_bytes: int, out) -> None:  # type: ignore[no-untyped-def]
    """Write JSON lines until *target_bytes* are out (run in the generator child)."""
    texts = corpus_texts()
    written = i = 0
    while written < target_bytes:
        line = (json.dumps({"id": i, "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n").encode()
        out.write(line)
        written += len(line)
        i += 1
    out.flush()


def tree_rss(pid: int) -> int:
    """Resident bytes of *pid* and its descendants."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
            stack += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gb", type=float, default=2.0, help="GB of JSONL to stream (default 2)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--generate", type=int, default=None, help=argparse.SUPPRESS)  # the generator child
    a = ap.parse_args(argv)
    if a.generate is not None:
        generate(a.generate, sys.stdout.buffer)
        return 0
    target = int(a.gb * 1e9)
    gen = subprocess.Popen([sys.executable, __file__, "--generate", str(target)], stdout=subprocess.PIPE)
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "cleannews", "--jsonl", "-", "-j", str(a.jobs), "--no-progress", "--audit-fields"]
    cn = subprocess.Popen(cmd, stdin=gen.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert gen.stdout is not None and cn.stdout is not None and cn.stderr is not None
    gen.stdout.close()
    peak = 0
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss = tree_rss(cn.pid)
            peak = max(peak, rss)
            samples.append((time.perf_counter() - t0, rss))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    out_bytes = docs = 0
    order_ok = True
    for docs, line in enumerate(cn.stdout, 1):
        out_bytes += len(line)
        order_ok &= json.loads(line)["id"] == docs - 1
    err = cn.stderr.read().decode()
    rc = cn.wait()
    gen.wait()
    done.set()
    secs = time.perf_counter() - t0
    quarter = [rss for t, rss in samples if t > secs / 4]
    print(f"streamed {target / 1e9:.2f} GB in ({docs:,} documents, {out_bytes / 1e9:.2f} GB out) through "
          f"cleannews -j {a.jobs} in {secs:.0f} s ({target / 1e6 / secs:.1f} MB/s, {docs / secs:,.0f} docs/s)")
    lo, hi = min(quarter, default=0) / 1e6, max(quarter, default=0) / 1e6
    print(f"peak RSS of cleannews and its workers: {peak / 1e6:.0f} MB; after the first quarter of the run: "
          f"min {lo:.0f} MB, max {hi:.0f} MB")
    print(f"order kept and complete: {order_ok}; exit {rc}")
    if err.strip():
        print("stderr: " + err.strip().splitlines()[-1])
    return 0 if rc == 0 and order_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
