"""HTML in: locate the article in a news page, extract its text, clean it with the text pipeline.

:func:`clean_html` runs, top to bottom:

1. **decode**   bytes → str from the BOM, ``<meta charset>`` or ``http-equiv`` content type in the first
                4 KB; undeclared or unknown charsets read as UTF-8 with replacement characters.
2. **parse**    selectolax's Lexbor backend. Pages nested deeper than :data:`MAX_DEPTH` (a nested-``div``
                bomb makes HTML parsing quadratic) are flattened first: their container tags become ``<br>``.
3. **strip**    the HTML rules (``rules/html/*.toml``, kind ``html``): CSS selectors and class/id patterns
                for what is never article (scripts, navigation, share rows, related teasers, comments, ads …).
                A guarded rule keeps a match that holds the article (half the page's paragraph text or an
                ``itemprop="articleBody"``), so a page-wide wrapper with an unlucky class name survives.
4. **locate**   the article container: the element that maximises *paragraph text inside* minus a share of
                *other text inside* (Readability-like: paragraphs of prose count, link text and short lines
                count against), with ``itemprop="articleBody"`` / ``<article>`` / ``<main>`` preferred when
                they hold nearly all of the best paragraph text. JSON-LD ``articleBody`` (schema.org
                ``NewsArticle``/``Article``/``BlogPosting``) replaces the DOM text when the DOM yields much
                less than it (paywalled or script-rendered pages).
5. **lines**    block elements (paragraphs, h2–h6, list items, blockquotes, table rows, ``<br>``) become
                separate lines; inline markup is joined.
6. **clean**    the lines go through :meth:`Cleaner.report` like any text, so both paths share one definition
                of junk (by default every rule and heuristic but ``H10``, see :func:`html_cleaner`).

The :class:`~cleannews.report.Result` carries the text stage's removals, whose line numbers refer to the
*extracted* text (:func:`extract_html` returns it, and ``result.replay(extract_html(html)) == result.text``),
followed by one removal per element the guarded HTML rules removed (anywhere in the page), with
``first = last = 0`` (no line of the extracted text: ``replay`` ignores them), the rule's id, name and message,
and the element's text on one line. Elements outside the located article are dropped without a record.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleannews.report import Removal, Result
from cleannews.ruleset import RuleError, default_rule_dir, read_toml, selector_names

if TYPE_CHECKING:
    from cleannews.pipeline import Cleaner

__all__ = [
    "HtmlRule", "clean_html", "decode_html", "extract_html", "html_cleaner", "html_rule_dir", "load_html_rules",
    "rule_matches",
]  # fmt: skip

MAX_DEPTH = 1500  # container nesting beyond this is flattened before parsing
DEPTH_SCAN_TAGS = 5000  # pages with fewer tags cannot nest deep enough to matter: not scanned
MARK = "\ue000"  # private-use character: a line break between blocks while the text is joined

# --- rules ---------------------------------------------------------------------------------------

_RULE_KEYS = {"id", "name", "kind", "selector", "attr_pattern", "message", "why", "risk", "guard", "enabled",
              "example"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HtmlExample:
    html: str
    removes: bool


@dataclass(frozen=True, slots=True)
class HtmlRule:
    """An HTML rule: elements matched by ``selector`` (CSS) and/or ``attr_pattern`` (class/id tokens)."""

    id: str
    name: str
    message: str
    source: str
    selector: str = ""
    attr_pattern: str = ""
    guard: bool = True
    enabled: bool = True
    why: str = ""
    risk: str = ""
    examples: tuple[HtmlExample, ...] = field(default_factory=tuple)


def html_rule_dir() -> Path:
    """The shipped HTML rules: ``rules/html`` beside the text rules."""
    return default_rule_dir() / "html"


def _parse_rule(data: object, source: str, index: int) -> HtmlRule:
    if not isinstance(data, dict):
        raise RuleError(f"{source}: rule #{index + 1}: must be a table")
    rid = str(data.get("id", f"#{index + 1}"))

    def fail(msg: str) -> RuleError:
        return RuleError(f"{source}: rule {rid}: {msg}")

    unknown = set(data) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown key(s) {sorted(unknown)}")
    for key in ("id", "name", "message"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise fail(f"'{key}' is required (a non-empty string)")
    if data.get("kind", "html") != "html":
        raise fail("kind must be 'html' in an HTML rule file")
    selector, attr = data.get("selector", ""), data.get("attr_pattern", "")
    if not isinstance(selector, str) or not isinstance(attr, str) or not (selector or attr):
        raise fail("give a 'selector' (CSS) or an 'attr_pattern' (regex over class/id tokens), or both")
    if selector:
        try:
            LexborHTMLParser("<p></p>").css(selector)
        except Exception as exc:  # selectolax raises plain exceptions for bad selectors
            raise fail(f"invalid CSS selector {selector!r}: {exc}") from None
    if attr:
        try:
            pat = re.compile(attr)
        except re.error as exc:
            raise fail(f"invalid attr_pattern: {exc}") from None
        if pat.search(" ") or pat.search(""):
            raise fail("attr_pattern matches an empty attribute")
    examples = data.get("example", [])
    if not isinstance(examples, list) or not all(
        isinstance(e, dict) and isinstance(e.get("html"), str) and isinstance(e.get("removes"), bool) for e in examples
    ):
        raise fail("each [[rule.example]] needs html (a string) and removes (true/false)")
    for key in ("guard", "enabled"):
        if not isinstance(data.get(key, True), bool):
            raise fail(f"'{key}' must be true or false")
    return HtmlRule(
        id=rid,
        name=data["name"],
        message=data["message"],
        source=source,
        selector=selector,
        attr_pattern=attr,
        guard=data.get("guard", True),
        enabled=data.get("enabled", True),
        why=str(data.get("why", "")),
        risk=str(data.get("risk", "")),
        examples=tuple(HtmlExample(e["html"], e["removes"]) for e in examples),
    )


def load_html_rules(paths: Iterable[str | Path] | None = None) -> list[HtmlRule]:
    """Load HTML rules from files or directories (``*.toml``; default :func:`html_rule_dir`).

    Raises :class:`~cleannews.ruleset.RuleError` naming the file and rule on any problem.
    """
    files: list[Path] = []
    for p in map(Path, [html_rule_dir()] if paths is None else paths):
        files.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    rules: list[HtmlRule] = []
    seen: dict[str, str] = {}
    for f in files:
        data = read_toml(f)
        if set(data) - {"rule"} or not isinstance(data.get("rule", []), list):
            raise RuleError(f"{f}: HTML rules go in [[rule]] tables and nothing else")
        for i, raw in enumerate(data.get("rule", [])):
            rule = _parse_rule(raw, str(f), i)
            for key in (rule.id, rule.name):
                if key in seen:
                    raise RuleError(f"{f}: rule {rule.id}: duplicate id or name {key!r} (first in {seen[key]})")
                seen[key] = str(f)
            rules.append(rule)
    return rules


@dataclass(frozen=True, slots=True)
class _Compiled:
    rules: tuple[HtmlRule, ...]
    attr: tuple[tuple[HtmlRule, re.Pattern[str]], ...]
    attr_any: re.Pattern[str] | None  # all attr patterns joined: one search rejects most elements


def _compile(rules: Iterable[HtmlRule]) -> _Compiled:
    active = tuple(r for r in rules if r.enabled)
    attr = tuple((r, re.compile(r.attr_pattern)) for r in active if r.attr_pattern)
    joined = re.compile("|".join(f"(?:{r.attr_pattern})" for r, _ in attr)) if attr else None
    return _Compiled(active, attr, joined)


@lru_cache(maxsize=1)
def _default_rules() -> _Compiled:
    return _compile(load_html_rules())


@lru_cache(maxsize=32)
def html_rules_for(disable: tuple[str, ...] = ()) -> _Compiled:
    """The shipped HTML rules less those *disable* names (``Config.disable_html``); a selector that names
    no HTML rule is a :class:`~cleannews.ruleset.RuleError`."""
    if not disable:
        return _default_rules()
    rules = load_html_rules()
    for key in disable:
        if not any(selector_names(key, (r.id, r.name)) for r in rules):
            raise RuleError(f"no HTML rule matches {key!r} (give an id such as HT07, a name, a prefix or a glob)")
    return _compile(r for r in rules if not any(selector_names(k, (r.id, r.name)) for k in disable))


def _rules_of(cleaner: Cleaner | None) -> _Compiled:
    return html_rules_for(cleaner.config.disable_html) if cleaner is not None else _default_rules()


# --- decoding ------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)


def _encoding(data: bytes) -> tuple[str, int]:
    """(codec name, bytes to skip): from a BOM, else a declaration in the first 4 KB, else UTF-8."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    m = _CHARSET.search(data, 0, 4096)
    if not m:
        return "utf-8", 0
    try:
        enc = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return "utf-8", 0
    if enc.startswith(("utf-16", "utf-32")):
        return "utf-8", 0  # a page that declares UTF-16 in ASCII bytes is not UTF-16 (the HTML spec agrees)
    if enc in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252", 0  # the HTML spec reads these labels as windows-1252
    return enc, 0


