"""The ``cleannews`` command line, run as a real subprocess (``python -m cleannews``) in a temporary directory.

Seeds and golden outputs are copied from the checkout (located relative to this file), so the CLI never
touches the repository.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from cli_runner import EXTRA_RULE, run, start

from cleannews.ruleset import KINDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED_DIR = ROOT / "seeds"
GOLDEN_DIR = HERE / "golden"
SEEDS = sorted(SEED_DIR.glob("*.txt"))
SEED_002 = "002_a0429357714a5f24.txt"  # has "See Also:" (PR01) and "Read Next:" (PR02)






def golden(name: str) -> str:
    return (GOLDEN_DIR / name).read_text(encoding="utf-8")


def seed(name: str) -> str:
    return (SEED_DIR / name).read_text(encoding="utf-8")


def temp_files(d: Path) -> list[str]:
    return [str(p) for p in d.rglob("*") if ".cleannews-" in p.name]


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("cleannews: error:")]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A temp dir holding ``seeds/`` and ``golden/`` copies; the CLI runs with it as cwd."""
    shutil.copytree(SEED_DIR, tmp_path / "seeds")
    shutil.copytree(GOLDEN_DIR, tmp_path / "golden")
    return tmp_path


def test_there_are_seeds_and_golden_files():
    assert SEEDS
    assert all((GOLDEN_DIR / s.name).exists() for s in SEEDS)


# ---- single text --------------------------------------------------------------------------------------
def test_single_file_stdin_and_implicit_stdin_to_stdout_equal_golden(work: Path):
    """One seed here (no final newline); --output-dir and --in-place below cover every seed."""
    data = (SEED_DIR / SEED_002).read_bytes()
    runs = [start(f"seeds/{SEED_002}", cwd=work), start("-", cwd=work, stdin=data),
            start(cwd=work, stdin=data)]  # fmt: skip  # no path and stdin a pipe: read it
    for r in (w() for w in runs):
        assert r.returncode == 0, r.stderr
        assert r.stdout == golden(SEED_002)
        assert r.stderr == ""


# ---- --check / --diff ---------------------------------------------------------------------------------
def test_check_lists_each_seed_and_exits_1(work: Path):
    before = {p.name: p.read_bytes() for p in (work / "seeds").iterdir()}
    clean = start("--check", "golden/", cwd=work)
    r = run("--check", "seeds/", cwd=work)
    assert r.returncode == 1, r.stderr
    differ = [s.name for s in SEEDS if seed(s.name) != golden(s.name)]
    assert differ == [s.name for s in SEEDS]  # every seed needs cleaning
    listed = [ln for ln in r.stdout.splitlines() if ln.startswith("would clean ")]
    assert len(listed) == len(differ)
    for name in differ:
        assert any(f"seeds/{name}" in ln for ln in listed), (name, r.stdout)
    # --check writes nothing
    assert {p.name: p.read_bytes() for p in (work / "seeds").iterdir()} == before
    # the golden files need nothing: exit 0
    r = clean()
    assert (r.returncode, r.stdout) == (0, ""), r.stderr


_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _apply_unified_diff(out: str, originals: dict[str, list[str]]) -> dict[str, list[str]]:
    """Apply a multi-file unified diff to *originals* ({file: lines}); every line must be well formed."""
    lines = out.split("\n")
    assert lines[-1] == "", "diff output must end with a newline"
    lines.pop()
    result: dict[str, list[str]] = {}
    i = 0
    while i < len(lines):
        assert lines[i].startswith("--- a/"), f"expected a file header, got {lines[i]!r}"
        assert lines[i + 1].startswith("+++ b/"), f"expected '+++ b/', got {lines[i + 1]!r}"
        name = lines[i + 1][len("+++ b/") :]
        old, new, pos = originals[name], [], 0
        i += 2
        while i < len(lines) and not lines[i].startswith("--- a/"):
            m = _HUNK.match(lines[i])
            assert m, f"expected a hunk header, got {lines[i]!r}"
            n_old, n_new = int(m.group(2) or 1), int(m.group(4) or 1)
            start = int(m.group(1)) - (1 if n_old else 0)
            new.extend(old[pos:start])
            pos = start
            i += 1
            while n_old or n_new or (i < len(lines) and lines[i].startswith("\\")):
                tag, body = lines[i][:1], lines[i][1:]
                assert tag in " -+\\", f"{name}: malformed diff line {lines[i]!r}"
                if tag in " -":
                    assert old[pos] == body, f"{name}: diff line {body!r} is not line {pos + 1} of the input"
                    pos, n_old = pos + 1, n_old - 1
                if tag in " +":
                    new.append(body)
                    n_new -= 1
                i += 1
        new.extend(old[pos:])
        result[name] = new
    return result


