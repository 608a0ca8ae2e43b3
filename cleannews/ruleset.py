r"""Load, validate, select and compile rule files (``rules/*.toml``).

A rule file is data: TOML read with :mod:`tomllib`, patterns compiled with :mod:`regex`. Loading never
executes code. Each ``[[rule]]`` table has:

``id``        stable code, category prefix + number (``PR03``); never reused
``name``      dotted readable name (``promo.read-next``)
``kind``      what a hit removes, see :mod:`cleannews.kinds` (``line`` | ``marker`` | ``tail`` | ``head``)
``pattern``   a regex that must match the *whole* normalised, **lowercased** line (or ``patterns``: a list,
              joined with ``|``); scoped flags only, ``(?s:...)``, so patterns can be joined into one
``case_sensitive``  true: match the line as written (for patterns that need capitals, ``\p{Lu}``)
``after_ratio`` (tail rules) how much more text may follow the marker than precede it (default: the
              config's ``tail_max_after_ratio``); raise it for markers that can only start a comment thread
``requires``  literal lower-case strings, one of which every line the rule can match contains; a cheap
              filter run before the pattern (recommended for ``match = "search"`` rules). The rule examples
              test that the filter does not hide a hit.
``match``     ``line`` (default): the pattern must match the whole line; ``search``: anywhere in the line
              (for "contains" rules; still bounded by ``max_chars``)
``message``   one line: what the rule removes
``why`` / ``risk`` / ``langs`` / ``refs``  optional documentation
``enabled``   default true; false ships the rule switched off (select it to use it)
``max_chars`` longest line the rule is tried on (default 250), rounded up to the next of 60, 120, 250,
              400, 600, 800, 1200, 2000, 5000: long paragraphs skip short-line rules, which keeps the
              joined patterns fast and few
``[[rule.example]] text = '''...'''``  lines marked ``- `` must be removed by this rule, ``  `` must stay,
              ``~ `` should go but do not yet (a known miss, tested as strict xfail)

Errors name the file, the rule id and the problem, before any document is touched.
"""

from __future__ import annotations

import fnmatch
import re
import time
import tomllib
import warnings
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import regex

from cleannews.accel import speedups
from cleannews.literals import LiteralScanner, line_starts, lines_with

try:  # the standard library's parse tree, read by rule_clauses() (private; without it every rule is tried)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None  # type: ignore[assignment]

KINDS = ("line", "marker", "tail", "head")
_REQUIRED = ("id", "name", "kind", "message")
_KNOWN = {
    "id", "name", "kind", "pattern", "patterns", "message", "why", "risk", "langs", "refs",
    "enabled", "example", "max_follow", "aliases", "max_chars", "case_sensitive", "match", "after_ratio", "requires",
}  # fmt: skip
# max_chars is rounded up to one of these steps, so a rule set compiles to a handful of length buckets
MAX_CHARS_STEPS = (60, 120, 250, 400, 600, 800, 1200, 2000, 5000, 100_000)
Pattern = Any  # a compiled re.Pattern or regex.Pattern: both have fullmatch/search and lastgroup
_ID_RE = regex.compile(r"[A-Z]{1,4}[0-9]{2,4}")
_ESCAPES = regex.compile(r"\\[pPN]\{[^}]*\}|\\.")
_CAPITAL = regex.compile(r"[A-Z]")
_GLOBAL_FLAG = regex.compile(r"(?<!\\)\(\?[a-zA-Z]+\)")


