"""docs/templates.md documents every variable templates see, with an example each: every field of
``page`` and every key of ``site`` has its heading, and every example renders (without error, and
showing something on some page) in a site with articles, themes, sections, tags, a paginated
list and extra CSS."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from site_builder.build import build
from site_builder.model.config import load_config
from site_builder.model.site import load_site
from site_builder.render.context import Renderer
from site_builder.render.view import Context

from conftest import ROOT, page

DOC = ROOT / "docs" / "templates.md"
TEMPLATES = ["page.html", "list.html", "index.html", "tags.html", "about.html", "search.html", "404.html",
             "theme.html", "part.html", "source.html", "figures.html", "trends.html", "terms.html"]


def documented() -> list[tuple[str, str]]:
    """(heading, example) for each ``### name`` of the doc: the first ```jinja block under it."""
    text = DOC.read_text(encoding="utf-8")
    out = []
    for part in re.split(r"^### ", text, flags=re.M)[1:]:
        heading = part.split("\n", 1)[0].strip()
        block = re.search(r"^```jinja\n(.*?)^```$", part, re.S | re.M)
        assert block, f"docs/templates.md: '{heading}' has no ```jinja example"
        out.append((heading, block[1]))
    return out


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (an article, its themes and figures) with hand-written pages added."""
    root = tmp_path_factory.mktemp("doc") / "site"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    config.update(search=False, paginate=2, extra_css=["css/extra.css"], extra_js=["js/extra.js"],
                  extra={"tagline": "Examples for every variable"}, copyright="© The authors")
    (root / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    files = {
        "content/guides/index.md": page("Guides", "How to use it.", weight=1),
        "content/guides/install.md": page("Install", "## Get it\n\nText.\n\n### On Linux\n\nMore.", weight=1,
                                          tags=["setup"], date="2024-05-01", updated="2024-06-01"),
        "content/guides/usage.md": page("Usage", "Use it.", weight=2, tags=["setup"], summary="How to use it."),
        "content/guides/faq.md": page("FAQ", "Questions and answers.", draft=False),
        "static/css/extra.css": "body{}", "static/js/extra.js": "1;",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_every_variable_is_documented(example_site: Path) -> None:
    headings = {h for h, _ in documented()}
    renderer = Renderer(load_site(load_config(example_site)))
    provided = {f"page.{f.name}" for f in dataclasses.fields(Context)} | {f"site.{k}" for k in renderer.site_view}
    assert sorted(provided - headings) == [], "variables without a heading in docs/templates.md"
    extra = {h for h in headings if h.startswith(("page.", "site."))} - provided
    assert sorted(extra) == [], "docs/templates.md documents variables that do not exist"
    assert {"config", "url()", "abs_url()", "asset()", "|date"} <= headings


def test_every_example_renders(example_site: Path) -> None:
    examples = documented()
    template = "\n".join(f"<!--ex:{i}-->{code}<!--/ex:{i}-->" for i, (_, code) in enumerate(examples))
    for name in TEMPLATES:
        (example_site / "templates" / name).parent.mkdir(exist_ok=True)
        (example_site / "templates" / name).write_text(template, encoding="utf-8")
    build(load_config(example_site))
    shown: dict[int, bool] = {}
    pages = list((example_site / "_site").rglob("*.html"))
    assert len(pages) >= 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for i in range(len(examples)):
            body = text[text.index(f"<!--ex:{i}-->") + len(f"<!--ex:{i}-->"):text.index(f"<!--/ex:{i}-->")]
            shown[i] = shown.get(i, False) or bool(re.sub(r"<!--.*?-->", "", body).strip())
    assert [examples[i][0] for i, ok in shown.items() if not ok] == [], "examples that showed nothing on any page"
