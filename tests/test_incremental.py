"""Incremental building (build/incremental): the body cache is filled by every build, a warm
build after any sequence of edits is byte for byte a clean one, and each key changes exactly
when the rules in the package's docstring say. Expected counts are worked out by hand from
the sites below."""
import shutil

import pytest

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import ROOT, page, tree, write_site
from test_cache import EDITS, blog, clean_tree  # noqa: F401 - blog is a fixture

PAGE_TEMPLATE = "{% extends 'base.html' %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}"


def edit_template(root, n):
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/page.html").write_text(PAGE_TEMPLATE + f"<!-- edit {n} -->")


def test_a_clean_build_fills_the_body_cache(blog):
    """The first template edit after a clean build converts no Markdown: the six notes (the pages
    page.html renders) come from the body cache the clean build filled."""
    first = build(load_config(blog))
    assert (first.converted, first.cached) == (7, 0)  # six notes and the lab (a part of a theme page)
    edit_template(blog, 1)
    result = build(load_config(blog))
    assert result.rendered == 6
    assert (result.converted, result.cached) == (0, 6)


def test_workers_fill_the_body_cache(tmp_path):
    """The same through worker processes (a site large enough to render on two cores)."""
    files = {f"content/s/p{i}.md": page(f"P{i}", f"Text *{i}*.", date="2024-01-01") for i in range(70)}
    root = write_site(tmp_path / "site", files)
    first = build(load_config(root), jobs=2)
    assert (first.converted, first.cached) == (70, 0)
    edit_template(root, 1)
    result = build(load_config(root), jobs=2)
    assert result.rendered == 70
    assert (result.converted, result.cached) == (0, 70)
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def test_warm_equals_clean_over_a_sequence_of_builds(blog, tmp_path):
    """Five builds in a row on the same cache: after each, the output is a clean build's, and
    only the bodies that changed are converted."""
    build(load_config(blog))
    steps = [  # (edit, routes rendered, bodies converted, bodies from the cache)
        (EDITS["body"], 1, 1, 0),        # n2's new body: converted once...
        (lambda r: edit_template(r, 1), 6, 0, 6),  # ...and from the cache when every note is redone
        (EDITS["title"], 9, 1, 5),       # n3, notes section, its tag, home, and the five other notes (their
                                         # sidebar names n3); n3's file changed: its body key too
        (EDITS["part"], 1, 1, 0),        # the innovation theme page shows the lab's new body
        (lambda r: edit_template(r, 2), 6, 0, 6),
    ]
    for n, (edit, rendered, converted, cached) in enumerate(steps):
        edit(blog)
        result = build(load_config(blog))
        assert (result.rendered, result.converted, result.cached) == (rendered, converted, cached), n
        assert tree(blog / "_site") == clean_tree(blog, tmp_path), n


def test_a_body_cache_of_another_output_folder_is_not_read(blog, tmp_path):
    """Rule 4: a folder built elsewhere (its marker differs) makes every route a candidate and no
    cached body is used; the bodies are converted again."""
    build(load_config(blog))
    shutil.rmtree(blog / "_site")
    result = build(load_config(blog))
    assert (result.converted, result.cached) == (7, 0)
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


# --- each key changes exactly when its rules say (see build/incremental/__init__.py) -------------

def keys_of(root):
    state = build(load_config(root)).state
    return state.structure, dict(state.template_keys)


def test_the_structure_and_template_keys_follow_their_rules(blog):
    structure, templates = keys_of(blog)
    assert {"page.html", "list.html", "index.html"} <= set(templates)
    EDITS["body"](blog)  # a body-only edit keeps the structure, and no template reads a body
    assert keys_of(blog) == (structure, templates)
    (blog / "site.yaml").write_text((blog / "site.yaml").read_text() + "extra:\n  note: hello\n")
    s, t = keys_of(blog)  # every template key holds the whole config; the structure holds none of it
    assert s == structure and t.keys() == templates.keys()
    assert not {name for name in t if t[name] == templates[name]}
    templates = t
    partial = ROOT / "site_builder/theme/partials/cards.html"  # included by list.html only
    (blog / "templates/partials").mkdir(parents=True)
    (blog / "templates/partials/cards.html").write_text(partial.read_text() + "<!-- mine -->")
    s, t = keys_of(blog)
    assert s == structure and {name for name in t if t[name] != templates[name]} == {"list.html"}
    EDITS["title"](blog)  # a title is shown on other pages' lists: the structure
    assert keys_of(blog)[0] != structure


