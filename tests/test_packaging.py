"""A pip-installed cleannews must find its default rules."""

from __future__ import annotations

import importlib.metadata as md

import pytest

from cleannews.ruleset import default_rule_dir


def test_default_rules_are_found():
    assert sorted(p.name for p in default_rule_dir().glob("*.toml"))


def test_wheel_ships_the_rules():
    try:
        files = [str(f) for f in md.files("cleannews") or []]
    except md.PackageNotFoundError:
        pytest.skip("cleannews is not installed")
    direct = md.distribution("cleannews").read_text("direct_url.json") or ""
    if '"editable": true' in direct.replace(" ", "").replace('"editable":true', '"editable": true'):
        pytest.skip("editable install: rules come from the checkout")
    for shipped in ("cleannews/rules/tail.toml", "cleannews/rules/stopwords/en.txt",
                    "cleannews/rules/html/boilerplate.toml"):  # fmt: skip
        assert shipped in files
