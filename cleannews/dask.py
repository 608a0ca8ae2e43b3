"""Clean JSONL shards on a Dask cluster: one task per shard, each output shard written atomically.

Dask schedules, cleannews cleans: a ``dask.bag`` holds one ``(input, output)`` pair per partition, and each
task streams its shard through the same reader and writer as ``cleannews shard.jsonl -o DIR``
(:mod:`cleannews.stream`), so an output shard is byte for byte what the single-process command writes. It
goes to a temp file beside its final name and is renamed when the whole shard succeeded: no half-written
shard ever has the final name. The :class:`~cleannews.pipeline.Cleaner` travels to the workers pickled (its
rules, not its compiled patterns): rule files are read once, where the run starts.

Library use (any Dask scheduler; the active ``distributed`` client if there is one)::

    from distributed import Client
    from cleannews.dask import clean_shards

    with Client("tcp://scheduler:8786") as client:
        summary = clean_shards("shards/*.jsonl.gz", "clean/", client=client)
    print(summary)

Command line: ``cleannews dask 'shards/*.jsonl.gz' -o clean/ [--scheduler tcp://host:8786]`` (:func:`main`).
Inputs and outputs are plain paths: on a multi-machine cluster every worker must see them at the same path.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleannews.config import ConfigError
from cleannews.io import AtomicFile, InputError, iter_files, open_binary, remove_stale_temps
from cleannews.pipeline import Cleaner
from cleannews.ruleset import RuleError
from cleannews.stream import JsonlOptions, process_chunk, read_chunks

EXTRA_MISSING = "cleannews dask needs the dask extra: pip install 'cleannews[dask]'"
MAX_MESSAGES = 20  # bad-line messages kept per shard (the rest are counted)
_MAGIC = re.compile(r"[*?[]")


# ---- results ----------------------------------------------------------------------------------------------
@dataclass
class ShardResult:
    """What happened to one shard: ``docs`` records cleaned (``changed`` of them changed), ``bad_lines``
    records that could not be cleaned, file sizes on disk, removed lines per rule id, and ``errors``
    (a failed shard has ``written`` False and nothing under its output name)."""

    path: str
    out_path: str
    docs: int = 0
    changed: int = 0
    bad_lines: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    removed_chars: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    n_errors: int = 0  # errors met (bad lines past the first MAX_MESSAGES are counted, not listed)
    written: bool = False

    def error(self, msg: str) -> None:
        self.n_errors += 1
        if self.n_errors <= MAX_MESSAGES:
            self.errors.append(msg)


@dataclass
class Summary:
    """A whole run: every shard's :class:`ShardResult` in input order, plus the inputs that named nothing."""

    shards: list[ShardResult] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def docs(self) -> int:
        return sum(s.docs for s in self.shards)

    @property
    def changed(self) -> int:
        return sum(s.changed for s in self.shards)

    @property
    def bytes_in(self) -> int:
        return sum(s.bytes_in for s in self.shards)

    @property
    def bytes_out(self) -> int:
        return sum(s.bytes_out for s in self.shards)

    @property
    def removed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for s in self.shards:
            total.update(s.removed)
        return total

    @property
    def failed(self) -> list[ShardResult]:
        return [s for s in self.shards if not s.written]

    @property
    def errors(self) -> list[str]:
        """Every error message (each shard lists its first few bad lines; ``n_errors`` counts them all)."""
        return [*self.input_errors, *(e for s in self.shards for e in s.errors)]

    def __str__(self) -> str:
        n_err = len(self.input_errors) + sum(s.n_errors for s in self.shards)
        head = (
            f"{len(self.shards)} shards, {self.docs:,} documents ({self.changed:,} changed), "
            f"{self.bytes_in / 1e6:,.1f} MB in, {self.bytes_out / 1e6:,.1f} MB out in {self.seconds:.1f} s; "
            f"shards: {len(self.shards) - len(self.failed)} written, {len(self.failed)} failed, {n_err} errors"
        )
        top = ", ".join(f"{k}×{v}" for k, v in self.removed.most_common(8))
        return head + (f"; removed lines by rule: {top}" if top else "")