class RuleError(ValueError):
    """A rule file is invalid. The message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str  # with the "- " / "  " / "~ " markers

    def parse(self) -> list[tuple[str, str]]:
        """``[(marker, line)]`` with marker one of ``-``, ``" "``, ``~``."""
        out = []
        for raw in self.text.strip("\n").split("\n"):
            mark, line = (raw[:1], raw[2:]) if len(raw) >= 2 and raw[1] == " " else (" ", raw)
            if mark not in "-~ ":
                mark, line = " ", raw
            out.append((mark, line))
        return out


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    kind: str
    pattern: str
    message: str
    source: str
    why: str = ""
    risk: str = ""
    langs: tuple[str, ...] = ()
    enabled: bool = True
    max_follow: int = 5
    max_chars: int = 250
    case_sensitive: bool = False
    match: str = "line"
    after_ratio: float | None = None
    requires: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default_factory=tuple)

    @property
    def group(self) -> str:
        """The regex group name of this rule in a joined pattern."""
        return "r_" + self.id

    def matches(self, key: str) -> bool:
        """Does a selector (id, name, alias, prefix or glob) name this rule?"""
        return selector_names(key, (self.id, self.name, *self.aliases))


def selector_names(key: str, names: Iterable[str]) -> bool:
    """Does a selector (``--select``/``--disable``: an id, name, prefix or glob) name one of *names*?
    Shared by text and HTML rules."""
    return any(n == key or n.startswith(key) or fnmatch.fnmatchcase(n, key) for n in names)


def _fail(source: str, rid: str, msg: str) -> RuleError:
    return RuleError(f"{source}: rule {rid}: {msg}")


def _parse_rule(data: dict[str, object], source: str, index: int) -> Rule:
    rid = str(data.get("id", f"#{index + 1}"))
    for key in _REQUIRED:
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(source, rid, f"missing or empty '{key}'")
    unknown = set(data) - _KNOWN
    if unknown:
        raise _fail(source, rid, f"unknown key(s) {sorted(unknown)}")
    if not _ID_RE.fullmatch(rid):
        raise _fail(source, rid, "id must be 1-4 capital letters and 2-4 digits, e.g. PR03")
    kind = str(data["kind"])
    if kind not in KINDS:
        raise _fail(source, rid, f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if "pattern" in data and "patterns" in data:
        raise _fail(source, rid, "give 'pattern' or 'patterns', not both")
    pats = data.get("patterns", [data.get("pattern")])
    if not isinstance(pats, list) or not pats or not all(isinstance(p, str) and p for p in pats):
        raise _fail(source, rid, "missing 'pattern' (a string) or 'patterns' (a list of strings)")
    pattern = "|".join(f"(?:{p})" for p in pats) if len(pats) > 1 else pats[0]
    try:  # validate with the fast compiler where the pattern allows it
        compiled: Pattern = re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        try:
            compiled = regex.compile(pattern, regex.V0)
        except regex.error as exc:
            raise _fail(source, rid, f"invalid regex: {exc}") from None
    if _GLOBAL_FLAG.search(pattern):
        raise _fail(source, rid, "global inline flags such as (?i) are not allowed; use scoped (?i:...)")
    if compiled.groupindex:
        raise _fail(source, rid, "named groups are not allowed in rule patterns")
    if compiled.fullmatch("") is not None:
        raise _fail(source, rid, "pattern matches the empty line")
    examples = data.get("example", [])
    if not isinstance(examples, list) or not all(
        isinstance(e, dict) and isinstance(e.get("text"), str) for e in examples
    ):
        raise _fail(source, rid, "each [[rule.example]] needs a 'text' string")
    max_follow = data.get("max_follow", 5)
    if not isinstance(max_follow, int) or not 0 <= max_follow <= 50:
        raise _fail(source, rid, "max_follow must be an integer from 0 to 50")
    case_sensitive = data.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise _fail(source, rid, "case_sensitive must be true or false")
    if not case_sensitive and _CAPITAL.search(_ESCAPES.sub("", pattern)):
        raise _fail(source, rid, "pattern has capital letters but lines are lowercased before matching; "
                    "write it in lower case or set case_sensitive = true")  # fmt: skip
    match = data.get("match", "line")
    if match not in ("line", "search"):
        raise _fail(source, rid, "match must be 'line' (the whole line) or 'search' (anywhere in the line)")
    after_ratio = data.get("after_ratio")
    if after_ratio is not None and (isinstance(after_ratio, bool) or not isinstance(after_ratio, (int, float))
                                    or after_ratio <= 0 or kind != "tail"):  # fmt: skip
        raise _fail(source, rid, "after_ratio must be a positive number, on a tail rule")
    requires = data.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(k, str) and k and k == k.lower() for k in requires):
        raise _fail(source, rid, "requires must be a list of non-empty lower-case strings")
    max_chars = data.get("max_chars", 250)
    if not isinstance(max_chars, int) or not 10 <= max_chars <= 100_000:
        raise _fail(source, rid, "max_chars must be an integer from 10 to 100000")
    max_chars = next(step for step in MAX_CHARS_STEPS if step >= max_chars)
    langs = data.get("langs", [])
    aliases = data.get("aliases", [])
    return Rule(
        id=rid,
        name=str(data["name"]),
        kind=kind,
        pattern=pattern,
        message=str(data["message"]),
        source=source,
        why=str(data.get("why", "")),
        risk=str(data.get("risk", "")),
        langs=tuple(langs) if isinstance(langs, list) else (),
        enabled=bool(data.get("enabled", True)),
        max_follow=max_follow,
        max_chars=max_chars,
        case_sensitive=case_sensitive,
        match=str(match),
        after_ratio=float(after_ratio) if after_ratio is not None else None,
        requires=tuple(requires),
        aliases=tuple(aliases) if isinstance(aliases, list) else (),
        examples=tuple(Example(e["text"]) for e in examples),  # type: ignore[index]
    )


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a rule file (text or HTML rules); raise :class:`RuleError` naming the file on any problem."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(f"{path}: rule file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from None


def load_file(path: str | Path) -> list[Rule]:
    """Load one rule file; raise :class:`RuleError` naming the file on any problem."""
    path = Path(path)
    data = read_toml(path)
    rules = data.get("rule", [])
    extra = set(data) - {"rule"}
    if extra:
        raise RuleError(f"{path}: unknown top-level key(s) {sorted(extra)}; rules go in [[rule]] tables")
    if not isinstance(rules, list):
        raise RuleError(f"{path}: 'rule' must be an array of tables ([[rule]])")
    return [_parse_rule(r, str(path), i) for i, r in enumerate(rules)]


def default_rule_dir() -> Path:
    """The shipped rules: ``cleannews/rules`` in an installed wheel, ``<checkout>/rules`` otherwise."""
    packaged = resources.files("cleannews") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to their ``*.toml`` files (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.glob("*.toml")))
        else:
            out.append(p)
    return out


def load_rules(paths: Iterable[str | Path]) -> list[Rule]:
    """Load every rule from *paths* (files or directories); duplicate ids are an error."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in rule_files(paths):
        for r in load_file(f):
            for key in (r.id, r.name):
                if key in seen:
                    raise RuleError(f"{f}: rule {r.id}: duplicate id or name {key!r} (first in {seen[key]})")
                seen[key] = str(f)
            rules.append(r)
    return rules


def select_rules(
    rules: Sequence[Rule], select: Sequence[str] = (), disable: Sequence[str] = ()
) -> list[Rule]:
    """Apply ``select`` (only these; also turns on rules shipped disabled) and ``disable``.

    Selectors are ids, names, aliases, prefixes (``PR``, ``promo.``) or globs (``promo.*``).
    """
    for key in (*select, *disable):
        if not any(r.matches(key) for r in rules):
            raise RuleError(f"no rule matches {key!r} (give an id such as PR03, a name, a prefix or a glob)")
    chosen = [r for r in rules if any(r.matches(k) for k in select)] if select else [
        r for r in rules if r.enabled
    ]
    return [r for r in chosen if not any(r.matches(k) for k in disable)]


def compile_joined(rules: Sequence[Rule], engine: str = "auto") -> Pattern | None:
    """Join rules into one pattern ``(?P<r_ID>pat)|...`` (used with fullmatch); ``m.lastgroup`` names the rule.

    ``engine="auto"`` compiles the joined pattern with the standard library's :mod:`re` when every pattern
    in it is valid there (about twice as fast on this workload), else with :mod:`regex` (``\\p{L}`` classes
    and the like). The rule examples are tested under both engines, so they must agree.
    """
    if not rules:
        return None
    return compile_pattern("(?:" + "|".join(f"(?P<{r.group}>{r.pattern})" for r in rules) + ")", engine)


def compile_buckets(rules: Sequence[Rule], engine: str = "auto") -> list[tuple[int, Pattern]]:
    """One joined pattern per line-length limit: ``[(limit, pattern)]`` ascending; a line of length L uses
    the first bucket with ``limit >= L``, which holds every rule whose ``max_chars >= limit``."""
    out: list[tuple[int, Pattern]] = []
    for limit in sorted({r.max_chars for r in rules}):
        pat = compile_joined([r for r in rules if r.max_chars >= limit], engine)
        if pat is not None:
            out.append((limit, pat))
    return out


