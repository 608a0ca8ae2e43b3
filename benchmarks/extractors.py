"""The extractors the benchmarks compare: text in (naive page text) or HTML in, body text out.

Every peer is optional: one whose package is not importable is left out, with a note.
The C4 line filter uses datatrove's own ``C4QualityFilter`` when datatrove is importable
and otherwise a re-implementation of its line rules, labelled as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import metadata

TextExtractor = Callable[[str], str]
HtmlExtractor = Callable[[bytes], str]


def _version(dist: str) -> str:
    """' 1.2.3' for an installed distribution, '' for one run from a checkout."""
    try:
        return " " + metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


# --- C4 line filter -------------------------------------------------------------------------
# C4's line rules as datatrove 0.10 applies them with the document-level drops switched off
# (too few sentences, "lorem ipsum", curly bracket): a line is kept, stripped and with
# Wikipedia-style citations removed, when it has no word over 1000 characters, ends in
# . ? ! " ' (not "..."), has at least 3 words, and mentions neither javascript nor a policy.
C4_CITATION_RE = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


def c4_lines_reimplemented(text: str) -> str:
    """Keep the lines C4's line rules keep (re-implementation of datatrove's C4QualityFilter).

    >>> c4_lines_reimplemented("Menu\\nShe said it was fine [1].\\nEnable JavaScript to see this.")
    'She said it was fine .'
    """
    kept = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        words = line.split()
        if any(len(word) > 1000 for word in words):
            continue
        line = C4_CITATION_RE.sub("", line)
        if not line.endswith(C4_END_PUNCTUATION) or line.endswith("..."):
            continue
        if len(words) < 3:
            continue
        lower = line.lower()
        if "javascript" in lower or any(p in lower for p in C4_POLICY_SUBSTRINGS):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def c4_line_filter() -> tuple[str, TextExtractor]:
    """datatrove's C4QualityFilter with document-level drops off, or the re-implementation."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.c4_filters import C4QualityFilter
    except ImportError:
        return "C4 lines (reimplementation)", c4_lines_reimplemented

    c4 = C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)

    def run(text: str) -> str:
        doc = Document(text=text, id="")
        return doc.text if c4.filter(doc) is True else ""

    return f"C4 lines (datatrove{_version('datatrove')})", run


# --- text extractors ------------------------------------------------------------------------
def text_extractors(notes: list[str]) -> dict[str, TextExtractor]:
    """Name -> function over the naive page text; a missing cleannews is noted, not fatal."""
    name, c4 = c4_line_filter()
    extractors: dict[str, TextExtractor] = {"text unchanged": lambda text: text, name: c4}
    try:
        import cleannews
    except ImportError as exc:
        notes.append(f"cleannews not importable ({exc}): install it with pip install -e .")
    else:
        extractors[f"cleannews{_version('cleannews')}"] = cleannews.Cleaner().clean
        notes.append(speedups_note())
    return extractors


def speedups_note() -> str:
    """Whether cleannews runs with its optional C module (see cleannews/accel.py)."""
    from cleannews.accel import speedups_available

    if speedups_available():
        return "cleannews: C module in use"
    return ("cleannews: C module NOT in use (pure Python, slower; `pip install -e .` builds it beside the "
            "checkout, where `python -m benchmarks...` imports cleannews from)")


# --- HTML peers -----------------------------------------------------------------------------
def _trafilatura() -> HtmlExtractor:
    import trafilatura

    return lambda html: trafilatura.extract(html) or ""


def _readability() -> HtmlExtractor:
    import lxml.html
    from readability import Document

    def run(html: bytes) -> str:
        summary = Document(html.decode("utf-8", "replace")).summary()
        return "\n".join(lxml.html.fromstring(summary).itertext())

    return run


def _justext() -> HtmlExtractor:
    import justext

    stoplist = justext.get_stoplist("English")

    def run(html: bytes) -> str:
        paragraphs = justext.justext(html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def _resiliparse() -> HtmlExtractor:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda html: extract_plain_text(html.decode("utf-8", "replace"), main_content=True)


HTML_PEERS: dict[str, tuple[str, Callable[[], HtmlExtractor]]] = {
    "jusText": ("justext", _justext),
    "resiliparse": ("resiliparse", _resiliparse),
    "trafilatura": ("trafilatura", _trafilatura),
    "readability-lxml": ("readability-lxml", _readability),
}


def html_extractors(notes: list[str]) -> dict[str, HtmlExtractor]:
    """Name -> function over the page HTML, for every peer that is importable."""
    extractors = {}
    for name, (dist, make) in HTML_PEERS.items():
        try:
            extractors[f"{name}{_version(dist)}"] = make()
        except ImportError as exc:
            notes.append(f"{name} left out ({exc}): pip install {dist}")
    return extractors
