"""The ``cleannews`` command line: argparse in, :class:`~cleannews.pipeline.Cleaner` + :mod:`cleannews.io` out.

Exit codes: 0 done (with ``--check``/``--diff``: nothing to change); 1 ``--check``/``--diff`` found
something to change; 2 an error (bad input file or line, bad rule file or option). With several inputs,
a bad one is reported on stderr and the others are still processed.

HTML input (``--input-format``, ``--html-field``) goes through :func:`cleannews.html.clean_html` with a text
stage built from the same options as for text, less heuristic ``H10`` (see :func:`cleannews.html.html_cleaner`).
Its output is extracted text, not a cleaned copy of the input, so ``--in-place``, ``--check`` and ``--diff``
refuse HTML; ``-o DIR`` writes ``<name>.txt`` beside each mirrored page.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cleannews import __version__
from cleannews.config import Config, ConfigError
from cleannews.discovery import Discovery, Found, route_disable
from cleannews.io import (
    AtomicFile,
    InputError,
    atomic_write,
    decode,
    html_by_name,
    html_output_path,
    is_jsonl,
    iter_blocks,
    iter_files,
    open_binary,
    read_bytes,
    remove_stale_temps,
    sniff_html,
    wide_bom,
)
from cleannews.pipeline import Cleaner
from cleannews.report import Result, explain_text, rule_list
from cleannews.ruleset import RuleError
from cleannews.stream import Chunk, ChunkOut, JsonlOptions, Want, process_chunk, read_chunks
from cleannews.workers import WorkerDied, Workers

if TYPE_CHECKING:
    from cleannews.audit import AuditPage

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
BIG_MB = 32  # a text input larger than this is cleaned in blocks of a quarter of it (--max-doc-mb)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleannews",
        description="Remove scraped junk (link lists, promos, AI notes, credits, page chrome) from news text.",
        epilog="HTML input: with --input-format auto (the default) a file is HTML by its name (.html, .htm, "
        ".xhtml, optionally .gz) or, when its name says neither HTML nor text (.txt, .text), by its first "
        "bytes (<!doctype html, <html, or an early <head/<body tag); stdin is sniffed too. The output is "
        "the article's clean text: -o DIR writes NAME.txt (page.html -> page.html.txt); --in-place, "
        "--check and --diff refuse HTML. --explain numbers lines of the extracted text; elements removed "
        "by HTML rules are shown as NAME:html. "
        "Exit codes: 0 ok / nothing to change, 1 --check or --diff found changes, 2 error.",
    )
    p.add_argument("paths", nargs="*", help="files, directories (recursive) or - for stdin (default: stdin)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("-i", "--in-place", action="store_true", help="rewrite files atomically")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 and list files that would change")
    mode.add_argument("--diff", action="store_true", help="write nothing; print a unified diff; exit 1 on changes")
    mode.add_argument("-o", "--output-dir", metavar="DIR", help="write cleaned copies under DIR")
    p.add_argument("--explain", action="store_true", help="print each removed span with its rule id and reason")
    p.add_argument("--format", choices=("text", "html"), default="text",
                   help="with --explain: text lines (default) or one self-contained HTML audit page on stdout")
    p.add_argument("--glob", default=None,
                   help="file pattern inside directories (default: *.txt; *.htm* with --input-format html; "
                        "*.jsonl* for JSONL). In auto mode a directory is walked for *.txt only: give --glob "
                        "(e.g. '*.htm*' or '*') to take HTML pages from it")  # fmt: skip
    p.add_argument(
        "--input-format",
        choices=("auto", "text", "html"),
        default="auto",
        help="text or HTML input files (default auto: by file name, else by sniffing the content)",
    )
    p.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule file or directory")
    p.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rules")
    p.add_argument("--select", action="append", default=[], metavar="ID", help="only these rules (id/name/prefix/glob)")
    p.add_argument("--disable", action="append", default=[], metavar="ID", help="switch rules or heuristics off")
    p.add_argument("--no-heuristics", action="store_true", help="rules only")
    p.add_argument("--jsonl", action="store_true", help="inputs are JSON lines (default for *.jsonl files)")
    p.add_argument("--field", default=None, help="JSONL field to clean (default: text)")
    p.add_argument("--html-field", default=None, metavar="NAME",
                   help="JSONL field holding a page's HTML: its clean article text goes to --output-field "
                        "(default: text), other fields are kept; implies --jsonl")  # fmt: skip
    p.add_argument(
        "--output-field", default=None, help="JSONL field to write (default: the --field; text with --html-field)"
    )
    p.add_argument("--audit-fields", action="store_true",
                   help="JSONL: add removed_chars and removed_rules (removed lines per rule id) to each record")
    p.add_argument("--bad-lines", choices=("fail", "skip", "keep"), default="fail",
                   help="a malformed JSONL line: fail the file (default), skip it, or keep it unchanged; "
                        "always reported with its line number")  # fmt: skip
    p.add_argument("--encoding", default="utf-8",
                   help="text input encoding when there is no BOM (default utf-8); HTML is decoded by its BOM or "
                        "declared charset, else UTF-8 with replacement characters")  # fmt: skip
    p.add_argument("--errors", choices=("strict", "replace"), default="strict", help="undecodable bytes")
    p.add_argument("--max-doc-mb", type=float, default=BIG_MB, metavar="N",
                   help=f"a text input larger than N MB is cleaned in blocks of N/4 MB split at paragraph breaks, "
                        f"each as a document of its own, so memory stays flat (default {BIG_MB})")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (0: one per core)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it is off when stderr is no TTY)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.add_argument("--list-rules", action="store_true", help="list the active rules and exit")
    conf = p.add_mutually_exclusive_group()
    conf.add_argument("--config", metavar="PATH",
                      help="use this configuration file for every input (a pyproject.toml's [tool.cleannews], "
                           "else the file's top level) instead of looking for one")  # fmt: skip
    conf.add_argument("--isolated", action="store_true",
                      help="ignore configuration files (cleannews.toml, pyproject.toml [tool.cleannews])")  # fmt: skip
    p.add_argument("--version", action="version", version=f"cleannews {__version__}")
    return p


# --------------------------------------------------------------------------------------------------------
# worker side (runs in pool processes). Each task carries its Config (files in different directories may
# have different settings); a worker keeps one Cleaner per Config, seeded with the ones the parent built.
_CLEANERS: dict[Config, Cleaner] = {}
_HTML_CLEANERS: dict[Config, Cleaner] = {}  # the text stage for HTML input, per Config (built on first use)


def _init_worker(cleaners: dict[Config, Cleaner], html: dict[Config, Cleaner]) -> None:
    _CLEANERS.update(cleaners)
    _HTML_CLEANERS.update(html)


def _cleaner(cfg: Config) -> Cleaner:
    c = _CLEANERS.get(cfg)
    if c is None:
        c = _CLEANERS[cfg] = Cleaner(cfg)
    return c


def html_cleaner_for(cleaner: Cleaner) -> Cleaner:
    """The text stage for HTML input under the same options as *cleaner*: as :func:`cleannews.html.html_cleaner`
    (every rule and heuristic but ``H10``, which locates the article in flat text; the DOM has done that)."""
    from cleannews.html import html_cleaner

    cfg = cleaner.config
    if cfg == Config():
        return html_cleaner()  # the shared default
    return Cleaner(cfg.with_(disable_heuristics=tuple(dict.fromkeys((*cfg.disable_heuristics, "H10")))))


def _html_cleaner(cfg: Config) -> Cleaner:
    c = _HTML_CLEANERS.get(cfg)
    if c is None:
        c = _HTML_CLEANERS[cfg] = html_cleaner_for(_cleaner(cfg))
    return c


@dataclass
class Outcome:
    name: str
    error: str = ""
    changed: bool = False
    text: str = ""
    diff: str = ""
    explain: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)  # rule id -> rule name, for the removals counted
    bytes_in: int = 0
    audit: tuple[str, Result] | None = None  # (text cleaned, result) for the HTML audit page
    warnings: list[str] = field(default_factory=list)  # e.g. a user rule that ran out of time


@dataclass(frozen=True)
class Job:
    path: str  # "-" for stdin
    data: bytes | None  # stdin's bytes
    out_path: str | None  # where to write (in-place or output dir), None: nowhere
    want_text: bool
    want_diff: bool
    want_explain: bool
    encoding: str
    errors: str
    input_format: str = "text"  # "auto", "text" or "html"
    html_out_path: str | None = None  # where an HTML input's text goes (output dir), None: nowhere
    refuse_html: str = ""  # the mode ("--in-place", "--check", "--diff") that cannot take HTML, "" if none
    config: Config = field(default_factory=Config)  # this file's settings: its configuration file + the options
    want_audit: bool = False  # return the text and its Result for the HTML audit page
    big_bytes: int = BIG_MB << 20  # larger text inputs are cleaned in blocks of a quarter of this


def _unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff with one diff line per output line, whatever the input's line ends.

    difflib keeps each line's own ending, so a last line without one (or ending in a lone CR or another
    ``str.splitlines`` separator) ran into the next diff line; end every diff line with a newline instead
    and mark a missing final newline as GNU diff does.
    """
    out = []
    for ln in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                   fromfile=f"a/{path}", tofile=f"b/{path}"):  # fmt: skip
        body = ln.splitlines()[0]
        out.append(body + ("\n" if len(body) < len(ln) else "\n\\ No newline at end of file\n"))
    return "".join(out)