def decode_html(data: bytes) -> str:
    """Bytes → text: BOM, then a ``<meta charset>`` / ``http-equiv`` declaration in the first 4 KB, else UTF-8.

    Never raises on content: undecodable bytes become U+FFFD.

    >>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>')
    '<meta charset="iso-8859-1"><p>café</p>'
    >>> decode_html(b'\\xef\\xbb\\xbf<p>ok</p>'), decode_html(b'<p>\\xff</p>')
    ('<p>ok</p>', '<p>\\ufffd</p>')
    """
    enc, skip = _encoding(data)
    return data[skip:].decode(enc, "replace")


def _source(html: str | bytes | bytearray | memoryview) -> str | bytes:
    """What Lexbor parses: UTF-8 bytes as they are (Lexbor decodes them, replacing bad sequences, faster than
    Python), other encodings decoded to str."""
    if isinstance(html, str):
        return html
    if not isinstance(html, (bytes, bytearray, memoryview)):
        raise TypeError(f"clean_html expects str or bytes, not {type(html).__name__}")
    data = bytes(html)
    enc, skip = _encoding(data)
    if enc == "utf-8":
        return data[skip:]
    return data[skip:].decode(enc, "replace")


# --- parsing -------------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_NESTING = frozenset(("div", "section", "article", "main", "ul", "ol", "dl", "blockquote", "table", "span",
                      "font", "center", "form", "aside", "nav", "header", "footer", "figure", "b", "i", "em",
                      "strong", "a", "small", "big", "li", "dd", "dt", "tbody", "tr", "td", "th"))  # fmt: skip