# ---- planning: which shard goes where -----------------------------------------------------------------------
def plan_shards(
    inputs: str | Sequence[str], output_dir: str | os.PathLike[str], glob: str = "*.jsonl*"
) -> tuple[list[tuple[str, str]], list[str]]:
    """``(input, output)`` path pairs, in order, and one error per input that names no file.

    A directory is walked recursively for *glob* (hidden entries skipped) and mirrored under *output_dir*;
    a glob pattern (``shards/*.jsonl.gz``, ``data/**/*.jsonl``) is mirrored from the folder before its first
    wildcard; a file keeps its name. Two inputs written to one output, or an output that would replace its
    input, raise :class:`ValueError` before anything runs.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [os.fspath(inputs)]
    out = Path(output_dir)
    pairs: list[tuple[str, str]] = []
    errors: list[str] = []
    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            found = [(f, f.relative_to(p)) for f in iter_files([arg], glob)]
        elif p.exists() or p.is_symlink():
            found = [(p, Path(p.name))]
        elif _MAGIC.search(arg):
            import glob as globmod

            parts = p.parts
            first = next(i for i, part in enumerate(parts) if _MAGIC.search(part))
            base = Path(*parts[:first]) if first else Path()
            found = [(Path(m), Path(m).relative_to(base)) for m in sorted(globmod.glob(arg, recursive=True))]
            found = [(f, rel) for f, rel in found if f.is_file()]
        else:
            errors.append(f"{arg}: no such file or directory")
            continue
        if not found:
            errors.append(f"{arg}: no shard matches" + (f" {glob!r}" if p.is_dir() else ""))
        pairs.extend((str(f), str(out / rel)) for f, rel in found)
    seen: dict[str, str] = {}
    for src, dst in pairs:
        key = os.path.realpath(dst)
        if key in seen:
            raise ValueError(f"{seen[key]} and {src} would both be written to {dst}")
        if key == os.path.realpath(src):
            raise ValueError(f"{src}: the output would replace its input (choose another output directory)")
        seen[key] = src
    return pairs, errors


# ---- the task: one shard, run on a worker ---------------------------------------------------------------------
def clean_shard(
    path: str, out_path: str, cleaner: Cleaner, opts: JsonlOptions, names: tuple[str, str] | None = None
) -> ShardResult:
    """Clean one JSONL shard into *out_path* (compressed as its name says: ``.gz``, ``.zst``), through a temp
    file beside it that is renamed only when the whole shard succeeded. Never raises: errors are reported
    in the result (other shards go on). *names*: the two paths as the user gave them, for messages (the
    paths themselves are absolute when they come from another machine)."""
    name, out_name = names or (path, out_path)
    res = ShardResult(name, out_name)
    failure = _write_shard(path, out_path, cleaner, opts, res)
    if failure:
        res.error(f"{failure}; {out_name} not written")
    return res


def _write_shard(path: str, out_path: str, cleaner: Cleaner, opts: JsonlOptions, res: ShardResult) -> str:
    """Do the work of :func:`clean_shard`; the reason the shard failed, or "" (written)."""
    name = res.path
    try:
        res.bytes_in = os.path.getsize(path)
        fh = open_binary(Path(path))
    except FileNotFoundError:
        return f"{name}: no such file"
    except OSError as exc:
        return f"{name}: cannot read ({exc.strerror or exc})"
    try:
        with fh:
            Path(out_path).parent.mkdir(parents=True, exist_ok=True)
            with AtomicFile(out_path) as sink:  # temp file beside the target, renamed when complete
                failure = _stream(fh, name, sink, cleaner, opts, res)  # type: ignore[arg-type]
                if failure:
                    return failure
                sink.commit()
        res.written = True
        res.bytes_out = os.path.getsize(sink.path)
        return ""
    except InputError as exc:  # unreadable data mid-shard (broken gzip or zstd)
        return str(exc)
    except OSError as exc:  # disk full, permission denied, ...: the target is untouched
        return f"{res.out_path}: cannot write ({exc.strerror or exc})"
    except Exception as exc:  # a decompressor's own error type, say: this shard fails, the run goes on
        return f"{name}: {type(exc).__name__}: {exc}"


def _stream(fh: IO[bytes], name: str, sink: IO[bytes], cleaner: Cleaner, opts: JsonlOptions, res: ShardResult) -> str:
    """The loop of :func:`cleannews.stream.clean_jsonl`, counting as it goes; a bad line under
    ``bad_lines="fail"`` stops it and is returned (the shard fails), else ""."""
    for chunk in read_chunks(fh, name):
        out = process_chunk(cleaner, chunk, opts)
        for kind, msg in out.notes:
            if kind == "fatal":
                res.bad_lines += 1
                return msg
            if kind == "bad":
                res.bad_lines += 1
                res.error(msg + ("; skipped" if opts.bad_lines == "skip" else "; kept unchanged"))
        res.docs += out.docs
        res.changed += out.changed
        res.removed.update(out.counts)
        res.removed_chars += out.removed_chars
        for line in out.lines:
            sink.write(line)
    if res.n_errors > MAX_MESSAGES:
        res.errors.append(f"{name}: {res.n_errors - MAX_MESSAGES} more bad lines not listed")
    return ""


# ---- running the tasks -------------------------------------------------------------------------------------
def _run_task(task: tuple[str, str, int, str, str], cleaners: Sequence[Cleaner], opts: JsonlOptions) -> ShardResult:
    path, out_path, which, name, out_name = task
    return clean_shard(path, out_path, cleaners[which], opts, (name, out_name))


def run_shards(
    tasks: Sequence[tuple[str, str, int]],
    cleaners: Sequence[Cleaner],
    opts: JsonlOptions,
    client: Any = None,
    on_result: Callable[[ShardResult], None] | None = None,
) -> list[ShardResult]:
    """Run ``(input, output, cleaner index)`` tasks, one per partition of a ``dask.bag``; results in task order.

    The cleaners go to the workers once, as one shared graph key (a worker unpickles them once and reuses
    them for every shard it runs). With *client* (or an active ``distributed`` client) results arrive as
    shards finish (*on_result*); otherwise the bag runs on Dask's default scheduler.
    """
    import dask
    import dask.bag as db

    if not tasks:
        return []
    shared = dask.delayed(list(cleaners), traverse=False)
    # absolute paths, made here: a worker's working directory may be anywhere
    work = [(os.path.abspath(src), os.path.abspath(dst), which, src, dst) for src, dst, which in tasks]
    bag = db.from_sequence(work, npartitions=len(work)).map(_run_task, shared, opts)
    parts = bag.to_delayed()
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    results: list[ShardResult | None] = [None] * len(tasks)
    if client is None:
        for i, part in enumerate(dask.compute(*parts)):
            results[i] = part[0]
            if on_result is not None:
                on_result(part[0])
        return results  # type: ignore[return-value]
    from distributed import as_completed

    futures = client.compute(parts)
    index = {f.key: i for i, f in enumerate(futures)}
    try:
        for fut in as_completed(futures):
            i = index[fut.key]
            try:
                res = fut.result()[0]
            except Exception as exc:  # the task itself never raises: a worker died, the cluster went away
                path, out_path, _ = tasks[i]
                res = ShardResult(path, out_path)
                res.error(f"{path}: {type(exc).__name__}: {exc}; {out_path} not written")
            results[i] = res
            if on_result is not None:
                on_result(res)
    finally:
        client.cancel([f for f in futures if not f.done()])
    return results  # type: ignore[return-value]


def clean_shards(
    inputs: str | Sequence[str],
    output_dir: str | os.PathLike[str],
    cleaner: Cleaner | None = None,
    opts: JsonlOptions | None = None,
    client: Any = None,
    *,
    glob: str = "*.jsonl*",
) -> Summary:
    """Clean JSONL shards (files, directories, glob patterns) into *output_dir*, one Dask task per shard.

    Each output shard has its input's name (mirrored under *output_dir*; ``.gz``/``.zst`` in, the same out)
    and holds exactly what :func:`cleannews.stream.clean_jsonl` gives for it. *client*: a
    ``distributed.Client`` (default: the active one, else Dask's default scheduler). With *opts*
    ``html_field`` set and no *cleaner*, the HTML text stage is used, as ``clean_jsonl`` does.
    """
    opts = opts or JsonlOptions()
    if cleaner is None:
        if opts.html_field is not None:
            from cleannews.html import html_cleaner

            cleaner = html_cleaner()
        else:
            cleaner = Cleaner()
    started = time.monotonic()
    pairs, errors = plan_shards(inputs, output_dir, glob)
    shards = run_shards([(s, d, 0) for s, d in pairs], [cleaner], opts, client)
    return Summary(shards, errors, time.monotonic() - started)


# ---- command line ------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleannews dask",
        description="Clean JSONL shards on a Dask cluster (a local one by default): one task per shard, each "
        "output shard named as its input and written atomically.",
    )  # fmt: skip
    p.add_argument("paths", nargs="+", metavar="INPUT",
                   help="JSONL shards: files, directories (recursive, --glob) or quoted glob patterns")  # fmt: skip
    p.add_argument("-o", "--output-dir", required=True, metavar="DIR", help="write the output shards under DIR")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="scheduler of an existing cluster (tcp://host:8786); default: a local cluster")  # fmt: skip
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="local cluster: worker processes (default 0: one per core, at most one per shard)")  # fmt: skip
    p.add_argument("--glob", default="*.jsonl*", help="file pattern for directories (default: *.jsonl*)")
    p.add_argument("--field", default="text", help="JSONL field to clean (default: text)")
    p.add_argument("--html-field", default=None, metavar="NAME",
                   help="JSONL field holding a page's HTML: its clean article text goes to --output-field")  # fmt: skip
    p.add_argument("--output-field", default=None,
                   help="JSONL field to write (default: the --field; text with --html-field)")  # fmt: skip
    p.add_argument("--audit-fields", action="store_true",
                   help="add removed_chars and removed_rules (removed lines per rule id) to each record")  # fmt: skip
    p.add_argument("--bad-lines", choices=("fail", "skip", "keep"), default="fail",
                   help="a malformed line: fail its shard (default), skip it, or keep it unchanged")  # fmt: skip
    p.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule file or directory")
    p.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rules")
    p.add_argument("--select", action="append", default=[], metavar="ID", help="only these rules (id/name/prefix/glob)")
    p.add_argument("--disable", action="append", default=[], metavar="ID", help="switch rules or heuristics off")
    p.add_argument("--no-heuristics", action="store_true", help="rules only")
    conf = p.add_mutually_exclusive_group()
    conf.add_argument("--config", metavar="PATH", help="use this settings file for every input")
    conf.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it is off when stderr is no TTY)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    return p


def _cleaners_for(
    pairs: Iterable[tuple[str, str]], args: argparse.Namespace
) -> tuple[list[tuple[str, str, int]], list[Cleaner]]:
    """Each shard's settings, found as the main command finds them (closest configuration file, or
    ``--config``, none with ``--isolated``; the command line on top), one Cleaner per distinct setting."""
    from cleannews.cli import html_cleaner_for, with_cli_options
    from cleannews.discovery import Discovery

    discovery = Discovery(Path(args.config) if args.config else None, isolated=args.isolated)
    index: dict[object, int] = {}
    cleaners: list[Cleaner] = []
    tasks: list[tuple[str, str, int]] = []
    for src, dst in pairs:
        found = discovery.find(src)
        cfg = with_cli_options(found.config, args)
        if cfg not in index:
            try:
                cleaner = Cleaner(cfg)
            except (RuleError, ConfigError) as exc:
                if found.path is None:
                    raise
                raise type(exc)(f"{exc} (settings from {found.path})") from None
            index[cfg] = len(cleaners)
            cleaners.append(html_cleaner_for(cleaner) if args.html_field is not None else cleaner)
        tasks.append((src, dst, index[cfg]))
    return tasks, cleaners


def main(argv: Sequence[str] | None = None) -> int:
    """``cleannews dask INPUT... -o DIR [--scheduler ADDRESS]``: 0 done, 2 an error (bad shard, line or
    option; the other shards are still written), 130 interrupted."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        import dask.bag  # noqa: F401
        import distributed
    except ImportError:
        print(f"cleannews: error: {EXTRA_MISSING}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        opts = JsonlOptions(args.field, args.html_field, args.output_field, args.audit_fields, args.bad_lines)
        pairs, input_errors = plan_shards(args.paths, args.output_dir, args.glob)
        tasks, cleaners = _cleaners_for(pairs, args)
    except (ValueError, RuleError, ConfigError) as exc:  # before any shard is read
        print(f"cleannews: error: {exc}", file=sys.stderr)
        return 2
    for msg in input_errors:
        print(f"cleannews: error: {msg}", file=sys.stderr)
    summary = Summary(input_errors=input_errors)
    if tasks:
        cluster = client = None
        bar = None
        try:
            if args.scheduler:
                client = distributed.Client(args.scheduler)
            else:
                workers = args.workers or os.cpu_count() or 1
                cluster = distributed.LocalCluster(n_workers=min(workers, len(tasks)), threads_per_worker=1,
                                                   processes=True, dashboard_address=None,
                                                   silence_logs=logging.ERROR)  # fmt: skip
                client = distributed.Client(cluster)
                for folder in {Path(dst).parent for _, dst, _ in tasks}:  # local workers: pids are on this host
                    remove_stale_temps(folder)
            from tqdm import tqdm

            bar = tqdm(total=len(tasks), unit="shard", delay=1.0, file=sys.stderr,
                       disable=args.no_progress or not sys.stderr.isatty())  # fmt: skip

            def report(res: ShardResult) -> None:
                bar.update(1)
                for msg in res.errors:
                    bar.write(f"cleannews: error: {msg}", file=sys.stderr)

            summary.shards = run_shards(tasks, cleaners, opts, client, report)
        except KeyboardInterrupt:
            print("cleannews: interrupted", file=sys.stderr)
            logging.getLogger("distributed").setLevel(logging.CRITICAL)  # no warnings about the tasks it stops
            return 130
        except (OSError, RuntimeError) as exc:  # no scheduler at that address, workers that cannot start, ...
            where = args.scheduler or "local cluster"
            print(f"cleannews: error: {where}: {exc}", file=sys.stderr)
            return 2
        finally:
            if bar is not None:
                bar.close()
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
    summary.seconds = time.monotonic() - started
    if opts.bad_lines == "fail" and any(s.bad_lines for s in summary.shards):
        print("cleannews: use --bad-lines skip|keep to go on past bad lines", file=sys.stderr)
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 2 if summary.errors else 0


if __name__ == "__main__":  # python -m cleannews.dask: run the module's own main, not a copy under __main__
    from cleannews.dask import main as _main

    raise SystemExit(_main())
