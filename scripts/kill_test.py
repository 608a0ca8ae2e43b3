#!/usr/bin/env python3
"""Kill test: SIGKILL cleannews at random points while it rewrites a corpus; no file may be lost or torn.

Scenarios (round-robin, ``--rounds`` each for text and for JSONL):

* ``text -i -jN``: ``cleannews --in-place DIR -j N`` over ``--files`` dirty ``.txt`` files (seeds plus junk,
  white-space noise, CRLF/CR, BOMs, some clean already, sizes 1-150 KB, modes 0644/0640/0600/0664/0444)
  in nested directories;
* ``jsonl -o -jN``: ``cleannews --jsonl DIR -o OUT -j N`` over three JSONL files (one ``.jsonl.gz``);
* ``jsonl -i -jN``: ``cleannews --jsonl --in-place DIR -j N`` over the same files.

Each round restores the corpus, starts the run in its own session, kills it with SIGKILL (after a random
delay, or the moment a ``.cleannews-*.tmp`` temp file appears, to land inside a write) and then checks:

* every text/in-place file is byte for byte its complete original or its complete cleaned version (the
  expected output precomputed with :func:`cleannews.clean`), never missing, truncated or anything else;
  a rewritten file keeps its mode;
* every ``-o`` output is absent or complete (a ``.gz`` one must also decompress to the end);
* no stray file other than cleannews temp files appeared.

Then it runs cleannews again to completion (exit 0, no traceback), checks every file is now its cleaned
version, and counts the ``.cleannews-*.tmp`` temp files left over from the killed run: a run that does not
remove stale temps of earlier killed runs is reported (a failure with ``--strict-temps``, else a warning).

The kill goes to the whole process group (as an OOM-killer cgroup kill or ``kill -9 -PGID`` would) or, for
``-j 2`` runs with ``--kill-target mixed`` (the default), half the time to the main process only; then the
pool workers it leaves behind are watched until they are gone, and files they rewrote after the kill are
counted. ``--probes`` (default on) also tries a SIGKILL of one pool worker and a Ctrl-C (SIGINT to the process
group) during a ``-j 2`` run, with a time limit, and reports whether the run ended.

    python scripts/kill_test.py                        # 100 rounds of each, 300 files, about 5 minutes
    python scripts/kill_test.py --rounds 20 --seed 7   # quicker
    python scripts/kill_test.py --max-seconds 300      # stop starting new rounds after 5 minutes

Exit status: 0 no failure, 1 failures (listed), 2 bad usage. ``tests/test_kill_smoke.py`` runs a short version
through :func:`run_text_rounds` and :func:`run_jsonl_rounds`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dirtygen

import cleannews

TEMP_MARK = ".cleannews-"
MODES = (0o644, 0o644, 0o644, 0o640, 0o600, 0o664, 0o444)
RUN_TIMEOUT = 120.0  # a run to completion that takes longer than this is a hang
ORPHAN_TIMEOUT = 30.0  # pool workers still alive this long after the main process was killed: a leak


def is_temp(name: str) -> bool:
    """A cleannews temp file: ``.<target name>.cleannews-XXXXXXXX.tmp``."""
    return name.startswith(".") and TEMP_MARK in name and name.endswith(".tmp")


# ---- corpora ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileSpec:
    """What a file may hold: its *original* content (None: absent before the run, as ``-o`` outputs are)
    or its *expected* cleaned content. For ``.gz`` files both are the decompressed content."""

    original: bytes | None
    expected: bytes
    mode: int = 0o644
    gz: bool = False


def make_text_corpus(dest: Path, n_files: int, rng: random.Random) -> dict[str, FileSpec]:
    """Write *n_files* dirty ``.txt`` files under *dest* (in four directories); return their specs.

    The expected version is what the CLI must write: :func:`cleannews.clean` of the decoded text, or the
    file untouched when cleaning changes nothing (the CLI does not rewrite such a file).
    """
    seeds = dirtygen.seed_texts()
    subdirs = ["", "a", "a/b", "c"]
    specs: dict[str, FileSpec] = {}
    for i in range(n_files):
        r = rng.random()
        repeat = 1 if r < 0.6 else rng.randint(2, 12) if r < 0.95 else rng.randint(30, 60)
        text = dirtygen.dirty_document(rng, seeds, repeat)
        if rng.random() < 0.08:  # already clean: must stay untouched
            text = cleannews.clean(text)
        elif rng.random() < 0.02:
            text = ""
        data = text.encode("utf-8")
        rel = str(Path(rng.choice(subdirs)) / f"doc_{i:04d}.txt")
        decoded = data.decode("utf-8-sig")
        cleaned = cleannews.clean(decoded)
        expected = cleaned.encode("utf-8") if cleaned != decoded else data
        specs[rel] = FileSpec(data, expected, rng.choice(MODES))
    write_specs(dest, specs)
    return specs


def write_specs(dest: Path, specs: dict[str, FileSpec]) -> None:
    """(Re)create *dest* holding every file in its original state, with its mode."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for rel, spec in specs.items():
        if spec.original is None:
            continue
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(gzip.compress(spec.original, mtime=0) if spec.gz else spec.original)
        os.chmod(p, spec.mode)