def test_diff_prints_a_well_formed_unified_diff_and_exits_1(work: Path):
    """Several files, some without a final newline: each file's diff must still start on its own line, and
    applying the diff to the seeds must give the golden files."""
    clean = start("--diff", f"golden/{SEED_002}", cwd=work)
    r = run("--diff", "seeds/", cwd=work)
    assert r.returncode == 1, r.stderr
    assert f"--- a/seeds/{SEED_002}\n+++ b/seeds/{SEED_002}\n@@ " in r.stdout
    assert "\n-See Also: Apple Inc. Emphasizes Design Commitment Amidst High-Profile Exits\n" in r.stdout
    assert (work / "seeds" / SEED_002).read_text(encoding="utf-8") == seed(SEED_002)  # nothing written
    originals = {f"seeds/{s.name}": seed(s.name).splitlines() for s in SEEDS}
    patched = _apply_unified_diff(r.stdout, originals)
    assert sorted(patched) == sorted(originals)
    for s in SEEDS:
        assert patched[f"seeds/{s.name}"] == golden(s.name).splitlines(), s.name
    r = clean()
    assert (r.returncode, r.stdout) == (0, ""), r.stderr


# ---- writing ------------------------------------------------------------------------------------------
def test_in_place_rewrites_atomically_and_keeps_mode(work: Path):
    d = work / "seeds"
    modes = {}
    for i, p in enumerate(sorted(d.iterdir())):
        modes[p.name] = (0o600, 0o640, 0o644, 0o664, 0o604)[i % 5]
        p.chmod(modes[p.name])
    # a hard link to the old file keeps the old content: the file was replaced, not truncated and rewritten
    os.link(d / SEED_002, work / "old-link.txt")
    # an already clean file is not rewritten at all
    shutil.copy(GOLDEN_DIR / SEED_002, d / "already-clean.txt")
    clean_ino, clean_mtime = (d / "already-clean.txt").stat().st_ino, (d / "already-clean.txt").stat().st_mtime_ns
    r = run("--in-place", "seeds/", cwd=work)
    assert r.returncode == 0, r.stderr
    assert f"{len(SEEDS)} cleaned, 1 unchanged, 0 errors" in r.stderr
    for s in SEEDS:
        assert (d / s.name).read_text(encoding="utf-8") == golden(s.name), s.name
        assert stat.S_IMODE((d / s.name).stat().st_mode) == modes[s.name], s.name
    assert (work / "old-link.txt").read_text(encoding="utf-8") == seed(SEED_002)
    assert temp_files(work) == []
    assert sorted(p.name for p in d.iterdir()) == sorted(["already-clean.txt", *(s.name for s in SEEDS)])
    st_clean = (d / "already-clean.txt").stat()
    assert (st_clean.st_ino, st_clean.st_mtime_ns) == (clean_ino, clean_mtime)