def re_compatible(rule: Rule) -> bool:
    """Does the rule's pattern compile with the standard library's :mod:`re` (no ``\\p{...}`` and the like)?"""
    try:
        re.compile(rule.pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


def compile_search(rule: Rule) -> regex.Pattern[str]:
    """A "contains" rule's pattern, searched within a line (on ``regex``, for the user's rules)."""
    return regex.compile(f"(?P<{rule.group}>{rule.pattern})", regex.V0)


def compile_pattern(pattern: str, engine: str = "auto") -> Pattern:
    """*pattern* on the standard library's :mod:`re` where it compiles there (``engine="auto"``), else on
    :mod:`regex`; ``engine="re"`` or ``"regex"`` forces one."""
    if engine in ("auto", "re"):
        try:
            return re.compile(pattern)
        except (re.error, OverflowError, RecursionError):
            if engine == "re":
                raise
    return regex.compile(pattern, regex.V0)


_Test = Callable[[str], object]  # a compiled pattern's match or search: None when it finds nothing


class ContainsParts(NamedTuple):
    """A "contains" rule compiled for speed (:func:`compile_contains`): a line holds a hit iff ``match``
    finds one at its start or ``search`` finds one anywhere in it."""

    match: _Test | None  # its alternatives anchored at the line start (None: it has none)
    ascii_match: _Test | None  # ``match`` on ``re``, for a pure-ASCII line (None: use ``match``)
    search: _Test | None  # its other alternatives (None: it has none)
    literals: frozenset[str] | None  # one of which any line ``search`` finds something in holds (None: unknown)


def compile_contains(rule: Rule, engine: str = "auto") -> ContainsParts:
    """A "contains" rule as :class:`ContainsParts`.

    ``match`` joins the pattern's top-level alternatives anchored at the line start (``^...``,
    :func:`split_anchored`), ``search`` the others: an anchored alternative inside a searched pattern is
    still tried, and fails, at every position of the line. ``literals`` are those every match of ``search``
    holds (:func:`required_literals`; for case-insensitive rules, whose literals are the lowercased line's).

    With ``engine="auto"`` a rule runs on ``regex``, as "contains" rules always have, except ``ascii_match``:
    the anchored part on ``re`` (a cheaper call), for the pure-ASCII lines on which the two engines read it
    alike (:func:`same_on_ascii`); ``"re"`` or ``"regex"`` runs all of it on that engine.
    """
    anchored, rest = split_anchored(rule.pattern)
    join = "|".join
    slow = "regex" if engine == "auto" else engine
    match = ascii_match = search = literals = None
    if anchored:
        source = join(f"(?:{p})" for p in anchored) if rest else anchored[0]
        match = compile_pattern(source, slow).match
        if engine == "auto" and same_on_ascii(source):
            ascii_match = re.compile(source).match
    if rest:
        searched = join(f"(?:{p})" for p in rest) if anchored else rest[0]
        search = compile_pattern(searched, slow).search
        literals = None if rule.case_sensitive else required_literals(searched)
    return ContainsParts(match, ascii_match, search, literals)


# --- matching ------------------------------------------------------------------------------------
# The pipeline runs the rules through *matchers*, in order. Each records, for the lines no earlier matcher
# hit, the first of its rules that hits them (``LineDoc.first``), so a line is hit by one rule at most.
# Order (:func:`compile_matchers`): for each case sensitivity, the shipped whole-line rules (those valid in
# ``re``, then ``regex``-only ones), then the user's whole-line rules; then the "contains" rules, shipped
# before the user's. Shipped rules are vetted by the test-suite and run unguarded; the user's run on
# ``regex`` with a time budget per document and rule (``Config.regex_timeout``).


class LineDoc:
    """One document's non-blank lines as the matchers read them, and the rule hits so far.

    ``lowered`` holds the lines lowercased (what case-insensitive rules see). Which lines contain which
    literals is read off the lowercased lines joined by ``"\\n"``: for many literals at once with
    :meth:`literal_lines` (one :class:`~cleannews.literals.LiteralScanner` pass), else with ``str.find``
    (:meth:`lines_holding`).
    """

    __slots__ = ("_found", "_starts", "_text", "first", "lines", "lowered")

    def __init__(self, lines: list[str], lowered: list[str] | None = None) -> None:
        self.lines = lines
        self.lowered = lowered if lowered is not None else [ln.lower() for ln in lines]
        self.first: dict[int, Rule] = {}  # line index -> the rule that hit it
        self._text = ""  # the lowercased lines joined by "\n" (made on first use)
        self._starts: list[int] = []  # offset of each line in _text
        self._found: dict[str, list[int]] = {}  # literal -> the lines holding it

    def _joined(self) -> str:
        if not self._text and self.lines:
            self._text = "\n".join(self.lowered)
        return self._text

    def _offsets(self) -> tuple[str, list[int]]:
        """The joined text and the offset of each line in it."""
        if not self._starts:
            self._starts = line_starts(self._joined())
        return self._text, self._starts

    def literal_lines(self, scanner: LiteralScanner) -> Iterable[tuple[int, int]]:
        """``(k, line)`` for each line holding ``scanner.literals[k]``, lines ascending (one scanner pass)."""
        return scanner.line_hits(self._joined()) if self.lines else ()

    def lines_holding(self, literals: Sequence[str]) -> list[int]:
        """Indices (ascending) of the lines whose lowercased text contains one of *literals*."""
        if len(literals) == 1:
            return self._lines_with(literals[0])
        found: set[int] = set()
        for literal in literals:
            found.update(self._lines_with(literal))
        return sorted(found)

    def _lines_with(self, literal: str) -> list[int]:
        got = self._found.get(literal)
        if got is None:
            got = self._found[literal] = (
                lines_with(*self._offsets(), literal) if self.lines and "\n" not in literal else []
            )
        return got


Warnings = list[str]  # messages for Result.warnings, collected per document


class JoinedLineRules:
    """Whole-line rules joined into one alternation per line-length bucket (:func:`compile_buckets`); the
    first alternative that fullmatches names the rule. Used for ``regex``-only rules and for rules with
    capture groups (whose numbering the joined pattern defines)."""

    def __init__(self, rules: Sequence[Rule], case_sensitive: bool, engine: str) -> None:
        self.case_sensitive = case_sensitive
        buckets = compile_buckets(rules, engine)
        self._limits = [limit for limit, _ in buckets]
        self._matchers = [pattern.fullmatch for _, pattern in buckets]
        self._rule_of = {r.group: r for r in rules}

    def scan(self, doc: LineDoc, warnings: Warnings) -> None:
        limits, matchers, rule_of, first = self._limits, self._matchers, self._rule_of, doc.first
        top, first_limit, first_match = limits[-1], limits[0], matchers[0]
        for i, line in enumerate(doc.lines if self.case_sensitive else doc.lowered):
            n = len(line)
            if n <= first_limit:
                m = first_match(line)
            elif n > top:
                continue
            else:
                m = matchers[bisect_left(limits, n)](line)
            if m is not None and i not in first:
                first[i] = rule_of[m.lastgroup]


_Entry = tuple[Callable[[str], object], Rule, str | None]  # (compiled fullmatch, rule, a character needed)
_INDEX_MAX = 1 << 16  # keys remembered per index; an index starts over when full


def _memo(index: dict[Any, Any], key: Any, make: Callable[[Any], Any]) -> Any:
    """``index[key]``, made with ``make(key)`` and kept if missing (an index starts over when full)."""
    got = index.get(key)
    if got is None:
        if len(index) >= _INDEX_MAX:
            index.clear()
        got = index[key] = make(key)
    return got


class IndexedLineRules:
    """Whole-line rules on the standard library's :mod:`re`, each compiled on its own and indexed by what
    the first ``PREFIX_LEN`` and the last ``SUFFIX_LEN`` characters of a line it matches can be
    (:func:`rule_clauses`), and by its ``max_chars``.

    A line is tried only against the rules its own first and last characters and its length allow, in rule
    order, so the first rule that fullmatches wins, exactly as in one joined alternation of them all; but the
    alternation costs several microseconds per line however early its alternatives fail, while most lines
    meet one candidate at most. A candidate may also name a character every line it can match holds
    (``":"`` for "Name says:"), checked before the pattern.

    The indexes are filled lazily, one entry per key met (:func:`rule_clauses`, :func:`rule_ends`). What
    the end and the length allow is a bit mask of the rules (bit ``r`` for rule number ``r``); the
    candidates are kept per (first characters, mask). Within a document, a line met again (menus, share
    buttons) takes the verdict the first one got.
    """

    def __init__(self, rules: Sequence[Rule], case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        self._rules = list(rules)
        self._fullmatch = [re.compile(r.pattern).fullmatch for r in rules]
        # the prefix clauses of every rule, by how a line's prefix selects them: (rule number, character needed)
        self._anywhere: list[tuple[int, str | None]] = []
        self._exact: dict[str, list[tuple[int, str | None]]] = {}
        self._tests: list[tuple[int, str | None, Callable[[str], object]]] = []
        # the same for the suffixes, as bit masks of the rules (bit r for rule number r)
        self._any_end = 0
        self._exact_end: dict[str, int] = {}
        self._end_tests: list[tuple[int, Callable[[str], object]]] = []
        for r, rule in enumerate(rules):
            for keys, test, need in rule_clauses(rule.pattern, PREFIX_LEN) or [(None, None, None)]:
                if keys is None:
                    self._anywhere.append((r, need))
                    continue
                for key in keys:
                    self._exact.setdefault(key, []).append((r, need))
                if test is not None:
                    self._tests.append((r, need, test))
            keys, test = rule_ends(rule.pattern, SUFFIX_LEN)
            if keys is None:
                self._any_end |= 1 << r
                continue
            for key in keys:
                self._exact_end[key] = self._exact_end.get(key, 0) | 1 << r
            if test is not None:
                self._end_tests.append((1 << r, test))
        # line length -> the rules allowing it (bit mask): a list, read with the cheapest lookup there is
        self._by_length = [self._length_mask(n) for n in range(max(r.max_chars for r in rules) + 1)]
        self._by_suffix: dict[str, int] = {}  # last SUFFIX_LEN characters -> the rules allowing them
        self._allowed: dict[str, list[tuple[int, _Entry]]] = {}  # first PREFIX_LEN characters -> (bit, entry)
        self._index: dict[str, dict[int, tuple[_Entry, ...]]] = {}  # first characters -> mask -> candidates

    def candidates(self, line: str) -> tuple[_Entry, ...]:
        """The rules (in order) that may fullmatch *line*, each with a character it needs (or None)."""
        n = len(line)
        if n >= len(self._by_length):
            return ()
        mask = self._by_length[n] & _memo(self._by_suffix, line[-SUFFIX_LEN:], self._suffix_mask)
        prefix = line[:PREFIX_LEN]
        allowed = _memo(self._allowed, prefix, self._prefix_allowed)
        narrowed = _memo(self._index, prefix, lambda _: {})
        return _memo(narrowed, mask, lambda mask: tuple(entry for bit, entry in allowed if mask & bit))

    def _prefix_allowed(self, key: str) -> list[tuple[int, _Entry]]:
        """The rules (in order, with their bit) that may fullmatch a line starting with *key* (or equal to it,
        if shorter than ``PREFIX_LEN``), each with the character its clauses allowing *key* need (or None)."""
        needs: dict[int, set[str | None]] = {}
        for r, need in self._anywhere + self._exact.get(key, []):
            needs.setdefault(r, set()).add(need)
        for r, need, test in self._tests:
            if test(key) is not None:
                needs.setdefault(r, set()).add(need)
        return [(1 << r, (self._fullmatch[r], self._rules[r], _one(needs[r]))) for r in sorted(needs)]

    def _suffix_mask(self, key: str) -> int:
        """The rules (bit mask) that may fullmatch a line ending with *key* (or equal to it, if shorter)."""
        mask = self._any_end | self._exact_end.get(key, 0)
        for bit, test in self._end_tests:
            if test(key) is not None:
                mask |= bit
        return mask

    def _length_mask(self, n: int) -> int:
        """The rules (bit mask) whose ``max_chars`` allows a line of *n* characters."""
        return sum(1 << r for r, rule in enumerate(self._rules) if n <= rule.max_chars)

    def scan(self, doc: LineDoc, warnings: Warnings) -> None:
        texts = doc.lines if self.case_sensitive else doc.lowered
        c = speedups()
        if c is None:
            self.py_scan(texts, doc.first)
        else:  # the same loop in C (tests/test_rule_speed_equiv.py checks they agree)
            c.index_scan(texts, doc.first, self._index, self._by_length, self._by_suffix, self.candidates,
                         PREFIX_LEN, SUFFIX_LEN)  # fmt: skip

    def py_scan(self, texts: list[str], first: dict[int, Rule]) -> None:
        """Record in *first* the first rule that fullmatches each of *texts* not in it yet (the reference
        for the C module's ``index_scan``)."""
        index, by_suffix, by_length = self._index, self._by_suffix, self._by_length
        head, tail = slice(PREFIX_LEN), slice(-SUFFIX_LEN, None)  # made once, not per line
        todo = enumerate(texts) if not first else ((i, t) for i, t in enumerate(texts) if i not in first)
        seen: dict[str, Rule | None] = {}  # line -> its hit: a document repeats lines (menus, share buttons)
        for i, line in todo:
            if line in seen:
                if (hit := seen[line]) is not None:
                    first[i] = hit
                continue
            try:  # self.candidates(line), inlined: on most lines the lookups are most of the work
                candidates = index[line[head]][by_length[len(line)] & by_suffix[line[tail]]]
            except (KeyError, IndexError):  # a key not met yet, or a line longer than every rule allows
                candidates = self.candidates(line)
            hit = None
            for fullmatch, rule, need in candidates:
                if (need is None or need in line) and fullmatch(line) is not None:
                    first[i] = hit = rule
                    break
            seen[line] = hit


def _one(needs: set[str | None]) -> str | None:
    """The character a line must hold when all the clauses that can match it need the same one."""
    return next(iter(needs)) if len(needs) == 1 else None


class _Plan(NamedTuple):
    """How :class:`ContainsRules` runs one rule: on the lines holding a ``lead`` literal (None: on every
    line), among them those holding a ``recheck`` one (if any); ``search`` only where a ``gate`` literal is
    too (None: everywhere)."""

    rule: Rule
    parts: ContainsParts
    lead: Collection[str] | None
    recheck: tuple[str, ...]
    gate: Collection[str] | None


class ContainsRules:
    """"Contains" rules (``match = "search"``), each tried on its own on the lines that hold one of its
    ``requires`` literals (every line, without them), up to its ``max_chars``.

    A rule runs as :func:`compile_contains` splits it: anchored alternatives matched at the line start, the
    others searched, only on the lines that also hold one of the literals every match of theirs needs
    (:func:`required_literals`). The literals are found in one :class:`~cleannews.literals.LiteralScanner`
    pass over the document. For a rule with no anchored part, whichever of its two sets of literals looks
    rarer (the longer shortest literal, then the fewer literals) picks its candidate lines and the other is
    checked on those lines alone, so a common ``requires`` literal (``")"``) need not be looked for at all.
    """

    def __init__(self, rules: Sequence[Rule], engine: str = "auto") -> None:
        self._plans: list[_Plan] = []
        for r in rules:
            parts = compile_contains(r, engine)
            literals, requires = parts.literals, tuple(r.requires)
            if parts.match is None and literals is not None and (not requires or _rank(literals) >= _rank(requires)):
                # requires need no second look if each of the literals holds one of them
                implied = all(any(q in literal for q in requires) for literal in literals)
                self._plans.append(_Plan(r, parts, literals, () if implied else requires, None))
            else:
                self._plans.append(_Plan(r, parts, requires or None, (), literals))
        wanted = [(n, p.lead, True) for n, p in enumerate(self._plans) if p.lead is not None]
        wanted += [(n, p.gate, False) for n, p in enumerate(self._plans) if p.gate is not None]
        self._scanner = LiteralScanner(literal for _n, strings, _lead in wanted for literal in strings)
        number = {literal: k for k, literal in enumerate(self._scanner.literals)}
        users: list[set[tuple[int, bool]]] = [set() for _ in number]  # literal number -> (rule number, leads?)
        for n, strings, lead in wanted:
            for literal in strings:
                if literal in number:
                    users[number[literal]].add((n, lead))
        self._users = tuple(tuple(sorted(u)) for u in users)

    def scan(self, doc: LineDoc, warnings: Warnings) -> None:
        first, lines, lowered = doc.first, doc.lines, doc.lowered
        holding: list[list[int]] = [[] for _ in self._plans]  # rule number -> lines with a `lead` literal
        gated: list[set[int]] = [set() for _ in self._plans]  # rule number -> lines with a `gate` literal
        users = self._users
        for k, i in doc.literal_lines(self._scanner):
            for n, lead in users[k]:
                if not lead:
                    gated[n].add(i)
                elif not (got := holding[n]) or got[-1] != i:  # a line can hold several of a rule's literals
                    got.append(i)
        for (rule, (match, ascii_match, search, _), lead, recheck, gate), got, searchable in zip(
            self._plans, holding, gated, strict=True
        ):
            limit, case_sensitive = rule.max_chars, rule.case_sensitive
            for i in got if lead is not None else range(len(lines)):
                low = lowered[i]
                if i in first or len(low) > limit or (recheck and not any(map(low.__contains__, recheck))):
                    continue
                text = lines[i] if case_sensitive else low
                at_start = ascii_match if ascii_match is not None and text.isascii() else match
                if (at_start is not None and at_start(text) is not None) or (
                    search is not None and (gate is None or i in searchable) and search(text) is not None
                ):
                    first[i] = rule


class GuardedRules:
    """The user's rules (whole-line or "contains"), each on the ``regex`` engine with a time budget, so a
    pattern that backtracks catastrophically cannot hang a run.

    A rule gets ``timeout`` seconds per document, summed over its calls (0: no limit). When they run out,
    the rule is skipped for that document (none of its hits there count), a message naming the rule is added
    to the document's warnings (:attr:`cleannews.report.Result.warnings`), and cleaning goes on.
    """

    def __init__(self, rules: Sequence[Rule], timeout: float) -> None:
        self._rules: list[tuple[Rule, Callable[..., object]]] = []
        for r in rules:
            try:
                match = regex.compile(r.pattern, regex.V0).fullmatch if r.match == "line" else compile_search(r).search
            except (regex.error, OverflowError, RecursionError) as exc:
                raise _fail(r.source, r.id, f"pattern does not compile with the regex engine: {exc}") from None
            self._rules.append((r, match))
        self._timeout = timeout

    def scan(self, doc: LineDoc, warnings: Warnings) -> None:
        for rule, match in self._rules:
            found = self._hits(rule, match, doc)
            if found is None:
                warnings.append(
                    f"rule {rule.id} ({rule.name}) timed out (regex_timeout = {self._timeout:g} s per document)"
                    " and was skipped for this document"
                )
                continue
            for i in found:
                doc.first[i] = rule

    def _hits(self, rule: Rule, match: Callable[..., object], doc: LineDoc) -> list[int] | None:
        """The lines *rule* hits, or None if it ran out of time."""
        search = rule.match == "search"
        candidates = (
            doc.lines_holding(rule.requires) if search and rule.requires else range(len(doc.lines))
        )
        texts = doc.lines if rule.case_sensitive else doc.lowered
        sizes = doc.lowered if search else texts  # what max_chars is measured on, as for the shipped rules
        deadline = time.perf_counter() + self._timeout if self._timeout else None
        found = []
        try:
            for i in candidates:
                if i in doc.first or len(sizes[i]) > rule.max_chars:
                    continue
                if deadline is None:
                    m = match(texts[i])
                else:
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        return None
                    m = match(texts[i], timeout=left)
                if m is not None:
                    found.append(i)
        except TimeoutError:
            return None
        return found


Matcher = JoinedLineRules | IndexedLineRules | ContainsRules | GuardedRules


def compile_matchers(
    rules: Sequence[Rule], engine: str = "auto", guarded: Sequence[Rule] = (), timeout: float = 1.0
) -> list[Matcher]:
    """The rules as the pipeline runs them, in order (see the comment above :class:`LineDoc`).

    *guarded* are the rules (among *rules*) that run under :class:`GuardedRules` (the user's); the others
    are split by case sensitivity and, with ``engine="auto"``, by the engine their pattern needs, so
    ``regex``-only rules never push the fast ``re`` ones onto ``regex``.
    """
    user = {id(r) for r in guarded}
    out: list[Matcher] = []
    for cs in (False, True):
        group = [r for r in rules if r.match == "line" and r.case_sensitive == cs and id(r) not in user]
        if engine == "auto":
            fast = [r for r in group if re_compatible(r)]
            parts = [(fast, "re"), ([r for r in group if r not in fast], "regex")]
        else:
            parts = [(group, engine)]
        for part, eng in parts:
            if part and eng == "re" and all(re.compile(r.pattern).groups == 0 for r in part):
                out.append(IndexedLineRules(part, cs))
            elif part:
                out.append(JoinedLineRules(part, cs, eng))
        mine = [r for r in rules if r.match == "line" and r.case_sensitive == cs and id(r) in user]
        if mine:
            out.append(GuardedRules(mine, timeout))
    contains = [r for r in rules if r.match == "search" and id(r) not in user]
    if contains:
        out.append(ContainsRules(contains, engine))
    mine = [r for r in rules if r.match == "search" and id(r) in user]
    if mine:
        out.append(GuardedRules(mine, timeout))
    return out


# --- the prefix and suffix index of whole-line rules -----------------------------------------------
# What the first PREFIX_LEN (and the last SUFFIX_LEN) characters of a line a pattern fullmatches can be,
# read off the pattern as the standard library's parser sees it (the suffixes: read backwards). A prefix
# is a tuple of positions, each a character (a 1-character str), a character class in ``re`` syntax (a
# longer str such as "[\d]"), or None (any character); one shorter than PREFIX_LEN is a whole match.
PREFIX_LEN = 3
SUFFIX_LEN = 2  # the last characters: 2 narrow the candidates almost as much as 3, at half the set-up
_PREFIX_CAP = 4000  # more possible prefixes than this: the rule is tried on every line
_SPELLED_CLASS = 4  # character classes of at most this many characters are spelled out as characters
_CATEGORY_SRC = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W", _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_NOT_SPACE: r"\S",
} if _sre is not None else {}  # fmt: skip
_Prefix = tuple[str | None, ...]


class _TooMany(Exception):
    """More possible prefixes than _PREFIX_CAP (or a pattern the analysis gives up on)."""


_Clause = tuple[frozenset[str] | None, Callable[[str], object] | None, str | None]


@lru_cache(maxsize=4096)
def rule_clauses(pattern: str, k: int = PREFIX_LEN) -> tuple[_Clause, ...] | None:
    r"""How a whole-line *pattern* (under :mod:`re`) can be ruled out for a line: ``[(strings, test, need)]``,
    one clause per group of its top-level alternatives that need the same character. A line can match only
    if, for some clause, its first *k* characters (all of it, if it is shorter) are in ``strings`` or
    fullmatch ``test`` (the prefixes that involve character classes), and it holds ``need`` (None: no
    character is needed). ``strings`` None: any prefix. The whole answer is None when nothing is known.

    Each answer may allow more than the pattern does (lookarounds, anchors and case-insensitive parts count
    as anything), never less.

    >>> [(sorted(s), t, n) for s, t, n in rule_clauses(r"(?:read|see) (?:next|also)\s*:?")]
    [(['rea', 'see'], None, 'e')]
    >>> clauses = rule_clauses(r"\d+ comments?|[\w ]+ says:")
    >>> [(sorted(s), t("12 ") is not None, t("ab ") is not None, n) for s, t, n in clauses]
    [([], True, False, 'm'), ([], True, True, ':')]
    """
    try:
        groups: dict[str | None, set[_Prefix] | None] = {}
        for items, flags, need in _parsed(pattern):
            try:
                found: set[_Prefix] | None = _seq(items, flags, k)
            except _TooMany:
                found = None
            have = groups.get(need, set())
            groups[need] = None if found is None or have is None else have | found
        return tuple((*_strings_and_test(prefixes), need) for need, prefixes in groups.items())
    except (_TooMany, re.error, RecursionError, OverflowError, ValueError, TypeError, AttributeError):
        return None


@lru_cache(maxsize=4096)
def rule_ends(pattern: str, k: int = SUFFIX_LEN) -> tuple[frozenset[str] | None, Callable[[str], object] | None]:
    r"""What the **last** *k* characters (all, if fewer) of a line that *pattern* fullmatches can be, as
    :func:`rule_clauses` says for the first ones (the pattern read backwards), for all alternatives at once:
    ``(strings, test)``; ``(None, None)``: anything.

    >>> strings, test = rule_ends(r"(?:read|see) (?:next|also)\s*:?", 2)
    >>> sorted(strings), test(" :") is not None
    (['o:', 'so', 't:', 'xt'], True)
    """
    try:
        found: set[_Prefix] = set()
        for items, flags, _need in _parsed(pattern):
            found |= {p[::-1] for p in _seq(items, flags, k, rev=True)}
        return _strings_and_test(found)
    except (_TooMany, re.error, RecursionError, OverflowError, ValueError, TypeError, AttributeError):
        return None, None


@lru_cache(maxsize=512)
def _parse(pattern: str) -> Any:
    """*pattern* as the standard library's parser reads it (kept: several analyses read each pattern).
    Raises :class:`re.error` where ``re`` warns that it reads the pattern otherwise than ``regex`` may
    (``[[:alpha:]]``, ``[a--b]``): an analysis for a pattern that runs on ``regex`` must not trust it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        try:
            return _sre_parse.parse(pattern)
        except FutureWarning as exc:
            raise re.error(str(exc)) from None


@lru_cache(maxsize=256)
def _parsed(pattern: str) -> tuple[tuple[list[tuple[Any, Any]], int, str | None], ...]:
    """*pattern*'s top-level alternatives, parsed: ``(items, flags, a character every match needs)``."""
    parsed = _parse(pattern)
    alternatives = _alternatives(list(parsed), int(parsed.state.flags))
    need = lambda items, flags: max(_required(items, flags), key=_rarity, default=None)  # noqa: E731
    return tuple((items, flags, need(items, flags)) for items, flags in alternatives)


def _strings_and_test(
    prefixes: set[_Prefix] | None,
) -> tuple[frozenset[str] | None, Callable[[str], object] | None]:
    """Prefixes as the strings they spell (those of single characters) and a test for the others."""
    if prefixes is None:
        return None, None
    exact = {p for p in prefixes if all(e is not None and len(e) == 1 for e in p)}
    rest = sorted((p for p in prefixes if p not in exact), key=repr)
    test = re.compile("|".join(map(_prefix_source, rest))).fullmatch if rest else None
    return frozenset("".join(p) for p in exact), test  # type: ignore[arg-type]


# --- anchored alternatives of "contains" rules ---------------------------------------------------------
def split_anchored(pattern: str) -> tuple[list[str], list[str]]:
    r"""*pattern*'s top-level alternatives as ``(anchored, others)``: those that can only match at the start
    of a line (they begin with ``^`` or ``\A``) and the rest, as pattern sources. A line holds a match of
    *pattern* iff an anchored one matches at its start or another is found anywhere in it.

    Alternatives are split at the top-level ``|`` of the source, also inside a ``(?:...)`` group around a
    whole alternative. A pattern that does not parse under :mod:`re` (or may not read the same under
    ``regex``: :func:`_parse`), has global flags (a piece would lose them), back-references (their numbers
    would change) or verbose-mode or ``(?#...)`` comments (which hide ``|`` and parentheses from the split)
    is kept whole, in *others*; so is a pattern with no anchored alternative. One whose alternatives are all
    anchored is kept whole, in *anchored*.

    >>> split_anchored(r"(?:^by (?:x|y))|\bclick here|(?:^see|^read) more")
    (['^by (?:x|y)', '(?:^see|^read) more'], ['\\bclick here'])
    """
    whole: tuple[list[str], list[str]] = ([], [pattern])
    if "(?#" in pattern:
        return whole
    try:
        parsed = _parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError, AttributeError):
        return whole
    if parsed.state.flags & ~_sre.SRE_FLAG_UNICODE:
        return whole
    for op, av in _walk(parsed):
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS) or (op is _sre.SUBPATTERN and av[1] & _sre.SRE_FLAG_VERBOSE):
            return whole
    pieces = _split_top(pattern)
    anchored: list[str] = []
    others: list[str] = []
    try:
        for piece in pieces:
            (anchored if _starts_anchored(list(_parse(piece)), 0) else others).append(piece)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return whole
    if not anchored:
        return whole
    if not others:
        return [pattern], []
    return anchored, others