def _html_refusal(job: Job, name: str) -> str:
    if job.refuse_html == "--in-place":
        return (f"{name}: is HTML: --in-place would replace the page with its plain text; "
                f"use -o DIR instead (writes {Path(html_output_path(Path(name).name)).name} under DIR)")  # fmt: skip
    return (f"{name}: is HTML: {job.refuse_html} compares a text with its cleaned self, which means nothing "
            "for a page (its output is extracted text); use --explain, or -o DIR")  # fmt: skip


def _write(out: Outcome, path: str, text: str) -> None:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(Path(path), text)
    except OSError as exc:
        out.error = f"{path}: cannot write ({exc.strerror or exc})"


def _process_html(job: Job, data: bytes, out: Outcome, name: str) -> Outcome:
    from cleannews.html import clean_html

    try:
        res = clean_html(data, cleaner=_html_cleaner(job.config))
    except Exception as exc:  # a page from the wild through a C parser: one bad page must not stop a batch
        out.error = f"{name}: HTML not processed ({type(exc).__name__}: {exc})"
        return out
    out.changed = True  # the output is extracted text: never the input
    out.warnings.extend(res.warnings)
    out.counts = res.counts()
    out.names = {r.rule: r.name for r in res.removals}
    if job.want_text:
        out.text = res.text
    if job.want_explain:
        out.explain = explain_text(job.path, res.removals)
    if job.want_audit:
        from cleannews.html import extract_html

        out.audit = (extract_html(data, rules_of=_html_cleaner(job.config)), res)  # lines of the extracted text
    if job.html_out_path is not None:
        _write(out, job.html_out_path, res.text)
    return out


