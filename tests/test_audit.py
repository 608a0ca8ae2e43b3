"""The audit view (``cleannews.audit``): unit tests of the HTML renderer on real reports of the seeds, a test in a
real headless Chromium (skipped, with the reason, where no Chromium is installed), and the CLI end to end
(skipped until ``--format html`` is accepted by ``cleannews --explain``).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

import cleannews
from cleannews.audit import AuditPage, render
from cleannews.html import extract_html
from cleannews.normalize import normalize_lines
from cleannews.report import Removal, Result

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
EVIL_NAME = 'evil <script>x</script> "q" & co.txt'
EVIL = (
    "The council met on Monday and approved the budget <script>document.body.dataset.pwned = 'script'</script>.\n"
    'Residents asked questions about <img src="x" onerror="document.body.dataset.pwned = \'img\'"> and A & B.\n'
    "Leave a Reply\n"
    "<b>bold</b> &amp; &lt;not an entity&gt;\n"
)


def seed_docs() -> list[tuple[str, str, Result]]:
    docs = []
    for path in SEEDS:
        raw = path.read_text(encoding="utf-8")
        docs.append((f"seeds/{path.name}", raw, cleannews.report(raw)))
    return docs


def parse(page: str) -> LexborHTMLParser:
    return LexborHTMLParser(page)


def text_of(node) -> str:
    return node.text(deep=True)


@pytest.fixture(scope="module")
def docs() -> list[tuple[str, str, Result]]:
    docs = seed_docs()
    assert any(res.removals for _, _, res in docs) and any(not res.removals for _, _, res in docs)
    return docs


@pytest.fixture(scope="module")
def seed_page(docs) -> str:
    page = AuditPage()
    for name, raw, res in docs:
        page.add(name, raw, res)
    return page.render()


# --- the renderer ------------------------------------------------------------------------------------


def test_page_is_self_contained(seed_page):
    assert seed_page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in seed_page
    assert "<style>" in seed_page
    low = seed_page.lower()
    for external in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert external not in low, external


def test_every_removal_is_marked(docs, seed_page):
    tree = parse(seed_page)
    for name, raw, res in docs:
        if not res.removals:
            continue
        (section,) = [s for s in tree.css("section.doc") if s.attributes["data-name"] == name]
        cuts = section.css("div.cut")
        assert len(cuts) == len(res.removals)
        lines = normalize_lines(raw)
        for cut, r in zip(cuts, res.removals, strict=True):
            assert cut.attributes["data-rule"] == r.rule
            assert (int(cut.attributes["data-first"]), int(cut.attributes["data-last"])) == (r.first, r.last)
            assert text_of(cut.css_first("span.rule")) == f"{r.rule} {r.name}"
            assert text_of(cut.css_first("span.reason")) == r.reason
            assert cut.attributes["title"] == f"{r.rule} {r.name}: {r.reason}"
            removed = cut.css("p.line.removed")
            # each removed line is struck through, numbered as in the input, and is the report's text
            assert [text_of(p.css_first("del")) for p in removed] == r.text.split("\n")
            for p in removed:
                n = int(p.attributes["data-line"])
                assert r.first <= n <= r.last and lines[n - 1] == text_of(p.css_first("del"))
                assert p.attributes["data-rule"] == r.rule
        # kept lines: plain (no <del>), in input order, exactly the clean text
        kept = section.css("p.line.kept")
        assert [text_of(p.css("span")[1]) for p in kept] == res.text.splitlines()
        assert not any(p.css("del") for p in kept)
        # every non-blank input line appears once, in order
        numbers = [int(p.attributes["data-line"]) for p in section.css("p.line")]
        assert numbers == [i + 1 for i, ln in enumerate(lines) if ln]
        assert section.attributes["data-kept"] == str(len(res.text.splitlines()))
        assert section.attributes["data-removed"] == str(res.changed_lines)
        assert section.attributes["data-chars"] == str(res.removed_chars)
        assert text_of(section.css_first("h2")) == name
        assert section.css_first("p.warn") is None


def test_seed_002_marks(seed_page):
    """The README's before/after example: the promo, stock-ranking, AI-note and photo-credit lines."""
    tree = parse(seed_page)
    (section,) = [s for s in tree.css("section.doc") if s.attributes["data-name"].endswith("002_a0429357714a5f24.txt")]
    labels = [text_of(s) for s in section.css("div.cut span.rule")]
    assert labels == [
        "PR01 promo.see-also-inline", "PR03 promo.stock-rankings", "PR02 promo.read-next", "PR02 promo.read-next",
        "NT02 notes.ai-disclaimer", "CR02 credits.photo",
    ]  # fmt: skip
    struck = [text_of(d) for d in section.css("div.cut del")]
    assert struck[2] == "Read Next:" and struck[-1].startswith("Photo Courtesy:")
    chips = {c.attributes["data-rule"]: text_of(c) for c in section.css(".stats .chip")}
    assert chips["PR02"] == "PR02×2" and set(chips) == {"PR01", "PR02", "PR03", "NT02", "CR02"}