def _split_top(source: str) -> list[str]:
    """*source* split at its top-level ``|``; an alternative that is one ``(?:...)`` group is split inside."""
    out: list[str] = []
    for part in _bars(source):
        inner = part[3:-1]
        if part.startswith("(?:") and part.endswith(")") and _bars(inner, closes=True) is not None:
            out.extend(_split_top(inner))
        else:
            out.append(part)
    return out


def _bars(source: str, closes: bool = False) -> list[str] | None:
    """*source* split at the ``|`` outside groups and character classes. *closes*: None unless every
    group opened in *source* closes in it (so ``(?:`` + *source* + ``)`` is one group)."""
    parts: list[str] = []
    depth = start = i = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 1
        elif c == "[":  # to the end of the class: "]" right after "[" or "[^" is a member
            i += 2 if source.startswith("[^", i) else 1
            i += source[i : i + 1] == "]"
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0 and closes:
                return None
        elif c == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts if depth == 0 or not closes else None


def same_on_ascii(pattern: str) -> bool:
    r"""Do ``re`` and ``regex`` find the same matches of *pattern* in any pure-ASCII text? On ASCII they
    read ``\w``, ``\d`` and ``\b`` alike (not beyond it: ``re`` takes a combining mark for a non-word
    character, ``regex`` for a word one). Not when *pattern* matches case-insensitively (the engines fold
    some non-ASCII letters onto ASCII ones differently), uses ``\s`` or ``\S`` (``re`` counts ``\x1f`` as
    white space) or does not parse the same under ``re`` (:func:`_parse`).

    >>> same_on_ascii(r"^(?:home|start)(?: › [\w'’.-]+)+$"), same_on_ascii(r"^by\s"), same_on_ascii("(?i:^x)")
    (True, False, False)
    """
    try:
        parsed = _parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError, AttributeError):
        return False
    if parsed.state.flags & _sre.SRE_FLAG_IGNORECASE:
        return False
    spaces = (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_SPACE)
    for op, av in _walk(parsed):
        if op is _sre.SUBPATTERN and av[1] & _sre.SRE_FLAG_IGNORECASE:
            return False
        if op is _sre.IN and any(o is _sre.CATEGORY and a in spaces for o, a in av):
            return False
    return True


