"""The fast paths of the rule matchers never hide (or invent) a hit.

Each shortcut is checked against the plain reading of a rule on random input: the prefix and suffix index
of whole-line rules against one joined alternation, the split of "contains" patterns into anchored and
searched parts against one search of the whole pattern, the literals a search needs against the search
itself, ``re`` against ``regex`` on the ASCII text where the matcher takes one for the other, and the
whole "contains" matcher against a naive loop (every rule, every line, ``regex`` search).
"""

from __future__ import annotations

import itertools
import random
import re
import warnings

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews.literals import LiteralScanner
from cleannews.ruleset import (
    PREFIX_LEN,
    SUFFIX_LEN,
    ContainsRules,
    IndexedLineRules,
    JoinedLineRules,
    LineDoc,
    Rule,
    compile_contains,
    default_rule_dir,
    load_rules,
    required_literals,
    rule_clauses,
    rule_ends,
    same_on_ascii,
    split_anchored,
)

RULES = [r for r in load_rules([default_rule_dir()]) if r.enabled]
LINE_RULES = [r for r in RULES if r.match == "line"]
CONTAINS = [r for r in RULES if r.match == "search"]
EXAMPLE_LINES = sorted({line.strip() for r in RULES for ex in r.examples for _, line in ex.parse() if line.strip()})
SHORT = ["".join(t) for n in (1, 2, 3, 4, 5) for t in itertools.product("ab :1A", repeat=n)]


def _pattern(rng: random.Random) -> str:
    """A random pattern: literals, classes (some holding ``|`` or ``(``), groups, anchors, lookarounds, repeats."""

    def atom(d: int) -> str:
        r = rng.random()
        if d > 3 or r < 0.3:
            return rng.choice(["a", "b", " ", ":", "1", "A", "ab", r"\|", r"\("])
        if r < 0.4:
            return rng.choice(["[ab]", "[^a]", r"\d", r"\w", r"\s", ".", "[a-c:]", "[|(]", "[]a]", "[b1 ]"])
        if r < 0.55:
            return rng.choice(["(?:", "(", "(?:^"]) + "|".join(seq(d + 1) for _ in range(rng.randint(1, 3))) + ")"
        if r < 0.65:
            return rng.choice(["^", "$", r"\b", r"\B", r"\A"])
        if r < 0.7:
            return rng.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rng.choice("ab: ") + ")"
        if r < 0.72:
            return rng.choice(["(a?)\\1", "(b|:)\\1", "(?:(a)|b)(?(1)a|:)"])  # back-references, a conditional
        if r < 0.75:
            return "(?i:" + seq(d + 1) + ")"
        if r < 0.78:
            return "(?m:" + seq(d + 1) + ")"
        return atom(d + 1) + rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "*?", "+?", "{3,}"])

    def seq(d: int) -> str:
        return "".join(atom(d) for _ in range(rng.randint(1, 4)))

    return "|".join(seq(0) for _ in range(rng.randint(1, 4)))


def _patterns(seed: int, n: int = 200) -> list[str]:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        p = _pattern(rng)
        try:
            re.compile(p)
        except re.error:
            continue
        out.append(p)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_prefix_and_suffix_clauses_never_hide_a_match(seed: int) -> None:
    """Also for lines shorter than the key: their whole text is the key."""
    for pattern in _patterns(seed):
        compiled = re.compile(pattern)
        clauses = rule_clauses(pattern, PREFIX_LEN)
        keys, test = rule_ends(pattern, SUFFIX_LEN)
        for s in filter(compiled.fullmatch, SHORT):
            head, tail = s[:PREFIX_LEN], s[-SUFFIX_LEN:]
            assert clauses is None or any(
                (k is None or head in k or (t is not None and t(head) is not None)) and (need is None or need in s)
                for k, t, need in clauses
            ), (pattern, s, clauses)
            assert keys is None or tail in keys or (test is not None and test(tail) is not None), (pattern, s)


@pytest.mark.parametrize("seed", range(4))
def test_split_anchored_finds_what_the_whole_pattern_finds(seed: int) -> None:
    for pattern in _patterns(seed + 10):
        anchored, others = split_anchored(pattern)
        assert anchored or others
        match = re.compile("|".join(f"(?:{p})" for p in anchored)).match if anchored else None
        search = re.compile("|".join(f"(?:{p})" for p in others)).search if others else None
        whole = re.compile(pattern).search
        for s in SHORT:
            split = bool((match and match(s)) or (search and search(s)))
            assert split == bool(whole(s)), (pattern, anchored, others, s)


