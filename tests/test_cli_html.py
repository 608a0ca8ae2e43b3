"""HTML input through the command line (``python -m cleannews`` as a subprocess, in a temporary directory).

Independent runs are started before any is waited on, so their start-up costs overlap.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from cli_runner import start

ARTICLE = [
    "The city council approved the new budget on Monday evening after a debate that lasted more than six hours.",
    "The plan raises spending on public transport by twelve percent and freezes most local taxes for another year.",
    "What changes for residents",
    "Residents will see more frequent buses on the main routes from September, the transport director said.",
    "Opposition members said the plan relies on optimistic revenue forecasts and voted against it as a bloc.",
]
JUNK = ["Daily Gazette", "Politics", "Sport", "cookies", "Mayor faces questions", "Bus fares to rise",
        "Celebrity chef", "Copyright 2024", "advertising"]  # fmt: skip


def page(title: str = "Council approves the new city budget", extra: str = "") -> str:
    """A news page: header, nav, cookie banner, an article (paragraphs, an h2, a related box), aside, footer."""
    p = ARTICLE
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header class="site-header"><a href="/">Daily Gazette</a> <a href="/world">World</a></header>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<main><article>
<h1>{title}</h1>
<p>{p[0]}</p>
<p>{p[1]}</p>
{extra}
<h2>{p[2]}</h2>
<p>{p[3]}</p>
<p>{p[4]}</p>
<div class="related-articles"><h3>Related stories</h3><ul>
<li><a href="/a">Mayor faces questions over transport plan</a></li>
<li><a href="/b">Bus fares to rise in spring</a></li></ul></div>
</article></main>
<aside class="sidebar"><h3>Most read</h3>
<p><a href="/x">Celebrity chef opens third restaurant in the old harbour district</a></p></aside>
<footer class="site-footer"><p>Copyright 2024 Daily Gazette. All rights reserved. Contact us about advertising.</p>
</footer>
</body></html>
"""



def assert_article(text: str) -> None:
    lines = text.splitlines()
    assert lines == ARTICLE, text
    assert not any(j in text for j in JUNK), text


def errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("cleannews: error:")]


# ---- detection and output ------------------------------------------------------------------------------
def test_page_to_stdout_by_extension_and_by_sniffing(tmp_path: Path):
    html = page()
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (tmp_path / "page").write_text(html, encoding="utf-8")  # no extension: sniffed
    (tmp_path / "page.txt").write_text(html, encoding="utf-8")  # a .txt file is text, whatever it holds
    waits = [
        start("page.html", cwd=tmp_path),
        start("page", cwd=tmp_path),
        start("-", cwd=tmp_path, stdin=b"\xef\xbb\xbf\n  <!-- cached -->" + html.encode("utf-8")),  # stdin: sniffed
        start("--input-format", "html", "page.txt", cwd=tmp_path),
    ]
    as_text = start("page.txt", cwd=tmp_path)
    for w in waits:
        r = w()
        assert r.returncode == 0, r.stderr
        assert_article(r.stdout)
        assert r.stderr == ""
    r = as_text()
    assert r.returncode == 0, r.stderr
    assert "<p>" in r.stdout  # read as text: the markup is still there