def _starts_anchored(items: list[tuple[Any, Any]], flags: int) -> bool:
    r"""Can a parsed sequence only match at the start of the string (``^`` outside multi-line mode, ``\A``)?"""
    if not items:
        return False
    op, av = items[0]
    if op is _sre.AT:
        return av is _sre.AT_BEGINNING_STRING or (av is _sre.AT_BEGINNING and not flags & _sre.SRE_FLAG_MULTILINE)
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _starts_anchored(list(sub), (flags | add_flags) & ~del_flags)
    if op is _sre.ATOMIC_GROUP:
        return _starts_anchored(list(av), flags)
    if op is _sre.BRANCH:
        return all(_starts_anchored(list(alt), flags) for alt in av[1])
    return False


def _walk(items: Iterable[tuple[Any, Any]]) -> Iterable[tuple[Any, Any]]:
    """Every ``(op, av)`` of a parsed pattern, nested ones included."""
    for op, av in items:
        yield op, av
        stack = [av]
        while stack:
            x = stack.pop()
            if isinstance(x, _sre_parse.SubPattern):
                yield from _walk(x)
            elif isinstance(x, (list, tuple)):
                stack.extend(x)


# --- literals every match of a "contains" pattern holds ------------------------------------------------
_LITERALS_CAP = 64  # at most this many strings in a set of literals
_RARE_ENOUGH = 6  # a literal this long is rare in text: a longer one is not worth more strings


