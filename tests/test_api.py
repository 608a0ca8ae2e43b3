"""The library API: ``cleannews.clean`` / ``report``, :class:`Cleaner` and :class:`Result`."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from cli_runner import EXTRA_RULE

import cleannews
from cleannews import Cleaner, Config, Removal, Result, RuleError
from cleannews.normalize import normalize_line

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
GOLDEN = HERE / "golden"
SEED_002 = HERE.parent / "seeds" / "002_a0429357714a5f24.txt"
SEE_ALSO = "See Also: Apple Inc. Emphasizes Design Commitment Amidst High-Profile Exits"


DOC = (
    "Council approves the budget\n"
    "The council met on Monday and approved the budget for next year after a long debate.\n"
    "Shopper syndication ID 8842-A\n"
    "The mayor said the vote was a good result for the city and its residents.\n"
)


def read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def test_module_level_clean_and_report():
    text = read(SEED_002)
    assert cleannews.clean(text) == read(GOLDEN / SEED_002.name)
    res = cleannews.report(text)
    assert isinstance(res, Result)
    assert res.text == cleannews.clean(text)
    assert cleannews.clean("") == ""


def test_cleaner_is_callable_and_matches_clean(cleaner: Cleaner):
    for s in SEEDS:
        assert cleaner(read(s)) == cleaner.clean(read(s)) == read(GOLDEN / s.name)


def test_pickle_round_trip_gives_identical_results(cleaner: Cleaner, tmp_path: Path):
    (tmp_path / "extra.toml").write_text(EXTRA_RULE, encoding="utf-8")
    for c in (cleaner, Cleaner(rules=[tmp_path / "extra.toml"], disable=["PR01"])):
        c2 = pickle.loads(pickle.dumps(c))
        assert [r.id for r in c2.rules] == [r.id for r in c.rules]
        assert c2.config == c.config
        for text in [*(read(s) for s in SEEDS), DOC]:
            assert c2.report(text) == c.report(text)


def test_cleaner_with_an_extra_rule_file(tmp_path: Path):
    path = tmp_path / "extra.toml"
    path.write_text(EXTRA_RULE, encoding="utf-8")
    assert "Shopper syndication ID 8842-A" in cleannews.clean(DOC)  # control: default rules keep it
    for given in (path, str(path)):
        c = Cleaner(rules=[given])
        assert "XT01" in [r.id for r in c.rules]
        res = c.report(DOC)
        assert res.text == DOC.replace("Shopper syndication ID 8842-A\n", "")
        assert [(r.rule, r.name, r.first, r.last) for r in res.removals] == [("XT01", "extra.syndication-id", 3, 3)]


def test_cleaner_with_a_broken_rule_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('[[rule]]\nid = "XT01"\n', encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.toml"):
        Cleaner(rules=[path])
    with pytest.raises(RuleError, match="NOPE99"):
        Cleaner(disable=["NOPE99"])


def test_cleaner_disable():
    text = read(SEED_002)
    c = Cleaner(disable=["PR01"])
    assert "PR01" not in [r.id for r in c.rules]
    out = c.clean(text).splitlines()
    assert SEE_ALSO in out
    out.remove(SEE_ALSO)
    assert out == read(GOLDEN / SEED_002.name).splitlines()
    # the same through a Config, and by name
    assert Cleaner(Config(disable=("promo.see-also-inline",))).clean(text) == c.clean(text)


def test_clean_batch(cleaner: Cleaner):
    texts = [read(s) for s in SEEDS] + ["", DOC]
    assert cleaner.clean_batch(texts) == [cleaner.clean(t) for t in texts]
    assert cleaner.clean_batch(iter(texts)) == cleaner.clean_batch(texts)  # any iterable
    assert cleaner.clean_batch([]) == []


def test_removal_fields_and_line_numbers_on_a_seed(cleaner: Cleaner):
    text = read(SEED_002)
    lines = text.splitlines()
    res = cleaner.report(text)
    assert res.removals
    for r in res.removals:
        assert isinstance(r, Removal)
        assert set(r.to_dict()) == {"rule", "name", "first", "last", "text", "reason"}
        assert r.rule and r.name and r.reason
        assert 1 <= r.first <= r.last <= len(lines)
        span = [normalize_line(ln) for ln in lines[r.first - 1 : r.last]]
        assert r.text == "\n".join(ln for ln in span if ln)
    see_also = next(r for r in res.removals if r.rule == "PR01")
    n = lines.index(SEE_ALSO) + 1
    assert (see_also.name, see_also.first, see_also.last, see_also.text) == ("promo.see-also-inline", n, n, SEE_ALSO)
    assert res.counts()["PR01"] == 1
    assert res.changed_lines == sum(r.text.count("\n") + 1 for r in res.removals)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_removal_line_numbers_on_every_seed(cleaner: Cleaner, seed: Path):
    """Seeds have indentation, blank lines and a missing final newline: numbers still name input lines."""
    text = read(seed)
    lines = text.splitlines()
    res = cleaner.report(text)
    for r in res.removals:
        span = [normalize_line(ln) for ln in lines[r.first - 1 : r.last]]
        assert normalize_line(lines[r.first - 1]) and normalize_line(lines[r.last - 1]), r  # spans end on text
        assert r.text == "\n".join(ln for ln in span if ln), r
    assert res.replay(text) == res.text


@pytest.mark.parametrize("bad", [b"Leave a Reply\n", bytearray(b"x"), None, 42, ["a line"]])
def test_non_str_input_is_a_type_error(cleaner: Cleaner, bad: object):
    with pytest.raises(TypeError, match="expects str"):
        cleaner.clean(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cleaner.report(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cleaner.clean_batch(["ok", bad])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        cleannews.clean(bad)  # type: ignore[arg-type]


def test_bytes_error_says_to_decode(cleaner: Cleaner):
    with pytest.raises(TypeError, match=r"bytes.*decode"):
        cleaner.clean(b"Leave a Reply\n")  # type: ignore[arg-type]


def test_result_to_json_is_valid_json(cleaner: Cleaner):
    text = read(SEED_002) + '\nA line with "quotes", a backslash \\ and a tab\there: é ü 中文.\n'
    res = cleaner.report(text)
    data = json.loads(res.to_json())
    assert set(data) == {"text", "removals"}
    assert data["text"] == res.text
    assert data["removals"] == [r.to_dict() for r in res.removals]
    assert [Removal(**d) for d in data["removals"]] == list(res.removals)
    assert json.loads(Result("").to_json()) == {"text": "", "removals": []}