def _process_file(job: Job) -> Outcome:
    out = Outcome(job.path)
    name = job.path if job.path != "-" else "<stdin>"
    by_name = html_by_name(job.path) if job.path != "-" and job.input_format == "auto" else None
    html = job.input_format == "html" or by_name is True
    if html and job.refuse_html:
        out.error = _html_refusal(job, name)
        return out
    try:
        fh, data = _open_input(job, html)
        if fh is not None:  # a large text: cleaned block by block
            with fh:
                return _process_blocks(job, out, name, fh, data)
        out.bytes_in = len(data)
        if job.input_format == "auto" and by_name is None:
            html = sniff_html(data)
            if html and job.refuse_html:
                out.error = _html_refusal(job, name)
                return out
        if html:
            return _process_html(job, data, out, name)
        text = decode(data, name, job.encoding, job.errors)
    except InputError as exc:
        out.error = str(exc)
        return out
    res = _cleaner(job.config).report(text)
    out.warnings.extend(res.warnings)
    out.changed = res.text != text
    out.counts = res.counts()
    out.names = {r.rule: r.name for r in res.removals}
    if job.want_text:
        out.text = res.text
    if job.want_diff and out.changed:
        out.diff = _unified_diff(text, res.text, job.path)
    if job.want_explain:
        out.explain = explain_text(job.path, res.removals)
    if job.want_audit:
        out.audit = (text, res)
    if job.out_path is not None and (out.changed or job.out_path != job.path):
        _write(out, job.out_path, res.text)
    return out


def _open_input(job: Job, html: bool) -> tuple[IO[bytes] | None, bytes]:
    """``(None, data)`` for an input read whole; ``(fh, head)`` for a text input of more than ``big_bytes``,
    to be read on from *fh* after *head*. HTML, and encodings whose bytes cannot be split at ``\\n``
    (UTF-16/32), are always read whole."""
    if job.data is not None:
        return None, job.data
    if job.path == "-":
        fh: IO[bytes] = sys.stdin.buffer
    else:
        path = Path(job.path)
        try:
            small = html or (path.is_symlink() and not path.exists()) or os.stat(path).st_size <= job.big_bytes
        except OSError:
            small = True  # read_bytes says what is wrong
        if small:
            return None, read_bytes(path)
        try:
            fh = open_binary(path)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        head = fh.read(job.big_bytes + 1)
    except Exception as exc:  # broken compressed data
        raise InputError(f"{job.path}: cannot read ({exc})") from None
    utf8 = job.encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig", "ascii")
    if len(head) <= job.big_bytes or html or not utf8 or wide_bom(head) or sniff_html(head):
        try:
            return None, head + fh.read()
        finally:
            if fh is not sys.stdin.buffer:
                fh.close()
    return fh, head