def test_split_anchored_keeps_what_it_cannot_read() -> None:
    unreadable = [
        r"(?m:^a)|b",
        r"(?m)^a|^b",
        r"^a|(b)\1",
        r"^a|(?x: b # |( )",
        r"^a(?#|)|b",
        r"\d+ x",
        r"^a|[[:alpha:]|x]",
    ]
    for pattern in unreadable:  # the last: re and regex read that class differently
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            assert split_anchored(pattern) == ([], [pattern])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert required_literals(r"xyz[[:alpha:]]") is None
    assert split_anchored(r"^a|^b") == ([r"^a|^b"], [])
    assert split_anchored(r"(?:^a|[|(]b)|\Ac") == (["^a", r"\Ac"], ["[|(]b"])


@pytest.mark.parametrize("seed", range(4))
def test_required_literals_are_in_every_match(seed: int) -> None:
    for pattern in _patterns(seed + 20):
        literals = required_literals(pattern)
        if literals is None:
            continue
        assert "" not in literals
        search = re.compile(pattern).search
        for s in SHORT:
            if search(s):
                assert any(lit in s for lit in literals), (pattern, literals, s)


ASCII_STRINGS = [*SHORT, "ab_1 a:b", "A1 b::", "x\x1f y", "_a b_", "1:1 ab", "b\ta"]


@pytest.mark.parametrize("seed", range(4))
def test_re_and_regex_agree_on_ascii_where_said_to(seed: int) -> None:
    for pattern in _patterns(seed + 30):
        if not same_on_ascii(pattern):
            continue
        fast, slow = re.compile(pattern), regex.compile(pattern, regex.V0)
        for s in ASCII_STRINGS:
            assert bool(fast.match(s)) == bool(slow.match(s)), (pattern, s)
            assert bool(fast.search(s)) == bool(slow.search(s)), (pattern, s)


def test_contains_rules_on_other_scripts_hit_as_regex_does() -> None:
    """``re`` and ``regex`` read ``\\w`` differently on combining marks: those lines stay on ``regex``."""
    lines = ["होम › समाचार › दुनिया", "หน้าแรก › ข่าว", "सोमवार, 15.01.2024", "x² › y", "Home › News › World"]
    doc = LineDoc(lines)
    CONTAINS_MATCHER.scan(doc, [])
    assert {i: r.id for i, r in doc.first.items()} == _naive_contains(CONTAINS, lines)
    assert {0, 1, 2, 4} <= doc.first.keys()


def test_required_literals_of_the_shipped_rules_are_in_their_examples() -> None:
    for rule in CONTAINS:
        search, literals = compile_contains(rule).search, compile_contains(rule).literals
        for ex in rule.examples:
            for _, line in ex.parse():
                low = line.strip().lower()
                if literals is not None and search is not None and search(low):
                    assert any(lit in low for lit in literals), (rule.id, line)


# --- whole matchers against naive references, on lines made from the rule examples ----------------------
def _mutations(line: str) -> st.SearchStrategy[str]:
    cut = st.integers(0, len(line))
    return st.one_of(
        st.just(line),
        st.builds(lambda i: line[i:], cut),
        st.builds(lambda i: line[:i], cut),
        st.builds(lambda i, j: line[i:j], cut, cut),
        st.builds(lambda a: a + line, st.sampled_from(["x ", "by ", "home › ", ". ", "(", " "])),
        st.builds(lambda a: line + a, st.sampled_from([".", ":", " here", ")", " 2024", "…"])),
        st.just(line.upper()),
        st.just(line.title()),
    )


def _doc(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln]


example_doc = st.lists(
    st.one_of(
        st.sampled_from(EXAMPLE_LINES).flatmap(_mutations), st.text(st.sampled_from("ab :|»)(.2019é"), max_size=12)
    ),
    min_size=1,
    max_size=12,
).map(_doc)


def _naive_contains(rules: list[Rule], lines: list[str]) -> dict[int, str]:
    """Each line's first "contains" rule, the plain way: every rule, every line, regex search."""
    first: dict[int, str] = {}
    for rule in rules:
        search = regex.compile(rule.pattern, regex.V0).search
        for i, line in enumerate(lines):
            low = line.lower()
            if i in first or len(low) > rule.max_chars:
                continue
            if rule.requires and not any(lit in low for lit in rule.requires if "\n" not in lit):
                continue
            if search(line if rule.case_sensitive else low):
                first[i] = rule.id
    return first


LOWER_RULES = [r for r in LINE_RULES if not r.case_sensitive]  # (the shipped whole-line rules all are)
JOINED = JoinedLineRules(LOWER_RULES, False, "re")