def test_rule_table_and_totals(docs, seed_page):
    lines: Counter[str] = Counter()
    in_docs: Counter[str] = Counter()
    names = {}
    for _, _, res in docs:
        lines.update(res.counts())
        in_docs.update(set(res.counts()))
        names.update({r.rule: r.name for r in res.removals})
    tree = parse(seed_page)
    rows = tree.css("tr.rule-row")
    got = {r.attributes["data-rule"]: (int(r.attributes["data-lines"]), int(r.attributes["data-docs"])) for r in rows}
    assert got == {rule: (lines[rule], in_docs[rule]) for rule in lines}
    for row in rows:
        cells = [text_of(td) for td in row.css("td")]
        rule = row.attributes["data-rule"]
        assert cells == [rule, names[rule], f"{lines[rule]:,}", f"{in_docs[rule]:,}"]
        # the rule links to its first removal on the page
        target = row.css_first("a").attributes["href"].removeprefix("#")
        assert tree.css_first(f"#{target}").attributes["data-rule"] == rule
    # sorted by removed lines, most first
    assert [got[r.attributes["data-rule"]][0] for r in rows] == sorted((n for n, _ in got.values()), reverse=True)
    totals = tree.css_first("p.totals").attributes
    changed = sum(1 for _, _, res in docs if res.removals)
    assert totals["data-documents"] == str(len(docs))
    assert totals["data-changed"] == str(changed)
    assert totals["data-unchanged"] == str(len(docs) - changed)
    assert totals["data-removed"] == str(sum(lines.values()))
    assert totals["data-kept"] == str(sum(len(res.text.splitlines()) for _, _, res in docs))
    assert totals["data-chars"] == str(sum(res.removed_chars for _, _, res in docs))
    assert [text_of(td) for td in tree.css("table.rules tfoot td")][1:] == [f"{sum(lines.values()):,}", str(changed)]


def test_user_text_is_escaped():
    res = cleannews.report(EVIL)
    assert res.removals  # "Leave a Reply" goes, so the page has kept and removed lines
    page = render([(EVIL_NAME, EVIL, res)], title="<i>run</i>")
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;" in page and "&amp;amp;" in page
    tree = parse(page)
    assert not tree.css("script") and not tree.css("img") and not tree.css("main b")
    section = tree.css_first("section.doc")
    assert section.attributes["data-name"] == EVIL_NAME
    assert text_of(section.css_first("h2")) == EVIL_NAME
    shown = [text_of(p.css("span")[1]) for p in section.css("p.line.kept")]
    assert shown == res.text.splitlines()  # the browser shows the original characters, markup as text
    assert text_of(tree.css_first("title")) == "<i>run</i>"


def test_rule_ids_names_and_reasons_are_escaped():
    raw = "Body line one of the article.\nJUNK\n"
    r = Removal('X"1<', "name<b>", 2, 2, "JUNK", 'because "<script>" & more')
    page = render([("a.txt", raw, Result("Body line one of the article.\n", (r,)))])
    assert "<script" not in page and "<b>" not in page
    tree = parse(page)
    cut = tree.css_first("div.cut")
    assert cut.attributes["data-rule"] == 'X"1<'
    assert text_of(cut.css_first("span.rule")) == 'X"1< name<b>'
    assert text_of(cut.css_first("span.reason")) == 'because "<script>" & more'
    assert tree.css_first("tr.rule-row").attributes["data-rule"] == 'X"1<'


