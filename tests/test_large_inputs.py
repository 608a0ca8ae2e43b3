"""Text inputs larger than ``--max-doc-mb`` are cleaned block by block in flat memory (small limits here; the
default is 32 MB, and ``scripts/measure.py`` runs real multi-GB files)."""

from __future__ import annotations

import io
from pathlib import Path

from cli_runner import run

import cleannews
from cleannews.io import iter_blocks

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
LIMIT_MB = 0.25  # blocks of 64 KiB


def big_text(n_bytes: int) -> str:
    parts, size, i = [], 0, 0
    while size < n_bytes:
        s = SEEDS[i % len(SEEDS)].replace("Meta", f"Meta{i}")  # no two copies alike
        parts.append(s)
        size += len(s.encode())
        i += 1
    return "\n\n".join(parts)


def blockwise(data: bytes) -> bytes:
    block = int(LIMIT_MB * (1 << 20)) // 4
    return b"".join(cleannews.clean(b.decode("utf-8")).encode() for b in iter_blocks(io.BytesIO(data), block))


def test_iter_blocks_keeps_every_byte_and_cuts_at_paragraphs():
    data = big_text(300_000).encode()
    blocks = list(iter_blocks(io.BytesIO(data), 10_000))
    assert b"".join(blocks) == data
    assert all(b.endswith(b"\n") for b in blocks[:-1])
    assert sum(b.endswith(b"\n\n") for b in blocks) >= len(blocks) // 2
    one_line = b"y\n" + b"x" * 50_000 + b"\ny\n"  # a line longer than a block stays whole
    blocks = list(iter_blocks(io.BytesIO(one_line), 1000))
    assert b"".join(blocks) == one_line and all(b.endswith(b"\n") for b in blocks)
    assert any(b"x" * 50_000 in b for b in blocks)


def test_large_file_stdout_output_dir_stdin_and_in_place_agree(tmp_path: Path):
    data = big_text(1_000_000).encode()
    (tmp_path / "big.txt").write_bytes(data)
    want = blockwise(data)
    assert len(want) > 10_000
    opt = ["--max-doc-mb", str(LIMIT_MB)]
    res = run("big.txt", *opt, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.encode() == want
    assert run("-", *opt, cwd=tmp_path, stdin=data).stdout.encode() == want
    assert run("big.txt", "-o", "out", *opt, cwd=tmp_path).returncode == 0
    assert (tmp_path / "out/big.txt").read_bytes() == want
    check = run("--check", "big.txt", *opt, cwd=tmp_path)
    assert check.returncode == 1 and "would clean big.txt" in check.stdout
    assert run("--in-place", "big.txt", *opt, cwd=tmp_path).returncode == 0
    assert (tmp_path / "big.txt").read_bytes() == want
    assert not [p for p in tmp_path.iterdir() if ".cleannews-" in p.name]


def test_large_file_explain_gives_the_files_line_numbers(tmp_path: Path):
    data = big_text(600_000)
    (tmp_path / "big.txt").write_text(data, encoding="utf-8")
    res = run("--explain", "big.txt", "--max-doc-mb", str(LIMIT_MB), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    lines = data.splitlines()
    heads = [ln for ln in res.stdout.splitlines() if ln.startswith("big.txt:")]
    assert len(heads) > 20
    out = res.stdout.splitlines()
    for i, ln in enumerate(out):
        if ln.startswith("big.txt:"):
            first = int(ln.split(":")[1].split("-")[0])
            assert " ".join(lines[first - 1].split()) == out[i + 1].removeprefix("    - "), ln
    assert int(heads[-1].split(":")[1].split("-")[0]) > len(lines) // 2  # late blocks: the file's numbers


def test_large_file_errors_name_the_file_offset_and_leave_it_alone(tmp_path: Path):
    data = big_text(600_000).encode()
    bad = data[:400_000] + b"\xff" + data[400_000:]
    (tmp_path / "bad.txt").write_bytes(bad)
    res = run("--in-place", "bad.txt", "--max-doc-mb", str(LIMIT_MB), cwd=tmp_path)
    assert res.returncode == 2
    assert "bad.txt: not valid utf-8 at byte 400000" in res.stderr
    assert (tmp_path / "bad.txt").read_bytes() == bad
    assert not [p for p in tmp_path.iterdir() if ".cleannews-" in p.name]
    (tmp_path / "ok.txt").write_bytes(data)
    res = run("--diff", "ok.txt", "--max-doc-mb", str(LIMIT_MB), cwd=tmp_path)
    assert res.returncode == 2 and "too large for --diff" in res.stderr