def required_literals(pattern: str) -> frozenset[str] | None:
    r"""Strings one of which every match of *pattern* (under :mod:`re`, anywhere in a line) contains, as
    long as it can find them (None: none known). A line holding none of them cannot hold a match, so the
    pattern is not searched there.

    A run of items that each match one of a few strings gives their concatenations; a repeat at least once
    gives what its body gives; an alternation the union of what its branches give. Of the sets found, the
    one whose shortest string is longest is kept. Case-insensitive parts give nothing.

    >>> sorted(required_literals(r"\bsign (?:up|in)\b.{0,80}\b(?:here|now)"))
    ['sign in', 'sign up']
    >>> required_literals(r"\w+ says")
    frozenset({' says'})
    >>> required_literals(r"\d+|x") is None
    True
    """
    try:
        parsed = _parse(pattern)
        _exact, found = _literals(list(parsed), int(parsed.state.flags))
    except (re.error, RecursionError, OverflowError, ValueError, TypeError, AttributeError):
        return None
    if not found or _score(found) == 0:
        return None
    # a line holding a string holds every string inside it: keep only the strings no other is inside
    return frozenset(s for s in found if not any(t in s and t != s for t in found))


_Strings = set[str] | None  # None: not known


def _score(strings: Iterable[str]) -> int:
    return min(map(len, strings))