def test_unchanged_documents_are_one_line_entries():
    page = AuditPage()
    for name in ("u1.txt", "u2.txt", "u3.txt"):
        page.add(name, "Same text, nothing to remove here.\n", cleannews.report("Same text, nothing to remove here."))
    page.add("c.txt", EVIL, cleannews.report(EVIL))
    page.add("alone.txt", "Another clean line.\n", cleannews.report("Another clean line.\n"))
    tree = parse(page.render())
    assert len(tree.css("section.doc")) == 1  # only the changed document gets a section with its text
    (group,) = tree.css("details.unchanged")  # the three consecutive ones, folded
    assert [li.attributes["data-name"] for li in group.css("li")] == ["u1.txt", "u2.txt", "u3.txt"]
    assert "3 documents with nothing removed" in text_of(group.css_first("summary"))
    (alone,) = tree.css("p.unchanged")
    assert alone.attributes["data-name"] == "alone.txt" and "nothing removed" in text_of(alone)
    assert "Same text" not in page.render()  # an unchanged document's text is not on the page
    # document order is kept: unchanged group, changed document, unchanged entry
    order = [n.attributes.get("data-name") for n in tree.css("main > *")]
    assert order == [None, "c.txt", "alone.txt"]


def test_unchanged_seed(docs, seed_page):
    tree = parse(seed_page)
    unchanged = {n.attributes["data-name"] for n in tree.css(".unchanged[data-name], .unchanged [data-name]")}
    assert unchanged == {name for name, _, res in docs if not res.removals}


def test_errors_empty_and_no_removals():
    page = AuditPage()
    page.add_error("bad <1>.txt", "not valid UTF-8 at byte 3 <x>")
    page.add("empty.txt", "", cleannews.report(""))
    tree = parse(page.render())
    err = tree.css_first("p.doc-error")
    assert err.attributes["data-name"] == "bad <1>.txt" and "not valid UTF-8 at byte 3 <x>" in text_of(err)
    assert tree.css_first("p.totals").attributes["data-errors"] == "1"
    assert "Nothing was removed." in text_of(tree.css_first("table.rules"))
    empty = parse(AuditPage().render())
    assert empty.css_first("p.totals").attributes["data-documents"] == "0"


def test_html_input_removals():
    """HTML input: lines of the extracted text, and elements removed by HTML rules (line 0) in their own boxes."""
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Title</h1>"
        "<p>The council met on Monday and approved the budget, after a long debate.</p>"
        "<div class='share'>Share on Facebook</div></article></body></html>"
    )
    res = cleannews.clean_html(html)
    page = render([("page.html", extract_html(html), res)])
    tree = parse(page)
    section = tree.css_first("section.doc")
    assert section.css_first("p.warn") is None
    element_cuts = [c for c in section.css("div.cut") if c.attributes["data-first"] == "0"]
    assert {c.attributes["data-rule"] for c in element_cuts} == {r.rule for r in res.removals if r.first == 0}
    assert all(text_of(c.css_first(".ln")) == "html" for c in element_cuts)
    assert "Share on Facebook" in [text_of(d) for d in section.css("del")]
    assert [text_of(p.css("span")[1]) for p in section.css("p.line.kept")] == res.text.splitlines()


def test_mismatched_input_is_flagged_not_a_crash():
    res = cleannews.report(EVIL)
    page = render([("wrong.txt", "Some other text.\n", res)])
    tree = parse(page)
    assert tree.css_first("section.doc p.warn") is not None
    assert tree.css("div.cut")  # the removal is still shown (as lines not in this input)


def test_render_twice_and_add_after_render(docs):
    page = AuditPage()
    name, raw, res = next(d for d in docs if d[2].removals)
    page.add(name, raw, res)
    first = page.render()
    assert page.render() == first
    page.add("later.txt", "Clean.\n", cleannews.report("Clean.\n"))
    assert parse(page.render()).css_first("p.totals").attributes["data-documents"] == "2"


def test_page_does_not_keep_texts():
    """Only the rendered chunks are held: no reference to an input text survives ``add``."""
    raw = "A clean sentence that stays in the article.\n" * 1000
    page = AuditPage()
    page.add("big.txt", raw, cleannews.report(raw))
    held = [v for v in vars(page).values() if v is raw or (isinstance(v, list) and any(x is raw for x in v))]
    assert not held
    assert len(page.render()) < 10_000  # unchanged: a one-line entry, not its 44 kB of text


# --- a real browser ----------------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chromium-headless-shell")

