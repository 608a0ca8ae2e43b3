"""Input and output at the edges: reading files safely, atomic writes, JSONL records, file discovery.

Nothing here cleans text; the core (:mod:`cleannews.pipeline`) never does I/O.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import os
import re
import stat
import tempfile
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO


class InputError(Exception):
    """A problem with one input: the message names the file (and line) and says what is wrong."""


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def wide_bom(data: bytes) -> bool:
    """Does *data* start with a UTF-16 or UTF-32 byte order mark?"""
    return any(data.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig")


def decode(data: bytes, name: str, encoding: str = "utf-8", errors: str = "strict", offset: int = 0) -> str:
    """Decode *data*: a BOM wins (UTF-8/16/32); NUL bytes without one mean binary; errors name the offset
    (plus *offset*, where *data* starts in the file)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    else:
        if b"\x00" in data[:65536] or (b"\x00" in data and encoding.replace("-", "").lower() == "utf8"):
            raise InputError(f"{name}: binary file (contains NUL bytes); not cleaned")
    try:
        return data.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {exc.encoding} at byte {offset + exc.start} ({exc.reason}); "
            "use --encoding or --errors replace"
        ) from None
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None


def read_bytes(path: Path) -> bytes:
    """Read a file (``.gz`` transparently) with a clear error for each way it can fail."""
    name = str(path)
    try:
        if path.is_symlink() and not path.exists():
            raise InputError(f"{name}: broken symbolic link")
        if path.is_dir():
            raise InputError(f"{name}: is a directory (give it as a directory argument to recurse)")
        with open(path, "rb") as fh:
            data = fh.read()
        return decompress(data, name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"{name}: broken gzip data ({exc})") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


# ---- compression, by file name: name.gz (gzip), name.zst (Zstandard) -------------------------------------
def _zstd():  # type: ignore[no-untyped-def]
    import zstandard

    return zstandard


def decompress(data: bytes, name: str) -> bytes:
    """*data* as stored in file *name*, decompressed when the name says so (``.gz``, ``.zst``)."""
    if name.endswith(".gz"):
        return gzip.decompress(data)
    if name.endswith(".zst"):
        zstd = _zstd()
        try:
            with zstd.ZstdDecompressor().stream_reader(data, read_across_frames=True) as r:
                return r.read()
        except zstd.ZstdError as exc:
            raise InputError(f"{name}: broken zstd data ({exc})") from None
    return data


def open_binary(path: Path) -> IO[bytes]:
    """Open *path* for streaming reads, decompressing ``.gz`` and ``.zst`` on the fly."""
    name = str(path)
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".zst"):
        fh = open(path, "rb")  # noqa: SIM115 - closed by the reader (closefd)
        reader = _zstd().ZstdDecompressor().stream_reader(fh, read_across_frames=True, closefd=True)
        return io.BufferedReader(reader, 1 << 20)  # type: ignore[arg-type]
    return open(path, "rb")


def compressing_writer(raw: IO[bytes], name: str) -> IO[bytes]:
    """A stream that compresses into *raw* as file *name* asks (or *raw* itself); closing it flushes the
    compressed data but leaves *raw* open."""
    if name.endswith(".gz"):
        return gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0)  # no temp name in the header
    if name.endswith(".zst"):
        return _zstd().ZstdCompressor(level=3).stream_writer(raw, closefd=False)  # type: ignore[no-any-return]
    return _Unclosing(raw)


class _Unclosing(io.BufferedIOBase):
    """*raw* behind a close() that does not close it (so every writer can be closed the same way)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def write(self, b: bytes) -> int:  # type: ignore[override]
        return self._raw.write(b)

    def flush(self) -> None:
        self._raw.flush()

    def writable(self) -> bool:
        return True


# ---- temp files of atomic writes ---------------------------------------------------------------------
def temp_prefix(path: Path) -> str:
    """Temp files for *path* are ``.<name>.cleannews-<pid>-<random>.tmp`` in the same folder."""
    return f".{path.name}.cleannews-{os.getpid()}-"


_TEMP = re.compile(r"\.(?P<name>.+)\.cleannews-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp\Z", re.S)


def remove_stale_temps(folder: Path) -> int:
    """Remove the temp files that runs killed mid-write (SIGKILL, power loss) left in *folder*.

    A temp file is stale when the process whose id is in its name no longer exists; one of a run still
    going is left alone. The CLI calls this once per output folder before writing. Returns how many
    were removed.
    """
    removed = 0
    try:
        entries = [e for e in os.scandir(folder or ".") if ".cleannews-" in e.name and e.name.endswith(".tmp")]
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None or _alive(int(m["pid"])):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    """Is process *pid* running? (A zombie, killed but not yet reaped, is not.)"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): it exists


