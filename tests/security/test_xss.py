"""Issue 12, finding 3 (stored XSS) and escaping by construction: chart ids, attribute names in
any case, and `check` reading attributes as a browser does. Each test names its case."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from site_builder.build import build
from site_builder.commands.check import check_site
from site_builder.errors import SiteError
from site_builder.model.config import load_config
from site_builder.render import charts

from conftest import ROOT, page, serve_folder, write_site
from htmlscan import first_attrs, scan_html, scan_site

FID = '"><script>window.pwned=1</script>'
SLUG = 's"onmouseover="window.pwned=2'
PART = "7 of 10 items"
SOURCE = f"Over {PART} were counted.\n{{: #p1 }}\n"


def fig(**kw: object) -> dict:
    f = {"id": "f1", "value": 0.5, "display": "half", "label": "items", "unit": "share", "text": PART,
         "source": "src#p1", "kind": "fraction", "source_href": "/sources/src/#p1"}
    return {**f, **kw}


# -- finding 3: chart ids ------------------------------------------------------------------------

def test_chart_ids_escape_the_figure_id_and_the_source_slug():
    """Finding 3: charts._id() put the figure id and the source slug unescaped into id=,
    aria-labelledby= and <title id=> inside Markup. Every kind of chart, hostile in every field."""
    src = f"{SLUG}#p1"
    figures = [
        fig(id=FID, source=src),                                                  # a share bar
        fig(id="whole", value=10, kind="count", display=FID, label=FID, source=src),  # a waffle: part of whole
        fig(id="part", value=7, kind="count", display="7", of="whole", source=src, text=FID),
        fig(id=FID + "a", value=3, kind="money", unit="usd", display="$3", source=src, source_href=FID),  # two bars
        fig(id=FID + "b", value=5, kind="money", unit="usd", display="$5", source=src),
    ]
    out = "".join(charts.charts_for(figures))
    assert scan_html(out) == []
    tags = set(re.findall(r"<([a-z]+)", out))
    assert tags == {"figure", "svg", "title", "desc", "rect", "figcaption", "span", "table", "tbody", "tr", "th",
                    "td", "p", "a"}
    # the values a browser reads are the hostile strings, whole, inside their attributes
    share = f'chart-{SLUG}-{FID}'
    assert [f["id"] for f in first_attrs(out, "figure")] == [
        share, f"chart-{SLUG}-part", f"chart-{SLUG}-{FID}a-compare"]
    assert first_attrs(out, "svg")[0]["aria-labelledby"] == f"{share}-t {share}-d"
    assert first_attrs(out, "title")[0]["id"] == f"{share}-t"
    assert first_attrs(out, "a")[-1]["href"] == FID


def _figure_site(root: Path, figure_id: str, slug: str) -> Path:
    part = {"title": "Part", "date": "2024-01-02",
            "figures": [{"id": figure_id, "value": 0.7, "display": "7 of 10", "label": "items", "unit": "share",
                         "text": PART, "source": f"{slug}#p1", "kind": "fraction"}]}
    return write_site(root, {
        f"content/sources/{slug}.md": page("Src", SOURCE, seed="seeds/none.txt", date="2024-01-02"),
        "content/overview/part.md": "---\n" + yaml.safe_dump(part) + "---\nA paragraph.\n",
    })


def _built_or_refused(root: Path, path: str) -> Path | None:
    """The output folder; None when the build refused the name with a one-line error naming the file."""
    try:
        build(load_config(root))
    except SiteError as e:
        assert str(e).startswith(path), str(e)
        assert "\n" not in str(e)
        return None
    return root / "_site"


@pytest.mark.parametrize("figure_id, slug", [(FID, "src"), ("f1", SLUG)], ids=["figure id", "source file name"])
def test_a_hostile_figure_id_or_source_name_never_reaches_a_page_as_markup(tmp_path, figure_id, slug):
    """Finding 3, end to end: a figure `id: '"><script>…'` or a source file named
    `s"onmouseover="….md` injected markup into the home and theme pages. Either the name is
    refused (the path policy) or every page shows it as text."""
    root = _figure_site(tmp_path / "s", figure_id, slug)
    out = _built_or_refused(root, "content/")
    if out is None:
        return
    assert scan_site(out) == []
    theme = (out / "overview/index.html").read_text()
    assert [f["id"] for f in first_attrs(theme, "figure")] == [f"chart-{slug}-{figure_id}"]


# -- finding 3: attribute names in any case -------------------------------------------------------

ATTRIBUTE_CASES = {
    "HREF": '[x](b.md){: HREF="javascript:window.pwned=1" }',
    "Href vbscript": '[x](b.md){: Href="vbscript:msgbox(1)" }',
    "SRC": '![i](b.md){: SRC="javascript:window.pwned=1" }',
    "SRC data": '![i](b.md){: SRC="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" }',
    "srcset": '![i](b.md){: srcset="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4= 2x" }',
    "XLINK:HREF": '[x](b.md){: XLINK:HREF="javascript:window.pwned=1" }',
    "POSTER": 'Text\n{: POSTER="javascript:window.pwned=1" }',
}


@pytest.mark.parametrize("body", ATTRIBUTE_CASES.values(), ids=ATTRIBUTE_CASES.keys())
def test_attribute_names_are_compared_in_any_case(tmp_path, body):
    """Finding 3: attribute names were checked in lower case only, so
    `[x](b.md){: HREF="javascript:…" }` rendered `<a HREF="javascript:…" href="/b/">` and a
    browser follows the first; the same for `SRC=`, and URL attributes other than href/src
    (srcset, xlink:href, poster) were not checked at all."""
    root = write_site(tmp_path / "s", {"content/a.md": page("A", body), "content/b.md": page("B")})
    build(load_config(root))
    html = (root / "_site/a/index.html").read_text()
    assert scan_html(html) == []
    body_html = html[html.index('<article class="prose">'):]
    for a in first_attrs(body_html, "a") + first_attrs(body_html, "img"):
        assert all(k == k.lower() for k in a)  # one attribute per name, as the page says it


def test_a_capitalised_href_replaces_markdowns_as_a_lower_case_one_does(tmp_path):
    """Finding 3: `{: HREF="b.md" }` is the same attribute as `{: href="b.md" }`: it replaces the
    link's target (and is resolved like it), never a second href beside it."""
    root = write_site(tmp_path / "s", {"content/a.md": page("A", "[x](c.md){: HREF=\"b.md\" }\n\n[y](c.md){: href=\"b.md\" }"),
                                       "content/b.md": page("B"), "content/c.md": page("C")})
    build(load_config(root))
    html = (root / "_site/a/index.html").read_text()
    assert '<a href="/b/">x</a>' in html and '<a href="/b/">y</a>' in html