_FLATTEN = re.compile(r"</?(?:" + "|".join(sorted(_NESTING)) + r")\b[^>]*>", re.I)


def _too_deep(html: str) -> bool:
    """Do container tags nest deeper than :data:`MAX_DEPTH`? (Lexbor parses such pages in quadratic time.)"""
    depth = 0
    for m in _TAG.finditer(html):
        if m.group(2).lower() in _NESTING:
            if m.group(1):
                depth = max(depth - 1, 0)
            else:
                depth += 1
                if depth > MAX_DEPTH:
                    return True
    return False


def _parse(html: str | bytes) -> LexborHTMLParser:
    lt = "<" if isinstance(html, str) else b"<"
    if html.count(lt) > DEPTH_SCAN_TAGS:  # type: ignore[arg-type]
        text = html if isinstance(html, str) else html.decode("utf-8", "replace")
        if _too_deep(text):
            html = _FLATTEN.sub("<br>", text)
    try:
        return LexborHTMLParser(html)
    except UnicodeEncodeError:  # lone surrogates in a str
        return LexborHTMLParser(html.encode("utf-8", "replace"))  # type: ignore[union-attr]


# --- JSON-LD -------------------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset((
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "report", "scholarlyarticle", "techarticle", "liveblogposting",
    "posting", "socialmediaposting",
))  # fmt: skip