def _better(a: _Strings, b: _Strings) -> _Strings:
    """The more selective of two sets of literals: the longer shortest string (up to ``_RARE_ENOUGH``
    characters), then the fewer strings (a smaller automaton)."""
    if a is None or (b is not None and _rank(b) > _rank(a)):
        return b
    return a


def _rank(strings: Collection[str]) -> tuple[int, int]:
    return min(_score(strings), _RARE_ENOUGH), -len(strings)


def _literals(items: list[tuple[Any, Any]], flags: int) -> tuple[_Strings, _Strings]:
    """``(exact, found)`` for a sequence of parsed items: every string it can match (None: too many or not
    known), and a set of literals one of which each match contains (None: none known)."""
    run: list[set[str]] = []  # what each item of the current run of exactly known items matches
    found: _Strings = None
    exact: _Strings = {""}
    for op, av in items:
        item_exact, inside = _literals_item(op, av, flags)
        if item_exact is None:
            found = _better(_better(found, _best_run(run)), inside)
            run = []
            exact = None
            continue
        run.append(item_exact)
        if exact is not None and len(exact) * len(item_exact) <= _LITERALS_CAP:
            exact = {a + b for a in exact for b in item_exact}
        else:
            exact = None
    return exact, _better(found, _best_run(run))


def _best_run(run: list[set[str]]) -> _Strings:
    """The best set of literals a run of exactly known items gives: what some stretch of it matches."""
    best: _Strings = None
    best_rank = (0, 0)
    for start in range(len(run)):
        strings = {""}
        for part in run[start:]:
            if len(strings) * len(part) > _LITERALS_CAP:
                break
            strings = {a + b for a in strings for b in part}
            if (rank := _rank(strings)) > best_rank:
                best, best_rank = strings, rank
            if rank[0] >= _RARE_ENOUGH:  # longer is not better
                break
    return best


