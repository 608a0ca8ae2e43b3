"""The audit view: one self-contained HTML page showing what cleaning removed from each document, and why.

A pure renderer (no I/O of its own, standard library only): give it each document's name, input text and
:class:`~cleannews.report.Result`, then render the page once. The page has inline CSS only (no script, no
external resource) and reads in any browser, offline:

* at the top, the totals of the run and a table of removed lines per rule (id, name, lines, documents), each
  rule linking to its first removal on the page;
* per changed document, a heading with its name and counts (lines kept and removed, characters removed), then
  every non-blank input line in order, numbered as in the input: kept lines plain, each removed span in a box
  labelled with the rule id, name and reason (also the box's tooltip), its lines struck through (``<del>``);
* documents with nothing removed as one-line "unchanged" entries, consecutive ones folded into one
  ``<details>`` list, so big runs stay readable.

Stable hooks for tests and for styling: ``section.doc[data-name]`` (``data-kept``, ``data-removed``,
``data-chars``), ``div.cut[data-rule][data-first][data-last]`` holding ``span.rule`` and ``span.reason`` and one
``p.line.removed[data-line]`` per removed line, ``p.line.kept[data-line]``, ``tr.rule-row[data-rule]``
(``data-lines``, ``data-docs``), ``.unchanged [data-name]`` and ``.doc-error[data-name]``.

Everything that comes from a document or a rule file (names, text, rule ids, reasons) is HTML-escaped. Only the
rendered chunk of each document is kept, not its text, so memory grows with the page, not with the inputs.

>>> import cleannews
>>> raw = "Title\\nThe council met on Monday and approved the budget.\\nLeave a Reply\\n"
>>> page = AuditPage()
>>> page.add("a.txt", raw, cleannews.report(raw))
>>> html = page.render()
>>> html.startswith("<!DOCTYPE html>") and '<del>Leave a Reply</del>' in html
True

For an HTML input, pass the page's *extracted* text as ``raw`` (:func:`cleannews.html.extract_html`): the
removals number the lines of that text; elements removed by HTML rules (line 0) are listed in their own box.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from itertools import groupby
from typing import TextIO

from cleannews.normalize import normalize_lines
from cleannews.report import Removal, Result

__all__ = ["AuditPage", "render"]


def _e(value: object) -> str:
    """HTML-escape text or an attribute value (quotes included)."""
    return escape(str(value), quote=True)


def _lines_of(removal: Removal) -> int:
    return removal.text.count("\n") + 1  # as Result.counts(): the removed non-blank lines


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


@dataclass
class _RuleTotal:
    name: str
    lines: int = 0
    docs: int = 0
    anchor: str = ""  # the id of the first removal by this rule on the page


_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --cut: #b3261e; --cut-bg: #fdecea; --line: #e3e3e3; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 4rem; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.15rem; margin: 0; overflow-wrap: anywhere; }
a { color: #0b57d0; }
.totals { margin: 0 0 1rem; color: var(--muted); }
.legend { margin: 0 0 1rem; }
.legend del, .line.removed del { color: #8c1d18; text-decoration: line-through 2px var(--cut); }
table.rules { border-collapse: collapse; margin: 0 0 2rem; min-width: 36rem; }
table.rules th, table.rules td { border-bottom: 1px solid var(--line); padding: .3rem .8rem; text-align: left; }
table.rules td.num, table.rules th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rules tfoot td { font-weight: 600; border-bottom: 0; }
code, .rule, .ln { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
section.doc { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1.5rem; padding: 1rem 1.2rem; }
.stats { margin: .2rem 0 .8rem; color: var(--muted); }
.chip { display: inline-block; margin: 0 .3rem .2rem 0; padding: 0 .45rem; border-radius: 4px;
        background: var(--cut-bg); color: var(--cut); font: 600 .8rem/1.6 ui-monospace, monospace; }
.line { display: grid; grid-template-columns: 3.5rem 1fr; gap: .6rem; margin: 0; padding: .1rem 0;
        overflow-wrap: anywhere; }
.ln { color: #9aa0a6; text-align: right; font-size: .8rem; padding-top: .15rem; user-select: none; }
.cut { margin: .35rem 0; padding: .3rem .5rem .35rem 0; background: var(--cut-bg);
       border-left: 4px solid var(--cut); border-radius: 0 6px 6px 0; }
.cut .label { margin: 0 0 .15rem 4.1rem; font-size: .85rem; color: var(--ink); }
.rule { display: inline-block; padding: 0 .45rem; border-radius: 4px; background: var(--cut); color: #fff;
        font-size: .8rem; font-weight: 600; line-height: 1.6; }
.reason { margin-left: .4rem; }
.where { margin-left: .4rem; color: var(--muted); font-size: .8rem; }
.warn { margin: .2rem 0 .6rem; padding: .3rem .6rem; background: #fff4ce; border-radius: 4px; }
.unchanged, .doc-error { margin: 0 0 .6rem; color: var(--muted); }
.unchanged ul { margin: .3rem 0 0; padding-left: 1.5rem; }
.doc-error { color: var(--cut); }
.tag { font-size: .8rem; padding: 0 .4rem; border: 1px solid currentColor; border-radius: 4px; }
@media print { .cut { break-inside: avoid; } section.doc { break-inside: avoid-page; } }
"""