def test_output_dir(work: Path):
    (work / "seeds" / "sub").mkdir()
    shutil.copy(SEED_DIR / SEED_002, work / "seeds" / "sub" / "nested.txt")
    before = {p: p.read_bytes() for p in (work / "seeds").rglob("*.txt")}
    shutil.copy(GOLDEN_DIR / SEED_002, work / "single-clean.txt")
    # a directory (its tree is kept under DIR) and a single file (DIR/its name; copied although clean)
    r = run("--output-dir", "out", "seeds/", "single-clean.txt", cwd=work)
    assert r.returncode == 0, r.stderr
    for s in SEEDS:
        assert (work / "out" / s.name).read_text(encoding="utf-8") == golden(s.name), s.name
    assert (work / "out" / "sub" / "nested.txt").read_text(encoding="utf-8") == golden(SEED_002)
    assert (work / "out" / "single-clean.txt").read_text(encoding="utf-8") == golden(SEED_002)
    assert {p: p.read_bytes() for p in (work / "seeds").rglob("*.txt")} == before  # inputs untouched
    assert temp_files(work) == []


# ---- rules --------------------------------------------------------------------------------------------
def test_explain_prints_rule_ids_and_input_line_numbers(work: Path):
    r = run("--explain", "seeds/", cwd=work)
    assert r.returncode == 0, r.stderr
    for rid in ("PR01", "PR02", "H02", "CR01"):
        assert f": {rid} " in r.stdout, rid
    see_also = 1 + next(i for i, ln in enumerate(seed(SEED_002).splitlines()) if ln.startswith("See Also:"))
    assert f"seeds/{SEED_002}:{see_also}-{see_also}: PR01 promo.see-also-inline: " in r.stdout
    assert "    - See Also: Apple Inc." in r.stdout



SYNDICATED_DOC = (
    "Council approves the budget\n"
    "The council met on Monday and approved the budget for next year after a long debate.\n"
    "Shopper syndication ID 8842-A\n"
    "The mayor said the vote was a good result for the city and its residents.\n"
)


def test_extra_rule_file_adds_a_rule_that_fires(work: Path):
    (work / "extra.toml").write_text(EXTRA_RULE, encoding="utf-8")
    (work / "doc.txt").write_text(SYNDICATED_DOC, encoding="utf-8")
    control = start("doc.txt", cwd=work)
    r = run("--rules", "extra.toml", "--explain", "-o", "out", "doc.txt", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "doc.txt:3-3: XT01 extra.syndication-id: Our syndication feed's ID line" in r.stdout
    assert (work / "out" / "doc.txt").read_text(encoding="utf-8") == SYNDICATED_DOC.replace(
        "Shopper syndication ID 8842-A\n", ""
    )
    assert control().stdout == SYNDICATED_DOC  # without the extra rule the line stays


def test_disable_switches_a_rule_off(work: Path):
    r = run("--disable", "PR01", f"seeds/{SEED_002}", cwd=work)
    assert r.returncode == 0, r.stderr
    line = "See Also: Apple Inc. Emphasizes Design Commitment Amidst High-Profile Exits"
    out = r.stdout.splitlines()
    assert line in out
    out.remove(line)
    assert out == golden(SEED_002).splitlines()  # everything else is cleaned as usual


BROKEN_RULES = {
    "syntax-rules.toml": ('[[rule]]\nid = "XT01"\nname = "broken\n', "invalid TOML"),
    "regex-rules.toml": (
        '[[rule]]\nid = "XT01"\nname = "x.y"\nkind = "line"\npattern = "(unclosed"\nmessage = "m"\n',
        "invalid regex",
    ),
}


def test_broken_rule_file_exits_2_naming_the_file(work: Path):
    for name, (content, _) in BROKEN_RULES.items():
        (work / name).write_text(content, encoding="utf-8")
    runs = {name: start("--rules", name, "--in-place", "seeds/", cwd=work) for name in BROKEN_RULES}
    for name, wait in runs.items():
        r = wait()
        assert r.returncode == 2
        assert name in r.stderr
        assert BROKEN_RULES[name][1] in r.stderr
        assert r.stdout == ""
    for s in SEEDS:  # nothing was touched
        assert (work / "seeds" / s.name).read_text(encoding="utf-8") == seed(s.name)


def test_bad_rule_options_exit_2(work: Path):
    missing = start("--rules", "missing.toml", f"seeds/{SEED_002}", cwd=work)
    unknown = start("--disable", "NOPE99", f"seeds/{SEED_002}", cwd=work)
    r = missing()
    assert r.returncode == 2
    assert "missing.toml" in r.stderr
    r = unknown()
    assert r.returncode == 2
    assert "NOPE99" in r.stderr


def test_jobs_2_gives_the_same_results_as_jobs_1(work: Path):
    for i in range(12):  # enough files for several workers
        shutil.copy(SEEDS[i % len(SEEDS)], work / "seeds" / f"copy{i:02d}.txt")
    w1 = start("-j", "1", "--explain", "-o", "out1", "seeds/", cwd=work)
    w2 = start("-j", "2", "--explain", "-o", "out2", "seeds/", cwd=work)
    r1, r2 = w1(), w2()
    assert (r1.returncode, r2.returncode) == (0, 0), r1.stderr + r2.stderr
    assert r1.stdout == r2.stdout  # the explanations, in input order
    assert r1.stderr == r2.stderr  # the summary
    files1 = {p.relative_to(work / "out1"): p.read_bytes() for p in (work / "out1").rglob("*")}
    files2 = {p.relative_to(work / "out2"): p.read_bytes() for p in (work / "out2").rglob("*")}
    assert files1 == files2
    assert len(files1) == len(SEEDS) + 12
    assert all(files1[Path(s.name)] == golden(s.name).encode("utf-8") for s in SEEDS)


def test_several_inputs_without_a_mode_is_a_usage_error(work: Path):
    files = start(f"seeds/{SEEDS[0].name}", f"seeds/{SEEDS[1].name}", cwd=work)
    folder = start("seeds/", cwd=work)  # a directory is several inputs too
    for r in (files(), folder()):
        assert r.returncode == 2
        assert "several inputs" in r.stderr
        assert r.stdout == ""


def test_list_rules(work: Path):
    (work / "extra.toml").write_text(EXTRA_RULE, encoding="utf-8")
    changed = start("--list-rules", "--rules", "extra.toml", "--disable", "PR01", cwd=work)
    r = run("--list-rules", cwd=work)
    assert r.returncode == 0, r.stderr
    rows = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert rows and all(len(row) == 4 for row in rows)
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))
    assert {"PR01", "PR02", "CR01", "TL03"} <= set(ids)
    assert {row[2] for row in rows} <= set(KINDS)
    r = changed()
    assert r.returncode == 0, r.stderr
    ids2 = [ln.split("\t")[0] for ln in r.stdout.splitlines()]
    assert "XT01" in ids2
    assert "PR01" not in ids2