def test_a_template_that_reads_the_config_is_rendered_again_when_it_changes(blog, tmp_path):
    """A config value only a template reads (config.extra) reaches every page using it: the
    template key holds the config."""
    (blog / "site.yaml").write_text((blog / "site.yaml").read_text() + "extra:\n  note: first\n")
    (blog / "templates").mkdir()
    (blog / "templates/page.html").write_text(PAGE_TEMPLATE.replace("{% endblock %}",
                                                                    "<p>{{ config.extra.note }}</p>{% endblock %}"))
    build(load_config(blog))
    (blog / "site.yaml").write_text((blog / "site.yaml").read_text().replace("note: first", "note: second"))
    result = build(load_config(blog))
    assert "<p>second</p>" in (blog / "_site/notes/n0/index.html").read_text()
    assert result.rendered >= 6
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


def test_a_cited_sources_new_title_reaches_the_pages_citing_it(tmp_path):
    """A theme part's body says "Source: paragraph N of “title”" for each paragraph it cites: the
    body key holds the title of each source cited, so a renamed source is not shown under its
    old title from the body cache (it was, on five theme pages of the seed site)."""
    root = tmp_path / "seed"
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    build(load_config(root))
    source = root / "content/sources/guangdong-accelerating-construction-strong-manufacturing.md"
    text = source.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    source.write_text(text.replace(title, "title: A renamed source", 1))
    result = build(load_config(root))
    themes = ["digital-transformation", "green-development", "industrial-clusters", "innovation", "overview"]
    for theme in themes:
        assert "of “A renamed source”" in (root / f"_site/{theme}/index.html").read_text(), theme
    assert result.cached == 0  # each part cites the source: none of their bodies may come from the cache
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def article(title, date):
    text = "First paragraph of the article.\n{: #p1 }\n\nSecond paragraph of it.\n{: #p2 }"
    return page(title, text, date=date, seed=f"seeds/{title.lower()}.txt")


def part(slug):
    return page("Part", f'Some text.\n{{: data-src="{slug}#p1" }}', date="2024-01-01")


def test_a_part_that_cites_another_article_changes_the_related_articles(tmp_path):
    """A source page lists related articles by the themes their parts feed; a part is from the
    article it cites first. Part c (innovation) now cites article a: d, which shared innovation
    with c, now shares it with a. d's page must say so, though nothing d shows changed: the
    structure key holds the article each part is from."""
    files = {f"content/sources/{s}.md": article(s.upper(), f"2024-01-0{i + 1}") for i, s in enumerate("abcd")}
    files.update({f"seeds/{s}.txt": "First paragraph of the article.\n\nSecond paragraph of it.\n" for s in "abcd"})
    files.update({"content/overview/a.md": part("a"), "content/overview/b.md": part("b"),
                  "content/innovation/c.md": part("c"), "content/innovation/d.md": part("d")})
    root = write_site(tmp_path / "site", files)
    build(load_config(root))
    before = (root / "_site/sources/d/index.html").read_text()
    (root / "content/innovation/c.md").write_text(part("a"))
    build(load_config(root))
    assert (root / "_site/sources/d/index.html").read_text() != before
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def test_a_new_citation_of_a_paragraph_reaches_the_source_page(tmp_path):
    """A source page notes where each of its paragraphs is used. Part a, which cites a#p1, now
    cites a#p2 too: its first citation is the same (the structure key is unchanged), yet the
    source page must be rendered again, as the quick key of a source holds the pages citing it."""
    files = {"content/sources/a.md": article("A", "2024-01-01"),
             "seeds/a.txt": "First paragraph of the article.\n\nSecond paragraph of it.\n",
             "content/overview/a.md": part("a")}
    root = write_site(tmp_path / "site", files)
    build(load_config(root))
    before = (root / "_site/sources/a/index.html").read_text()
    (root / "content/overview/a.md").write_text(
        page("Part", 'Some text.\n{: data-src="a#p1" }\n\nMore text.\n{: data-src="a#p2" }', date="2024-01-01"))
    build(load_config(root))
    assert (root / "_site/sources/a/index.html").read_text() != before
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def test_a_part_citing_another_paragraph_of_the_same_article_keeps_the_structure(tmp_path):
    """The structure holds the article a part is from, not the paragraph it cites first: a body
    edit that cites another paragraph of the same article first re-renders the part's own pages
    only; citing another article first changes the structure (related articles change)."""
    files = {f"content/sources/{s}.md": article(s.upper(), "2024-01-01") for s in "ab"}
    files.update({f"seeds/{s}.txt": "First paragraph of the article.\n\nSecond paragraph of it.\n" for s in "ab"})
    files["content/overview/a.md"] = part("a")
    root = write_site(tmp_path / "site", files)
    structure = keys_of(root)[0]
    (root / "content/overview/a.md").write_text(page("Part", 'Other text.\n{: data-src="a#p2" }', date="2024-01-01"))
    assert keys_of(root)[0] == structure
    (root / "content/overview/a.md").write_text(part("b"))
    assert keys_of(root)[0] != structure