def _walk_json(obj: object, depth: int = 0) -> Iterator[dict[str, object]]:
    if depth > 20:
        return
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            if isinstance(v, (dict, list)):
                yield from _walk_json(v, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_json(v, depth + 1)


def _json_ld_body(tree: LexborHTMLParser) -> str:
    """The longest schema.org article ``articleBody`` in the page's JSON-LD ('' when none)."""
    best = ""
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text()
        if "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _walk_json(data):
            body = obj.get("articleBody")
            types = obj.get("@type", "")
            names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            is_article = any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in names)
            if is_article and isinstance(body, str) and len(body) > len(best):
                best = body
    return best


# --- stripping -----------------------------------------------------------------------------------


def _attr_text(node: LexborNode) -> str:
    attrs = node.attributes
    return f" {attrs.get('class') or ''} {attrs.get('id') or ''} ".lower().replace("_", "-")


def _ptext_len(node: LexborNode) -> int:
    return sum(len(p.text()) for p in node.css("p"))


# Class/id matching is cached at two levels, both bounded: the whole (class, id) pair, and each token
# ("post-body", "share-buttons"): pages of one site repeat pairs, and pages of one CMS or framework repeat tokens.
_ATTR_CACHE: dict[tuple[int, str | None, str | None], HtmlRule | None] = {}
_TOKEN_CACHE: dict[tuple[int, str], int] = {}  # (rule set, token) → index of the first attr rule matching, or -1
_CACHE_MAX = 100_000


def _token_rule(compiled: _Compiled, token: str) -> int:
    key = (id(compiled), token)
    hit = _TOKEN_CACHE.get(key)
    if hit is None:
        hit = -1
        text = f" {token} "
        if compiled.attr_any is not None and compiled.attr_any.search(text):
            hit = next(i for i, (_, p) in enumerate(compiled.attr) if p.search(text))
        if len(_TOKEN_CACHE) > _CACHE_MAX:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[key] = hit
    return hit


def _attr_rule(compiled: _Compiled, node: LexborNode) -> HtmlRule | None:
    """The first attr rule (in file order) matching one of the node's class/id tokens.

    Patterns are matched token by token (lower-cased, ``_`` read as ``-``), so no pattern spans two tokens.
    """
    attrs = node.attributes
    key = (id(compiled), attrs.get("class"), attrs.get("id"))
    try:
        return _ATTR_CACHE[key]
    except KeyError:
        pass
    hits = [_token_rule(compiled, t) for t in f"{key[1] or ''} {key[2] or ''}".lower().replace("_", "-").split()]
    best = min((h for h in hits if h >= 0), default=-1)
    rule = compiled.attr[best][0] if best >= 0 else None
    if len(_ATTR_CACHE) > _CACHE_MAX:
        _ATTR_CACHE.clear()
    _ATTR_CACHE[key] = rule
    return rule


def rule_matches(rule: HtmlRule, node: LexborNode) -> bool:
    """Does *rule* select *node* (by its CSS selector or its class/id pattern)? The guard is not applied."""
    if rule.selector and node.css_matches(rule.selector):
        return True
    return bool(rule.attr_pattern) and re.search(rule.attr_pattern, _attr_text(node)) is not None


_PROTECTED_TAGS = frozenset(("html", "body", "head"))


