"""Rule files are linted before anything else: ids, names, docs, patterns, examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from cleannews.ruleset import RuleError, default_rule_dir, load_file, load_rules, rule_files

RULE_FILES = rule_files([default_rule_dir()])
RULES = load_rules([default_rule_dir()])


def test_rule_files_exist():
    assert len(RULE_FILES) >= 4 and len(RULES) >= 10


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented_and_tested(rule):
    assert rule.message and rule.name.count(".") >= 1
    assert any(any(m == "-" for m, _ in ex.parse()) for ex in rule.examples), "needs a must-fire example"
    assert any(all(m == " " for m, _ in ex.parse()) for ex in rule.examples), "needs an all-keep example"
    assert regex.compile(rule.pattern).fullmatch("") is None


def test_ids_share_a_prefix_per_file():
    for f in RULE_FILES:
        prefixes = {r.id.rstrip("0123456789") for r in load_file(f)}
        assert len(prefixes) == 1, f"{f.name}: mixed id prefixes {prefixes}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='line'\npattern='a('\nmessage='m'\n", "invalid regex"),
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='nope'\npattern='a'\nmessage='m'\n", "unknown kind"),
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='line'\npattern='(?i)a'\nmessage='m'\n", "global inline flags"),
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='line'\npattern='a*'\nmessage='m'\n", "empty line"),
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='line'\nmessage='m'\n", "pattern"),
        ("[[rule]]\nid='X01'\nname='x.y'\nkind='line'\npattern='a'\nmessage='m'\ncolour='red'\n", "unknown key"),
        ("[[rule]\nid='X01'\n", "invalid TOML"),
    ],
)
def test_broken_rule_files_are_clear_errors(tmp_path: Path, body: str, message: str):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(RuleError, match=message) as exc:
        load_file(f)
    assert str(f) in str(exc.value)


def test_duplicate_ids_are_an_error(tmp_path: Path):
    rule = "[[rule]]\nid='X01'\nname='x.{n}'\nkind='line'\npattern='a'\nmessage='m'\n"
    (tmp_path / "a.toml").write_text(rule.format(n="a"))
    (tmp_path / "b.toml").write_text(rule.format(n="b"))
    with pytest.raises(RuleError, match="duplicate"):
        load_rules([tmp_path])
