"""JSONL streams: records in, cleaned records out, in input order and in constant memory.

One place decides what an output record looks like, so every front end writes the same bytes for the same
input: the CLI (one process or ``-j N`` workers), the library (:func:`clean_jsonl`) and the Dask
integration (:mod:`cleannews.dask`). The work is split in two halves so that the cleaning half can run in
worker processes while the reading and writing half stays in one place and keeps the order:

- :func:`clean_texts` turns a batch of field values into :class:`Cleaned` outcomes (worker side);
- :func:`render` turns one :class:`~cleannews.io.Record` and its outcome into the output line (writer side).

>>> from cleannews import Cleaner
>>> lines = [b'{"id": 1, "text": "The council met on Monday and approved the budget.\\\\nLeave a Reply"}\\n']
>>> out = b"".join(clean_jsonl(lines, Cleaner(), JsonlOptions(audit=True))).decode()
>>> print(out.replace(', "', ',\\n "'), end="")
{"id": 1,
 "text": "The council met on Monday and approved the budget.\\n",
 "removed_chars": 13,
 "removed_rules": {"TL01": 1}}
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from cleannews.io import InputError, Record, dumps, parse_record
from cleannews.pipeline import Cleaner
from cleannews.report import Removal, Result, explain_text, rule_list

AUDIT_CHARS = "removed_chars"  # per-document audit fields added with ``audit=True`` / ``--audit-fields``
AUDIT_RULES = "removed_rules"


@dataclass(frozen=True, slots=True)
class JsonlOptions:
    """How records are read and written.

    ``field`` holds the text to clean; with ``html_field`` set, that field holds a page's HTML and the
    extracted text goes to ``output_field`` (default ``text``). ``output_field`` (default: the field read)
    lets the clean text go beside the original. ``audit`` adds ``removed_chars`` and ``removed_rules``
    (removed lines per rule id) to every record. ``bad_lines``: ``fail`` (the stream stops with
    :class:`BadRecordError`), ``skip`` (dropped) or ``keep`` (written back unchanged).
    """

    field: str = "text"
    html_field: str | None = None
    output_field: str | None = None
    audit: bool = False
    bad_lines: str = "fail"

    def __post_init__(self) -> None:
        if self.bad_lines not in ("fail", "skip", "keep"):
            raise ValueError(f"bad_lines must be fail, skip or keep, not {self.bad_lines!r}")

    @property
    def source(self) -> str:
        return self.html_field if self.html_field is not None else self.field

    @property
    def target(self) -> str:
        return self.output_field or ("text" if self.html_field is not None else self.field)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What cleaning one field value gave: the clean text (None when it could not be cleaned, with
    ``error`` saying why), removed lines per rule id and removed characters."""

    text: str | None
    counts: Counter[str] = field(default_factory=Counter)
    removed_chars: int = 0
    error: str = ""
    removals: tuple[Removal, ...] = ()  # kept only when asked for (``clean_texts(..., removals=True)``)
    warnings: tuple[str, ...] = ()  # e.g. a user rule that ran out of time (``Result.warnings``)


class BadRecordError(InputError):
    """A bad record under ``bad_lines="fail"``; the message names the stream and line."""


def clean_texts(
    cleaner: Cleaner, texts: Sequence[str], html: bool = False, removals: bool = False
) -> list[Cleaned]:
    """Clean a batch of field values (text, or HTML pages with *html*), keeping each document's removals
    too with *removals*. A page that cannot be parsed gives a :class:`Cleaned` with an error; the others
    go on."""
    out: list[Cleaned] = []
    if not html:
        for t in texts:
            r = cleaner.report(t)
            out.append(Cleaned(r.text, r.counts(), r.removed_chars, "", r.removals if removals else (), r.warnings))
        return out
    from cleannews.html import clean_html

    for page in texts:
        try:
            r = clean_html(page, cleaner=cleaner)
        except Exception as exc:  # one bad page is reported, the others go on
            out.append(Cleaned(None, error=f"HTML not processed ({type(exc).__name__}: {exc})"))
            continue
        out.append(Cleaned(r.text, r.counts(), r.removed_chars, "", r.removals if removals else (), r.warnings))
    return out