def _strip(body: LexborNode, compiled: _Compiled, report: list[Removal] | None = None) -> int:
    """Apply the HTML rules: unguarded ones first, then guarded ones with the article guard; return how many
    elements were removed, and append a :class:`Removal` to *report* for every guarded removal with text.

    Matches are removed in reverse document order, so an element is always visited before anything that
    contains it is freed (Lexbor frees a subtree on ``decompose``); a guard sees its element without the
    junk already removed inside it.
    """
    count = 0
    sure = ", ".join(r.selector for r in compiled.rules if r.selector and not r.guard)
    if sure:
        for node in reversed(body.css(sure)):
            if node.tag not in _PROTECTED_TAGS:
                node.decompose()
                count += 1

    guarded = [r for r in compiled.rules if r.selector and r.guard]
    by_selector = ", ".join(r.selector for r in guarded)
    selected = {n.mem_id for n in body.css(by_selector)} if by_selector else set()
    query = ", ".join([*([by_selector] if by_selector else []), *(["[class], [id]"] if compiled.attr_any else [])])
    if not query:
        return count
    ordered = body.css(query)  # document order; an element matched twice comes twice in a row
    page_text = len(body.text())
    page_p = _ptext_len(body)
    last = -1
    for node in reversed(ordered):
        key = node.mem_id
        if key == last:
            continue
        last = key
        if key in selected:
            rule = next((r for r in guarded if node.css_matches(r.selector)), None)
        else:
            rule = _attr_rule(compiled, node)
        if rule is None or node.tag in _PROTECTED_TAGS:
            continue
        size = len(node.text())
        if size * 2 >= page_text:
            continue
        if size * 4 >= page_p and (
            node.css_first("[itemprop=articleBody], [itemprop=articlebody]") is not None
            or (page_p and _ptext_len(node) * 2 >= page_p)
        ):
            continue
        if report is not None and size:
            text = " ".join(node.text(separator=" ").split())
            if text:
                report.append(Removal(rule.id, rule.name, 0, 0, text, rule.message))
        node.decompose()
        count += 1
    return count


# --- locating the article ------------------------------------------------------------------------

_NEGATIVE = re.compile(r"comment|footer|sidebar|widget|promo|related|share|social|sponsor|teaser|card", re.I)
MIN_PARAGRAPH = 60  # a paragraph this long counts as article-shaped text
MIN_ROW = 20  # a table row this long counts (ROW_WEIGHT of its length) as article text
ROW_WEIGHT = 0.5
OTHER_WEIGHT = 0.5  # how much non-paragraph text inside a container counts against it
MAX_LEVELS = 12  # ancestors of a paragraph credited with its text


def _credit(gain: dict[int, float], nodes: dict[int, LexborNode], node: LexborNode | None, n: float) -> None:
    for _ in range(MAX_LEVELS):
        if node is None:
            return
        key = node.mem_id
        if key not in nodes:
            nodes[key] = node
            gain[key] = 0.0
        gain[key] += n
        if node.tag == "body":
            return
        node = node.parent


def _locate(body: LexborNode) -> LexborNode:
    """The element with the most paragraph text inside, less a share of the other text inside it."""
    gain: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in body.css("p, pre, li, dd"):
        n = len(p.text().strip())
        if n < MIN_PARAGRAPH or (p.tag in ("li", "dd") and len(p.css("p, li, dd, div")) > 1):
            continue
        links = sum(len(a.text()) for a in p.css("a"))
        if links * 2 > n:
            continue
        _credit(gain, nodes, p.parent, n)
    # text written straight into a container (<div>Text<br>More text</div>): the container is the paragraph
    for div in body.css("div, td, section, article, blockquote, center"):
        n = len(div.text(deep=False).strip())
        if n >= MIN_PARAGRAPH:
            _credit(gain, nodes, div, n)
    # data tables: rows of short cells are article text when the table sits in the article
    for tr in body.css("tr"):
        n = len(tr.text().strip())
        if n >= MIN_ROW and len(tr.css("table, div, p, tr")) == 1:
            _credit(gain, nodes, tr.parent, n * ROW_WEIGHT)
    if not nodes:
        return body
    best, best_score = body, float("-inf")
    # a score never exceeds the paragraph text inside: visit the richest first, stop when none can win
    for key in sorted(gain, key=gain.__getitem__, reverse=True):
        good = gain[key]
        if good <= best_score:
            break
        node = nodes[key]
        total = len(node.text())
        links = sum(len(a.text()) for a in node.css("a"))
        score = good - OTHER_WEIGHT * max(total - good, 0) - links * 0.5
        if _NEGATIVE.search(_attr_text(node)):
            score -= 0.1 * good
        if score > best_score:
            best, best_score = node, score
    return best