def test_output_dir_writes_txt_beside_the_mirrored_tree(tmp_path: Path):
    html = page()
    (tmp_path / "site" / "news").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text(html, encoding="utf-8")
    (tmp_path / "site" / "news" / "story.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    (tmp_path / "site" / "news" / "notes.txt").write_text("A note on the budget, written by hand.\n", encoding="utf-8")
    forced = start("--input-format", "html", "-o", "out", "site", cwd=tmp_path)  # default glob *.htm*
    auto = start("-o", "auto", "site", cwd=tmp_path)  # auto + directory: *.txt only
    globbed = start("--glob", "*", "-o", "all", "site", cwd=tmp_path)  # auto per file
    r = forced()
    assert r.returncode == 0, r.stderr
    out = {str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert out == {"index.html.txt", "news/story.html.txt.gz"}
    assert_article((tmp_path / "out" / "index.html.txt").read_text(encoding="utf-8"))
    assert_article(gzip.decompress((tmp_path / "out" / "news" / "story.html.txt.gz").read_bytes()).decode("utf-8"))
    assert "2 cleaned" in r.stderr
    r = auto()
    assert r.returncode == 0, r.stderr
    assert [p.name for p in (tmp_path / "auto").rglob("*") if p.is_file()] == ["notes.txt"]
    r = globbed()
    assert r.returncode == 0, r.stderr
    out = {str(p.relative_to(tmp_path / "all")) for p in (tmp_path / "all").rglob("*") if p.is_file()}
    assert out == {"index.html.txt", "news/story.html.txt.gz", "news/notes.txt"}
    assert (tmp_path / "all" / "index.html.txt").read_bytes() == (tmp_path / "out" / "index.html.txt").read_bytes()


def test_in_place_check_and_diff_refuse_html(tmp_path: Path):
    html = page()
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (tmp_path / "sniffed").write_text(html, encoding="utf-8")
    in_place = start("--in-place", "page.html", "sniffed", cwd=tmp_path)
    diff = start("--diff", "-", cwd=tmp_path, stdin=html.encode("utf-8"))  # sniffed
    forced = start("--input-format", "html", "--check", "page.html", cwd=tmp_path)
    r = in_place()
    assert r.returncode == 2
    errs = errors(r.stderr)
    assert len(errs) == 2 and all("is HTML" in e and "--in-place" in e and "-o DIR" in e for e in errs), r.stderr
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == html  # untouched
    assert (tmp_path / "sniffed").read_text(encoding="utf-8") == html
    for r, mode in ((diff(), "--diff"), (forced(), "--check")):
        assert r.returncode == 2
        assert r.stdout == ""
        assert any("HTML" in e and mode in e for e in errors(r.stderr)), r.stderr


def test_explain_lists_html_and_text_removals_and_options_reach_the_text_stage(tmp_path: Path):
    teaser = "See Also: Apple Inc. Emphasizes Design Commitment Amidst High-Profile Exits"
    (tmp_path / "page.html").write_text(page(extra=f"<p>{teaser}</p>"), encoding="utf-8")
    explain = start("--explain", "page.html", cwd=tmp_path)
    disabled = start("--disable", "PR01", "page.html", cwd=tmp_path)
    r = explain()
    assert r.returncode == 0, r.stderr
    assert "page.html:3-3: PR01 " in r.stdout  # text rule: a line of the extracted text
    assert "page.html:html: " in r.stdout and "Celebrity chef" in r.stdout  # an element removed by an HTML rule
    r = disabled()
    assert r.returncode == 0, r.stderr
    assert teaser in r.stdout.splitlines()


# ---- JSONL --------------------------------------------------------------------------------------------
def test_jsonl_html_field_fills_text_and_reports_bad_records(tmp_path: Path):
    recs = [{"id": 1, "url": "https://example.org/a", "html": page(), "meta": {"lang": "en"}},
            {"id": 2, "html": None}, {"id": 3}, {"id": 4, "html": page(title="Budget passes")}]  # fmt: skip
    body = "".join(json.dumps(r) + "\n" for r in recs).encode("utf-8")
    (tmp_path / "pages.jsonl").write_bytes(body)
    skip = start("--html-field", "html", "--bad-lines", "skip", "pages.jsonl", cwd=tmp_path)
    stdin = start("--html-field", "html", "--output-field", "body", "--bad-lines", "keep", "-", cwd=tmp_path,
                  stdin=body)  # fmt: skip
    both = start("--html-field", "html", "--field", "text", "pages.jsonl", cwd=tmp_path)
    r = skip()
    assert r.returncode == 2  # bad records are errors, the good ones are still written
    out = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 4]
    assert out[0]["html"] == recs[0]["html"] and out[0]["meta"] == {"lang": "en"}
    assert list(out[0]) == ["id", "url", "html", "meta", "text"]
    for o in out:
        assert_article(o["text"])
    errs = errors(r.stderr)
    assert len(errs) == 2 and "pages.jsonl:2:" in errs[0] and "pages.jsonl:3:" in errs[1], r.stderr
    r = stdin()
    out = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3, 4]
    assert_article(out[0]["body"])
    assert "body" not in out[1] and "text" not in out[0]
    r = both()
    assert r.returncode == 2 and "not both" in r.stderr


