"""Stopword counting: the Python reference, and the C module against it (cleannews/stopwords.py).

The C module comes from the ``speedups_module`` fixture (tests/conftest.py): tested wherever a C compiler
is at hand.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleannews import Cleaner
from cleannews import classify as classify_mod
from cleannews.normalize import normalize_lines
from cleannews.stopwords import PREFIXES, SUFFIXES, PyStopwordTable, stopwords, with_affixes

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "scrapinghub-dev" / "raw-text.jsonl"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="session")
def c_table_type(speedups_module) -> type:
    return speedups_module.StopwordTable  # type: ignore[no-any-return]


def naive_totals(words: list[frozenset[str]], lines: list[str]) -> tuple[int, list[int]]:
    tokens = [t for line in lines for t in line.split()]
    return len(tokens), [sum(t in w for t in tokens) for w in words]


def naive_densities(words: frozenset[str], lines: list[str]) -> list[float]:
    return [sum(t in words for t in ln.split()) / len(ln.split()) if ln.split() else 0.0 for ln in lines]


# ---- the Python reference ------------------------------------------------------------------------------
def test_with_affixes_lists_each_word_bare_and_with_one_affix() -> None:
    got = with_affixes(["de", ""], [",", ".”"], ["("])
    assert got == {"de", "de,", "de.”", "(de"}  # no "(de," (one affix at most), nothing for ""


def test_py_table_matches_the_naive_count_on_the_shipped_lists() -> None:
    langs = list(stopwords().values())
    table = PyStopwordTable(langs, SUFFIXES, PREFIXES)
    sets = [with_affixes(w, SUFFIXES, PREFIXES) for w in langs]
    lines = ["the end of it.", "(der Hund, die Katze)", "¿qué pasa? «le» monde", "", "   ", "über\x1fdas"]
    assert table.totals(lines) == naive_totals(sets, lines)
    for k, words in enumerate(sets):
        assert table.densities(lines, k) == naive_densities(words, lines)


def test_shipped_lists_hold_words_only() -> None:
    for lang, words in stopwords().items():
        assert words and all(w and not any(c.isspace() for c in w) for w in words), lang
        assert all(len(w) <= 256 for w in words), lang  # the C table's limit


# ---- the C module against the reference ----------------------------------------------------------------
# text over a small alphabet, so that tokens often are the words; with the characters str.split() splits on
ALPHABET = "abé’\u4e00(,.”\u00a0 \t\x1f\u2028\u3000x"
word_lists = st.lists(st.lists(st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=4), max_size=8), max_size=4)
affix = st.text(',.”(«x"', min_size=1, max_size=3)


@SETTINGS
@given(
    langs=word_lists,
    suffixes=st.lists(affix, max_size=4),
    prefixes=st.lists(affix, max_size=4),
    lines=st.lists(st.text(ALPHABET, max_size=30) | st.text(max_size=30), max_size=6),
)
@example(langs=[["a"], ["a", "b"]], suffixes=[","], prefixes=["("], lines=["a, (b a b,, (a, ,a"])
def test_c_table_equals_python_table(c_table_type: type, langs, suffixes, prefixes, lines) -> None:
    py, c = PyStopwordTable(langs, suffixes, prefixes), c_table_type(langs, suffixes, prefixes)
    assert c.totals(lines) == py.totals(lines)
    for k in range(len(langs)):
        assert c.densities(lines, k) == py.densities(lines, k)


@SETTINGS
@given(st.lists(st.text(max_size=200), max_size=8))
def test_c_table_equals_python_table_on_the_shipped_lists(c_table_type: type, lines: list[str]) -> None:
    check_shipped(c_table_type, lines)


def check_shipped(c_table_type: type, lines: list[str]) -> None:
    langs = list(stopwords().values())
    py, c = shipped_py_table(), shipped_c_table(c_table_type)
    assert c.totals(lines) == py.totals(lines)
    for k in range(len(langs)):
        assert c.densities(lines, k) == py.densities(lines, k)


_SHIPPED: dict[type, object] = {}


@lru_cache(maxsize=1)
def shipped_py_table() -> PyStopwordTable:
    return PyStopwordTable(list(stopwords().values()), SUFFIXES, PREFIXES)


def shipped_c_table(c_table_type: type):
    if c_table_type not in _SHIPPED:
        _SHIPPED[c_table_type] = c_table_type(list(stopwords().values()), SUFFIXES, PREFIXES)
    return _SHIPPED[c_table_type]


def test_c_table_equals_python_table_on_seeds_and_dev_pages(c_table_type: type) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "multilingual").glob("*.txt"))]
    if DEV.is_file():
        texts += [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    assert texts
    for text in texts:
        lines = list(map(str.lower, normalize_lines(text)))
        check_shipped(c_table_type, lines)


def test_c_table_splits_on_every_white_space_character_in_every_string_kind(c_table_type: type) -> None:
    """str.split() splits on each character str.isspace() accepts; the C scanner reads the string's memory
    in 1-, 2- and 4-byte forms, so each white-space character is tried in each (widened by the line's last
    character)."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    words = [["a", "b"]]
    py, c = PyStopwordTable(words, [","], ["("]), c_table_type(words, [","], ["("])
    for wide in ("", "Ā", "𐀀"):
        for space in spaces:
            for line in (f"a{space}b{wide}", f"{space}(a,{space}{space}b {wide}", f"a{chr(ord(space) + 1)}b{wide}"):
                assert c.totals([line]) == py.totals([line]), (hex(ord(space)), wide)
                assert c.densities([line], 0) == py.densities([line], 0), (hex(ord(space)), wide)


def test_c_table_rejects_bad_input(c_table_type: type) -> None:
    table = c_table_type([["the"]], [","], ["("])
    with pytest.raises(TypeError):
        table.totals(("the",))  # a list, not any sequence
    with pytest.raises(TypeError):
        table.densities(["the", 3], 0)
    with pytest.raises(IndexError):
        table.densities(["the"], 1)
    with pytest.raises(ValueError):
        c_table_type([["x"]] * 33)  # at most 32 languages
    with pytest.raises(ValueError):
        c_table_type([["x" * 257]])
    with pytest.raises(ValueError):
        c_table_type([["x"]], ["too long affix"])
    with pytest.raises(TypeError):
        c_table_type([[b"bytes"]])
    with pytest.raises(ValueError):
        c_table_type.__new__(c_table_type).totals(["the"])  # never initialised
    assert table.totals([]) == (0, [0]) and table.densities([], 0) == []


def test_cleaner_gives_the_same_result_with_either_table(c_table_type: type, monkeypatch) -> None:
    """The whole pipeline, with the C table and with the Python one: same text, same report."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "benchmarks" / "multilingual").glob("*.txt"))]
    if DEV.is_file():
        texts += [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    results = []
    for table in (shipped_c_table(c_table_type), shipped_py_table()):
        monkeypatch.setattr(classify_mod, "stopword_table", lambda table=table: table)
        cleaner = Cleaner()
        results.append([cleaner.report(t) for t in texts])
    assert results[0] == results[1]