def test_help_documents_exit_codes(work: Path):
    r = run("--help", cwd=work)
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    assert "Exit codes: 0" in text
    assert "1 --check or --diff found changes" in text
    assert "2 error" in text


# ---- JSONL --------------------------------------------------------------------------------------------
def _records(seed_names: list[str]) -> list[dict[str, object]]:
    return [{"id": i, "text": seed(n), "meta": {"src": n, "tags": ["a", "ü"]}, "z": None}
            for i, n in enumerate(seed_names)]  # fmt: skip


def _write_jsonl(path: Path, lines: list[object]) -> None:
    """Objects are dumped; strings are written as they are (for malformed lines)."""
    body = "".join((ln if isinstance(ln, str) else json.dumps(ln, ensure_ascii=False)) + "\n" for ln in lines)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(body.encode("utf-8")))
    else:
        path.write_text(body, encoding="utf-8")


def _read_jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in text.splitlines() if ln.strip()]


NAMES = [s.name for s in SEEDS]


def test_jsonl_field_text_keeps_other_fields_and_order(work: Path):
    recs = _records(NAMES)
    _write_jsonl(work / "data.jsonl", recs)  # .jsonl: auto-detected, no --jsonl needed
    r = run("--field", "text", "data.jsonl", cwd=work)
    assert r.returncode == 0, r.stderr
    out = _read_jsonl(r.stdout)
    assert len(out) == len(recs)
    for rec, got, name in zip(recs, out, NAMES, strict=True):
        assert list(got) == list(rec)  # same keys, same order
        assert got["text"] == golden(name)
        assert {k: v for k, v in got.items() if k != "text"} == {k: v for k, v in rec.items() if k != "text"}


