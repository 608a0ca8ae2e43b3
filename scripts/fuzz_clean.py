#!/usr/bin/env python3
"""Coverage-guided fuzzing of ``cleannews.clean`` and ``cleannews.clean_html`` (atheris / libFuzzer), bounded in time.

Properties checked on every input (a violation is recorded, minimised and fuzzing goes on):

* text (``clean`` and ``report``): no exception; idempotent, ``clean(clean(x)) == clean(x)``; every output line
  is a normalised input line (:func:`cleannews.normalize.normalize_line` of a ``str.splitlines`` line); the
  report replays, ``report(x).replay(x) == clean(x)``; output format (final ``\\n``, no blank line);
* HTML (``clean_html`` on bytes and on str): no exception; the text is in the output format and is a fixed
  point of the HTML text stage (``html_cleaner().clean(text) == text``);
* any call slower than ``--slow`` seconds is recorded too; libFuzzer's own ``-timeout`` (a hang) and
  ``-rss_limit_mb`` (memory) crashes end a worker, which is restarted for the time that is left.

The first input byte picks the target: text from the bytes as UTF-8 (with replacement), text from
libFuzzer's unicode provider (lone surrogates included), HTML bytes, HTML str. The starting corpus is the
seeds, generated dirty documents and small HTML pages (and a few dev pages from ``../shared`` if present).

    pip install atheris                                   # a wheel for CPython 3.11 on x86-64 Linux
    python scripts/fuzz_clean.py --seconds 300            # fuzz 5 minutes, then print what was found
    python scripts/fuzz_clean.py --seconds 60 --findings /tmp/f --keep-corpus /tmp/c
    python scripts/fuzz_clean.py --hypothesis --seconds 60   # without atheris: hypothesis, same properties

Exit status 1 when a property failed or an input crashed, hung or blew memory.
"""

from __future__ import annotations

import argparse
import base64
import gzip
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
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV_HTML = ROOT.parent / "shared" / "data" / "scrapinghub-dev" / "html"
MAX_LEN = 16384

SMALL_HTML = [
    b"<!doctype html><html><head><title>Budget</title><script>var x = 1;</script></head><body>"
    b"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Council Approves Budget</h1>"
    b"<p>The council met on Monday and approved the budget, after a long debate.</p>"
    b"<p>Read Next:</p><ul><li><a href='/x'>Airbus Faces Pressure After November Deliveries Dip</a></li></ul>"
    b"<div class='share'>Share on Facebook</div></article><footer>Copyright 2019</footer></body></html>",
    b'<html><head><meta charset="iso-8859-1"><script type="application/ld+json">{"@type": "NewsArticle", '
    b'"articleBody": "Caf\xe9 owners met on Monday.\\nThey approved the plan."}</script></head>'
    b"<body><div itemprop='articleBody'><p>Caf\xe9 owners met.</p></div><aside>Related</aside></body></html>",
    b"\xef\xbb\xbf<html><body><table><tr><td>Price</td><td>3</td></tr></table><div><div><div><p>x</p>"
    b"</div></div></div><div class='comments'>Leave a Reply</div></body></html>",
    b"<p>unclosed <b>bold <i>italic</p><div id=sidebar>Most read<ol><li>One<li>Two</ol>",
    b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
]