def read_text(path: Path, encoding: str = "utf-8", errors: str = "strict") -> str:
    return decode(read_bytes(path), str(path), encoding, errors)


class AtomicFile:
    """A file replaced all at once: written to a same-directory temp file, then on :meth:`commit` flushed,
    fsynced, given the old file's mode (a new file: the mode a plain ``open`` would give) and renamed over
    the target, and the rename fsynced. A reader, or a crash at any point, sees the complete old file or the
    complete new one, never a half-written one. Leaving the ``with`` block without ``commit`` (an error,
    ``--check``) removes the temp file.

    The temp file is ``.<name>.cleannews-<pid>-*.tmp``; one left by a killed run is removed by the next run
    that writes into the folder (:func:`remove_stale_temps`). A symbolic link is written through (replacing
    the link itself would leave its target stale). Data is compressed as the name says (``.gz``, ``.zst``).
    """

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        self.path = path
        fd, self.tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent or ".")
        self._raw = os.fdopen(fd, "wb")
        self._out = compressing_writer(self._raw, path.name)
        self.done = False

    def write(self, data: bytes) -> int:
        return self._out.write(data)

    def commit(self) -> None:
        self._out.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:  # a new file: the mode a plain open() would give (mkstemp's is 0600)
            mode = 0o666 & ~_umask()
        os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.path)
        self.done = True
        try:  # make the rename itself durable
            dfd = os.open(self.path.parent or ".", os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self._out.close()
        with contextlib.suppress(Exception):
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.discard()


_UMASK: list[int] = []
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process umask, read once (reading it means setting it, which is not thread-safe)."""
    with _UMASK_LOCK:
        if not _UMASK:
            mask = os.umask(0)
            os.umask(mask)
            _UMASK.append(mask)
    return _UMASK[0]


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace *path* with *data* all at once (see :class:`AtomicFile`)."""
    with AtomicFile(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.commit()


def iter_blocks(fh: IO[bytes], size: int, head: bytes = b"") -> Iterator[bytes]:
    """*fh* in blocks of about *size* bytes that end at a paragraph break (a blank line) where there is one
    in the block's second half, else at a line end; a line longer than *size* stays whole. Blocks split
    after a ``\\n`` byte, which UTF-8 never has inside a character, so each block decodes on its own.
    *head*: bytes already read from *fh* (they come first)."""
    first = io.BytesIO(head)
    rest = b""
    parts: list[bytes] = []  # a line longer than a block, gathered without copying it again and again
    while True:
        chunk = first.read(size) or fh.read(size)
        if not chunk:
            if parts or rest:
                yield b"".join([*parts, rest])
            return
        if parts and b"\n" not in chunk:
            parts.append(chunk)
            continue
        buf = b"".join([*parts, rest, chunk]) if parts else rest + chunk
        parts = []
        cut = buf.rfind(b"\n\n", len(buf) // 2) + 2
        if cut < 2:
            cut = buf.rfind(b"\n") + 1
        if cut <= 0:  # no line end yet: keep reading
            parts, rest = [buf], b""
            continue
        yield buf[:cut]
        rest = buf[cut:]


def iter_files(args: Iterable[str], glob: str) -> Iterator[Path]:
    """Files named directly (always) and files under directories matching *glob* (recursive, sorted).

    Hidden entries (``.git``, ``.cache``, our own temp files) under a directory are skipped.
    """
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            for f in sorted(p.rglob(glob)):
                rel = f.relative_to(p).parts
                if any(part.startswith(".") for part in rel) or not (f.is_file() or f.is_symlink()):
                    continue
                yield f
        else:
            yield p


def is_jsonl(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith((".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".ndjson.gz", ".ndjson.zst"))


HTML_SUFFIXES = tuple(s + z for s in (".html", ".htm", ".xhtml") for z in ("", ".gz", ".zst"))
TEXT_SUFFIXES = tuple(s + z for s in (".txt", ".text") for z in ("", ".gz", ".zst"))


def html_by_name(path: str | Path) -> bool | None:
    """True for an HTML file name (``.html``, ``.htm``, ``.xhtml``, each optionally ``.gz``), False for a text
    one (``.txt``, ``.text``), None when the name does not say (no or another extension: sniff the content)."""
    name = str(path).lower()
    if name.endswith(HTML_SUFFIXES):
        return True
    if name.endswith(TEXT_SUFFIXES):
        return False
    return None


_SNIFF_LEAD = re.compile(r"(?:\s+|<!--.*?-->|<\?xml[^>]*>)*", re.S)  # white space, comments, an XML declaration
_SNIFF_START = re.compile(r"<!doctype\s+html\b|<html[\s>/]", re.I)
_SNIFF_EARLY = re.compile(r"<(?:head|body)[\s>/]", re.I)
SNIFF_BYTES = 1024


def sniff_html(data: bytes) -> bool:
    """Does *data* start like an HTML page? After an optional BOM, white space, comments and an XML
    declaration: ``<!doctype html`` or ``<html``, or a tag with a ``<head``/``<body`` tag in the first KB.

    >>> sniff_html(b"\\xef\\xbb\\xbf  <!DOCTYPE html><p>x"), sniff_html(b"<meta charset=utf-8><body>x")
    (True, True)
    >>> sniff_html(b"Use <html> tags, said the editor."), sniff_html(b"<b>bold</b> words")
    (False, False)
    """
    head = data[: SNIFF_BYTES * 4]
    for bom, enc in _BOMS:
        if head.startswith(bom):
            text = head.decode(enc, "ignore").lstrip("\ufeff")
            break
    else:
        text = head.decode("latin-1")
    text = text[_SNIFF_LEAD.match(text).end() :][:SNIFF_BYTES]  # type: ignore[union-attr]
    if _SNIFF_START.match(text):
        return True
    return text.startswith("<") and _SNIFF_EARLY.search(text) is not None


def html_output_path(path: str) -> str:
    """Where ``-o DIR`` writes the text of the page mirrored to *path*: ``page.html`` → ``page.html.txt``
    (the page's name kept, so ``page.html`` and ``page.htm`` never collide), ``page.html.gz`` →
    ``page.html.txt.gz`` (compressed in, compressed out, as for text files)."""
    for z in (".gz", ".zst"):
        if path.endswith(z):
            return path[: -len(z)] + ".txt" + z
    return path + ".txt"


@dataclass(frozen=True, slots=True)
class Record:
    """One JSONL line: its 1-based line number, the parsed object (or None) and an error (or "")."""

    lineno: int
    obj: dict[str, object] | None
    error: str = ""
    raw: bytes = b""  # the line as read, kept for bad lines (``--bad-lines keep`` writes it back unchanged)
    size: int = 0  # bytes read for this record (for throughput figures)


def read_records(fh: IO[bytes], name: str, field: str) -> Iterator[Record]:
    """Parse JSONL lazily (constant memory). Blank lines are skipped; every bad line yields an error."""
    lineno = 0
    while True:
        try:
            raw = fh.readline()
        except Exception as exc:  # broken or truncated gzip/zstd data (OSError, EOFError, zlib.error, ZstdError)
            raise InputError(f"{name}:{lineno + 1}: cannot read ({exc})") from None
        if not raw:
            return
        lineno += 1
        rec = parse_record(raw, lineno, name, field)
        if rec is not None:
            yield rec


def parse_record(raw: bytes, lineno: int, name: str, field: str) -> Record | None:
    """One JSONL line as a :class:`Record` (None for a blank line); a bad line gives a Record with an error."""
    if not raw.strip():
        return None
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Record(lineno, None, f"{name}:{lineno}: invalid JSON ({exc})", raw, len(raw))
    if not isinstance(obj, dict):
        return Record(lineno, None, f"{name}:{lineno}: not a JSON object", raw, len(raw))
    if field not in obj:
        return Record(lineno, None, f"{name}:{lineno}: no field {field!r}", raw, len(raw))
    if not isinstance(obj[field], str):
        kind = type(obj[field]).__name__
        return Record(lineno, None, f"{name}:{lineno}: field {field!r} is {kind}, not a string", raw, len(raw))
    return Record(lineno, obj, size=len(raw))


def dumps(obj: object) -> str:
    """JSON with non-ASCII kept as is; a lone surrogate (legal in JSON as ``"\\ud800"``, not encodable as
    UTF-8) makes the whole line fall back to ``\\u`` escapes, so the output is always valid UTF-8."""
    s = json.dumps(obj, ensure_ascii=False)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj)
    return s
