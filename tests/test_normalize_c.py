"""The C line normaliser (cleannews/_speedups.c) against its Python reference, normalize.py_normalize_lines."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleannews.normalize import _SPACES, _ZERO_WIDTH, py_normalize_lines

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "scrapinghub-dev" / "raw-text.jsonl"
SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# every character normalising treats specially: line breaks, white space, zero-width, plus a few to widen
# the string to 2 or 4 bytes a character
SPECIAL = "".join(sorted({c for c in map(chr, range(0x3001)) if c.isspace() or len(f"a{c}b".splitlines()) > 1}))
ALPHABET = SPECIAL + _ZERO_WIDTH + _SPACES + "ab é\u0100\U00010000"


def c_normalize(module, text: str) -> list[str]:
    return module.normalize_lines(text, _ZERO_WIDTH, _SPACES)


@SETTINGS
@given(st.text(ALPHABET, max_size=40) | st.text(max_size=60))
@example("a\r\u200b\nb")
@example(" \x1f a \x1f  b\r\n\r\n\u2028\u3000x\u3000 \u3000y\u200b ")
@example("\ufeffé  \u00a0x")
def test_c_normalize_equals_python(speedups_module, text: str) -> None:
    assert c_normalize(speedups_module, text) == py_normalize_lines(text)


def test_c_normalize_on_each_special_character_in_each_string_kind(speedups_module) -> None:
    for wide in ("", "é", "\u0100", "\U00010000"):
        for c in ALPHABET:
            for text in (f"{c}", f"a{c}b{wide}", f"{c}{c}a {c} {c}b{wide}{c}", f"a {c}  {c} b\r{c}\n{wide}"):
                assert c_normalize(speedups_module, text) == py_normalize_lines(text), (hex(ord(c)), wide)


def test_c_normalize_on_seeds_and_dev_pages(speedups_module) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if DEV.is_file():
        texts += [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    for text in texts:
        assert c_normalize(speedups_module, text) == py_normalize_lines(text)


def test_c_normalize_returns_exact_str_objects(speedups_module) -> None:
    lines = c_normalize(speedups_module, "one\ntwo  three\n\ufeffé")
    assert lines == ["one", "two three", "é"] and all(type(x) is str for x in lines)