@settings(max_examples=40, deadline=None)
@given(example_doc)
def test_indexed_rules_agree_with_one_joined_pattern(lines: list[str]) -> None:
    """A fresh matcher: every index lookup misses first."""
    fast, slow = LineDoc(lines), LineDoc(lines)
    IndexedLineRules(LOWER_RULES, False).scan(fast, [])
    JOINED.scan(slow, [])
    assert {i: r.id for i, r in fast.first.items()} == {i: r.id for i, r in slow.first.items()}


INDEXED = IndexedLineRules(LOWER_RULES, False)  # one matcher for all examples: its indexes fill up as they go


@settings(max_examples=300, deadline=None)
@given(example_doc)
def test_indexed_rules_with_warm_indexes_agree_with_one_joined_pattern(lines: list[str]) -> None:
    fast, slow = LineDoc(lines), LineDoc(lines)
    INDEXED.scan(fast, [])
    JOINED.scan(slow, [])
    assert {i: r.id for i, r in fast.first.items()} == {i: r.id for i, r in slow.first.items()}


CONTAINS_MATCHER = ContainsRules(CONTAINS)


@pytest.mark.parametrize("fallback", [False, True])
@settings(max_examples=200, deadline=None)
@given(lines=example_doc)
def test_contains_rules_agree_with_a_naive_loop(lines: list[str], fallback: bool) -> None:
    matcher = CONTAINS_MATCHER
    LiteralScanner.force_fallback = fallback
    try:
        doc = LineDoc(lines)
        matcher.scan(doc, [])
    finally:
        LiteralScanner.force_fallback = False
    assert {i: r.id for i, r in doc.first.items()} == _naive_contains(CONTAINS, lines)


def test_contains_rules_read_lines_with_a_lone_surrogate() -> None:
    lines = ["Broken \ud800 char (AP Photo/Jane Doe)", "(AP Photo/Jane Doe)", "Click here \ud800 to subscribe"]
    doc = LineDoc(lines)
    CONTAINS_MATCHER.scan(doc, [])
    assert {i: r.id for i, r in doc.first.items()} == _naive_contains(CONTAINS, lines)
    assert doc.first


def test_contains_rules_keep_earlier_hits_and_line_order() -> None:
    """A line an earlier matcher hit is not taken again; hits land on the right lines after long ones."""
    hit = "By continuing to browse this website you accept our use of cookies."
    lines = ["x" * 500, hit, "Home › News › World", hit, "nothing here"]
    doc = LineDoc(lines)
    doc.first[3] = LINE_RULES[0]
    CONTAINS_MATCHER.scan(doc, [])
    assert doc.first[3] is LINE_RULES[0]
    assert {i: r.id for i, r in doc.first.items() if i != 3} == {
        i: rid for i, rid in _naive_contains(CONTAINS, lines).items() if i != 3
    }


alphabet = st.sampled_from([*"ab é|·»)20 \n", "by ", "ß", "\U0001f600", "\ud800"])  # a lone surrogate, too


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(alphabet, max_size=10).map("".join), min_size=1, max_size=8),
       st.lists(st.lists(alphabet, min_size=1, max_size=4).map("".join), min_size=1, max_size=6))  # fmt: skip
def test_line_hits_are_the_lines_holding_each_literal(lines: list[str], literals: list[str]) -> None:
    lines = [ln.replace("\n", " ") for ln in lines]
    text = "\n".join(lines)
    scanner = LiteralScanner(literals)
    expected = {(k, i) for k, lit in enumerate(scanner.literals) for i, ln in enumerate(lines) if lit in ln}
    got = list(scanner.line_hits(text))
    assert set(got) == expected
    assert [i for _, i in got] == sorted(i for _, i in got)


@settings(max_examples=200, deadline=None)
@given(example_doc, st.sets(st.integers(0, 40)))
def test_c_index_scan_equals_python_scan(speedups_module, lines: list[str], done: set[int]) -> None:
    """The C module's loop of IndexedLineRules.scan against py_scan: fresh and warm indexes, and with lines a
    rule of an earlier matcher already took (which both must leave alone)."""
    texts = [line.lower() for line in lines]
    for matcher in (IndexedLineRules(LOWER_RULES, False), INDEXED):
        taken = {i: LOWER_RULES[0] for i in done if i < len(texts)}
        by_python, by_c = dict(taken), dict(taken)
        matcher.py_scan(texts, by_python)
        speedups_module.index_scan(texts, by_c, matcher._index, matcher._by_length, matcher._by_suffix,
                                   matcher.candidates, PREFIX_LEN, SUFFIX_LEN)  # fmt: skip
        assert by_c == by_python
