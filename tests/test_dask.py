"""The Dask integration (:mod:`cleannews.dask`) on a real ``distributed.LocalCluster`` with 2 worker processes.

Every output shard must equal, byte for byte, what one process writes for it: ``cleannews.stream.clean_jsonl``
for the content and ``cleannews --jsonl DIR -o OUT`` for the file itself (compressed bytes included).
One cluster serves the whole module (it starts in about 2 s); the command line with its own local cluster
runs once, in a subprocess.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import EXTRA_RULE

from cleannews import Cleaner, Config
from cleannews.dask import EXTRA_MISSING, clean_shards, main, plan_shards
from cleannews.io import open_binary
from cleannews.stream import JsonlOptions, clean_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
JUNK = [
    "Leave a Reply",
    "Read Next:\nApple May See Fewer Searches In Safari, But Google CEO Insists AI Is Fueling Query Growth",
    "Photo Courtesy: Koshiro K On Shutterstock.com",
    "Disclaimer: This content was partially produced with the help of AI tools and was reviewed by editors.",
]
ARTICLE = (
    "Council approves the budget\n"
    "The council met on Monday and approved the budget for next year after a long debate.\n"
    "Shopper syndication ID 8842-A\n"
    "The mayor said the vote was a good result for the city and its residents, «ça va», 東京.\n"
)

def records(k: int) -> list[dict[str, object]]:
    """Shard *k*: every seed with a different junk tail, plus a short article with other fields around it."""
    out: list[dict[str, object]] = []
    for i, seed in enumerate(SEEDS):
        text = seed.read_text(encoding="utf-8")
        tail = JUNK[(i + k) % len(JUNK)]
        out.append({"id": f"{k}-{i}", "url": f"https://example.org/{k}/{i}", "text": f"{text}\n{tail}\n", "n": i})
    out.append({"id": f"{k}-x", "text": ARTICLE + "Leave a Reply\n", "meta": {"lang": "en", "tags": ["a", "b"]}})
    out.append({"id": f"{k}-empty", "text": ""})
    return out


def write_shard(path: Path, recs: list[dict[str, object]], bad: str | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=k % 2 == 0) for k, r in enumerate(recs)]
    if bad is not None:
        lines.insert(2, bad)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


SHARD_NAMES = ["a.jsonl", "b.jsonl.gz", "sub/c.jsonl", "d.jsonl.zst"]


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small shards (plain, gzip, in a subfolder, zstd) of seeds with junk tails."""
    root = tmp_path_factory.mktemp("shards") / "in"
    for k, name in enumerate(SHARD_NAMES):
        write_shard(root / name, records(k))
    return root


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                 host="127.0.0.1", scheduler_port=0) as cl,  # fmt: skip
        distributed.Client(cl) as client,
    ):
        client.wait_for_workers(2, timeout=60)
        yield cl, client


def single_process(src: Path, cleaner: Cleaner | None = None, opts: JsonlOptions | None = None) -> bytes:
    with open_binary(src) as fh:
        return b"".join(clean_jsonl(fh, cleaner or Cleaner(), opts or JsonlOptions(), name=str(src)))