# ---- workers and bad input ----------------------------------------------------------------------------
def test_jobs_2_equals_jobs_1(tmp_path: Path):
    (tmp_path / "in").mkdir()
    for i in range(8):
        name = f"p{i}.html" if i % 2 else f"p{i}"  # half sniffed
        (tmp_path / "in" / name).write_text(page(title=f"Council approves budget number {i}"), encoding="utf-8")
    (tmp_path / "in" / "junk.html").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "pages.jsonl").write_text(
        "".join(json.dumps({"id": i, "html": page()}) + "\n" for i in range(6)), encoding="utf-8"
    )
    args = ("--glob", "*", "--explain")
    w1 = start("-j", "1", *args, "-o", "out1", "in", cwd=tmp_path)
    w2 = start("-j", "2", *args, "-o", "out2", "in", cwd=tmp_path)
    jsonl = start("-j", "2", "--html-field", "html", "pages.jsonl", cwd=tmp_path)
    r1, r2 = w1(), w2()
    assert (r1.returncode, r2.returncode) == (0, 0), r1.stderr + r2.stderr
    assert r1.stdout == r2.stdout and r1.stderr == r2.stderr
    files1 = {p.relative_to(tmp_path / "out1"): p.read_bytes() for p in (tmp_path / "out1").rglob("*")}
    files2 = {p.relative_to(tmp_path / "out2"): p.read_bytes() for p in (tmp_path / "out2").rglob("*")}
    assert files1 == files2 and len(files1) == 9
    assert_article(files1[Path("p1.html.txt")].decode("utf-8"))
    assert_article(files1[Path("p0.txt")].decode("utf-8"))  # a sniffed page: NAME.txt
    r = jsonl()
    assert r.returncode == 0, r.stderr
    out = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(6))
    for o in out:
        assert_article(o["text"])


def test_bad_html_bytes_never_crash(tmp_path: Path):
    bad = {
        "binary.html": bytes(range(256)) * 64,
        "nul.html": b"<html><body><p>" + b"\x00" * 100 + b"text</p>",
        "truncated.html": page().encode("utf-8")[:700],
        "latin1.html": page()
        .replace('charset="utf-8"', 'charset="iso-8859-1"')
        .replace("twelve", "zwölf")
        .encode("latin-1"),
        "wrong-charset.html": page().replace('charset="utf-8"', 'charset="no-such-charset"').encode("utf-8")
        + b"\xff\xfe\x80",
        "empty.html": b"",
        "nobody.html": b"<html><head><title>t</title></head></html>",
        "deep.html": b"<html><body>" + b"<div>" * 20000 + b"<p>deep</p>" + b"</div>" * 20000,
        "broken.html.gz": b"\x1f\x8b\x08\x00not gzip at all",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    r = start("--input-format", "html", "-o", "out", ".", cwd=tmp_path)()
    assert r.returncode == 2  # the broken gzip file is a clean error; every page gives a result
    errs = errors(r.stderr)
    assert len(errs) == 1 and "broken.html.gz" in errs[0] and "gzip" in errs[0], r.stderr
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {f"{n}.txt" for n in bad if not n.endswith(".gz")}
    latin1 = (tmp_path / "out" / "latin1.html.txt").read_text(encoding="utf-8")
    assert "zwölf percent" in latin1


SHARE_PAGE = ("<html><body><article><h1>Budget passes</h1><p>The council met on Monday and approved the budget "
              "after a long debate that lasted well into the night.</p><div class='share'><a>Tweet this</a></div>"
              "</article></body></html>")  # fmt: skip


def test_disable_reaches_html_rules_from_the_command_line_and_config_files(tmp_path: Path):
    (tmp_path / "p.html").write_text(SHARE_PAGE, encoding="utf-8")
    on = start("--explain", "p.html", cwd=tmp_path)
    off = start("--explain", "p.html", "--disable", "HT07", cwd=tmp_path)
    by_name = start("--explain", "p.html", "--disable", "html.share", cwd=tmp_path)
    unknown = start("p.html", "--disable", "HT99", cwd=tmp_path)
    on, off, by_name, unknown = on(), off(), by_name(), unknown()
    assert "HT07 html.share" in on.stdout
    for res in (off, by_name):
        assert res.returncode == 0, res.stderr
        assert "HT07" not in res.stdout
    assert unknown.returncode == 2 and "no HTML rule matches 'HT99'" in unknown.stderr
    (tmp_path / "cleannews.toml").write_text('disable = ["HT07"]\n', encoding="utf-8")
    res = start("--explain", "p.html", cwd=tmp_path)()
    assert res.returncode == 0 and "HT07" not in res.stdout