# -- check reads attributes as a browser does -----------------------------------------------------

def _check(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    out = tmp_path / "_site"
    out.mkdir()
    (out / "b").mkdir()
    head = '<!doctype html>\n<html lang="en">\n<head><title>T</title><meta name="description" content="D"></head>\n'
    (out / "b/index.html").write_text(head + "<body>b</body></html>\n")
    (out / "index.html").write_text(head + f"<body>\n{body}\n</body></html>\n")
    return [str(e) for e in check_site(load_config(tmp_path), out)]


def test_check_keeps_the_first_of_duplicate_attributes_and_reports_them(tmp_path):
    """Finding 3: `check` kept the last of two attributes with one name while browsers keep the
    first, so `<a href="javascript:…" href="/b/">` passed as a link to /b/."""
    assert _check(tmp_path, '<a href="javascript:alert(1)" HREF="/b/">x</a>') == [
        '_site/index.html:5: duplicate attribute "href" on <a> (a browser uses the first)',
        "_site/index.html:5: javascript: URL in <a href>: javascript:, vbscript: and data: links are not allowed"]


@pytest.mark.parametrize("url, scheme", [("vbscript:msgbox(1)", "vbscript"), ("data:text/html,<p>x</p>", "data"),
                                         ("java&#x09;script:alert(1)", "javascript"),
                                         (" &#106;avascript:alert(1)", "javascript")],
                         ids=["vbscript", "data", "tab inside", "entity"])
def test_check_flags_every_unsafe_scheme_with_the_rendering_policy(tmp_path, url, scheme):
    """Finding 3 / one policy: `check` flagged only a literal `javascript:`; it now uses the
    renderer's predicate (`urls.unsafe_scheme`), so vbscript:, data: links and schemes hidden
    behind entities or control characters are reported too."""
    assert _check(tmp_path, f'<a href="{url}">x</a>') == [
        f"_site/index.html:5: {scheme}: URL in <a href>: javascript:, vbscript: and data: links are not allowed"]


# -- escaping by construction ---------------------------------------------------------------------

# Where text that looks like markup is built by formatting, and why that is not HTML for a page
NOT_HTML = {"commands/check.py": "problem messages name tags (<img>, <title>)",
            "render/feeds.py": "XML, every value through x()/xa()",
            "commands/serve.py": "the dev server's own script tag, with a port number",
            "ingest/feed.py": "a feed entry saved as a seed page (input, never output), every value through html.escape",
            "ingest/webmeta.py": "report lines name where a page states its metadata (<meta property=\"og:title\">), "
                                  "shown escaped like all report text"}


_TAG = re.compile(r"(?<!\?P)<[a-zA-Z][\w-]*[\s/>]|</[a-zA-Z]")  # a tag, not a regex's (?P<name>


def test_no_html_is_built_by_formatting_strings():
    """Escaping by construction: HTML made in Python goes through `elements.tag()` (every value
    escaped); no f-string, %, + or .format() builds markup (charts.py did, with unescaped ids)."""
    found = []
    package = ROOT / "site_builder"
    modules = sorted(package.rglob("*.py"))  # every subpackage's modules too
    assert package / "render" / "charts.py" in modules and all(package / name in modules for name in NOT_HTML)
    for path in modules:
        name = path.relative_to(package).as_posix()
        if name in NOT_HTML:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                text = node.left.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                    and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
                text = node.func.value.value
            else:
                continue
            if _TAG.search(text) and name != "render/elements.py":
                found.append(f"{name}:{node.lineno}")
    assert found == []


# -- in a real browser ----------------------------------------------------------------------------

def _visit(browser, url: str, click: str | None = None) -> tuple[object, str, list[str]]:
    ctx = browser.new_context()
    pg = ctx.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(url, wait_until="load")
    pg.wait_for_timeout(200)  # an onerror/onload handler fires after load
    if click:
        pg.click(click)
        pg.wait_for_timeout(300)
    state = pg.evaluate("() => [window.pwned === undefined ? null : String(window.pwned), location.href]")
    ctx.close()
    return state[0], state[1], dialogs


@pytest.mark.browser
def test_chart_id_payload_does_not_run_in_chromium(browser, tmp_path):
    """Finding 3 in Chromium: charts made from a figure id and a source slug that each plant a
    script setting window.pwned, on a page as the theme shows them; nothing runs."""
    figures = [fig(id=FID, source=f"{SLUG}#p1"), fig(id="f2", value=0.25, source=f"{SLUG}#p1")]
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text('<!doctype html><html lang="en"><head><title>charts</title></head><body>'
                                    + "".join(charts.charts_for(figures)) + "</body></html>")
    server, url = serve_folder(out)
    try:
        pwned, _, dialogs = _visit(browser, url)
    finally:
        server.shutdown()
    assert (pwned, dialogs) == (None, [])


@pytest.mark.browser
def test_capitalised_href_does_not_run_in_chromium(browser, tmp_path):
    """Finding 3 in Chromium: `[x](b.md){: HREF="javascript:window.pwned=1" }` on a built page;
    clicking the link neither runs the script nor leaves for a javascript: URL."""
    root = write_site(tmp_path / "s", {
        "content/a.md": page("A", '[click me](b.md){: HREF="javascript:window.pwned=1" #bait }\n\n'
                                  '![i](b.md){: SRC="javascript:window.pwned=2" }'),
        "content/b.md": page("B")})
    build(load_config(root))
    server, url = serve_folder(root / "_site")
    try:
        pwned, href, dialogs = _visit(browser, url + "a/", click="#bait")
    finally:
        server.shutdown()
    assert (pwned, dialogs) == (None, [])
    assert not href.startswith("javascript:")
