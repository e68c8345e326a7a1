"""Injection: whatever the content or config says, it cannot put script into the site."""
import html as htmllib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, serve_folder, write_site

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>\'</title></script>]]>&amp;'

LINK_VECTORS = [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](<javascript:alert(1)>)", "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](&#x6A;avascript:alert(1))", "[x](java&#x09;script:alert(1))",
    "[x](java&#10;script:alert(1))", "[x](vbscript:msgbox(1))", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "[x][r1]\n\n[r1]: javascript:alert(1)",
    "[x](ok.md){: href=\"javascript:alert(1)\" }",
]
HTML_VECTORS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>", "<body onload=alert(1)>", "<!--><script>alert(1)</script>-->",
    "<style>*{background:url(javascript:alert(1))}</style>", "<math><mtext><script>alert(1)</script>",
    "`<script>alert(1)</script>`", "<details open ontoggle=alert(1)>",
]
ATTR_VECTORS = ["Text\n{: onclick=\"alert(1)\" }", "Text\n{: style=\"background:url(javascript:alert(1))\" }",
                "Text\n{: onmouseover=alert(1) }", "## H {: onfocus=\"alert(1)\" tabindex=\"0\" }"]


class Attrs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script",) and ("type", "application/ld+json") not in attrs and not any(k == "src" for k, _ in attrs):
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            if k.startswith("on") or k in ("style", "srcdoc", "formaction"):
                self.bad.append(f"{tag} {k}")
            if k in ("href", "src", "action", "xlink:href") and v:
                plain = re.sub(r"[\x00-\x20\x7f]+", "", htmllib.unescape(v))
                if re.match(r"(javascript|vbscript|data):", plain, re.I):
                    self.bad.append(f"{tag} {k}={v}")
        if tag in ("iframe", "math", "style", "object", "embed", "frame", "base", "meta") and \
                not (tag == "meta" and not any(k == "http-equiv" for k, _ in attrs)):
            self.bad.append(f"<{tag}>")


def scan(out: Path) -> list[str]:
    bad = []
    for f in out.rglob("*.html"):
        if "pagefind" in f.parts:
            continue
        p = Attrs()
        p.feed(f.read_text())
        bad += [f"{f.relative_to(out)}: {b}" for b in p.bad]
    return bad


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A site whose every string is an attack, in every place a string can go."""
    root = tmp_path_factory.mktemp("hostile")
    body = "\n\n".join(LINK_VECTORS + HTML_VECTORS + ATTR_VECTORS) + "\n\n[fine](ok.md)"
    source = (f"Over 7 {PAYLOAD} items were counted, such as {PAYLOAD}, apples, and pears.\n{{: #p1 }}\n\n"
              f"The “{PAYLOAD[:20]}” term.\n{{: #p2 }}\n")
    cfg = {**BASE_CONFIG, "title": PAYLOAD, "description": PAYLOAD, "author": PAYLOAD, "copyright": PAYLOAD,
           "themes": [{"id": "overview", "title": PAYLOAD, "summary": PAYLOAD, "keywords": ["x"]}]}
    files = {
        "content/evil.md": page(PAYLOAD, body, summary=PAYLOAD, tags=[PAYLOAD, "<b>tag</b>"], date="2024-01-01",
                                description=PAYLOAD),
        "content/ok.md": page("OK", "Fine."),
        "content/sources/src.md": page(PAYLOAD, source, seed="seeds/none.txt", date="2024-01-02", origin=PAYLOAD,
                                       byline=PAYLOAD, dateline=PAYLOAD,
                                       terms=[{"term": PAYLOAD[:20], "source": "src#p2", "definition": PAYLOAD}]),
        "content/overview/src.md": "---\n" + yaml.safe_dump({
            "title": PAYLOAD, "date": "2024-01-02", "summary": PAYLOAD,
            "figures": [{"id": "f1", "value": 7, "display": PAYLOAD, "label": PAYLOAD, "unit": PAYLOAD,
                         "text": f"7 {PAYLOAD} items", "source": "src#p2".replace("p2", "p1"), "kind": "count"},
                        {"id": "f2", "value": 0.5, "display": PAYLOAD, "label": PAYLOAD, "unit": "share",
                         "text": f"7 {PAYLOAD} items", "source": "src#p1", "kind": "fraction"}],
            "lists": [{"title": PAYLOAD, "items": [PAYLOAD, "apples"], "text": "apples", "source": "src#p1"}],
        }, allow_unicode=True) + "---\nA paragraph.\n{: data-src=\"src#p1\" }\n",
    }
    write_site(root, files, cfg)
    result = build(load_config(root))
    return root, root / "_site", result


def test_no_script_no_handler_no_dangerous_url_anywhere(hostile):
    _, out, _ = hostile
    assert scan(out) == []


def test_every_dropped_link_is_reported_with_file_and_line(hostile):
    root, _, result = hostile
    dropped = [str(w) for w in result.warnings if "dropped" in str(w)]
    assert len(dropped) == len(LINK_VECTORS) - 1  # the attr_list href is removed at render time
    assert all(re.match(r"content/evil\.md:\d+: link to '.*' dropped: javascript:, vbscript: and data: links "
                        r"are not allowed$", w) for w in dropped)


def test_payloads_show_as_text(hostile):
    _, out, _ = hostile
    evil = (out / "evil/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil
    assert "<script>alert(1)</script>" not in evil


def test_json_ld_survives_a_closing_script_tag(hostile):
    _, out, _ = hostile
    for f in out.rglob("*.html"):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', f.read_text(), re.S):
            data = json.loads(block)
            assert "</script>" not in block and "<" not in block
            assert data["@type"] in ("WebSite", "Article", "NewsArticle")


def test_feed_and_sitemap_stay_well_formed(hostile):
    _, out, _ = hostile
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find("{http://www.w3.org/2005/Atom}title").text == PAYLOAD
    ET.parse(out / "sitemap.xml")
    for loc in re.findall(r"<loc>(.*?)</loc>", (out / "sitemap.xml").read_text()):
        assert "<" not in loc and '"' not in loc


def test_tag_urls_are_slugs(hostile):
    _, out, _ = hostile
    assert sorted(p.name for p in (out / "tags").iterdir() if p.is_dir()) == [
        "b-tag-b", "script-alert-1-script-img-src-x-onerror-alert-2-title-script"]


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(browser, hostile):
    _, out, _ = hostile
    server, url = serve_folder(out)
    dialogs: list[str] = []
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for f in sorted(out.rglob("*.html")):
            rel = f.relative_to(out).as_posix()
            if rel.startswith("pagefind/"):
                continue
            pg.goto(url + (rel[:-10] if rel.endswith("index.html") else rel), wait_until="networkidle")
            pg.keyboard.press("Tab")  # focus handlers too
            pg.mouse.move(200, 300)
        ctx.close()
    finally:
        server.shutdown()
    assert dialogs == []


def test_allow_html_is_the_only_way_to_raw_html(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": page("A", "<kbd>Ctrl</kbd>")})
    build(load_config(root))
    assert "&lt;kbd&gt;" in (root / "_site/a/index.html").read_text()
    root2 = write_site(tmp_path / "t", {"content/a.md": page("A", "<kbd>Ctrl</kbd>")}, {**BASE_CONFIG, "allow_html": True})
    build(load_config(root2))
    assert "<kbd>Ctrl</kbd>" in (root2 / "_site/a/index.html").read_text()
