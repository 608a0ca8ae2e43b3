"""Project configuration: ``cleannews.toml`` / ``pyproject.toml [tool.cleannews]`` found by walking up from each
input file (closest wins), ``--config``, ``--isolated``, and the command line on top. Through the CLI, as run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run, start

from cleannews import Cleaner
from cleannews.config import ConfigError
from cleannews.discovery import Discovery

ROOT = Path(__file__).resolve().parent.parent
RAW = (ROOT / "seeds" / "002_a0429357714a5f24.txt").read_text(encoding="utf-8")  # fires CR02, PR01-03, NT02
CREDIT = "Photo Courtesy: Koshiro K On Shutterstock.com"  # CR02 credits.photo
READ_NEXT = "Read Next:"  # PR02 promo.read-next


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check_lines(stdout: str) -> dict[str, str]:
    """``would clean NAME (...)`` lines of a --check run: NAME -> the rules part."""
    out = {}
    for ln in stdout.splitlines():
        if ln.startswith("would clean "):
            name, _, rest = ln[len("would clean ") :].partition(" (")
            out[name] = rest
    return out


def test_disabled_rule_in_config_changes_the_output(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", RAW)
    default = run("--isolated", "a.txt", cwd=tmp_path)
    _write(tmp_path / "cleannews.toml", 'disable = ["CR02"]\n')
    configured = run("a.txt", cwd=tmp_path)
    assert default.returncode == configured.returncode == 0, configured.stderr
    assert CREDIT not in default.stdout and default.stdout == Cleaner().clean(RAW)
    assert configured.stdout == Cleaner(disable=["CR02"]).clean(RAW)
    assert CREDIT in configured.stdout
    assert configured.stdout.replace(CREDIT + "\n", "") == default.stdout  # that line and nothing else


@pytest.mark.parametrize("jobs", [1, 2])
def test_closest_config_wins_walking_up_from_each_file(tmp_path: Path, jobs: int) -> None:
    """root/cleannews.toml for files anywhere below it, unless a closer file says otherwise (no merging);
    with -j 2, each worker cleans each file with that file's settings."""
    _write(tmp_path / "cleannews.toml", 'disable = ["CR02"]\n')
    _write(tmp_path / "corpus" / "deep" / "er" / "a.txt", RAW)  # walks up three levels to the root's file
    _write(tmp_path / "corpus" / "other" / "cleannews.toml", 'disable = ["PR02"]\n')
    _write(tmp_path / "corpus" / "other" / "b.txt", RAW)
    _write(tmp_path / "corpus" / "other" / "sub" / "c.txt", RAW)
    r = run("--check", "-j", jobs, "corpus", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    lines = _check_lines(r.stdout)
    assert set(lines) == {"corpus/deep/er/a.txt", "corpus/other/b.txt", "corpus/other/sub/c.txt"}, r.stdout
    assert "PR02" in lines["corpus/deep/er/a.txt"] and "CR02" not in lines["corpus/deep/er/a.txt"]
    for name in ("corpus/other/b.txt", "corpus/other/sub/c.txt"):  # the closest file alone: CR02 is back on
        assert "CR02" in lines[name] and "PR02" not in lines[name], lines[name]


def test_cleannews_toml_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "corpus"\n\n[tool.cleannews]\ndisable = ["PR02"]\n')
    _write(tmp_path / "cleannews.toml", 'disable = ["CR02"]\n')
    _write(tmp_path / "a.txt", RAW)
    r = run("a.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert CREDIT in r.stdout and READ_NEXT not in r.stdout


def test_pyproject_table_is_read_and_one_without_it_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.cleannews]\ndisable = ["CR02"]\ntail-max-after-ratio = 0.4\n')
    # a closer pyproject.toml without [tool.cleannews] does not count: the walk goes on to the one above
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n')
    _write(tmp_path / "sub" / "a.txt", RAW)
    r = run("sub/a.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert CREDIT in r.stdout and READ_NEXT not in r.stdout
    found = Discovery().find(tmp_path / "sub" / "a.txt")
    assert found.path == tmp_path / "pyproject.toml"
    assert found.config.tail_max_after_ratio == 0.4 and found.config.disable == ("CR02",)


def test_discovery_order_and_cache(tmp_path: Path) -> None:
    """Pure discovery: per directory cleannews.toml, then pyproject.toml with the table, then the parent."""
    _write(tmp_path / "cleannews.toml", "")
    _write(tmp_path / "a" / "pyproject.toml", "[tool.cleannews]\n")
    _write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.other]\n")
    _write(tmp_path / "a" / "b" / "c" / "cleannews.toml", "")
    _write(tmp_path / "a" / "b" / "c" / "pyproject.toml", "[tool.cleannews]\n")
    d = Discovery()
    assert d.find(tmp_path / "x.txt").path == tmp_path / "cleannews.toml"
    assert d.find(tmp_path / "a" / "x.txt").path == tmp_path / "a" / "pyproject.toml"
    assert d.find(tmp_path / "a" / "b" / "x.txt").path == tmp_path / "a" / "pyproject.toml"
    assert d.find(tmp_path / "a" / "b" / "c" / "d" / "x.txt").path == tmp_path / "a" / "b" / "c" / "cleannews.toml"
    assert d.find(tmp_path / "a" / "b").path == tmp_path / "a" / "pyproject.toml"  # a directory: from itself
    (tmp_path / "a" / "pyproject.toml").unlink()  # answers are cached per directory for the run
    assert d.find(tmp_path / "a" / "b" / "y.txt").path == tmp_path / "a" / "pyproject.toml"
    assert Discovery().find(tmp_path / "a" / "b" / "y.txt").path == tmp_path / "cleannews.toml"
    assert Discovery(isolated=True).find(tmp_path / "x.txt").path is None


def test_config_option_forces_one_file_and_isolated_ignores_all(tmp_path: Path) -> None:
    _write(tmp_path / "corpus" / "cleannews.toml", 'disable = ["CR02"]\n')
    _write(tmp_path / "corpus" / "a.txt", RAW)
    _write(tmp_path / "settings" / "strict.toml", 'disable = ["PR02"]\n')
    _write(tmp_path / "settings" / "pyproject.toml", '[tool.cleannews]\ndisable = ["NT02"]\n')
    forced = start("--config", "settings/strict.toml", "corpus/a.txt", cwd=tmp_path)
    forced_pp = start("--config", "settings/pyproject.toml", "corpus/a.txt", cwd=tmp_path)
    isolated = start("--isolated", "corpus/a.txt", cwd=tmp_path)
    both = start("--isolated", "--config", "settings/strict.toml", "corpus/a.txt", cwd=tmp_path)
    missing = start("--config", "settings/nope.toml", "corpus/a.txt", cwd=tmp_path)
    forced, forced_pp, isolated, both, missing = (w() for w in (forced, forced_pp, isolated, both, missing))
    assert forced.returncode == 0 and forced.stdout == Cleaner(disable=["PR02"]).clean(RAW), forced.stderr
    assert forced_pp.returncode == 0 and forced_pp.stdout == Cleaner(disable=["NT02"]).clean(RAW), forced_pp.stderr
    assert isolated.returncode == 0 and isolated.stdout == Cleaner().clean(RAW), isolated.stderr
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    assert missing.returncode == 2 and "settings/nope.toml: no such configuration file" in missing.stderr
    assert missing.stdout == ""


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "corpus" / "cleannews.toml", 'disabel = ["CR02"]\n')
    a = _write(tmp_path / "corpus" / "a.txt", RAW)
    _write(tmp_path / "other" / "b.txt", RAW)
    r = run("--in-place", "corpus", "other", cwd=tmp_path)
    assert r.returncode == 2
    assert str(cfg) in r.stderr and "unknown key 'disabel'" in r.stderr and "disable" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # one clear line
    # a bad configuration stops the run before any input is touched, as a bad rule file does
    assert a.read_text(encoding="utf-8") == RAW
    assert (tmp_path / "other" / "b.txt").read_text(encoding="utf-8") == RAW


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[tool.cleannews]\nselectt = []\n", "unknown key 'selectt'"),
        ("cleannews.toml", 'tail_max_after_ratio = "high"\n', "'tail_max_after_ratio' must be a number"),
        ("cleannews.toml", "heuristics = 1\n", "'heuristics' must be true or false"),
        ("cleannews.toml", "disable = [1]\n", "'disable' must be a list of strings"),
        ("cleannews.toml", "disable = [\n", "not valid TOML"),
        ("cleannews.toml", '[tool.cleannews]\ndisable = ["CR02"]\n', "without a [tool.cleannews] header"),
        ("cleannews.toml", 'select = ["ZZ99"]\n', "no rule matches 'ZZ99'"),
    ],
)
def test_bad_config_values_are_clear_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    cfg = _write(tmp_path / name, text)
    _write(tmp_path / "a.txt", RAW)
    r = run("--check", "a.txt", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and str(cfg) in r.stderr, r.stderr
    assert r.stdout == ""


def test_relative_rules_path_resolves_against_the_config_file(tmp_path: Path) -> None:
    rule = """[[rule]]
id = "XS01"
name = "site.widget"
kind = "line"
pattern = 'subscribe to the daily widget'
message = "The site's newsletter line"
"""
    _write(tmp_path / "project" / "site_rules" / "widget.toml", rule)
    _write(tmp_path / "project" / "cleannews.toml", 'rules = ["site_rules/widget.toml"]\n')
    body = "The council approved the new budget on Tuesday after a long debate about road repairs and schools.\n"
    _write(tmp_path / "project" / "news" / "a.txt", body + "Subscribe to the Daily Widget\n")
    # run from elsewhere: the path is the config file's, not the working directory's
    r = run("--explain", "project/news/a.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "XS01 site.widget" in r.stdout
    listed = run("--list-rules", cwd=tmp_path / "project" / "news")  # the working directory's settings
    assert any(ln.startswith("XS01\tsite.widget") for ln in listed.stdout.splitlines()), listed.stderr
    assert Discovery().find(tmp_path / "project" / "a.txt").config.rules == (
        str(tmp_path / "project" / "site_rules" / "widget.toml"),
    )


def test_command_line_options_go_on_top_of_the_config(tmp_path: Path) -> None:
    _write(tmp_path / "cleannews.toml", 'disable = ["CR02", "H10"]\nselect = ["CR", "PR"]\n')
    _write(tmp_path / "a.txt", RAW)
    added = start("--disable", "PR02", "a.txt", cwd=tmp_path)  # adds to the file's disable list
    selected = start("--select", "CR02", "a.txt", cwd=tmp_path)  # replaces the file's select
    listed = start("--list-rules", cwd=tmp_path)
    added, selected, listed = added(), selected(), listed()
    assert added.returncode == 0, added.stderr
    assert added.stdout == Cleaner(disable=["CR02", "PR02"], select=["CR", "PR"]).clean(RAW)  # H10: a no-op here
    assert CREDIT in added.stdout and READ_NEXT in added.stdout
    assert selected.returncode == 0, selected.stderr
    assert CREDIT in selected.stdout  # CR02 selected, but the file's disable still applies
    assert "Benzinga" in selected.stdout  # PR03 no longer selected
    ids = {ln.split("\t")[0] for ln in listed.stdout.splitlines()}
    assert ids and all(i[:2] in ("CR", "PR") for i in ids) and "CR02" not in ids, listed.stdout


def test_stdin_and_jsonl_use_the_settings_of_where_they_are(tmp_path: Path) -> None:
    _write(tmp_path / "cleannews.toml", 'disable = ["CR02"]\n')
    _write(tmp_path / "data" / "docs.jsonl", json.dumps({"id": 1, "text": RAW}) + "\n")
    _write(tmp_path / "plain" / "cleannews.toml", "")  # an empty file: the defaults, closer than the root's
    _write(tmp_path / "plain" / "a.txt", RAW)
    piped = start("-", cwd=tmp_path, stdin=RAW.encode("utf-8"))
    jsonl = start("data/docs.jsonl", cwd=tmp_path)
    mixed = start("--check", "plain/a.txt", "data/docs.jsonl", cwd=tmp_path)  # as pre-commit passes files
    piped, jsonl, mixed = piped(), jsonl(), mixed()
    assert piped.returncode == 0 and CREDIT in piped.stdout, piped.stderr
    assert jsonl.returncode == 0, jsonl.stderr
    assert json.loads(jsonl.stdout)["text"] == Cleaner(disable=["CR02"]).clean(RAW)
    assert mixed.returncode == 1, mixed.stderr
    lines = _check_lines(mixed.stdout)
    assert "CR02" in lines["plain/a.txt"]  # text file: cleaned as text, with its own directory's settings
    assert "CR02" not in lines["data/docs.jsonl:1"] and "PR02" in lines["data/docs.jsonl:1"]  # JSONL: as JSONL


def test_load_config_errors_name_the_file(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "cleannews.toml", "max_passes = -1\n")
    with pytest.raises(ConfigError, match=f"{cfg}: 'max_passes' must not be negative"):
        Discovery().find(tmp_path / "a.txt")