class AuditPage:
    """Collects documents one by one and renders one self-contained HTML page for the whole run.

    >>> page = AuditPage()
    >>> page.add("<b>.txt", "Same text.\\n", Result("Same text.\\n"))
    >>> "&lt;b&gt;.txt" in page.render() and "<b>.txt" not in page.render()
    True
    """

    def __init__(self, title: str = "cleannews audit") -> None:
        self.title = title
        self._chunks: list[str] = []  # rendered documents, in order (not their texts)
        self._unchanged: list[tuple[str, int]] = []  # (name, lines): a run of unchanged documents not yet folded
        self._rules: dict[str, _RuleTotal] = {}
        self.documents = self.changed = self.errors = 0
        self.lines_kept = self.lines_removed = self.chars_removed = 0

    # --- input -------------------------------------------------------------------------------------

    def add(self, name: str, raw: str, result: Result) -> None:
        """Add one document: its *name* (a path), its input text *raw* and the :class:`Result` of cleaning it.

        *raw* must be the text the result's line numbers refer to (for HTML input: the extracted text).
        """
        kept = len(result.text.splitlines())
        self.documents += 1
        self.lines_kept += kept
        if not result.removals:
            self._unchanged.append((name, kept))
            return
        self._flush_unchanged()
        self.changed += 1
        self._chunks.append(self._document(len(self._chunks), name, raw, result, kept))

    def add_error(self, name: str, message: str) -> None:
        """Add a document that could not be processed (a one-line entry with the error message)."""
        self._flush_unchanged()
        self.documents += 1
        self.errors += 1
        self._chunks.append(
            f'<p class="doc-error" data-name="{_e(name)}"><span class="tag">error</span> '
            f"<code>{_e(name)}</code>: {_e(message)}</p>\n"
        )

    # --- output ------------------------------------------------------------------------------------

    def write(self, out: TextIO) -> None:
        """Write the whole page to *out* (a text stream), chunk by chunk: the page is never one big string.

        The page can be written again, also after more ``add``.
        """
        for part in self._parts():
            out.write(part)

    def render(self) -> str:
        """The whole page as a string."""
        return "".join(self._parts())

    def _parts(self) -> Iterator[str]:
        yield self._head()
        yield from self._chunks
        if self._unchanged:
            yield self._unchanged_chunk(self._unchanged)
        yield "</main>\n</body>\n</html>\n"

    # --- rendering ---------------------------------------------------------------------------------

    def _flush_unchanged(self) -> None:
        if self._unchanged:
            self._chunks.append(self._unchanged_chunk(self._unchanged))
            self._unchanged = []

    @staticmethod
    def _unchanged_chunk(run: list[tuple[str, int]]) -> str:
        if len(run) == 1:
            name, kept = run[0]
            return (
                f'<p class="unchanged" data-name="{_e(name)}"><span class="tag">unchanged</span> '
                f"<code>{_e(name)}</code> ({_n(kept, 'line')}, nothing removed)</p>\n"
            )
        items = "".join(
            f'<li data-name="{_e(name)}"><code>{_e(name)}</code> ({_n(kept, "line")})</li>\n' for name, kept in run
        )
        return (
            f'<details class="unchanged"><summary><span class="tag">unchanged</span> '
            f"{len(run):,} documents with nothing removed</summary>\n<ul>\n{items}</ul>\n</details>\n"
        )

    def _document(self, n: int, name: str, raw: str, result: Result, kept: int) -> str:
        lines = normalize_lines(raw)
        owner = [-1] * len(lines)  # index of the removal that took each line, -1: kept
        elsewhere: list[int] = []  # removals with no input lines here: HTML elements (line 0), or out of range
        for k, r in enumerate(result.removals):
            if 1 <= r.first <= r.last <= len(lines):
                for i in range(r.first - 1, r.last):
                    if lines[i] and owner[i] < 0:
                        owner[i] = k
            else:
                elsewhere.append(k)

        removed = result.changed_lines
        chars = result.removed_chars
        self.lines_removed += removed
        self.chars_removed += chars
        per_rule = result.counts()
        anchors: dict[int, str] = {}
        for k, r in enumerate(result.removals):
            anchors[k] = f"cut-{n}-{k}"
            total = self._rules.get(r.rule)
            if total is None:
                total = self._rules[r.rule] = _RuleTotal(r.name, anchor=anchors[k])
            total.lines += _lines_of(r)
        for rule in per_rule:
            self._rules[rule].docs += 1

        out = [
            f'<section class="doc changed" id="doc-{n}" data-name="{_e(name)}" data-kept="{kept}" '
            f'data-removed="{removed}" data-chars="{chars}">\n',
            f"<h2>{_e(name)}</h2>\n",
            f'<p class="stats">{_n(kept, "line")} kept, {_n(removed, "line")} removed '
            f"({_n(chars, 'character')}) &middot; ",
            "".join(
                f'<span class="chip" data-rule="{_e(rule)}">{_e(rule)}&times;{count}</span>'
                for rule, count in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            "</p>\n",
        ]
        if result.replay(raw) != result.text:
            out.append('<p class="warn">The report does not match this input text: the marks may be off.</p>\n')
        if elsewhere:
            out.append(self._elsewhere(result, elsewhere, anchors))
        out.append('<div class="body">\n')
        numbered = ((i, owner[i]) for i, line in enumerate(lines) if line)
        for k, run in groupby(numbered, key=lambda item: item[1]):
            idx = [i for i, _ in run]
            if k < 0:
                out.extend(
                    f'<p class="line kept" data-line="{i + 1}"><span class="ln">{i + 1}</span>'
                    f"<span>{_e(lines[i])}</span></p>\n"
                    for i in idx
                )
            else:
                r = result.removals[k]
                body = "".join(
                    f'<p class="line removed" data-line="{i + 1}" data-rule="{_e(r.rule)}"><span class="ln">{i + 1}'
                    f"</span><del>{_e(lines[i])}</del></p>\n"
                    for i in idx
                )
                where = f"line {r.first}" if r.first == r.last else f"lines {r.first}&ndash;{r.last}"
                out.append(self._cut(r, anchors[k], body, where))
        out.append("</div>\n</section>\n")
        return "".join(out)

    @staticmethod
    def _cut(r: Removal, anchor: str, body: str, where: str) -> str:
        return (
            f'<div class="cut" id="{anchor}" data-rule="{_e(r.rule)}" data-first="{r.first}" data-last="{r.last}" '
            f'title="{_e(r.rule)} {_e(r.name)}: {_e(r.reason)}">\n'
            f'<div class="label"><span class="rule" data-rule="{_e(r.rule)}">{_e(r.rule)} {_e(r.name)}</span>'
            f'<span class="reason">{_e(r.reason)}</span><span class="where">{where}</span></div>\n'
            f"{body}</div>\n"
        )

    def _elsewhere(self, result: Result, which: list[int], anchors: dict[int, str]) -> str:
        """Removals that name no line of this input: HTML elements removed before text extraction (line 0)."""
        out = []
        for k in which:
            r = result.removals[k]
            body = "".join(
                f'<p class="line removed" data-line="{r.first}" data-rule="{_e(r.rule)}"><span class="ln">'
                f"{'html' if r.first == 0 else '?'}</span><del>{_e(line)}</del></p>\n"
                for line in r.text.split("\n")
            )
            where = "an HTML element" if r.first == 0 else f"lines {r.first}&ndash;{r.last}, not in this input"
            out.append(self._cut(r, anchors[k], body, where))
        return "".join(out)

    def _head(self) -> str:
        total = self.lines_kept + self.lines_removed
        share = f" ({self.lines_removed / total:.1%})" if total else ""
        unchanged = self.documents - self.changed - self.errors
        rows = "".join(
            f'<tr class="rule-row" data-rule="{_e(rule)}" data-lines="{t.lines}" data-docs="{t.docs}">'
            f'<td><a href="#{t.anchor}"><code>{_e(rule)}</code></a></td><td>{_e(t.name)}</td>'
            f'<td class="num">{t.lines:,}</td><td class="num">{t.docs:,}</td></tr>\n'
            for rule, t in sorted(self._rules.items(), key=lambda kv: (-kv[1].lines, kv[0]))
        )
        if not rows:
            rows = '<tr><td colspan="4">Nothing was removed.</td></tr>\n'
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<header>\n<h1>{_e(self.title)}</h1>\n"
            f'<p class="totals" data-documents="{self.documents}" data-changed="{self.changed}" '
            f'data-unchanged="{unchanged}" data-errors="{self.errors}" data-kept="{self.lines_kept}" '
            f'data-removed="{self.lines_removed}" data-chars="{self.chars_removed}">'
            f"{_n(self.documents, 'document')}: {self.changed:,} changed, {unchanged:,} unchanged"
            + (f", {_n(self.errors, 'error')}" if self.errors else "")
            + f" &middot; {_n(self.lines_kept, 'line')} kept, {_n(self.lines_removed, 'line')} removed{share}"
            f" &middot; {_n(self.chars_removed, 'character')} removed</p>\n"
            '<p class="legend">Removed lines are <del>struck through</del> in a box labelled with the '
            '<span class="rule">rule</span> that removed them and the reason; numbers are input lines.</p>\n'
            '<table class="rules">\n<thead><tr><th>Rule</th><th>Name</th><th class="num">Removed lines</th>'
            f'<th class="num">Documents</th></tr></thead>\n<tbody>\n{rows}</tbody>\n'
            f'<tfoot><tr><td colspan="2">Total</td><td class="num">{self.lines_removed:,}</td>'
            f'<td class="num">{self.changed:,}</td></tr></tfoot>\n</table>\n</header>\n<main>\n'
        )


def render(documents: Iterable[tuple[str, str, Result]], title: str = "cleannews audit") -> str:
    """The audit page of ``(name, raw, result)`` documents, in one call."""
    page = AuditPage(title)
    for name, raw, result in documents:
        page.add(name, raw, result)
    return page.render()
