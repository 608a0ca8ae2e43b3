"""Streaming pipelines: JSONL through worker processes in bounded memory, compression by extension, audit
fields, the run summary, and what happens when a worker or the main process dies."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard
from cli_runner import run

import cleannews
from cleannews.io import remove_stale_temps
from cleannews.stream import JsonlOptions, clean_jsonl
from cleannews.workers import WorkerDied, Workers

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]


def jsonl(n: int) -> bytes:
    return b"".join(
        (json.dumps({"id": i, "text": TEXTS[i % len(TEXTS)]}, ensure_ascii=False) + "\n").encode() for i in range(n)
    )


def expected(data: bytes, **kw: object) -> bytes:
    return b"".join(clean_jsonl(data.splitlines(keepends=True), cleannews.Cleaner(), JsonlOptions(**kw)))


# ---- the library stream -----------------------------------------------------------------------------------
def test_clean_jsonl_matches_clean_per_record_and_keeps_order():
    out = [json.loads(line) for line in clean_jsonl(jsonl(12).splitlines(keepends=True))]
    assert [o["id"] for o in out] == list(range(12))
    assert [o["text"] for o in out] == [cleannews.clean(TEXTS[i % len(TEXTS)]) for i in range(12)]


def test_clean_jsonl_takes_str_lines_and_audit_fields_add_up():
    lines = jsonl(5).decode().splitlines()  # str lines without their ends, as dask.bag.read_text may give
    out = [json.loads(b) for b in clean_jsonl(lines, opts=JsonlOptions(audit=True))]
    for i, o in enumerate(out):
        r = cleannews.report(TEXTS[i % len(TEXTS)])
        assert o["removed_chars"] == r.removed_chars
        assert o["removed_rules"] == dict(sorted(r.counts().items()))
    assert sum(o["removed_chars"] > 0 for o in out) >= 3


def test_clean_jsonl_bad_line_policy():
    lines = [b'{"text": "A sentence about the budget vote today."}\n', b"{broken\n", b'{"id": 1}\n']
    with pytest.raises(cleannews.stream.BadRecordError, match="<stream>:2: invalid JSON"):
        list(clean_jsonl(lines))
    assert len(list(clean_jsonl(lines, opts=JsonlOptions(bad_lines="skip")))) == 1
    assert list(clean_jsonl(lines, opts=JsonlOptions(bad_lines="keep")))[1:] == lines[1:]


# ---- worker processes ---------------------------------------------------------------------------------
def _double_or_die(x: int) -> int:
    if x == 7:
        os._exit(3)  # as the OOM killer would: no exception, no cleanup
    return 2 * x


def test_workers_keep_order_and_a_dead_worker_costs_only_its_item():
    w = Workers(2)
    try:
        out = list(w.map(_double_or_die, range(20), chunksize=3))
    finally:
        w.close()
    assert [o for i, o in enumerate(out) if i != 7] == [2 * i for i in range(20) if i != 7]
    assert isinstance(out[7], WorkerDied)
    assert w.restarts >= 2  # the pool broke, the chunk was re-run alone, item 7 broke it again


def test_workers_read_ahead_is_bounded():
    consumed = 0

    def items():  # an endless stream: Pool.imap would read it all before the first result
        nonlocal consumed
        while True:
            consumed += 1
            yield consumed

    w = Workers(2, window=4)
    try:
        results = w.map(abs, items(), chunksize=5)
        got = [next(results) for _ in range(50)]
    finally:
        w.close()
    assert got == list(range(1, 51))
    assert consumed <= 50 + 4 * 5 + 5  # what was returned, plus at most the window


def test_killing_a_worker_mid_run_loses_nothing(tmp_path: Path):
    """SIGKILL one worker of a -j 2 JSONL run: the batch it held is cleaned again, the output is complete."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl(20000))  # enough for a run of seconds, so a worker is killed mid-run
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleannews", str(src), "-o", str(out), "-j", "2", "--no-progress"],
                            stderr=subprocess.PIPE)  # fmt: skip
    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        if kids:
            time.sleep(0.3)  # let it get going
            try:
                os.kill(kids[0], signal.SIGKILL)
                victim = kids[0]
            except ProcessLookupError:  # gone meanwhile (a helper process, or the run ended): look again
                continue
        else:
            time.sleep(0.05)
    try:
        rc = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("cleannews hung after one of its workers was killed")
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert victim is not None, "no worker process seen"
    assert rc == 0, err
    assert "Traceback" not in err
    assert (out / "in.jsonl").read_bytes() == expected(src.read_bytes())