def decompressed(path: Path) -> bytes:
    with open_binary(path) as fh:
        return fh.read()


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_cluster_output_equals_single_process_byte_for_byte(cluster, shards: Path, tmp_path: Path):
    _, client = cluster
    out = tmp_path / "dask"
    summary = clean_shards(str(shards), out, client=client)
    assert summary.errors == [] and not summary.failed, summary.errors
    assert files(out) == sorted(SHARD_NAMES)  # one output per shard, same names, no temp file left
    n_docs = 0
    for name in SHARD_NAMES:
        want = single_process(shards / name)
        assert decompressed(out / name) == want, name
        n_docs += want.count(b"\n")
    # the files themselves, compressed bytes included, are what the single-process command writes
    single = tmp_path / "single"
    cli = subprocess.run([sys.executable, "-m", "cleannews", "--jsonl", str(shards), "-o", str(single)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert files(single) == files(out)
    for name in SHARD_NAMES:
        assert (out / name).read_bytes() == (single / name).read_bytes(), name
    # the summary
    assert sorted(Path(s.out_path).relative_to(out).as_posix() for s in summary.shards) == sorted(SHARD_NAMES)
    assert summary.docs == n_docs
    assert summary.changed == 4 * (len(SEEDS) + 1)  # every seed and the article lose their junk tail
    assert summary.removed["TL01"] >= 4 and summary.bytes_out > 0
    assert summary.bytes_in == sum((shards / n).stat().st_size for n in SHARD_NAMES)
    assert summary.bytes_out == sum((out / n).stat().st_size for n in SHARD_NAMES)
    assert "4 shards" in str(summary) and "4 written, 0 failed, 0 errors" in str(summary)


def test_rules_travel_inside_the_pickled_cleaner(cluster, tmp_path: Path):
    """The workers never read rule files: the Cleaner carries its rules (the file is gone before the run)."""
    _, client = cluster
    rule = tmp_path / "extra.toml"
    rule.write_text(EXTRA_RULE, encoding="utf-8")
    cleaner = Cleaner(rules=[rule], disable=["TL01"])
    rule.unlink()
    src = tmp_path / "in" / "x.jsonl"
    write_shard(src, records(1))
    opts = JsonlOptions(audit=True)
    summary = clean_shards([str(src)], tmp_path / "out", cleaner, opts, client=client)
    assert summary.errors == []
    got = (tmp_path / "out" / "x.jsonl").read_bytes()
    assert got == single_process(src, cleaner, opts)
    assert b"Shopper syndication" not in got and b"Leave a Reply" in got  # XT01 on, TL01 off
    assert summary.removed["XT01"] == 1 and "TL01" not in summary.removed
    assert all("removed_rules" in json.loads(line) for line in got.splitlines())


def test_bad_lines(cluster, tmp_path: Path):
    """``fail``: that shard has nothing under its name (and no temp file); the other shards are written.
    ``keep``/``skip``: as clean_jsonl, with each bad line reported."""
    _, client = cluster
    src = tmp_path / "in"
    write_shard(src / "good.jsonl", records(0))
    write_shard(src / "bad.jsonl.gz", records(1), bad='{"id": 7, "text": 12}')
    summary = clean_shards(str(src), tmp_path / "fail", client=client)
    assert files(tmp_path / "fail") == ["good.jsonl"]
    assert [s.written for s in summary.shards] == [False, True]  # in sorted order: bad.jsonl.gz first
    (err,) = summary.errors
    assert err.startswith(f"{src / 'bad.jsonl.gz'}:3: field 'text' is int, not a string") and "not written" in err
    for mode in ("keep", "skip"):
        opts = JsonlOptions(bad_lines=mode)
        summary = clean_shards(str(src), tmp_path / mode, opts=opts, client=client)
        assert [s.written for s in summary.shards] == [True, True]
        assert len(summary.errors) == 1 and summary.shards[0].bad_lines == 1
        got = decompressed(tmp_path / mode / "bad.jsonl.gz")
        assert got == single_process(src / "bad.jsonl.gz", opts=opts)
        assert (b'{"id": 7, "text": 12}' in got) == (mode == "keep")


def test_cli_on_an_existing_cluster(cluster, shards: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    cl, _ = cluster
    out = tmp_path / "out"
    code = main([str(shards / "*.jsonl*"), str(shards / "sub"), "-o", str(out), "--scheduler", cl.scheduler_address,
                 "--audit-fields", "--disable", "H02", "--isolated"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "4 shards" in err and "0 errors" in err
    assert files(out) == sorted(Path(n).name for n in SHARD_NAMES)  # a glob and a folder: names kept flat
    opts = JsonlOptions(audit=True)
    for name in SHARD_NAMES:
        want = single_process(shards / name, Cleaner(Config(disable_heuristics=("H02",))), opts)
        assert decompressed(out / Path(name).name) == want


def test_cli_starts_a_local_cluster(shards: Path, tmp_path: Path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "cleannews.dask", str(shards), "-o", str(out), "--workers", "2"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert "4 shards" in res.stderr and "4 written, 0 failed, 0 errors" in res.stderr
    for name in SHARD_NAMES:
        assert decompressed(out / name) == single_process(shards / name)


def test_cleannews_dask_subcommand(cluster, shards: Path, tmp_path: Path):
    """``cleannews dask`` as wired in :mod:`cleannews.cli` (skipped until it is)."""
    cl, _ = cluster
    cmd = [sys.executable, "-m", "cleannews", "dask"]
    helped = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=60)
    if helped.returncode != 0 or "--scheduler" not in helped.stdout:
        pytest.skip("cleannews dask is not wired into cleannews.cli yet")
    out = tmp_path / "out"
    res = subprocess.run([*cmd, str(shards), "-o", str(out), "--scheduler", cl.scheduler_address],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stderr
    for name in SHARD_NAMES:
        assert decompressed(out / name) == single_process(shards / name)


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    pytest.importorskip("distributed")
    write_shard(tmp_path / "a.jsonl", records(0))
    assert main([str(tmp_path / "a.jsonl"), "-o", str(tmp_path)]) == 2  # the output would replace the input
    assert "would replace its input" in capsys.readouterr().err
    assert main([str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "o"), "--disable", "NOPE99"]) == 2
    assert "NOPE99" in capsys.readouterr().err
    assert main([str(tmp_path / "*.nothing"), "-o", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.startswith(f"cleannews: error: {tmp_path / '*.nothing'}: no shard matches")
    assert not (tmp_path / "o").exists()


def test_missing_extra_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["shards/", "-o", "clean/"]) == 2
    err = capsys.readouterr().err
    assert err == f"cleannews: error: {EXTRA_MISSING}\n"
    assert "pip install 'cleannews[dask]'" in err


def test_plan_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("d/x/p.jsonl", "d/y/p.jsonl", "d/y/.hidden/q.jsonl", "d/y/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    monkeypatch.chdir(tmp_path)
    pairs, errors = plan_shards(["d/*/p.jsonl", "missing.jsonl"], "out")
    assert pairs == [("d/x/p.jsonl", os.path.join("out", "x", "p.jsonl")),
                     ("d/y/p.jsonl", os.path.join("out", "y", "p.jsonl"))]  # fmt: skip
    assert errors == ["missing.jsonl: no such file or directory"]
    pairs, errors = plan_shards("d", "out")
    assert [dst for _, dst in pairs] == ["out/x/p.jsonl", "out/y/p.jsonl"] and errors == []
    with pytest.raises(ValueError, match="would both be written to"):
        plan_shards(["d/x/p.jsonl", "d/y/p.jsonl"], "out")
