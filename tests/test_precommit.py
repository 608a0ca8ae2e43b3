"""The pre-commit hooks (``.pre-commit-hooks.yaml``), run by the real ``pre-commit`` tool as a user runs them.

A temporary corpus repository (git, with dirty and clean ``.txt`` and ``.jsonl`` files, an HTML page and a
``cleannews.toml``) is checked with ``pre-commit try-repo <this repository> cleannews-check`` and fixed with
``... cleannews``.

What is tried: ``try-repo`` clones a git repository at a commit. Given this checkout directly it would clone
HEAD plus changes to tracked files, but not new files not yet added (a new module would be missing). So the
test commits a snapshot of the working tree (the files ``git ls-files`` lists, tracked or untracked but not
ignored) to a temporary repository and tries that: it tests the code on disk, as every other test does.

Cost: pre-commit builds a virtualenv and pip-installs the snapshot (and its dependencies, from PyPI or the
pip cache) for each try-repo run; the three runs go in parallel, about 20-60 s in all. ``PRE_COMMIT_HOME``
points into the test's temporary directory, so nothing is left under ``~/.cache/pre-commit``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleannews import Cleaner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_a0429357714a5f24.txt"  # dirty: PR01, PR02, PR03, NT02, CR02


def _pre_commit() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    exe = shutil.which("pre-commit")
    return [exe] if exe else None


PRE_COMMIT = _pre_commit()
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install '.[test]')"),
]


def _env(pre_commit_home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # not the caller's repository
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PRE_COMMIT_COLOR="never")
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=_env())


def _init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "-q")
    for key, value in (("user.name", "cleannews test"), ("user.email", "test@example.invalid"),
                       ("commit.gpgsign", "false")):  # fmt: skip
        _git(repo, "config", "--local", key, value)


def _commit_all(repo: Path) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")


def _checkout_files() -> list[Path]:
    """The checkout's files: what git tracks or would track (not ignored); without git, the visible tree."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             check=True, capture_output=True, env=_env()).stdout  # fmt: skip
        names = [n for n in out.decode("utf-8").split("\0") if n]
    except subprocess.CalledProcessError:  # not a git checkout (an unpacked sdist)
        rels = [p.relative_to(ROOT) for p in ROOT.rglob("*") if p.is_file()]
        names = [str(r) for r in rels if not any(part.startswith(".") or part == "__pycache__" for part in r.parts)]
        names.append(".pre-commit-hooks.yaml")
    return [Path(n) for n in names if (ROOT / n).is_file()]


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-commit git repository holding this checkout's working tree."""
    if not (ROOT / ".pre-commit-hooks.yaml").is_file():
        pytest.skip("no .pre-commit-hooks.yaml in this checkout")
    repo = tmp_path_factory.mktemp("hooks") / "cleannews"
    _init_repo(repo)
    for rel in _checkout_files():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    _commit_all(repo)
    return repo


CONFIG = 'disable = ["CR02"]  # keep photo credits in this corpus\n'


def _corpus(repo: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Write a committed corpus into *repo*: (each file's content, its expected content after the fix hook)."""
    raw = SEED.read_text(encoding="utf-8")
    cleaner = Cleaner(disable=["CR02"])  # what the corpus's cleannews.toml asks for
    clean = cleaner.clean(raw)
    assert clean != raw and "Photo Courtesy" in clean  # CR02 is off: the credit line stays
    files = {
        "articles/dirty.txt": raw,
        "articles/clean.txt": clean,
        "corpus.jsonl": json.dumps({"id": 1, "text": raw}, ensure_ascii=False) + "\n",
        "clean.jsonl": json.dumps({"id": 2, "text": clean}, ensure_ascii=False) + "\n",
        "page.html": f"<html><body><article><p>{raw}</p></article></body></html>\n",
    }
    _init_repo(repo)
    (repo / "cleannews.toml").write_text(CONFIG, encoding="utf-8")
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content, encoding="utf-8")
    _commit_all(repo)
    expected = dict(files)
    expected["articles/dirty.txt"] = clean
    expected["corpus.jsonl"] = json.dumps({"id": 1, "text": clean}, ensure_ascii=False) + "\n"
    return files, expected


def _try_repo(hooks: Path, hook: str, repo: Path, files: list[str]) -> subprocess.Popen[bytes]:
    home = repo.parent / f".pre-commit-home-{hook}-{len(files)}"
    cmd = [*PRE_COMMIT, "try-repo", str(hooks), hook, "--verbose", "--files", *files]  # type: ignore[misc]
    return subprocess.Popen(cmd, cwd=repo, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out.decode("utf-8", "replace")


def test_hooks_check_and_fix_a_corpus_repository(hooks_repo: Path, tmp_path: Path) -> None:
    check_repo, fix_repo = tmp_path / "check" / "corpus", tmp_path / "fix" / "corpus"
    original, _ = _corpus(check_repo)
    _, expected = _corpus(fix_repo)
    everything = list(original)
    clean_only = ["articles/clean.txt", "clean.jsonl"]
    # three independent runs, each installing the hooks into its own environment: in parallel
    check_all = _try_repo(hooks_repo, "cleannews-check", check_repo, everything)
    check_clean = _try_repo(hooks_repo, "cleannews-check", check_repo, clean_only)
    fix = _try_repo(hooks_repo, "cleannews", fix_repo, everything)
    (code, out), (clean_code, clean_out), (fix_code, fix_out) = map(_wait, (check_all, check_clean, fix))

    # check: the dirty files fail, named with the rules that fire; nothing is written
    assert code == 1, out
    assert "cleannews (check)" in out and "Failed" in out, out
    listed = [ln for ln in out.splitlines() if ln.startswith("would clean ")]
    dirty_txt = next(ln for ln in listed if ln.startswith("would clean articles/dirty.txt ("))
    for rule in ("PR01 promo.see-also-inline", "PR02 promo.read-next", "PR03 promo.stock-rankings",
                 "NT02 notes.ai-disclaimer"):  # fmt: skip
        assert rule in dirty_txt, dirty_txt
    assert "CR02" not in out  # switched off by the corpus's cleannews.toml, found by the hook
    assert any(ln.startswith("would clean corpus.jsonl:1 (") and "PR02" in ln for ln in listed), out
    assert not any("clean.txt" in ln or "clean.jsonl" in ln for ln in listed), out
    assert "HTML" not in out  # page.html is filtered out by the hook, never handed to cleannews
    assert _corpus_now(check_repo, original) == original  # the check hook wrote nothing

    # clean files pass
    assert clean_code == 0, clean_out
    assert "Passed" in clean_out and "would clean" not in clean_out, clean_out

    # fix: the dirty files are rewritten (pre-commit fails the commit because the hook modified files)
    assert fix_code == 1, fix_out
    assert "files were modified by this hook" in fix_out, fix_out
    assert _corpus_now(fix_repo, expected) == expected  # dirty files cleaned, the others (and the page) kept


def _corpus_now(repo: Path, names: dict[str, str]) -> dict[str, str]:
    return {n: (repo / n).read_text(encoding="utf-8") for n in names}