# --- lines ---------------------------------------------------------------------------------------

_BLOCKS = ("p, div, section, article, main, h1, h2, h3, h4, h5, h6, li, ul, ol, dl, dt, dd, blockquote, pre, table, "
           "tr, figure, header, footer, address, hr, center, details, summary")  # fmt: skip


def _lines(node: LexborNode) -> list[str]:
    for block in node.css(_BLOCKS):
        block.insert_before(MARK)
        block.insert_after(MARK)
    for br in node.css("br, td, th"):
        br.insert_after(MARK if br.tag == "br" else " ")
    out = []
    for part in node.text().split(MARK):
        line = " ".join(part.split())
        if line:
            out.append(line)
    return out


# --- entry points --------------------------------------------------------------------------------


def _extract(html: str | bytes, rules: _Compiled, report: list[Removal] | None = None) -> list[str]:
    source = _source(html)
    if not source.strip():
        return []
    tree = _parse(source)
    body = tree.body
    if body is None:
        return []
    ld_body = _json_ld_body(tree)
    _strip(body, rules, report)
    container = _locate(body)
    lines = _lines(container)
    if ld_body:
        ld_lines = [" ".join(s.split()) for s in ld_body.splitlines()]
        ld_lines = [s for s in ld_lines if s]
        if sum(map(len, ld_lines)) > 1.5 * sum(map(len, lines)) + 200:
            lines = ld_lines
    return lines


def extract_html(html: str | bytes, url: str | None = None, rules_of: Cleaner | None = None) -> str:
    """The article text located in *html*, one block per line, before text cleaning (with the HTML rules
    that the cleaner *rules_of* leaves on, as :func:`clean_html` with that cleaner)."""
    lines = _extract(html, _rules_of(rules_of))
    return "\n".join(lines) + "\n" if lines else ""


def clean_html(html: str | bytes, url: str | None = None, cleaner: Cleaner | None = None) -> Result:
    """Clean the article of a news page given as HTML (str, or bytes in the page's declared charset).

    *url* is accepted for the page's address (reserved: not used yet). *cleaner* runs the text stage
    (default: the default :class:`~cleannews.pipeline.Cleaner`), and its ``Config.disable_html`` switches
    HTML rules off.

    >>> clean_html("<html><body><nav><a href='/'>Home</a></nav><article><h1>Title</h1>"
    ...            "<p>The council met on Monday and approved the budget, after a long debate.</p>"
    ...            "<div class='share'>Share on Facebook</div></article></body></html>").text
    'The council met on Monday and approved the budget, after a long debate.\\n'
    """
    removed: list[Removal] = []
    lines = _extract(html, _rules_of(cleaner), removed)
    text = "\n".join(lines) + "\n" if lines else ""
    result = (cleaner or html_cleaner()).report(text)
    return Result(result.text, result.removals + tuple(removed), result.warnings)


_HTML_CLEANER: Cleaner | None = None


def html_cleaner() -> Cleaner:
    """The default text stage for HTML input: every rule and heuristic except ``H10`` (article region).

    H10 finds the article in *flattened* page text; on HTML the DOM has already located it, and H10's
    line-shape verdicts would cut article parts the DOM kept on purpose (lists, tables, product boxes).
    """
    global _HTML_CLEANER
    if _HTML_CLEANER is None:
        from cleannews.config import Config
        from cleannews.pipeline import Cleaner

        _HTML_CLEANER = Cleaner(Config(disable_heuristics=("H10",)))
    return _HTML_CLEANER