def field_values(batch: Iterable[Record], opts: JsonlOptions) -> list[str]:
    """The values to clean in *batch*: one per good record, in order (bad records have none)."""
    src = opts.source
    return [r.obj[src] for r in batch if r.obj is not None]  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Rendered:
    """One record's output: ``line`` (None: nothing to write), whether its text ``changed``, and
    ``error`` for a bad record (the caller applies ``bad_lines``)."""

    line: bytes | None
    changed: bool = False
    error: str = ""


def render(rec: Record, cleaned: Cleaned | None, opts: JsonlOptions, name: str = "<stream>") -> Rendered:
    """The output line for *rec* (a good record comes with its :class:`Cleaned`, a bad one with None)."""
    if rec.obj is None or cleaned is None:
        return _bad(rec.error, rec.raw, opts)
    if cleaned.text is None:
        return _bad(f"{name}:{rec.lineno}: {cleaned.error}", (dumps(rec.obj) + "\n").encode("utf-8"), opts)
    obj = rec.obj
    target = opts.target
    # HTML: a new field, so the record changes unless it held this text already
    changed = obj.get(target) != cleaned.text if opts.html_field is not None else cleaned.text != obj[opts.field]
    obj[target] = cleaned.text
    if opts.audit:
        obj[AUDIT_CHARS] = cleaned.removed_chars
        obj[AUDIT_RULES] = dict(sorted(cleaned.counts.items()))
    return Rendered((dumps(obj) + "\n").encode("utf-8"), changed)