def test_workers_die_with_a_killed_main_process(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl(6000))
    proc = subprocess.Popen([sys.executable, "-m", "cleannews", str(src), "-o", str(tmp_path / "o"), "-j", "2",
                             "--no-progress"], stderr=subprocess.DEVNULL)  # fmt: skip
    kids: list[int] = []
    deadline = time.monotonic() + 30
    while len(kids) < 2 and time.monotonic() < deadline:
        kids = _children(proc.pid)
        time.sleep(0.05)
    assert kids, "no worker process seen"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_running(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [k for k in kids if _running(k)], "workers outlived the killed main process"
    assert not list((tmp_path / "o").glob("in.jsonl")) if (tmp_path / "o").exists() else True


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ---- the CLI: compression, audit fields, explain, summary ------------------------------------------------
def test_zstd_and_gzip_jsonl_in_and_out(tmp_path: Path):
    data = jsonl(40)
    (tmp_path / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(data))
    res = run("a.jsonl.zst", "b.jsonl.gz", "-o", "out", "-j", "2", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    want = expected(data)
    with zstandard.ZstdDecompressor().stream_reader((tmp_path / "out/a.jsonl.zst").read_bytes()) as r:
        assert r.read() == want
    assert gzip.decompress((tmp_path / "out/b.jsonl.gz").read_bytes()) == want
    # the summary: documents, bytes in and out, removals by rule
    assert f"{80:,} documents, {2 * len(data) / 1e6:,.1f} MB in, {2 * len(want) / 1e6:,.1f} MB out" in res.stderr


def test_zstd_text_file_in_and_in_place(tmp_path: Path):
    f = tmp_path / "story.txt.zst"
    f.write_bytes(zstandard.ZstdCompressor().compress(TEXTS[0].encode()))
    res = run("story.txt.zst", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout == cleannews.clean(TEXTS[0])
    assert run("--in-place", "story.txt.zst", cwd=tmp_path).returncode == 0
    with zstandard.ZstdDecompressor().stream_reader(f.read_bytes()) as r:  # a streamed frame: no size in its header
        assert r.read().decode() == cleannews.clean(TEXTS[0])


def test_broken_zstd_is_a_clean_error(tmp_path: Path):
    (tmp_path / "bad.jsonl.zst").write_bytes(b"\x28\xb5\x2f\xfd not really zstd" * 10)
    (tmp_path / "bad.txt.zst").write_bytes(b"\x28\xb5\x2f\xfd not really zstd" * 10)
    res = run("bad.jsonl.zst", "-o", "out", cwd=tmp_path)
    assert res.returncode == 2 and "bad.jsonl.zst:1: cannot read" in res.stderr
    res = run("bad.txt.zst", cwd=tmp_path)
    assert res.returncode == 2 and "bad.txt.zst: broken zstd data" in res.stderr


def test_audit_fields_and_explain_for_jsonl(tmp_path: Path):
    (tmp_path / "in.jsonl").write_bytes(jsonl(3))
    res = run("in.jsonl", "--audit-fields", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    recs = [json.loads(x) for x in res.stdout.splitlines()]
    for i, rec in enumerate(recs):
        r = cleannews.report(TEXTS[i])
        assert (rec["removed_chars"], rec["removed_rules"]) == (r.removed_chars, dict(sorted(r.counts().items())))
    res = run("in.jsonl", "--explain", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    first = cleannews.report(TEXTS[0]).removals[0]
    assert f"in.jsonl:1:{first.first}-{first.last}: {first.rule} {first.name}" in res.stdout
    assert '"id"' not in res.stdout  # --explain prints the removals, not the records


def test_stale_temp_files_of_dead_runs_are_removed(tmp_path: Path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    stale = tmp_path / f".a.txt.cleannews-{dead.pid}-x1y2.tmp"
    live = tmp_path / f".a.txt.cleannews-{os.getpid()}-z3.tmp"  # a run still going (this test process)
    other = tmp_path / ".notes.cleannews-draft.tmp"  # not ours (no pid): left alone
    for f in (stale, live, other):
        f.write_text("partial")
    res = run("--in-place", str(tmp_path), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale_temps(tmp_path) == 0  # the live one stays


def test_audit_page_for_jsonl_records_and_usage_errors(tmp_path: Path):
    (tmp_path / "in.jsonl").write_bytes(jsonl(3))
    res = run("in.jsonl", "--explain", "--format", "html", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("<!DOCTYPE html>")
    for i in (1, 2, 3):
        assert f'data-name="in.jsonl:{i}"' in res.stdout
    first = cleannews.report(TEXTS[0]).removals[0]
    assert f'data-rule="{first.rule}"' in res.stdout
    for bad in (["--format", "html"], ["--explain", "--format", "html", "--check"]):
        res = run("in.jsonl", *bad, cwd=tmp_path)
        assert res.returncode == 2 and "--format html" in res.stderr