# ---- properties ---------------------------------------------------------------------------------------------
class Violation(Exception):
    """A property did not hold; ``key`` groups repeats of the same problem."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _format_ok(out: str) -> str:
    if out == "":
        return ""
    if not out.endswith("\n"):
        return "output does not end with a newline"
    if "\n\n" in out or out.startswith("\n"):
        return "blank line in the output"
    return ""


def check_text(text: str) -> None:
    import cleannews
    from cleannews.normalize import normalize_line

    res = cleannews.report(text)
    out = res.text
    if cleannews.clean(text) != out:
        raise Violation("text:clean-vs-report", "clean(x) != report(x).text")
    bad = _format_ok(out)
    if bad:
        raise Violation("text:format", bad)
    lines = {normalize_line(ln) for ln in text.splitlines()}
    invented = [ln for ln in out.split("\n")[:-1] if ln not in lines]
    if invented:
        raise Violation("text:subset", f"output line not a normalised input line: {invented[0]!r}")
    again = cleannews.clean(out)
    if again != out:
        raise Violation("text:idempotent", f"clean(clean(x)) != clean(x): {out!r} -> {again!r}")
    replay = res.replay(text)
    if replay != out:
        raise Violation("text:replay", f"report(x).replay(x) != clean(x): {replay!r} vs {out!r}")


def check_html(page: str | bytes) -> None:
    import cleannews
    from cleannews.html import html_cleaner

    out = cleannews.clean_html(page).text
    bad = _format_ok(out)
    if bad:
        raise Violation("html:format", bad)
    again = html_cleaner().clean(out)
    if again != out:
        raise Violation("html:idempotent", f"html_cleaner().clean(clean_html(x).text) changed it: {out!r} -> {again!r}")


def decode_input(data: bytes) -> tuple[str, Callable[[], None], object]:
    """(target name, the check to run, the input it runs on) for one fuzzer input."""
    if not data:
        return "text-utf8", lambda: check_text(""), ""
    sel, rest = data[0] % 4, data[1:]
    if sel == 0:
        text = rest.decode("utf-8", "replace")
        return "text-utf8", lambda: check_text(text), text
    if sel == 1:
        import atheris

        text = atheris.FuzzedDataProvider(rest).ConsumeUnicode(len(rest))
        return "text-unicode", lambda: check_text(text), text
    if sel == 2:
        return "html-bytes", lambda: check_html(rest), rest
    page = rest.decode("utf-8", "replace")
    return "html-str", lambda: check_html(page), page


def problem(check: Callable[[], None]) -> tuple[str, str, str] | None:
    """Run *check*: None if it held, else (key, message, traceback)."""
    try:
        check()
    except Violation as v:
        return v.key, str(v), ""
    except Exception as exc:  # any exception from cleannews is a finding
        tb = traceback.extract_tb(exc.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb) if "cleannews" in f.filename), "?")
        return f"exception:{type(exc).__name__}:{where}", f"{type(exc).__name__}: {exc}", traceback.format_exc()
    return None


# ---- minimising -------------------------------------------------------------------------------------------
def ddmin(items: list, still_fails: Callable[[list], bool], budget: float) -> list:
    """Zeller's delta debugging over *items* (lines or characters) within *budget* seconds."""
    end = time.perf_counter() + budget
    n = 2
    while len(items) >= 2 and time.perf_counter() < end:
        chunk = max(1, len(items) // n)
        reduced = False
        for i in range(0, len(items), chunk):
            cand = items[:i] + items[i + chunk :]
            if cand and still_fails(cand):
                items, n, reduced = cand, max(n - 1, 2), True
                break
            if time.perf_counter() > end:
                break
        if not reduced:
            if chunk == 1:
                break
            n = min(len(items), n * 2)
    return items


def minimise(target: str, value: object, key: str, budget: float = 5.0) -> object:
    """The smallest input found within *budget* seconds that still shows the problem *key*."""
    check = check_text if target.startswith("text") else check_html

    def fails(v: object) -> bool:
        got = problem(lambda: check(v))  # type: ignore[arg-type]
        return got is not None and got[0] == key

    if isinstance(value, bytes):
        return bytes(ddmin(list(value), lambda xs: fails(bytes(xs)), budget))
    assert isinstance(value, str)
    lines = ddmin(value.splitlines(keepends=True), lambda xs: fails("".join(xs)), budget / 2)
    return "".join(ddmin(list("".join(lines)), lambda xs: fails("".join(xs)), budget / 2))


def again(target: str, small: object, key: str, message: str, tb: str) -> tuple[str, str]:
    """The message and traceback for the minimised input (those of the original if it no longer fails)."""
    check = check_text if target.startswith("text") else check_html
    got = problem(lambda: check(small))  # type: ignore[arg-type]
    return (got[1], got[2]) if got is not None and got[0] == key else (message, tb)


def record(key: str, target: str, message: str, tb: str, small: object, **extra: object) -> dict[str, object]:
    return {"key": key, "target": target, "message": message, "traceback": tb,
            "input": small if isinstance(small, str) else None,
            "input_b64": base64.b64encode(small).decode() if isinstance(small, bytes) else None, **extra}  # fmt: skip


def save(findings: Path, rec: dict[str, object]) -> None:
    name = hashlib.sha1(str(rec["key"]).encode()).hexdigest()[:12]
    (findings / f"{name}.json").write_text(json.dumps(rec, ensure_ascii=True, indent=1))


# ---- the atheris worker -------------------------------------------------------------------------------------
def worker(findings: Path, slow: float, libfuzzer_args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["cleannews"]):
        import cleannews
        import cleannews.html
        import cleannews.normalize

    cleannews.clean("warm up")
    cleannews.clean_html("<p>warm up</p>")
    seen: dict[str, int] = {}
    for f in findings.glob("*.json"):
        d = json.loads(f.read_text())
        seen[d["key"]] = d["size"]

    def one_input(data: bytes) -> None:
        target, check, value = decode_input(data)
        t0 = time.perf_counter()
        got = problem(check)
        secs = time.perf_counter() - t0
        if got is None and secs > slow:
            got = (f"slow:{target}", f"{secs:.1f} s for {len(data)} bytes", "")
        if got is None:
            return
        key, message, tb = got
        size = len(value) if isinstance(value, (str, bytes)) else 0
        if key in seen and seen[key] <= size:
            return
        small = value if key.startswith("slow:") else minimise(target, value, key)
        message, tb = again(target, small, key, message, tb)
        seen[key] = len(small) if isinstance(small, (str, bytes)) else size  # type: ignore[arg-type]
        save(findings, record(key, target, message, tb, small, size=seen[key], seconds=secs,
                              original_b64=base64.b64encode(data).decode()))  # fmt: skip
        print(f"\nFINDING {key}: {message[:200]} (minimised to {seen[key]})", file=sys.stderr, flush=True)

    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


# ---- the driver -----------------------------------------------------------------------------------------------
def seed_corpus(dest: Path) -> int:
    sys.path.insert(0, str(HERE))
    import dirtygen

    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    seeds = dirtygen.seed_texts()
    items: list[bytes] = [b"\x00" + s.encode() for s in seeds]
    items += [b"\x00" + dirtygen.dirty_document(rng, seeds).encode() for _ in range(20)]
    items += [b"\x02" + h for h in SMALL_HTML] + [b"\x03" + h for h in SMALL_HTML]
    if DEV_HTML.is_dir():
        for p in sorted(DEV_HTML.glob("*.html.gz"))[:6]:
            items.append(b"\x02" + gzip.decompress(p.read_bytes())[: MAX_LEN - 1])
    for i, data in enumerate(items):
        (dest / f"seed{i:03d}").write_bytes(data)
    return len(items)


def drive_atheris(python: str, seconds: float, findings: Path, corpus: Path, slow: float, extra: list[str]) -> dict:
    n_seed = seed_corpus(corpus)
    end = time.monotonic() + seconds
    runs, stats, crashes = 0, {"execs": 0}, []
    log = findings / "libfuzzer.log"
    while (left := end - time.monotonic()) > 5:
        runs += 1
        args = [python, __file__, "--worker", "--findings", str(findings), "--slow", str(slow), "--",
                f"-max_total_time={int(left)}", f"-max_len={MAX_LEN}", "-timeout=20", "-rss_limit_mb=4096",
                f"-artifact_prefix={findings}/", "-print_final_stats=1", *extra, str(corpus)]  # fmt: skip
        with open(log, "a") as fh:
            rc = subprocess.run(args, stdout=fh, stderr=subprocess.STDOUT).returncode
        text = log.read_text(errors="replace")
        for m in re.finditer(r"stat::number_of_executed_units: (\d+)", text):
            stats["execs_last"] = int(m.group(1))
        stats["execs"] = sum(int(m.group(1)) for m in re.finditer(r"stat::number_of_executed_units: (\d+)", text))
        cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", text)
        if cov:
            stats["cov"], stats["ft"], stats["corpus"] = map(int, cov[-1])
        if rc not in (0,):
            crashes.append(rc)
            if runs > 20:
                break
    artifacts = sorted(p.name for p in findings.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-", "slow-")))
    return {"worker_runs": runs, "worker_exit_codes": crashes, "seed_inputs": n_seed, "artifacts": artifacts, **stats}


def drive_hypothesis(seconds: float, findings: Path) -> dict:
    """Fallback without atheris: hypothesis generates text and HTML for *seconds*, checking the same properties."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    sys.path.insert(0, str(HERE))
    import dirtygen

    seeds = dirtygen.seed_texts()
    words = st.sampled_from([*dirtygen.JUNK, *dirtygen.HEADLINES, *dirtygen.COMMENTS, *seeds[0].splitlines()])
    doc = st.lists(st.one_of(words, st.text(max_size=40)), max_size=40).map("\n".join)
    tags = st.sampled_from(["p", "div", "article", "nav", "aside", "li", "table", "td", "script", "h1", "span"])
    html = st.recursive(st.one_of(words, st.text(max_size=20)),
                        lambda inner: st.tuples(tags, st.lists(inner, max_size=5)).map(
                            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"), max_leaves=60)  # fmt: skip
    inputs = st.one_of(
        st.tuples(st.just("text"), st.text()),
        st.tuples(st.just("text"), doc),
        st.tuples(st.just("html"), html),
        st.tuples(st.just("html"), st.binary(max_size=2000)),
    )
    found: dict[str, dict] = {}
    count = [0]
    end = time.monotonic() + seconds

    @settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def run(item: tuple[str, object]) -> None:
        if time.monotonic() > end:
            return
        count[0] += 1
        kind, value = item
        check = check_text if kind == "text" else check_html
        got = problem(lambda: check(value))  # type: ignore[arg-type]
        if got and got[0] not in found:
            small = minimise(kind, value, got[0])
            found[got[0]] = record(got[0], kind, *again(kind, small, got[0], got[1], got[2]), small)

    while time.monotonic() < end:  # batches of 500 examples, each from a fresh random seed
        run()
    for rec in found.values():
        save(findings, rec)
    return {"execs": count[0]}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=300, help="total fuzzing time (default 300)")
    p.add_argument("--findings", type=Path, default=None, help="where findings and crash inputs go (default: temp)")
    p.add_argument("--keep-corpus", type=Path, default=None, help="keep the evolved corpus here")
    p.add_argument("--slow", type=float, default=2.0, help="record inputs that take longer than this (seconds)")
    p.add_argument("--python", default=sys.executable, help="interpreter with atheris installed")
    p.add_argument("--hypothesis", action="store_true", help="use hypothesis instead of atheris")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker:
        worker(a.findings, a.slow, extra)
        return 0
    findings = a.findings or Path(tempfile.mkdtemp(prefix="cleannews-fuzz-"))
    findings.mkdir(parents=True, exist_ok=True)
    corpus = a.keep_corpus or Path(tempfile.mkdtemp(prefix="cleannews-fuzz-corpus-"))
    has_atheris = subprocess.run([a.python, "-c", "import atheris"], capture_output=True).returncode == 0
    engine = "atheris" if has_atheris and not a.hypothesis else "hypothesis"
    if engine == "hypothesis" and not a.hypothesis:
        print(f"atheris is not importable by {a.python}: falling back to hypothesis", file=sys.stderr)
    t0 = time.monotonic()
    if engine == "atheris":
        stats = drive_atheris(a.python, a.seconds, findings, corpus, a.slow, extra)
    else:
        stats = drive_hypothesis(a.seconds, findings)
    secs = time.monotonic() - t0
    recs = [json.loads(f.read_text()) for f in sorted(findings.glob("*.json"))]
    print(f"{engine}: {secs:.0f} s, {stats.get('execs', 0)} inputs executed; "
          + ", ".join(f"{k} {v}" for k, v in stats.items() if k != "execs"))  # fmt: skip
    print(f"findings ({findings}): {len(recs)}")
    for r in recs:
        shown = r["input"] if r.get("input") is not None else base64.b64decode(r.get("input_b64") or "")
        print(f"- {r['key']} [{r['target']}]: {r['message'][:300]}\n  minimal input: {shown!r}")
    artifacts = stats.get("artifacts", [])
    for name in artifacts:
        print(f"- libFuzzer artifact {findings / name} ({(findings / name).stat().st_size} bytes)")
    if a.keep_corpus is None:
        shutil.rmtree(corpus, ignore_errors=True)
    return 1 if recs or artifacts else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
