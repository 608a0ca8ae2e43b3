"""Bad and unusual input files through the CLI (a subprocess): each fails alone, with a one-line error that
names the file, and never stops the other files of the run."""

from __future__ import annotations

import codecs
import gzip
import os
import shutil
from pathlib import Path

import pytest
from cli_runner import run, start

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED_DIR = ROOT / "seeds"
GOLDEN_DIR = HERE / "golden"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
NAME = "002_a0429357714a5f24.txt"






def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("cleannews: error:")]


def golden(name: str = NAME) -> str:
    return (GOLDEN_DIR / name).read_text(encoding="utf-8")


def seed_text(name: str = NAME) -> str:
    return (SEED_DIR / name).read_text(encoding="utf-8")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """``in/`` holds one good seed (``good.txt``); tests add bad files beside it."""
    (tmp_path / "in").mkdir()
    shutil.copy(SEED_DIR / NAME, tmp_path / "in" / "good.txt")
    return tmp_path


LATIN1 = "Café owners protested outside the town hall on Monday morning, the police said.\n".encode("latin-1")


def test_not_utf8_fails_alone_with_the_byte_offset(work: Path):
    (work / "in" / "bad.txt").write_bytes(LATIN1)
    shutil.copytree(work / "in", work / "in2")
    in_place = start("--in-place", "in2/", cwd=work)
    r = run("--output-dir", "out", "in/", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1, r.stderr
    assert "in/bad.txt" in errs[0]
    assert "byte 3" in errs[0]  # b"Caf" then \xe9
    assert "--errors replace" in errs[0] or "--encoding" in errs[0]  # says what to do
    assert (work / "out" / "good.txt").read_text(encoding="utf-8") == golden()  # the other file was done
    assert not (work / "out" / "bad.txt").exists()
    # --in-place: the good file is rewritten, the bad one left exactly as it was
    r = in_place()
    assert r.returncode == 2
    assert len(error_lines(r.stderr)) == 1
    assert (work / "in2" / "good.txt").read_text(encoding="utf-8") == golden()
    assert (work / "in2" / "bad.txt").read_bytes() == LATIN1


def test_errors_replace_and_encoding_option(work: Path):
    (work / "bad.txt").write_bytes(LATIN1)
    latin1 = start("--encoding", "latin-1", "bad.txt", cwd=work)
    r = run("--errors", "replace", "bad.txt", cwd=work)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Caf\ufffd owners protested")
    r = latin1()
    assert r.returncode == 0, r.stderr
    assert r.stdout == LATIN1.decode("latin-1")


BOMS = {"utf16le.txt": (codecs.BOM_UTF16_LE, "utf-16-le"), "utf16be.txt": (codecs.BOM_UTF16_BE, "utf-16-be"),
        "utf8bom.txt": (codecs.BOM_UTF8, "utf-8")}  # fmt: skip


def test_bom_decides_the_encoding(work: Path):
    for name, (bom, codec) in BOMS.items():
        (work / "bom").mkdir(exist_ok=True)
        (work / "bom" / name).write_bytes(bom + seed_text().encode(codec))
    r = run("-o", "out", "bom", cwd=work)
    assert r.returncode == 0, r.stderr
    for name in BOMS:  # decoded, cleaned, written as UTF-8 without a BOM
        assert (work / "out" / name).read_bytes() == golden().encode("utf-8"), name


def test_binary_file_is_refused_clearly(work: Path):
    (work / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    r = run("-o", "out", "in/", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "in/image.txt" in errs[0]
    assert "binary" in errs[0]
    assert (work / "out" / "good.txt").read_text(encoding="utf-8") == golden()


def test_empty_file_gives_empty_output(work: Path):
    (work / "e").mkdir()
    (work / "e" / "empty.txt").write_bytes(b"")
    (work / "e" / "blank.txt").write_bytes("\n\n  \r\n\t\u00a0\u200b\n".encode())
    to_dir = start("-o", "out", "e", cwd=work)
    r = run("e/empty.txt", cwd=work)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    r = to_dir()
    assert r.returncode == 0, r.stderr
    assert (work / "out" / "empty.txt").read_bytes() == b""
    assert (work / "out" / "blank.txt").read_bytes() == b""


def test_missing_file(work: Path):
    r = run("--check", "in/good.txt", "nope.txt", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "nope.txt" in errs[0]
    assert "no such file" in errs[0]
    assert "would clean in/good.txt" in r.stdout  # the other file was still checked


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a mode-000 file")
def test_unreadable_file(work: Path):
    bad = work / "in" / "secret.txt"
    bad.write_text("Some text.\n", encoding="utf-8")
    bad.chmod(0o000)
    try:
        r = run("-o", "out", "in/", cwd=work)
    finally:
        bad.chmod(0o644)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "in/secret.txt" in errs[0]
    assert "permission denied" in errs[0]
    assert (work / "out" / "good.txt").read_text(encoding="utf-8") == golden()


def test_broken_symlink(work: Path):
    (work / "dangling.txt").symlink_to(work / "does-not-exist.txt")
    r = run("--check", "dangling.txt", "in/good.txt", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "dangling.txt" in errs[0]
    assert "broken symbolic link" in errs[0]
    assert "would clean in/good.txt" in r.stdout


def test_directories_recurse_and_a_directory_matching_the_glob_is_no_error(work: Path):
    deep = work / "in" / "a" / "b"
    deep.mkdir(parents=True)
    shutil.copy(SEED_DIR / NAME, deep / "deep.txt")
    (work / "in" / "folder.txt").mkdir()  # a directory whose name matches *.txt
    shutil.copy(SEED_DIR / NAME, work / "in" / "folder.txt" / "inner.txt")
    (work / "in" / "notes.md").write_text("Leave a Reply\n", encoding="utf-8")  # not matched by *.txt
    r = run("-o", "out", "in", cwd=work)
    assert r.returncode == 0, r.stderr
    assert error_lines(r.stderr) == []
    outputs = sorted(str(p.relative_to(work / "out")) for p in (work / "out").rglob("*") if p.is_file())
    assert outputs == ["a/b/deep.txt", "folder.txt/inner.txt", "good.txt"]
    assert all((work / "out" / o).read_text(encoding="utf-8") == golden() for o in outputs)


def test_crlf_and_lone_cr_give_the_same_output_as_lf(work: Path):
    for s in SEEDS:
        lf = s.read_text(encoding="utf-8").replace("\r\n", "\n")
        for sub, nl in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
            (work / "src" / sub).mkdir(parents=True, exist_ok=True)
            (work / "src" / sub / s.name).write_bytes(lf.replace("\n", nl).encode("utf-8"))
    r = run("-o", "out", "src", cwd=work)
    assert r.returncode == 0, r.stderr
    for s in SEEDS:
        for sub in ("lf", "crlf", "cr"):
            got = (work / "out" / sub / s.name).read_bytes().decode("utf-8")
            assert got == golden(s.name), (sub, s.name)


def _corrupt_deflate(data: bytes) -> bytes:
    z = gzip.compress(data)
    return z[:10] + b"\xff" * 10 + z[20:]  # valid header, broken deflate stream (zlib.error)


def test_gzip_text_input(work: Path):
    (work / "doc.txt.gz").write_bytes(gzip.compress(seed_text().encode("utf-8")))
    r = run("doc.txt.gz", cwd=work)
    assert (r.returncode, r.stdout) == (0, golden())


def test_broken_gzip_text_fails_alone(work: Path):
    text = b"Some article text. " * 200
    bad = {"not-gzip.txt.gz": b"not gzip\n", "truncated.txt.gz": gzip.compress(text)[:40],
           "bad-deflate.txt.gz": _corrupt_deflate(text)}  # fmt: skip
    for name, content in bad.items():
        (work / "in" / name).write_bytes(content)
    r = run("--check", *(f"in/{n}" for n in bad), "in/good.txt", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == len(bad)
    for name, err in zip(bad, errs, strict=True):
        assert f"in/{name}" in err
        assert "gzip" in err
    assert "would clean in/good.txt" in r.stdout