PROBE = """<script>
(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const dels = [...document.querySelectorAll("main del")];
  const out = {
    dels: dels.length,
    struck: dels.filter((d) => getComputedStyle(d).textDecorationLine.includes("line-through")).length,
    labels: [...document.querySelectorAll("div.cut span.rule")].filter(visible).map((s) => s.textContent),
    reasons: [...document.querySelectorAll("div.cut span.reason")].filter(visible).length,
    rows: [...document.querySelectorAll("tr.rule-row")].filter(visible).map((r) => r.dataset.rule),
    injected: document.querySelectorAll("main script, main img, main b").length,
    pwned: document.body.dataset.pwned || null,
    title: document.title,
  };
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium on this machine: apt-get install chromium")


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           f"--user-data-dir={profile}", *args]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def png_pixels(data: bytes) -> bytes:
    """The decompressed image data (filter bytes included) of a PNG: enough to tell a blank image."""
    pos, idat = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return zlib.decompress(b"".join(idat))


@pytest.fixture(scope="module")
def browser() -> str:
    path = find_browser()
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"{path} does not start ({exc}): apt-get install chromium")
    if version.returncode != 0 or "Chrom" not in version.stdout:
        pytest.skip(f"{path} does not run ({(version.stdout + version.stderr).strip()[:200]})")
    return path


def test_page_in_headless_chromium(browser, docs, tmp_path):
    evil = cleannews.report(EVIL)
    page = render([*docs, (EVIL_NAME, EVIL, evil)], title="cleannews audit <seeds>")
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    want_labels = [f"{r.rule} {r.name}" for _, _, res in [*docs, ("", "", evil)] for r in res.removals]
    want_lines = sum(res.changed_lines for _, _, res in [*docs, ("", "", evil)])

    # 1. the DOM the browser built from the page: every mark, struck through, labels and reasons visible
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dumped = headless(browser, tmp_path / "profile", "--dump-dom", probe.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', dumped.stdout, re.S)
    assert found, dumped.stdout[-2000:]
    got = json.loads(unescape(found.group(1)))
    assert got["dels"] == want_lines and got["struck"] == want_lines  # every removed line, struck through
    assert got["labels"] == want_labels
    assert got["reasons"] == len(want_labels)
    assert sorted(got["rows"]) == sorted({lab.split()[0] for lab in want_labels})
    assert got["injected"] == 0 and got["pwned"] is None  # the document's markup stayed text
    assert got["title"] == "cleannews audit <seeds>"
    assert 'data-rule="PR02"' in dumped.stdout and "&lt;script&gt;" in dumped.stdout

    # 2. a screenshot of the page itself: a real, non-blank image of the requested size
    shot = tmp_path / "report.png"
    shown = headless(browser, tmp_path / "profile", "--hide-scrollbars", f"--screenshot={shot}",
                     "--window-size=1200,2000", report.as_uri())  # fmt: skip
    assert shown.returncode == 0 and shot.exists(), shown.stderr[-2000:]
    data = shot.read_bytes()
    assert png_size(data) == (1200, 2000)
    assert len(data) > 20_000  # a blank 1200x2000 page compresses to a few kB
    assert len(set(png_pixels(data))) > 50  # many colours: text, struck lines, labels


# --- the command line --------------------------------------------------------------------------------


def test_cli_explain_format_html():
    helptext = subprocess.run([sys.executable, "-m", "cleannews", "--help"], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=False).stdout  # fmt: skip
    if "--format" not in helptext:
        pytest.skip("cleannews --explain --format html is not wired in the CLI yet")
    args = [f"seeds/{p.name}" for p in SEEDS]
    proc = subprocess.run([sys.executable, "-m", "cleannews", "--explain", "--format", "html", *args], cwd=ROOT,
                          capture_output=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    page = proc.stdout.decode("utf-8")
    assert page.lstrip().startswith("<!DOCTYPE html>")
    tree = parse(page)
    sections = {s.attributes["data-name"]: s for s in tree.css("section.doc")}
    for name, _, res in seed_docs():
        if not res.removals:
            continue
        (section,) = [s for n, s in sections.items() if n.endswith(Path(name).name)]
        assert [c.attributes["data-rule"] for c in section.css("div.cut")] == [r.rule for r in res.removals]
        assert len(section.css("del")) == res.changed_lines
    assert tree.css_first("p.totals").attributes["data-documents"] == str(len(SEEDS))
