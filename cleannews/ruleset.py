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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import regex

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
        names = (self.id, self.name, *self.aliases)
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
    alts = "|".join(f"(?P<{r.group}>{r.pattern})" for r in rules)
    if engine in ("auto", "re"):
        try:
            return re.compile(f"(?:{alts})")
        except (re.error, OverflowError, RecursionError):
            if engine == "re":
                raise
    return regex.compile(f"(?:{alts})", regex.V0)


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


def compile_groups(rules: Sequence[Rule], engine: str = "auto") -> list[tuple[bool, list[tuple[int, Pattern]]]]:
    """The whole-line rules as the pipeline runs them: ``[(case_sensitive, buckets)]``, in order (a line
    takes the first group's hit). Rules are split by case sensitivity and, with ``engine="auto"``, by the
    engine their pattern needs, so ``regex``-only rules never push the fast ``re`` groups onto ``regex``."""
    out = []
    for cs in (False, True):
        group = [r for r in rules if r.match == "line" and r.case_sensitive == cs]
        if engine == "auto":
            fast = [r for r in group if re_compatible(r)]
            parts = [(fast, "re"), ([r for r in group if r not in fast], "regex")]
        else:
            parts = [(group, engine)]
        out += [(cs, compile_buckets(part, eng)) for part, eng in parts if part]
    return out


def compile_search(rule: Rule) -> regex.Pattern[str]:
    """A "contains" rule's pattern, searched within a line."""
    return regex.compile(f"(?P<{rule.group}>{rule.pattern})", regex.V0)
