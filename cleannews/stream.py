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

from cleannews.io import InputError, Record, dumps, read_records
from cleannews.pipeline import Cleaner
from cleannews.report import Removal

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


def batches(fh: IO[bytes], name: str, opts: JsonlOptions, size: int = 256) -> Iterator[list[Record]]:
    """Records of *fh* in batches of *size*, read lazily."""
    batch: list[Record] = []
    for rec in read_records(fh, name, opts.source):
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    gives). Memory stays bounded by one batch. A bad record
    raises :class:`BadRecordError` under ``bad_lines="fail"``; an HTML page that cannot be parsed counts as
    a bad record.
    """
    cleaner = cleaner or _default_for(opts)
    opts = opts or JsonlOptions()
    fh = lines if hasattr(lines, "readline") else _LineReader(iter(lines))  # type: ignore[arg-type]
    html = opts.html_field is not None
    for batch in batches(fh, name, opts, batch_size):  # type: ignore[arg-type]
        cleaned = clean_texts(cleaner, field_values(batch, opts), html)
        for _, _, out in render_batch(batch, cleaned, opts, name):
            if out.error and opts.bad_lines == "fail":
                raise BadRecordError(out.error)
            if out.line is not None:
                yield out.line


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