def test_jsonl_custom_field_and_stdin(work: Path):
    recs = [{"body": seed(n), "text": "Leave a Reply"} for n in NAMES]
    data = "".join(json.dumps(r) + "\n" for r in recs).encode("utf-8")
    r = run("--jsonl", "--field", "body", "-", cwd=work, stdin=data)
    assert r.returncode == 0, r.stderr
    out = _read_jsonl(r.stdout)
    assert [o["body"] for o in out] == [golden(n) for n in NAMES]
    assert all(o["text"] == "Leave a Reply" for o in out)  # the other field is not cleaned


def test_jsonl_output_field_keeps_the_original(work: Path):
    recs = _records(NAMES)
    _write_jsonl(work / "data.jsonl", recs)
    r = run("--output-field", "clean", "data.jsonl", cwd=work)
    assert r.returncode == 0, r.stderr
    out = _read_jsonl(r.stdout)
    for rec, got, name in zip(recs, out, NAMES, strict=True):
        assert got["text"] == rec["text"]
        assert got["clean"] == golden(name)
        assert list(got) == [*rec, "clean"]


def test_jsonl_malformed_line_fails_the_file_by_default(work: Path):
    recs = _records(NAMES[:3])
    _write_jsonl(work / "data.jsonl", [recs[0], '{"text": "unterminated', recs[1], recs[2]])
    original = (work / "data.jsonl").read_bytes()
    in_place = start("--in-place", "data.jsonl", cwd=work)
    r = run("data.jsonl", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "data.jsonl:2:" in errs[0]
    assert "--bad-lines" in errs[0]  # says how to go on
    r = in_place()
    assert r.returncode == 2
    assert (work / "data.jsonl").read_bytes() == original  # a failed file is not rewritten
    assert temp_files(work) == []


def test_jsonl_bad_lines_skip_writes_the_others(work: Path):
    recs = _records(NAMES[:3])
    _write_jsonl(work / "data.jsonl", [recs[0], "{broken", "", recs[1], "[1, 2]", recs[2]])
    r = run("--bad-lines", "skip", "data.jsonl", cwd=work)
    assert r.returncode == 2  # errors are still errors
    assert [o["text"] for o in _read_jsonl(r.stdout)] == [golden(n) for n in NAMES[:3]]
    errs = error_lines(r.stderr)
    assert len(errs) == 2
    assert "data.jsonl:2:" in errs[0]
    assert "data.jsonl:5:" in errs[1]  # blank line 3 counts as a line
    assert all("skipped" in e for e in errs)


def test_jsonl_missing_and_non_string_field_are_reported(work: Path):
    recs = _records(NAMES[:2])
    _write_jsonl(work / "data.jsonl", [recs[0], {"title": "no text here"}, {"text": 42}, {"text": None}, recs[1]])
    skip = start("--bad-lines", "skip", "data.jsonl", cwd=work)
    r = run("data.jsonl", cwd=work)
    assert r.returncode == 2
    errs = error_lines(r.stderr)
    assert len(errs) == 1
    assert "data.jsonl:2:" in errs[0]
    assert "'text'" in errs[0]
    r = skip()
    assert r.returncode == 2
    assert [o["text"] for o in _read_jsonl(r.stdout)] == [golden(n) for n in NAMES[:2]]
    errs = error_lines(r.stderr)
    assert len(errs) == 3
    assert "data.jsonl:2:" in errs[0]
    assert "no field 'text'" in errs[0]
    assert "data.jsonl:3:" in errs[1]
    assert "int" in errs[1]
    assert "data.jsonl:4:" in errs[2]
    assert "NoneType" in errs[2]


def test_jsonl_in_place(work: Path):
    recs = _records(NAMES)
    p = work / "data.jsonl"
    _write_jsonl(p, recs)
    p.chmod(0o640)
    r = run("--in-place", "data.jsonl", cwd=work)
    assert r.returncode == 0, r.stderr
    out = _read_jsonl(p.read_text(encoding="utf-8"))
    assert [o["text"] for o in out] == [golden(n) for n in NAMES]
    assert [o["meta"] for o in out] == [rec["meta"] for rec in recs]
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert temp_files(work) == []
    assert sorted(x.name for x in work.iterdir()) == ["data.jsonl", "golden", "seeds"]


def test_jsonl_gzip_input_and_in_place(work: Path):
    recs = _records(NAMES)
    p = work / "data.jsonl.gz"
    _write_jsonl(p, recs)
    to_dir = start("-o", "out", "data.jsonl.gz", cwd=work)
    r = run("data.jsonl.gz", cwd=work)
    assert r.returncode == 0, r.stderr
    assert [o["text"] for o in _read_jsonl(r.stdout)] == [golden(n) for n in NAMES]
    r = to_dir()
    assert r.returncode == 0, r.stderr
    assert [o["text"] for o in _read_jsonl(gzip.decompress((work / "out" / p.name).read_bytes()).decode())] == [
        golden(n) for n in NAMES
    ]
    r = run("-i", "data.jsonl.gz", cwd=work)
    assert r.returncode == 0, r.stderr
    assert [o["text"] for o in _read_jsonl(gzip.decompress(p.read_bytes()).decode())] == [golden(n) for n in NAMES]
    assert temp_files(work) == []


def test_jsonl_check(work: Path):
    recs = [{"text": golden(NAMES[0])}, {"text": seed(SEED_002)}]
    _write_jsonl(work / "data.jsonl", recs)
    before = (work / "data.jsonl").read_bytes()
    r = run("--check", "data.jsonl", cwd=work)
    assert r.returncode == 1, r.stderr
    assert "would clean data.jsonl:2 " in r.stdout
    assert "data.jsonl:1 " not in r.stdout
    assert (work / "data.jsonl").read_bytes() == before


def test_jsonl_jobs_2_matches_jobs_1(work: Path):
    recs = [{"n": i, "text": seed(NAMES[i % len(NAMES)])} for i in range(700)]  # several 256-record batches
    _write_jsonl(work / "big.jsonl", recs)
    w1, w2 = start("-j", "1", "big.jsonl", cwd=work), start("-j", "2", "big.jsonl", cwd=work)
    r1, r2 = w1(), w2()
    assert (r1.returncode, r2.returncode) == (0, 0), r1.stderr + r2.stderr
    assert r1.stdout == r2.stdout
    assert [o["n"] for o in _read_jsonl(r2.stdout)] == list(range(700))


def test_jsonl_lone_surrogate_escape_round_trips(work: Path):
    """JSON may hold a lone surrogate ("\\ud800"); it cannot be UTF-8 encoded raw, so it stays escaped."""
    (work / "s.jsonl").write_text('{"text": "Broken \\ud800 char in an article line."}\n', encoding="utf-8")
    r = run("s.jsonl", cwd=work)
    assert r.returncode == 0, r.stderr
    assert _read_jsonl(r.stdout) == [{"text": "Broken \ud800 char in an article line.\n"}]


def _corrupt_deflate(data: bytes) -> bytes:
    z = gzip.compress(data)
    return z[:10] + b"\xff" * 10 + z[20:]  # valid header, broken deflate stream (zlib.error)


BIG_JSONL = b'{"text": "Some article text."}\n' * 300


def test_jsonl_broken_gzip_is_a_clean_error(work: Path):
    bad = {"not-gzip.jsonl.gz": b"not gzip at all\n", "bad-deflate.jsonl.gz": _corrupt_deflate(BIG_JSONL),
           "truncated.jsonl.gz": gzip.compress(BIG_JSONL)[:40]}  # fmt: skip
    for name, content in bad.items():
        (work / name).write_bytes(content)
    _write_jsonl(work / "good.jsonl", [{"text": seed(SEED_002)}])
    # -j 2: the reading happens in the pool's feeder thread; the error must still come back as one line
    runs = [start("-j", 1, "-o", "out", "not-gzip.jsonl.gz", "bad-deflate.jsonl.gz", "good.jsonl", cwd=work),
            start("-j", 2, "-o", "out2", "truncated.jsonl.gz", "good.jsonl", cwd=work)]  # fmt: skip
    for (out, names), wait in zip([("out", list(bad)[:2]), ("out2", list(bad)[2:])], runs, strict=True):
        r = wait()
        assert r.returncode == 2
        errs = error_lines(r.stderr)
        assert len(errs) == len(names)
        for name, err in zip(names, errs, strict=True):
            assert err.startswith(f"cleannews: error: {name}:"), err
            assert not (work / out / name).exists()
        got = _read_jsonl((work / out / "good.jsonl").read_text(encoding="utf-8"))
        assert got == [{"text": golden(SEED_002)}]
    assert temp_files(work) == []


def test_in_place_writes_through_a_symlink(work: Path):
    (work / "real.txt").write_text(seed(SEED_002), encoding="utf-8")
    (work / "link.txt").symlink_to("real.txt")
    _write_jsonl(work / "real.jsonl", [{"text": seed(SEED_002)}])
    (work / "link.jsonl").symlink_to("real.jsonl")
    runs = [start("-i", "link.txt", cwd=work), start("-i", "link.jsonl", cwd=work)]
    for r in (w() for w in runs):
        assert r.returncode == 0, r.stderr
    assert (work / "link.txt").is_symlink()
    assert (work / "link.jsonl").is_symlink()
    assert (work / "real.txt").read_text(encoding="utf-8") == golden(SEED_002)
    assert _read_jsonl((work / "real.jsonl").read_text(encoding="utf-8")) == [{"text": golden(SEED_002)}]
    assert temp_files(work) == []


def test_bad_lines_keep_writes_the_line_unchanged(tmp_path: Path):
    bad = b'{"text": "broken'
    (tmp_path / "d.jsonl").write_bytes(b'{"text": "Story.\\nLeave a Reply"}\n' + bad + b"\n")
    res = run("--bad-lines", "keep", "d.jsonl", cwd=tmp_path)
    assert res.returncode == 2
    assert "d.jsonl:2" in res.stderr
    assert res.stdout.splitlines()[1] == bad.decode()


def test_rules_check_validates_and_runs_examples(tmp_path: Path):
    good = tmp_path / "good.toml"
    good.write_text('[[rule]]\nid="X01"\nname="x.hello"\nkind="line"\npattern="hello"\nmessage="m"\n'
                    '[[rule.example]]\ntext="""\n- hello\n  hello world\n"""\n')  # fmt: skip
    assert run("rules", "check", good, cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("- hello\n", "- hello\n- goodbye\n"))
    res = run("rules", "check", bad, cwd=tmp_path)
    assert res.returncode == 2 and "X01" in res.stdout and "goodbye" in res.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text('[[rule]]\nid="X01"\nname="x.y"\nkind="line"\npattern="a("\nmessage="m"\n')
    res = run("rules", "check", broken, cwd=tmp_path)
    assert res.returncode == 2 and "broken.toml" in res.stderr and "invalid regex" in res.stderr


def test_shipped_rules_pass_rules_check(tmp_path: Path):
    from cleannews.ruleset import default_rule_dir

    assert run("rules", "check", default_rule_dir(), cwd=tmp_path).returncode == 0


def test_ctrl_c_with_workers_stops_promptly(tmp_path: Path):
    """SIGINT to a -j 2 run: exit 130 within seconds (no hang in pool.join), no traceback, no torn files."""
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "D"
    corpus.mkdir()
    body = "".join(seed(s.name) for s in SEEDS) * 3
    for i in range(1500):
        (corpus / f"f{i}.txt").write_text(body, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "cleannews", "--in-place", "D", "-j", "2", "--no-progress"],
                            cwd=tmp_path, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        rc = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("cleannews -j 2 hung after SIGINT")
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert rc in (0, 130), err  # 0 only if it finished before the signal arrived
    assert "Traceback" not in err
    cleaned = "".join(line + "\n" for line in __import__("cleannews").clean(body).splitlines())
    for f in corpus.glob("*.txt"):
        assert f.read_text(encoding="utf-8") in (body, cleaned)