def test_adding_an_article_to_a_generated_site_builds_warm_as_clean(tmp_path):
    """Issue 15's growing site (tools/multisite.py, 30 articles, mixed dates): one more article,
    newer than all, ingested and built on the last build's cache, is byte for byte a clean build,
    though it moves an item across every page of the hubs and the archive. And only the routes
    that can change make their context (scope.py): of the 104, the 23 rendered (the new article's
    pages, the lists, its two themes' hubs, figures and trends, the five articles whose related
    list it enters) and two that show it but come out the same (the terms page, which takes the
    whole structure, and a theme's trends, which it joins with no new series) — not every route,
    as when the whole structure was every route's."""
    import subprocess
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    import multisite

    root = multisite.make_site(tmp_path / "site", 30, "mixed", search=False)
    build(load_config(root), jobs=1)
    new = multisite.make_seeds(tmp_path / "more", 31, "dated")[-1]
    shutil.copy(new, root / "seeds" / f"0030-added{new.suffix}")
    r = subprocess.run([sys.executable, "-m", "site_builder", "-C", str(root), "ingest"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    result = build(load_config(root), jobs=1)
    assert 0 < result.rendered < result.pages and result.reused > 0  # warm: most pages kept as they were
    assert tree(root / "_site") == clean_tree(root, tmp_path)
    assert result.checked <= result.rendered + 2


def test_an_article_renamed_or_redated_reaches_its_parts_own_pages(tmp_path):
    """A part's own page (a theme of several articles) names the article it is from, under each
    paragraph it quotes (“Source: paragraph 1 of …”) and on its card, with the article's date:
    a route's scope holds the articles its pages cite, so their parts' pages are candidates
    when one is renamed or redated in its source page alone (scope.py)."""
    import sys
    sys.path.insert(0, str(ROOT / "tools"))
    import multisite

    root = multisite.make_site(tmp_path / "site", 12, "mixed", search=False)
    build(load_config(root), jobs=1)
    source = root / "content/sources/anhui-making-steady-progress-high-quality-manufacturing.md"
    text = source.read_text()
    assert "\ntitle: Anhui making steady progress in high-quality manufacturing\n" in text
    source.write_text(text.replace("\ntitle: Anhui making steady progress in high-quality manufacturing\n",
                                   "\ntitle: A renamed article\n", 1))
    build(load_config(root), jobs=1)
    shown = (root / "_site/overview/anhui-making-steady-progress-high-quality-manufacturing/index.html").read_text()
    assert "of “A renamed article”" in shown
    assert tree(root / "_site") == clean_tree(root, tmp_path)
    source.write_text(source.read_text().replace("\ndate: 2019-01-18\n", "\ndate: 2024-06-30\n", 1))
    build(load_config(root), jobs=1)
    assert tree(root / "_site") == clean_tree(root, tmp_path)