def _literals_item(op: Any, av: Any, flags: int) -> tuple[_Strings, _Strings]:
    nocase = flags & _sre.SRE_FLAG_IGNORECASE
    if op is _sre.LITERAL:
        return (None, None) if nocase else ({chr(av)}, {chr(av)})
    if op is _sre.IN:
        chars = {chr(a) for o, a in av if o is _sre.LITERAL}
        if nocase or len(chars) != len(av) or len(chars) > _SPELLED_CLASS:
            return None, None
        return chars, chars
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width
        return {""}, None
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _literals(list(sub), (flags | add_flags) & ~del_flags)
    if op is _sre.ATOMIC_GROUP:
        return _literals(list(av), flags)
    if op is _sre.BRANCH:
        branches = [_literals(list(alt), flags) for alt in av[1]]
        exact: _Strings = set()
        found: _Strings = set()
        for alt_exact, alt_found in branches:
            exact = None if exact is None or alt_exact is None else exact | alt_exact
            found = None if found is None or alt_found is None else found | alt_found
        if exact is not None and len(exact) > _LITERALS_CAP:
            exact = None
        return exact, found
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        exact, found = _literals(list(sub), flags)
        if low == 0:  # may match nothing: an optional body is known exactly, nothing else
            return ({"", *exact} if high == 1 and exact is not None else None), None
        return (exact if low == high == 1 else None), found
    return None, None  # any character, a back-reference, ...: nothing known


# Characters in roughly decreasing frequency in European text: a clause needs the least frequent of the
# characters it requires (one not listed here, such as ":" or a digit, is rarest).
_COMMON = " etaoinsrhldcumfpgwybvkxjqz"


def _rarity(c: str) -> int:
    return _COMMON.find(c) % (len(_COMMON) + 1)  # not listed (-1): the rarest


def _alternatives(items: list[tuple[Any, Any]], flags: int) -> list[tuple[list[tuple[Any, Any]], int]]:
    """The top-level alternatives of a parsed pattern (through groups around the whole of it)."""
    if len(items) == 1:
        op, av = items[0]
        if op is _sre.BRANCH:
            return [alt for sub in av[1] for alt in _alternatives(list(sub), flags)]
        if op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return _alternatives(list(sub), (flags | add_flags) & ~del_flags)
    return [(items, flags)]


def _required(items: Iterable[tuple[Any, Any]], flags: int) -> set[str]:
    """Characters every match of a sequence of parsed items contains (some of them; never a wrong one)."""
    out: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL and not flags & _sre.SRE_FLAG_IGNORECASE:
            out.add(chr(av))
        elif op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            out |= _required(sub, (flags | add_flags) & ~del_flags)
        elif op is _sre.ATOMIC_GROUP:
            out |= _required(av, flags)
        elif op is _sre.BRANCH:
            out |= set.intersection(*(_required(alt, flags) for alt in av[1]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            out |= _required(av[2], flags)
    return out


def _prefix_source(prefix: _Prefix) -> str:
    return "".join("(?s:.)" if e is None else re.escape(e) if len(e) == 1 else e for e in prefix)


def _concat(heads: set[_Prefix], tails: set[_Prefix], k: int) -> set[_Prefix]:
    out = set()
    for head in heads:
        if len(head) >= k:
            out.add(head)
        else:
            out.update((head + tail)[:k] for tail in tails)
    if len(out) > _PREFIX_CAP:
        raise _TooMany
    return out


def _seq(items: Iterable[tuple[Any, Any]], flags: int, k: int, rev: bool = False) -> set[_Prefix]:
    """The prefixes of *k* positions of what a sequence of parsed items matches, and what it matches whole
    when that is shorter (*rev*: the same read backwards, so the last characters, last first). Each item's
    answer is exact in length, which is what lets a short one stand for a whole match."""
    out: set[_Prefix] = {()}
    for op, av in reversed(list(items)) if rev else items:
        if all(len(p) >= k for p in out):
            break
        out = _concat(out, _item(op, av, flags, k, rev), k)
    return out


def _item(op: Any, av: Any, flags: int, k: int, rev: bool) -> set[_Prefix]:
    nocase = flags & _sre.SRE_FLAG_IGNORECASE
    if op is _sre.LITERAL:
        return {(None,)} if nocase else {(chr(av),)}
    if op is _sre.NOT_LITERAL:
        return {(None,)} if nocase else {(f"[^{re.escape(chr(av))}]",)}
    if op is _sre.ANY:
        return {(None,)}
    if op is _sre.IN:
        return {(None,)} if nocase else _char_class(av)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width: no constraint (an over-estimate)
        return {()}
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return _seq(sub, (flags | add_flags) & ~del_flags, k, rev)
    if op is _sre.ATOMIC_GROUP:
        return _seq(av, flags, k, rev)
    if op is _sre.BRANCH:
        return set().union(*(_seq(alt, flags, k, rev) for alt in av[1]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        once = _seq(sub, flags, k, rev)
        out: set[_Prefix] = set()
        power: set[_Prefix] = {()}  # prefixes of `sub` repeated n times
        for n in range(low + k + 3):
            if n >= low:
                out |= power
            if n == high:
                return out
            following = _concat(power, once, k)
            if following == power:  # so are all further powers (they saturate within k steps)
                return out | power
            power = following
        raise _TooMany
    return {(None,) * n for n in range(k + 1)}  # anything else (back-references, conditionals): anything


def _char_class(items: Any) -> set[_Prefix]:
    """One position matched by a parsed character class: its characters if few, else the class itself."""
    chars: set[str] = set()
    parts: list[str] = []
    spelled = True
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
            parts.append(re.escape(chr(av)))
        elif op is _sre.RANGE:
            low, high = av
            if high - low < _SPELLED_CLASS:
                chars.update(map(chr, range(low, high + 1)))
            else:
                spelled = False
            parts.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is _sre.NEGATE:
            spelled = False
            parts.insert(0, "^")
        elif op is _sre.CATEGORY and av in _CATEGORY_SRC:
            spelled = False
            parts.append(_CATEGORY_SRC[av])
        else:
            return {(None,)}
    if spelled and len(chars) <= _SPELLED_CLASS:
        return {(c,) for c in chars}
    return {("[" + "".join(parts) + "]",)}
