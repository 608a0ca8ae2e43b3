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


def test_wheel_ships_the_c_module_where_a_compiler_is_at_hand():
    """The build hook (hatch_build.py) compiles cleannews/_speedups.c into the wheel, and it is the module
    this source expects."""
    import importlib.util
    import shutil
    import sysconfig

    from cleannews.accel import API

    try:
        dist = md.distribution("cleannews")
    except md.PackageNotFoundError:
        pytest.skip("cleannews is not installed")
    direct = dist.read_text("direct_url.json") or ""
    if '"editable":true' in direct.replace(" ", ""):
        pytest.skip("editable install: the module is built beside the checkout")
    if not any(map(shutil.which, ((sysconfig.get_config_var("CC") or "cc").split()[0], "cc", "gcc", "clang"))):
        pytest.skip("no C compiler: the wheel is pure Python")
    built = [f for f in dist.files or [] if str(f).startswith("cleannews/_speedups") and not str(f).endswith(".c")]
    assert built, "the wheel has no compiled cleannews._speedups"
    spec = importlib.util.spec_from_file_location("cleannews._speedups", dist.locate_file(built[0]))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.API == API