def _bad(error: str, raw: bytes, opts: JsonlOptions) -> Rendered:
    if opts.bad_lines == "keep":
        return Rendered(raw if raw.endswith(b"\n") else raw + b"\n", error=error)
    return Rendered(None, error=error)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Raw lines of one stream, as read: the cheap half (reading) stays in one process, the rest (parsing,
    cleaning, rendering: :func:`process_chunk`) can run in a worker."""

    name: str  # the stream's name, for messages
    first: int  # line number of lines[0]
    lines: list[bytes]


def read_chunks(fh: IO[bytes], name: str, max_lines: int = 256, max_bytes: int = 1 << 21) -> Iterator[Chunk]:
    """*fh* in chunks of at most *max_lines* lines or about *max_bytes* bytes, read lazily; a read error
    (broken gzip or zstd data) is an :class:`~cleannews.io.InputError` naming the line."""
    lineno = 1
    lines: list[bytes] = []
    size = 0
    while True:
        try:
            raw = fh.readline()
        except Exception as exc:  # OSError, EOFError, zlib.error, ZstdError
            raise InputError(f"{name}:{lineno + len(lines)}: cannot read ({exc})") from None
        if not raw:
            break
        lines.append(raw)
        size += len(raw)
        if len(lines) >= max_lines or size >= max_bytes:
            yield Chunk(name, lineno, lines)
            lineno += len(lines)
            lines, size = [], 0
    if lines:
        yield Chunk(name, lineno, lines)


@dataclass(frozen=True, slots=True)
class Want:
    """What the caller wants back from :func:`process_chunk` besides the counts."""

    lines: bool = True  # the output lines
    check: bool = False  # a ``would clean NAME:LINE (rules)`` note per changed record
    explain: bool = False  # an ``--explain`` note per record with removals
    audit: bool = False  # (name, text cleaned, Result) per record, for the HTML audit page


@dataclass(slots=True)
class ChunkOut:
    """What :func:`process_chunk` gives back for one :class:`Chunk`.

    ``notes`` are ``(kind, message)`` in input order: ``fatal`` (a bad record under ``bad_lines="fail"``:
    the chunk stops there and ``failed`` is set), ``bad`` (a bad record skipped or kept), ``warning`` (a
    user rule that timed out), ``check`` and ``explain`` (as asked for in :class:`Want`).
    """

    lines: list[bytes] = field(default_factory=list)
    size: int = 0  # bytes read
    docs: int = 0  # good records cleaned
    changed: int = 0
    removed_chars: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[tuple[str, str]] = field(default_factory=list)
    audit: list[tuple[str, str, Result]] = field(default_factory=list)
    failed: bool = False


def process_chunk(cleaner: Cleaner, chunk: Chunk, opts: JsonlOptions, want: Want = Want()) -> ChunkOut:
    """Parse, clean and render one chunk: the whole per-record job, so a worker process can do it all."""
    out = ChunkOut(size=sum(map(len, chunk.lines)))
    name = chunk.name
    parsed = (parse_record(raw, chunk.first + i, name, opts.source) for i, raw in enumerate(chunk.lines))
    records = [rec for rec in parsed if rec is not None]
    values = field_values(records, opts)
    html = opts.html_field is not None
    cleaned = clean_texts(cleaner, values, html, removals=want.explain or want.audit)
    names = {r.id: r.name for r in cleaner.rules} if want.check else {}
    good = 0
    for rec, c, res in render_batch(records, cleaned, opts, name):
        if res.error:
            if opts.bad_lines == "fail":
                out.notes.append(("fatal", res.error))
                out.failed = True
                return out
            out.notes.append(("bad", res.error))
        elif c is not None:
            where = f"{name}:{rec.lineno}"
            out.notes.extend(("warning", f"{where}: {w}") for w in c.warnings)
            out.docs += 1
            out.changed += res.changed
            out.removed_chars += c.removed_chars
            out.counts.update(c.counts)
            if want.check and res.changed:
                out.notes.append(("check", f"would clean {where} ({rule_list(c.counts, names) or 'white space'})"))
            if want.explain and c.removals:
                out.notes.append(("explain", explain_text(where, c.removals)))
            if want.audit and c.text is not None:
                shown = values[good]
                if html:
                    from cleannews.html import extract_html

                    shown = extract_html(shown, rules_of=cleaner)
                out.audit.append((where, shown, Result(c.text, c.removals)))
        if c is not None:
            good += 1
        if want.lines and res.line is not None:
            out.lines.append(res.line)
    return out


def render_batch(
    batch: Sequence[Record], cleaned: Sequence[Cleaned], opts: JsonlOptions, name: str
) -> Iterator[tuple[Record, Cleaned | None, Rendered]]:
    """Pair each record of *batch* with its outcome (good records take *cleaned* in order; a bad record
    gets None) and render it."""
    it = iter(cleaned)
    for rec in batch:
        c = next(it) if rec.obj is not None else None
        yield rec, c, render(rec, c, opts, name)


def clean_jsonl(
    lines: Iterable[bytes] | Iterable[str] | IO[bytes],
    cleaner: Cleaner | None = None,
    opts: JsonlOptions | None = None,
    name: str = "<stream>",
    batch_size: int = 256,
) -> Iterator[bytes]:
    """Clean a JSONL stream in one process: output lines (``bytes`` ending in ``\\n``) in input order.

    *lines* is a binary file or any iterable of lines (``bytes``, or ``str`` as ``dask.bag.read_text``
    gives). Memory stays bounded by one chunk of *batch_size* lines. A bad record raises
    :class:`BadRecordError` under ``bad_lines="fail"``; an HTML page that cannot be parsed counts as a bad
    record.
    """
    cleaner = cleaner or _default_for(opts)
    opts = opts or JsonlOptions()
    fh = lines if hasattr(lines, "readline") else _LineReader(iter(lines))  # type: ignore[arg-type]
    for chunk in read_chunks(fh, name, batch_size):  # type: ignore[arg-type]
        out = process_chunk(cleaner, chunk, opts)
        yield from out.lines
        if out.failed:
            raise BadRecordError(out.notes[-1][1])


def _default_for(opts: JsonlOptions | None) -> Cleaner:
    if opts is not None and opts.html_field is not None:
        from cleannews.html import html_cleaner

        return html_cleaner()
    from cleannews.pipeline import default_cleaner

    return default_cleaner()


class _LineReader(io.RawIOBase):
    """``readline()`` over an iterable of byte lines (what :func:`~cleannews.io.read_records` reads)."""

    def __init__(self, it: Iterator[bytes] | Iterator[str]) -> None:
        self._it = it

    def readline(self, size: int | None = -1) -> bytes:  # whole lines only; size is ignored
        line = next(self._it, None)
        if line is None:
            return b""
        if isinstance(line, str):  # a text line (dask.bag.read_text gives str)
            line = line.encode("utf-8", "surrogatepass")
        return line if line.endswith(b"\n") else line + b"\n"

    def readable(self) -> bool:
        return True