def _read_blocks(fh: IO[bytes], size: int, head: bytes, name: str) -> Iterator[bytes]:
    try:
        yield from iter_blocks(fh, size, head)
    except Exception as exc:  # broken gzip/zstd data, an I/O error
        raise InputError(f"{name}: cannot read ({exc})") from None


def _process_blocks(job: Job, out: Outcome, name: str, fh: IO[bytes], head: bytes) -> Outcome:
    """Clean a text input of more than ``big_bytes`` block by block (:func:`cleannews.io.iter_blocks`), each
    block as a document of its own, writing each cleaned block as it goes: memory stays that of one block.
    Removal line numbers are the file's."""
    if job.want_diff or job.want_audit:
        what = "--diff" if job.want_diff else "the audit page"
        out.error = f"{name}: over --max-doc-mb: too large for {what} (use --check, --explain or -o)"
        return out
    cleaner = _cleaner(job.config)
    sink = None
    line_base = offset = 0
    try:
        if job.out_path is not None:
            Path(job.out_path).parent.mkdir(parents=True, exist_ok=True)
            sink = AtomicFile(Path(job.out_path))
        for block in _read_blocks(fh, max(job.big_bytes // 4, 1), head, name):
            text = decode(block, name, job.encoding, job.errors, offset)
            res = cleaner.report(text)
            out.warnings.extend(res.warnings)
            out.changed |= res.text != text
            out.counts.update(res.counts())
            out.names.update((r.rule, r.name) for r in res.removals)
            if job.want_explain and res.removals:
                shifted = (replace(r, first=r.first + line_base, last=r.last + line_base) for r in res.removals)
                sys.stdout.write(explain_text(job.path, shifted))  # a single big input runs in the main process
            cleaned = res.text.encode("utf-8")
            if sink is not None:
                sink.write(cleaned)
            elif job.want_text:
                sys.stdout.buffer.write(cleaned)
            line_base += len(text.splitlines())
            offset += len(block)
        out.bytes_in = offset
        if sink is not None and (out.changed or job.out_path != job.path):
            sink.commit()
    except InputError as exc:
        out.error = str(exc) + ("; not changed" if job.out_path == job.path else "")
    except OSError as exc:
        where, verb = (job.out_path, "write") if job.out_path is not None else (name, "read")
        out.error = f"{where}: cannot {verb} ({exc.strerror or exc})"
    finally:
        if sink is not None and not sink.done:
            sink.discard()
    return out


def _clean_chunk(task: tuple[Config, JsonlOptions, Want, Chunk]) -> ChunkOut:
    """Worker side of a JSONL stream: parse, clean and render one chunk of raw lines."""
    cfg, opts, want, chunk = task
    cleaner = _html_cleaner(cfg) if opts.html_field is not None else _cleaner(cfg)
    return process_chunk(cleaner, chunk, opts, want)


# --------------------------------------------------------------------------------------------------------
class _Settings:
    """The Config for each input: its configuration file's (found as ruff finds its own, see
    :mod:`cleannews.discovery`; or ``--config``; none with ``--isolated``) with the command line on top.
    Builds (and so validates) one Cleaner per distinct Config, before any input is read."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.discovery = Discovery(Path(args.config) if args.config else None, isolated=args.isolated)
        self.cleaners: dict[Config, Cleaner] = {}
        self.html_cleaners: dict[Config, Cleaner] = {}
        self._effective: dict[Path | None, Config] = {}  # config file (None: defaults) -> effective Config

    def config_for(self, path: str | Path) -> Config:
        """The effective Config for input *path* (``-``: the working directory); ConfigError or RuleError
        (naming the configuration file) when the settings are wrong."""
        found = self.discovery.find(path)
        cfg = self._effective.get(found.path)
        if cfg is None:
            cfg = self._effective[found.path] = self._build(found)
        return cfg

    def _build(self, found: Found) -> Config:
        cfg = with_cli_options(found.config, self.args)
        if cfg not in self.cleaners:
            try:
                self.cleaners[cfg] = Cleaner(cfg)
                if cfg.disable_html:  # check the HTML rule selectors now, before any input is read
                    from cleannews.html import html_rules_for

                    html_rules_for(cfg.disable_html)
            except (RuleError, ConfigError) as exc:
                if found.path is None:
                    raise
                raise type(exc)(f"{exc} (settings from {found.path})") from None
        return cfg

    def cleaner_for(self, path: str | Path) -> Cleaner:
        return self.cleaners[self.config_for(path)]

    def need_html(self, configs: Iterable[Config]) -> None:
        for cfg in configs:
            if cfg not in self.html_cleaners:
                self.html_cleaners[cfg] = html_cleaner_for(self.cleaners[cfg])


class _Runner:
    def __init__(self, args: argparse.Namespace, settings: _Settings) -> None:
        self.args = args
        self.settings = settings
        self.jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        self.errors = 0
        self.warnings = 0
        self.changed = 0
        self.unchanged = 0
        self.counts: Counter[str] = Counter()
        self._workers: Workers | None = None
        self.docs = 0  # JSONL records read
        self.bytes_in = 0
        self.bytes_out = 0
        self.cleaned_folders: set[Path] = set()
        self.audit: AuditPage | None = None
        if args.explain and args.format == "html":
            from cleannews.audit import AuditPage

            self.audit = AuditPage()

    def err(self, msg: str) -> None:
        self.errors += 1
        print(f"cleannews: error: {msg}", file=sys.stderr)

    def warn(self, msg: str) -> None:
        self.warnings += 1
        print(f"cleannews: warning: {msg}", file=sys.stderr)

    def map(self, func, items, chunksize: int = 1) -> Iterator:  # type: ignore[no-untyped-def]
        """``func`` over *items* in order, in ``-j`` worker processes (see :mod:`cleannews.workers`)."""
        if self._workers is None:
            seed = (self.settings.cleaners, self.settings.html_cleaners)
            self._workers = Workers(self.jobs, _init_worker, seed)
        return self._workers.map(func, items, chunksize)

    def close(self, interrupted: bool = False) -> None:
        if self._workers is not None:
            self._workers.close(interrupted)  # interrupted: killed now; each file being written stays whole
            self._workers = None

    def summary(self) -> str:
        """The run in one line: files (and JSONL documents with their bytes), errors, removals per rule."""
        a = self.args
        verb = "would be cleaned" if a.check or a.diff else "cleaned"
        head = f"{self.changed} {verb}, {self.unchanged} unchanged, {self.errors} errors"
        if self.warnings:
            head += f", {self.warnings} warnings"
        if self.docs:
            mb_out = "" if a.check or a.diff else f", {self.bytes_out / 1e6:,.1f} MB out"
            head = f"{self.docs:,} documents, {self.bytes_in / 1e6:,.1f} MB in{mb_out}; files: {head}"
        top = ", ".join(f"{k}×{v}" for k, v in self.counts.most_common(8))
        return head + (f"; removed lines by rule: {top}" if top else "")

    def _remove_stale_temps(self, folder: Path) -> None:
        """Once per output folder: remove temp files a killed run left there (see :func:`remove_stale_temps`)."""
        if folder not in self.cleaned_folders:
            self.cleaned_folders.add(folder)
            remove_stale_temps(folder)

    def progress(self, total: int | None, unit: str):  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        disable = self.args.no_progress or not sys.stderr.isatty()
        return tqdm(total=total, unit=unit, unit_scale=True, disable=disable, delay=1.0, file=sys.stderr)

    # ---- plain text files ----------------------------------------------------------------------------
    def plan_text(self, paths: list[str]) -> list[Job]:
        """One Job per input file, each with its settings (raises ConfigError/RuleError before any is read)."""
        a = self.args
        jobs: list[Job] = []
        # stdin as the only input is read by the job (streamed in blocks when large); with other inputs, here
        # (worker processes cannot read it)
        stdin_data = sys.stdin.buffer.read() if "-" in paths and len(paths) > 1 else None
        for p in paths:
            if p == "-":
                if a.in_place:
                    self.err("<stdin>: --in-place needs files, not stdin")
                    continue
                out_path = str(Path(a.output_dir) / "stdin.txt") if a.output_dir else None
                jobs.append(self._job("-", stdin_data, out_path))
                continue
            for f in self._expand(p, a.glob or ("*.htm*" if a.input_format == "html" else "*.txt")):
                jobs.append(self._job(str(f[0]), None, f[1]))
        return jobs

    def run_text(self, jobs: list[Job]) -> None:
        fmt = self.args.input_format
        auto = fmt == "auto"
        may_be_html = [
            j for j in jobs if fmt == "html" or (auto and (j.path == "-" or html_by_name(j.path) is not False))
        ]
        self.settings.need_html(dict.fromkeys(j.config for j in may_be_html))  # built before the workers start
        for j in jobs:
            for out_path in (j.out_path, j.html_out_path):
                if out_path is not None:
                    self._remove_stale_temps(Path(os.path.realpath(out_path)).parent)
        bar = self.progress(len(jobs), "file")
        started = time.monotonic()
        if len(jobs) == 1:  # one input: no worker process (and a large one streams to stdout from here)
            _init_worker(self.settings.cleaners, self.settings.html_cleaners)
            results: Iterable[Outcome | WorkerDied] = [_process_file(jobs[0])]
        else:
            results = self.map(_process_file, jobs, chunksize=8 if len(jobs) > 64 else 1)
        for job, out in zip(jobs, results, strict=True):
            if isinstance(out, WorkerDied):
                out = Outcome(job.path, error=f"{job.path}: {out}; not changed")
            bar.update(1)
            self.bytes_in += out.bytes_in
            mbs = self.bytes_in / 1e6 / max(time.monotonic() - started, 1e-9)
            bar.set_postfix_str(f"{mbs:.1f} MB/s", refresh=False)
            self._report_file(out)
        bar.close()

    def _expand(self, arg: str, glob: str) -> Iterator[tuple[Path, str | None]]:
        a = self.args
        base = Path(arg)
        for f in iter_files([arg], glob):
            if a.in_place:
                yield f, str(f)
            elif a.output_dir:
                rel = f.relative_to(base) if base.is_dir() else Path(f.name)
                yield f, str(Path(a.output_dir) / rel)
            else:
                yield f, None

    def _job(self, path: str, data: bytes | None, out_path: str | None) -> Job:
        a = self.args
        html_out = None
        if a.output_dir and out_path is not None:
            html_out = out_path if path == "-" else html_output_path(out_path)  # stdin: DIR/stdin.txt as for text
        refuse = "--in-place" if a.in_place else "--check" if a.check else "--diff" if a.diff else ""
        return Job(path, data, out_path, want_text=not (a.check or a.diff or a.in_place or a.output_dir or a.explain),
                   want_diff=a.diff, want_explain=a.explain and a.format == "text", want_audit=self.audit is not None,
                   encoding=a.encoding, errors=a.errors, big_bytes=max(int(a.max_doc_mb * (1 << 20)), 1024),
                   input_format=a.input_format, html_out_path=html_out, refuse_html=refuse,
                   config=self.settings.config_for(path))  # fmt: skip

    def _report_file(self, out: Outcome) -> None:
        a = self.args
        if out.error:
            self.err(out.error)
            if self.audit is not None:
                self.audit.add_error(out.name, out.error)
            return
        for w in out.warnings:
            self.warn(f"{out.name if out.name != '-' else '<stdin>'}: {w}")
        if self.audit is not None and out.audit is not None:
            self.audit.add(out.name if out.name != "-" else "<stdin>", *out.audit)
        self.counts.update(out.counts)
        if out.changed:
            self.changed += 1
        else:
            self.unchanged += 1
        if out.explain:
            sys.stdout.write(out.explain)
        if out.diff:
            sys.stdout.write(out.diff)
        if a.check and out.changed:
            rules = rule_list(out.counts, out.names) or "white space only"
            print(f"would clean {out.name} ({sum(out.counts.values())} lines: {rules})")
        if out.text:
            sys.stdout.write(out.text)

    # ---- JSONL -------------------------------------------------------------------------------------
    def plan_jsonl(self, paths: list[str]) -> list[tuple[Path | None, str | None, Config]]:
        """(file or None for stdin, output path, settings) per JSONL input; raises ConfigError/RuleError."""
        a = self.args
        plan: list[tuple[Path | None, str | None, Config]] = []
        for p in paths:
            if p == "-":
                if a.in_place:
                    self.err("<stdin>: --in-place needs files, not stdin")
                    continue
                plan.append((None, None, self.settings.config_for("-")))
                continue
            for f, out_path in self._expand(p, a.glob or "*.jsonl*"):
                plan.append((f, out_path, self.settings.config_for(f)))
        return plan

    def run_jsonl(self, plan: list[tuple[Path | None, str | None, Config]]) -> None:
        if self.args.html_field is not None:
            self.settings.need_html(dict.fromkeys(cfg for _, _, cfg in plan))
        for f, out_path, cfg in plan:
            if f is None:
                self._jsonl_stream(sys.stdin.buffer, "<stdin>", None, cfg)
                continue
            try:
                if f.is_dir():
                    raise InputError(f"{f}: is a directory")
                fh = open_binary(f)
            except FileNotFoundError:
                self.err(f"{f}: no such file")
                continue
            except (OSError, InputError) as exc:
                self.err(str(exc) if isinstance(exc, InputError) else f"{f}: cannot read ({exc.strerror})")
                continue
            with fh:
                try:
                    self._jsonl_file(fh, f, out_path, cfg)
                except InputError as exc:  # unreadable data mid-file (broken gzip): this file fails
                    self.err(str(exc))

    def _jsonl_file(self, fh, path: Path, out_path: str | None, cfg: Config) -> None:  # type: ignore[no-untyped-def]
        if out_path is None or self.args.check or self.args.diff:  # stdout, or nothing written at all
            self._jsonl_stream(fh, str(path), None, cfg)
            return
        # Stream into a temp file beside the target; rename only when the whole file succeeded.
        try:
            Path(out_path).parent.mkdir(parents=True, exist_ok=True)
            self._remove_stale_temps(Path(os.path.realpath(out_path)).parent)
            with AtomicFile(out_path) as sink:
                if self._jsonl_stream(fh, str(path), sink, cfg):
                    sink.commit()
        except OSError as exc:  # disk full, name too long, ...: a clear error; the target is untouched
            self.err(f"{out_path}: cannot write ({exc.strerror or exc})")

    def jsonl_options(self) -> JsonlOptions:
        a = self.args
        return JsonlOptions(field=a.field, html_field=a.html_field, output_field=a.output_field,
                            audit=a.audit_fields, bad_lines=a.bad_lines)  # fmt: skip

    def _jsonl_stream(self, fh, name: str, sink, cfg: Config) -> bool:  # type: ignore[no-untyped-def]
        """Clean one JSONL stream into *sink* (stdout if None). False if the stream failed.

        This process only reads raw lines (:func:`cleannews.stream.read_chunks`) and writes what comes back;
        the workers parse, clean and render each chunk (:func:`cleannews.stream.process_chunk`). At most a
        few chunks per worker are in flight, so memory stays flat however long the stream, and output keeps
        the input order.
        """
        a = self.args
        opts = self.jsonl_options()
        want = Want(lines=not (a.check or a.diff or a.explain), check=a.check,
                    explain=a.explain and self.audit is None, audit=self.audit is not None)  # fmt: skip
        out = sink if sink is not None else sys.stdout.buffer
        bar = self.progress(None, "B")
        started = time.monotonic()
        docs = changed = 0
        spans: deque[tuple[int, int]] = deque()  # line numbers of the chunks in flight

        def tasks() -> Iterator[tuple[Config, JsonlOptions, Want, Chunk]]:
            for chunk in read_chunks(fh, name):
                spans.append((chunk.first, chunk.first + len(chunk.lines) - 1))
                yield cfg, opts, want, chunk

        try:
            for res in self.map(_clean_chunk, tasks()):
                first, last = spans.popleft()
                if isinstance(res, WorkerDied):
                    self.err(f"{name}:{first}-{last}: {res}; stopped")
                    return False
                for kind, msg in res.notes:
                    if kind == "fatal":
                        self.err(msg + " (use --bad-lines skip|keep to go on)")
                    elif kind == "bad":
                        self.err(msg + ("; skipped" if a.bad_lines == "skip" else "; kept unchanged"))
                    elif kind == "warning":
                        self.warn(msg)
                    elif kind == "check":
                        print(msg)
                    else:
                        sys.stdout.write(msg)
                if self.audit is not None:
                    for entry in res.audit:
                        self.audit.add(*entry)
                for line in res.lines:
                    out.write(line)
                self.bytes_out += sum(map(len, res.lines))
                self.bytes_in += res.size
                self.counts.update(res.counts)
                docs += res.docs
                changed += res.changed
                if res.failed:
                    return False
                bar.update(res.size)
                elapsed = max(time.monotonic() - started, 1e-9)
                bar.set_postfix_str(f"{docs + self.docs:,} docs, {docs / elapsed:,.0f} docs/s", refresh=False)
        finally:
            bar.close()
            self.docs += docs
        if changed:
            self.changed += 1
        else:
            self.unchanged += 1
        return True


def _jsonl_run(args: argparse.Namespace, paths: Sequence[str]) -> bool:
    """JSON lines in: asked for (``--jsonl``, ``--html-field``), or every file named is ``*.jsonl*``."""
    files = [p for p in paths if p != "-"]
    return bool(args.jsonl or args.html_field is not None or (files and all(map(is_jsonl, files))))


def _usage_problem(args: argparse.Namespace) -> str:
    """Option combinations that cannot work, found before any input is read ('' if none)."""
    jsonl = _jsonl_run(args, args.paths)
    if jsonl and args.input_format == "html" and args.html_field is None:
        return "JSONL input: name the field that holds HTML with --html-field NAME"
    compare = "--check" if args.check else "--diff" if args.diff else ""
    if args.format == "html" and not args.explain:
        return "--format html is the --explain audit page: add --explain"
    if args.format == "html" and (compare or args.in_place or args.output_dir):
        return "--explain --format html writes the audit page to stdout: it does not go with other modes"
    if args.html_field is not None:
        if args.field is not None:
            return "give --field (a text field) or --html-field (an HTML field), not both"
        if args.input_format == "text":
            return "--html-field reads HTML: it does not go with --input-format text"
        if compare:
            return f"{compare} does not go with --html-field: the output is extracted text, not the field cleaned"
    if args.input_format == "html" and not jsonl and (compare or args.in_place):
        mode = compare or "--in-place"
        why = (
            "would replace each page with its plain text; use -o DIR (writes NAME.txt files)"
            if args.in_place
            else "compares a text with its cleaned self, which means nothing for a page; use --explain or -o DIR"
        )
        return f"HTML input: {mode} {why}"  # fmt: skip
    return ""


def with_cli_options(base: Config, args: argparse.Namespace) -> Config:
    """The command line on top of a configuration file's settings: ``--rules`` and ``--disable`` add to the
    file's lists (``--disable`` sends heuristic ids and HTML rules where they belong), ``--select`` replaces
    its ``select``, ``--no-default-rules`` and ``--no-heuristics`` switch off what the file may have on."""
    disable = tuple(d for item in args.disable for d in item.split(",") if d)
    select = tuple(s for item in args.select for s in item.split(",") if s)
    cfg = base.with_(
        rules=tuple(dict.fromkeys((*base.rules, *args.rules))),
        default_rules=base.default_rules and not args.no_default_rules,
        select=select or base.select,
        heuristics=base.heuristics and not args.no_heuristics,
    )
    return route_disable(cfg, disable)


def rules_main(argv: Sequence[str]) -> int:
    """``cleannews rules check PATH...``: validate rule files and run their examples."""
    p = argparse.ArgumentParser(prog="cleannews rules", description="Work with rule files.")
    sub = p.add_subparsers(dest="cmd", required=True)
    chk = sub.add_parser("check", help="validate rule files and run every rule's examples")
    chk.add_argument("paths", nargs="+", help="rule files or directories")
    args = p.parse_args(argv)
    from cleannews.rulecheck import check

    try:
        n_rules, problems = check(args.paths)
    except RuleError as exc:
        print(f"cleannews: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for problem in problems:
        print(problem)
    print(f"{n_rules} rules checked, {len(problems)} problems", file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["rules"] and not Path("rules").is_file():
        return rules_main(argv[1:])
    if argv[:1] == ["dask"] and not Path("dask").exists():  # JSONL shards on a Dask cluster (the dask extra)
        from cleannews.dask import main as dask_main

        return dask_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    usage = _usage_problem(args)
    if usage:
        parser.print_usage(sys.stderr)
        print(f"cleannews: error: {usage}", file=sys.stderr)
        return EXIT_ERROR
    args.field = args.field or "text"
    settings = _Settings(args)
    if args.list_rules:  # the settings for the working directory
        try:
            cleaner = settings.cleaner_for("-")
        except (RuleError, ConfigError) as exc:
            print(f"cleannews: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        for r in cleaner.rules:
            print(f"{r.id}\t{r.name}\t{r.kind}\t{r.message}")
        return EXIT_OK
    paths = list(args.paths)
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            parser.print_usage(sys.stderr)
            print("cleannews: error: give files, directories or - for stdin", file=sys.stderr)
            return EXIT_ERROR
        paths = ["-"]
    jsonl = _jsonl_run(args, paths)
    # Explicit *.jsonl files among text files (a pre-commit hook passes both kinds): each by its own kind.
    jsonl_paths = paths if jsonl else [p for p in paths if args.input_format != "html" and is_jsonl(p)]
    text_paths = [] if jsonl else [p for p in paths if not (args.input_format != "html" and is_jsonl(p))]
    several = len(paths) > 1 or any(Path(p).is_dir() for p in paths)
    if several and not (args.in_place or args.check or args.diff or args.output_dir or args.explain or jsonl):
        print("cleannews: error: several inputs: add --in-place, --output-dir, --check, --diff or --explain "
              "(stdout takes one text)", file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    runner = _Runner(args, settings)
    jsonl_plan: list[tuple[Path | None, str | None, Config]] = []
    try:
        try:  # every input's settings first: a bad configuration file stops the run before any input is read
            text_jobs = runner.plan_text(text_paths) if text_paths else []
            jsonl_plan = runner.plan_jsonl(jsonl_paths) if jsonl_paths else []
        except (RuleError, ConfigError) as exc:
            print(f"cleannews: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if text_jobs:
            runner.run_text(text_jobs)
        if jsonl_plan:
            runner.run_jsonl(jsonl_plan)
    except KeyboardInterrupt:
        print("cleannews: interrupted", file=sys.stderr)
        runner.close(interrupted=True)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # downstream closed (e.g. | head): not an error
        return EXIT_OK
    finally:
        runner.close()
    if runner.audit is not None:
        runner.audit.write(sys.stdout)
    sys.stdout.flush()
    if not args.quiet and (args.check or args.in_place or args.output_dir or several or jsonl_plan):
        print(runner.summary(), file=sys.stderr)
    if runner.errors:
        return EXIT_ERROR
    if (args.check or args.diff) and runner.changed:
        return EXIT_CHANGES
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