def make_jsonl_corpus(dest: Path, n_records: int, rng: random.Random) -> dict[str, FileSpec]:
    """Three JSONL files (``a.jsonl``, ``sub/b.jsonl``, ``c.jsonl.gz``) of about *n_records* records each."""
    seeds = dirtygen.seed_texts()
    specs: dict[str, FileSpec] = {}
    for rel in ("a.jsonl", "sub/b.jsonl", "c.jsonl.gz"):
        src, out = [], []
        for i in range(n_records + rng.randint(0, n_records // 4)):
            text = dirtygen.dirty_document(rng, seeds, 1 if rng.random() < 0.8 else rng.randint(2, 6))
            rec = {"id": f"{rel}:{i}", "url": f"https://example.org/{i}", "text": text, "meta": {"n": i}}
            src.append(json.dumps(rec, ensure_ascii=False) + "\n")
            rec["text"] = cleannews.clean(text)
            out.append(json.dumps(rec, ensure_ascii=False) + "\n")
        specs[rel] = FileSpec("".join(src).encode(), "".join(out).encode(), rng.choice(MODES[:4]), rel.endswith(".gz"))
    write_specs(dest, specs)
    return specs


# ---- looking at a directory ---------------------------------------------------------------------------------
@dataclass
class Snapshot:
    states: dict[str, str]  # rel -> original | cleaned | absent | missing | corrupt | mode
    temps: list[str]
    strays: list[str]
    problems: list[str]


def snapshot(root: Path, specs: dict[str, FileSpec]) -> Snapshot:
    """Classify every file under *root* against *specs*."""
    states: dict[str, str] = {}
    problems: list[str] = []
    for rel, spec in specs.items():
        p = root / rel
        try:
            data = p.read_bytes()
            mode = os.stat(p).st_mode & 0o7777
        except FileNotFoundError:
            states[rel] = "absent" if spec.original is None else "missing"
            if spec.original is not None:
                problems.append(f"{rel}: MISSING")
            continue
        if spec.gz:
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                states[rel] = "corrupt"
                problems.append(f"{rel}: broken gzip ({exc}), {p.stat().st_size} bytes")
                continue
        if data == spec.expected:
            states[rel] = "cleaned"
            if spec.original is not None and mode != spec.mode:
                states[rel] = "mode"
                problems.append(f"{rel}: mode {mode:o}, was {spec.mode:o}")
        elif data == spec.original:
            states[rel] = "original"
        else:
            states[rel] = "corrupt"
            ref = spec.expected if spec.original is None else spec.original
            problems.append(
                f"{rel}: neither original nor cleaned: {len(data)} bytes (original "
                f"{'-' if spec.original is None else len(spec.original)}, cleaned {len(spec.expected)}); "
                f"a prefix of the {'cleaned' if spec.expected.startswith(data) else 'original'} version: "
                f"{spec.expected.startswith(data) or ref.startswith(data)}"
            )
    temps, strays = [], []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if is_temp(name):
                temps.append(rel)
            elif rel not in specs:
                strays.append(rel)
                problems.append(f"{rel}: unexpected file")
    return Snapshot(states, sorted(temps), strays, problems)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group *pgid* (Linux /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(d))
    return out


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


# ---- scenarios and rounds -----------------------------------------------------------------------------------
@dataclass
class Scenario:
    name: str
    cmd: list[str]
    restore: Callable[[], None]  # put the "before" state back
    root: Path  # where the checked files are
    specs: dict[str, FileSpec]
    jobs: int
    full_time: float = 0.0  # a complete run, measured by calibrate()
    startup: float = 0.0  # a run over an empty directory: start-up, before any file is touched


@dataclass
class Stats:
    rounds: int = 0
    kills: int = 0
    finished_before_kill: int = 0
    kill_points: Counter[str] = field(default_factory=Counter)
    kill_delays: list[float] = field(default_factory=list)
    mid_write: int = 0  # kills with a temp file on disk right after: inside an atomic write
    files_checked: int = 0
    failures: list[str] = field(default_factory=list)
    stale_temps: int = 0  # temp files left by killed runs
    rounds_with_stale_temps: int = 0
    stale_after_rerun: int = 0  # ... still there after the next complete run
    temps_added_by_rerun: int = 0
    parent_kills: int = 0
    orphan_rounds: int = 0  # parent-only kills after which pool workers were still alive
    orphan_max_seconds: float = 0.0
    written_after_kill: int = 0  # files rewritten by orphaned workers after the main process was killed
    orphan_tracebacks: int = 0
    full_runs: dict[str, float] = field(default_factory=dict)  # scenario -> seconds of a complete run
    time_boxed: bool = False
    seconds: float = 0.0

    def merge(self, other: Stats) -> None:
        for k, v in vars(other).items():
            mine = getattr(self, k)
            if isinstance(v, bool):
                setattr(self, k, mine or v)
            elif isinstance(v, dict):
                mine.update(v)
            elif k == "orphan_max_seconds":
                setattr(self, k, max(mine, v))
            elif isinstance(v, (int, float, list, Counter)):
                setattr(self, k, mine + v)


def _start(cmd: list[str], err_path: Path) -> subprocess.Popen[bytes]:
    with open(err_path, "wb") as err:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)  # fmt: skip


def run_to_completion(sc: Scenario, err_path: Path) -> tuple[int | None, float, str]:
    """Run *sc* until it ends (killed after RUN_TIMEOUT: returns None); exit code, seconds, stderr."""
    t0 = time.perf_counter()
    proc = _start(sc.cmd, err_path)
    try:
        rc: int | None = proc.wait(RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        rc = None
    return rc, time.perf_counter() - t0, err_path.read_text("utf-8", "replace")


def measure_startup(work: Path) -> float:
    """Seconds of a run over an empty directory: interpreter, imports, rules; no file touched before that."""
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run(_cli("--in-place", empty), stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return time.perf_counter() - t0


def calibrate(sc: Scenario, work: Path, stats: Stats) -> None:
    """One complete run from the original state: its time, and the CLI agrees with ``cleannews.clean``."""
    sc.restore()
    rc, secs, err = run_to_completion(sc, work / "calibrate.err")
    sc.full_time = secs
    stats.full_runs[sc.name] = secs
    snap = snapshot(sc.root, sc.specs)
    bad = [rel for rel, s in snap.states.items() if s != "cleaned"]
    if rc != 0 or "Traceback" in err or bad or snap.temps:
        stats.failures.append(
            f"[{sc.name}] calibration run: exit {rc}, {len(bad)} files not as cleannews.clean says "
            f"({', '.join(bad[:3])}), {len(snap.temps)} temps; stderr: {err.strip()[-500:]}"
        )


def _kill_bucket(snap: Snapshot, specs: dict[str, FileSpec]) -> str:
    changed = [rel for rel, s in specs.items() if s.original != s.expected]
    done = sum(snap.states[rel] == "cleaned" for rel in changed)
    if done == 0:
        return "0% written"
    if done == len(changed):
        return "100% written"
    q = 4 * done // len(changed)  # quartile 0..3
    return f"{max(1, 25 * q)}-{25 * q + 24}% written"


def _wait_for_temp(sc: Scenario, proc: subprocess.Popen[bytes], limit: float) -> None:
    """Spin until a cleannews temp file exists under sc.root (or the run ends, or *limit* seconds)."""
    dirs = sorted({str((sc.root / rel).parent) for rel in sc.specs})
    end = time.perf_counter() + limit
    while time.perf_counter() < end and proc.poll() is None:
        for d in dirs:
            try:
                with os.scandir(d) as it:
                    if any(TEMP_MARK in e.name for e in it):
                        return
            except FileNotFoundError:
                continue


def kill_round(sc: Scenario, work: Path, rng: random.Random, stats: Stats, kill_target: str) -> None:
    """Restore, start, SIGKILL, check; run again to completion, check again."""
    sc.restore()
    target = kill_target
    if target == "mixed":
        target = "parent" if sc.jobs > 1 and rng.random() < 0.5 else "group"
    err_path = work / "kill.err"
    on_temp = sc.full_time == 0 or rng.random() < 0.3  # no calibration yet: no time scale for a random delay
    t0 = time.perf_counter()
    proc = _start(sc.cmd, err_path)
    if on_temp:
        _wait_for_temp(sc, proc, sc.full_time * 3 + 5)
    else:
        delay = rng.uniform(min(0.8 * sc.startup, sc.full_time * 0.5), sc.full_time * 1.05)
        end = t0 + delay
        while proc.poll() is None and time.perf_counter() < end:
            time.sleep(min(0.005, max(0.0, end - time.perf_counter())))
    killed_at = time.perf_counter() - t0
    if proc.poll() is None:
        if target == "parent":
            os.kill(proc.pid, signal.SIGKILL)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        stats.kills += 1
        stats.kill_delays.append(killed_at)
    else:
        stats.finished_before_kill += 1
    stats.rounds += 1
    tag = f"[{sc.name} round {stats.rounds}, killed {target} at {killed_at * 1000:.0f} ms]"
    first = snapshot(sc.root, sc.specs)
    if target == "parent":
        stats.parent_kills += 1
        t_dead = time.perf_counter()
        while group_members(proc.pid) and time.perf_counter() - t_dead < ORPHAN_TIMEOUT:
            time.sleep(0.01)
        lived = time.perf_counter() - t_dead
        left = group_members(proc.pid)
        if lived > 0.02:
            stats.orphan_rounds += 1
            stats.orphan_max_seconds = max(stats.orphan_max_seconds, lived)
        if left:
            stats.failures.append(f"{tag} pool workers {left} still alive {ORPHAN_TIMEOUT:.0f} s after the kill")
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.05)
        stats.orphan_tracebacks += err_path.read_text("utf-8", "replace").count("Traceback")
    else:
        deadline = time.perf_counter() + 5
        while group_members(proc.pid) and time.perf_counter() < deadline:
            time.sleep(0.01)
    snap = snapshot(sc.root, sc.specs)
    stats.written_after_kill += sum(first.states[r] != snap.states[r] for r in sc.specs)
    stats.kill_points[_kill_bucket(snap, sc.specs)] += 1
    stats.files_checked += len(sc.specs)
    stats.failures.extend(f"{tag} after kill: {p}" for p in snap.problems)
    if first.temps:
        stats.mid_write += 1
    if snap.temps:
        stats.stale_temps += len(snap.temps)
        stats.rounds_with_stale_temps += 1

    rc, secs, err = run_to_completion(sc, work / "rerun.err")
    if sc.name not in stats.full_runs:  # not calibrated: a rerun after an early kill does nearly all the work
        sc.full_time = max(sc.full_time, secs)
    after = snapshot(sc.root, sc.specs)
    stats.files_checked += len(sc.specs)
    if rc != 0 or "Traceback" in err:
        stats.failures.append(f"{tag} rerun: exit {rc}; stderr: {err.strip()[-500:]}")
    stats.failures.extend(f"{tag} after rerun: {p}" for p in after.problems)
    not_clean = [r for r, s in after.states.items() if s not in ("cleaned", "mode")]
    if not_clean:
        stats.failures.append(f"{tag} after rerun: {len(not_clean)} files not cleaned ({', '.join(not_clean[:3])})")
    stats.stale_after_rerun += len(after.temps)
    new = set(after.temps) - set(snap.temps)
    if new:
        stats.temps_added_by_rerun += len(new)
        stats.failures.append(f"{tag} the complete rerun left its own temp files: {sorted(new)[:3]}")


def _cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "cleannews", *map(str, args), "-q", "--no-progress"]


def _rounds(scenarios: list[Scenario], work: Path, rounds: int, rng: random.Random, kill_target: str,
            deadline: float | None, calibrated: bool) -> Stats:  # fmt: skip
    stats = Stats()
    t0 = time.perf_counter()
    startup = measure_startup(work)
    for sc in scenarios:
        sc.startup = startup
        if calibrated:
            calibrate(sc, work, stats)
    for i in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            stats.time_boxed = True
            break
        kill_round(scenarios[i % len(scenarios)], work, rng, stats, kill_target)
    stats.seconds = time.perf_counter() - t0
    return stats


def run_text_rounds(work: Path, n_files: int = 300, rounds: int = 100, seed: int = 0, jobs: tuple[int, ...] = (1, 2),
                    kill_target: str = "mixed", deadline: float | None = None,
                    calibrated: bool = True) -> Stats:  # fmt: skip
    """``cleannews --in-place`` over *n_files* dirty text files, killed *rounds* times (``-j`` cycling *jobs*).

    *calibrated*: first time one complete run of each scenario (kill delays are drawn over its length); else
    the first round of each scenario kills when the first temp file appears and the rerun gives the time scale.
    """
    rng = random.Random(seed)
    pristine = work / "pristine"
    specs = make_text_corpus(pristine, n_files, rng)
    root = work / "corpus"

    def restore() -> None:
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(pristine, root)

    scenarios = [Scenario(f"text -i -j{j}", _cli("--in-place", root, "-j", j), restore, root, specs, j) for j in jobs]
    return _rounds(scenarios, work, rounds, rng, kill_target, deadline, calibrated)


def run_jsonl_rounds(work: Path, n_records: int = 400, rounds: int = 100, seed: int = 0, jobs: tuple[int, ...] = (1, 2),
                     kill_target: str = "mixed", deadline: float | None = None,
                     calibrated: bool = True) -> Stats:  # fmt: skip
    """JSONL runs (``-o OUT`` and ``--in-place``) over three files of about *n_records* records, killed."""
    rng = random.Random(seed + 1)
    pristine = work / "jsonl-pristine"
    specs = make_jsonl_corpus(pristine, n_records, rng)
    src, out = work / "jsonl", work / "jsonl-out"
    out_specs = {rel: FileSpec(None, s.expected, s.mode, s.gz) for rel, s in specs.items()}

    def restore_src() -> None:
        if src.exists():
            shutil.rmtree(src)
        shutil.copytree(pristine, src)

    def restore_out() -> None:
        restore_src()
        if out.exists():
            shutil.rmtree(out)

    scenarios = []
    for j in jobs:
        scenarios.append(Scenario(f"jsonl -o -j{j}", _cli("--jsonl", src, "-o", out, "-j", j), restore_out, out,
                                  out_specs, j))  # fmt: skip
        scenarios.append(Scenario(f"jsonl -i -j{j}", _cli("--jsonl", "--in-place", src, "-j", j), restore_src, src,
                                  specs, j))  # fmt: skip
    return _rounds(scenarios, work, rounds, rng, kill_target, deadline, calibrated)


# ---- probes: other ways a run can be stopped --------------------------------------------------------------------
@dataclass
class Probe:
    name: str
    ended: bool
    seconds: float
    exit_code: int | None
    tracebacks: int
    problems: list[str]

    def line(self) -> str:
        how = f"exit {self.exit_code} after {self.seconds:.1f} s" if self.ended else f"HUNG (> {self.seconds:.0f} s)"
        return (f"{self.name}: {how}; {self.tracebacks} tracebacks on stderr; "
                f"{len(self.problems)} damaged files")  # fmt: skip


def run_probes(work: Path, seed: int = 0, limit: float = 20.0) -> list[Probe]:
    """-j 2 runs over big files stopped by (1) SIGKILL of one pool worker, (2) SIGINT to the process group, as
    Ctrl-C in a terminal does, and, as a control, (3) Ctrl-C of a -j 1 run. Each must end within *limit*."""
    rng = random.Random(seed + 2)
    pristine = work / "probe-pristine"
    specs = make_text_corpus(pristine, 0, rng)
    seeds = dirtygen.seed_texts()
    for i in range(120):  # ~40 KB each: a run of several seconds
        text = dirtygen.dirty_document(rng, seeds, 15)
        cleaned = cleannews.clean(text.removeprefix("\ufeff"))
        specs[f"big_{i:03d}.txt"] = FileSpec(text.encode(), cleaned.encode(), 0o644)
    write_specs(pristine, specs)
    root = work / "probe"
    out: list[Probe] = []
    for name, jobs, how in (("SIGKILL one pool worker (-j 2)", 2, "worker"),
                            ("Ctrl-C: SIGINT to the process group (-j 2)", 2, "sigint"),
                            ("Ctrl-C: SIGINT to the process group (-j 1)", 1, "sigint")):  # fmt: skip
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(pristine, root)
        err_path = work / "probe.err"
        proc = _start(_cli("--in-place", root, "-j", jobs), err_path)
        time.sleep(1.2)
        if how == "worker":
            kids = children(proc.pid)
            if kids:
                os.kill(kids[0], signal.SIGKILL)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        t0 = time.perf_counter()
        try:
            rc: int | None = proc.wait(limit)
            ended = True
        except subprocess.TimeoutExpired:
            rc, ended = None, False
        secs = time.perf_counter() - t0
        if group_members(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        snap = snapshot(root, specs)
        err = err_path.read_text("utf-8", "replace")
        out.append(Probe(name, ended, secs, rc, err.count("Traceback"), snap.problems))
    return out


# ---- main ---------------------------------------------------------------------------------------------------------
def _pct(item: tuple[str, int]) -> int:
    return int(item[0].split("%")[0].split("-")[0])


def summary(title: str, st: Stats, strict_temps: bool) -> list[str]:
    delays = sorted(st.kill_delays)
    lines = [
        f"{title}: {st.rounds} rounds in {st.seconds:.0f} s{' (time box reached)' if st.time_boxed else ''}; "
        f"{st.kills} kills, {st.finished_before_kill} runs finished before the kill",
        "  a complete run takes "
        + (", ".join(f"{k}: {v:.2f} s" for k, v in st.full_runs.items()) or "(not calibrated)")
        + "; kills at a random time from 0.8 x start-up to the end, 30% the moment a temp file appears",
        f"  kill points: {', '.join(f'{k}: {v}' for k, v in sorted(st.kill_points.items(), key=_pct))}; "
        f"{st.mid_write} kills inside an atomic write (temp file on disk)",
    ]
    if delays:
        lines.append(f"  kill delays: min {delays[0] * 1000:.0f} ms, median {statistics.median(delays) * 1000:.0f} ms, "
                     f"max {delays[-1] * 1000:.0f} ms")  # fmt: skip
    lines += [
        f"  files checked: {st.files_checked}; failures: {len(st.failures)}",
        f"  stale temp files after kills: {st.stale_temps} in {st.rounds_with_stale_temps} rounds; "
        f"still there after the next complete run: {st.stale_after_rerun}; added by a complete run: "
        f"{st.temps_added_by_rerun}",
    ]
    if st.parent_kills:
        lines.append(
            f"  main process only killed ({st.parent_kills} rounds): pool workers outlived it in {st.orphan_rounds} "
            f"(up to {st.orphan_max_seconds:.1f} s), rewrote {st.written_after_kill} files after the kill, "
            f"printed {st.orphan_tracebacks} tracebacks"
        )
    if st.stale_after_rerun:
        lines.append(
            f"  {'FAILURE' if strict_temps else 'WARNING'}: a complete run leaves the .cleannews-*.tmp files of "
            "earlier killed runs in place (hidden files, skipped by the directory walk, never removed)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rounds", type=int, default=100, help="kill rounds for text, and again for JSONL (default 100)")
    p.add_argument("--jsonl-rounds", type=int, default=None, help="kill rounds for JSONL (default: --rounds)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--files", type=int, default=300, help="text files in the corpus (default 300)")
    p.add_argument("--records", type=int, default=400, help="records per JSONL file (default about 400)")
    p.add_argument("--kill-target", choices=("group", "parent", "mixed"), default="mixed")
    p.add_argument("--no-probes", action="store_true", help="skip the worker-kill and Ctrl-C probes")
    p.add_argument("--strict-temps", action=argparse.BooleanOptionalAction, default=True,
                   help="stale temp files after a complete run fail (default: yes)")
    p.add_argument("--max-seconds", type=float, default=900, help="start no new round after this (default 900)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--verbose", action="store_true", help="list every failure (default: the first 20)")
    a = p.parse_args(argv)
    jsonl_rounds = a.rounds if a.jsonl_rounds is None else a.jsonl_rounds
    t0 = time.perf_counter()
    deadline = t0 + a.max_seconds
    work = Path(tempfile.mkdtemp(prefix="cleannews-kill-"))
    print(f"work directory {work}; seed {a.seed}", flush=True)
    try:
        text = run_text_rounds(work, a.files, a.rounds, a.seed, kill_target=a.kill_target, deadline=deadline)
        report = summary(f"text --in-place ({a.files} files, -j 1/-j 2)", text, a.strict_temps)
        print("\n".join(report), flush=True)
        js = run_jsonl_rounds(work, a.records, jsonl_rounds, a.seed, kill_target=a.kill_target, deadline=deadline)
        report = summary("JSONL -o / --in-place (3 files, -j 1/-j 2)", js, a.strict_temps)
        print("\n".join(report), flush=True)
        probes = [] if a.no_probes else run_probes(work, a.seed)
        for pr in probes:
            print(("  ok    " if pr.ended and not pr.problems else "  FINDING ") + pr.line())
        total = Stats()
        total.merge(text)
        total.merge(js)
        failures = list(total.failures)
        if a.strict_temps and total.stale_after_rerun:
            failures.append(f"{total.stale_after_rerun} stale temp files survived complete runs")
        shown = failures if a.verbose else failures[:20]
        for f in shown:
            print("FAIL", f)
        if len(shown) < len(failures):
            print(f"... and {len(failures) - len(shown)} more (--verbose)")
        print(f"TOTAL: {total.rounds} rounds, {total.kills} kills, {total.files_checked} files checked, "
              f"{len(failures)} failures, {total.stale_temps} stale temps found "
              f"({total.stale_after_rerun} left after the next run), {time.perf_counter() - t0:.0f} s")  # fmt: skip
        return 1 if failures else 0
    finally:
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
