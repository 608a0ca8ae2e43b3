"""Issue 7: a user's rule with a catastrophically backtracking pattern cannot hang a run.

User rules (rule files given to ``Cleaner(rules=...)``, ``--rules``, configuration; ``Rule`` objects) run on
the ``regex`` engine with ``Config.regex_timeout`` seconds per document and rule. A rule that runs out is
skipped for that document and named in ``Result.warnings``; everything else is cleaned as usual.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cleannews import Cleaner, Config, ConfigError

ARTICLE = (
    "Council approves the new bridge\n"
    "The city council voted on Tuesday to approve the construction of a new bridge across the river.\n"
    "Construction is expected to start next spring and to last about two years, officials said.\n"
)
# (a|aa)+ against a long run of a's that cannot match explores exponentially many ways to split the run
EVIL_LINE = "a" * 60 + "b"
RULES = '''
[[rule]]
id = "US01"
name = "user.evil-line"
kind = "line"
pattern = \'\'\'(?:a|aa)+\'\'\'
message = "A pattern that backtracks catastrophically on a long run of a's"

[[rule]]
id = "US02"
name = "user.evil-contains"
kind = "line"
match = "search"
max_chars = 400
pattern = \'\'\'(?:a|aa)+#\'\'\'
message = "The same, searched anywhere in the line"

[[rule]]
id = "US03"
name = "user.harmless"
kind = "line"
pattern = \'\'\'brought to you by acme corp\'\'\'
message = "An ordinary user rule"
'''


@pytest.fixture()
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "evil.toml"
    path.write_text(RULES, encoding="utf-8")
    return path


def _timed(cleaner: Cleaner, text: str):
    start = time.perf_counter()
    result = cleaner.report(text)
    return result, time.perf_counter() - start


def test_catastrophic_user_rules_time_out_and_are_named(rule_file: Path) -> None:
    cleaner = Cleaner(Config(rules=(str(rule_file),), regex_timeout=0.2))
    text = ARTICLE + EVIL_LINE + "\nBrought to you by ACME Corp\nRead Next:\nSome Other Headline Here\n"
    result, seconds = _timed(cleaner, text)
    assert seconds < 30
    assert len(result.warnings) == 2
    assert "US01" in result.warnings[0] and "user.evil-line" in result.warnings[0]
    assert "US02" in result.warnings[1]
    assert all("timed out" in w for w in result.warnings)
    # the timed-out rules are skipped, the rest still runs: the user's harmless rule and the shipped ones
    assert EVIL_LINE in result.text
    assert {r.rule for r in result.removals} >= {"US03", "PR02"}
    assert result.text.startswith(ARTICLE)
    assert result.replay(text) == result.text


def test_timeout_is_per_document(rule_file: Path) -> None:
    cleaner = Cleaner(Config(rules=(str(rule_file),), regex_timeout=0.2))
    slow, _ = _timed(cleaner, ARTICLE + EVIL_LINE + "\n")
    fine, seconds = _timed(cleaner, ARTICLE + "aaaa\n")
    assert slow.warnings and not fine.warnings
    assert seconds < 30
    assert "aaaa" not in fine.text  # US01 is back in force on the next document: "aaaa" is (a|aa)+
    assert [r.rule for r in fine.removals] == ["US01"]


def test_clean_and_batch_return_too(rule_file: Path) -> None:
    cleaner = Cleaner(Config(rules=(str(rule_file),), regex_timeout=0.2))
    start = time.perf_counter()
    out = cleaner.clean_batch([EVIL_LINE, ARTICLE + EVIL_LINE])
    assert time.perf_counter() - start < 60
    assert out == [EVIL_LINE + "\n", ARTICLE + EVIL_LINE + "\n"]


def test_rules_keyword_and_no_warnings_without_user_rules(rule_file: Path) -> None:
    result, seconds = _timed(Cleaner(rules=[rule_file], config=Config(regex_timeout=0.2)), EVIL_LINE)
    assert seconds < 30 and any("US01" in w for w in result.warnings)
    assert Cleaner().report(ARTICLE + EVIL_LINE).warnings == ()


def test_regex_timeout_config_key(rule_file: Path) -> None:
    assert Config.from_mapping({"regex-timeout": 2}).regex_timeout == 2
    assert Config().regex_timeout == 1.0
    with pytest.raises(ConfigError):
        Config(regex_timeout=-1)
    with pytest.raises(ConfigError):
        Config.from_mapping({"regex_timeout": -1})
    # 0: no limit (user rules still run, on the regex engine)
    result = Cleaner(Config(rules=(str(rule_file),), regex_timeout=0)).report(ARTICLE + "Brought to you by ACME Corp\n")
    assert [r.rule for r in result.removals] == ["US03"] and not result.warnings


def test_cli_warns_names_the_rule_and_input_and_goes_on(rule_file: Path, tmp_path: Path) -> None:
    """Through the CLI: a text file and a JSONL record each get a warning naming the rule; the run exits 0."""
    import json
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text(ARTICLE + EVIL_LINE + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": ARTICLE + EVIL_LINE}) + "\n", encoding="utf-8")
    for args in (["a.txt"], ["b.jsonl"]):
        res = subprocess.run([sys.executable, "-m", "cleannews", *args, "--rules", str(rule_file),
                              "--no-progress"], capture_output=True, text=True, cwd=tmp_path, timeout=120)  # fmt: skip
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        warned = [ln for ln in res.stderr.splitlines() if ln.startswith("cleannews: warning:")]
        assert warned and all("rule US0" in w for w in warned), res.stderr
        assert warned[0].startswith(f"cleannews: warning: {args[0]}")
        assert "The city council voted on Tuesday" in res.stdout
