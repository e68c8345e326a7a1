"""Search: the Pagefind index is built with the site, in shards, and works under /repo/ in a real
browser; a build re-indexes only the shards whose pages changed."""
import shutil

import pytest

from site_builder.build import build, search
from site_builder.model.config import load_config
from site_builder.render import shards

from conftest import BASE_CONFIG, ROOT, page, serve_folder, tree, write_site


def seed_site(root):
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    return root


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    root = seed_site(tmp_path_factory.mktemp("search"))
    build(load_config(root, base_url="https://example.github.io/repo/"))
    server, url = serve_folder(root / "_site", "/repo/")
    yield root / "_site", url
    server.shutdown()


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The seed site with shards of at most 2 pages: 8 bundles merged by the search page."""
    root = seed_site(tmp_path_factory.mktemp("sharded"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_PAGES", 2)
        build(load_config(root, base_url="https://example.github.io/repo/"))
    server, url = serve_folder(root / "_site", "/repo/")
    yield root / "_site", url
    server.shutdown()


def find(browser, url, word, expect_path):
    """Search for ``word`` on the search page; the first result's href."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("requestfailed", lambda r: errors.append(r.url))
    try:
        pg.goto(url + "search/")
        pg.locator("#search input").fill(word)
        links = pg.locator(".pagefind-ui__result-link")
        links.first.wait_for(timeout=15000)
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert any(expect_path in h for h in hrefs), hrefs
        assert errors == []
        return hrefs
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_sharded_index_finds_pages_of_every_shard(browser, sharded):
    from site_builder.model.site import load_site

    out, url = sharded
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_PAGES", 2)
        plan = shards.site_plan(load_site(load_config(out.parent)))
    assert sorted(f for files in plan.values() for f in files) == sorted(
        str(p.relative_to(out)) for p in out.rglob("index.html") if "data-pagefind-body" in p.read_text())
    bundles = sorted(p.name for p in (out / "pagefind").iterdir())
    assert len(bundles) > 2 and bundles == sorted(str(k) for k in plan)
    shard_of = {f: k for k, files in plan.items() for f in files}
    # pages from at least two different shards, each found through the merged index
    wanted = {"innovation/index.html": "laboratory", "industrial-clusters/index.html": "blockchain",
              "green-development/index.html": "green"}
    assert len({shard_of[f] for f in wanted}) >= 2, shard_of
    for f, word in wanted.items():
        find(browser, url, word, "/repo/" + f.removesuffix("index.html"))


def test_one_changed_page_reindexes_only_its_shard(site, monkeypatch):
    monkeypatch.setattr(shards, "SHARD_PAGES", 2)
    root = site({f"content/p{i}.md": page(f"Page {i}", f"Words of page {i}.") for i in range(12)},
                {**BASE_CONFIG, "search": True})
    build(load_config(root))
    out = root / "_site"

    def bundles():  # shard -> (its files' inodes: a remade shard's files are new files, its files)
        return {d.name: ({p.stat().st_ino for p in d.rglob("*") if p.is_file()}, tree(d))
                for d in (out / "pagefind").iterdir()}

    before = bundles()
    assert len(before) >= 4
    (root / "content/p3.md").write_text(page("Page 3", "Different words entirely."))
    build(load_config(root))
    after = bundles()
    shard = [k for k, files in shards.plan(f"p{i}/index.html" for i in range(12)).items() if "p3/index.html" in files]
    assert [k for k in before if before[k][0] != after[k][0]] == [str(shard[0])] and set(after) == set(before)
    assert before[str(shard[0])][1] != after[str(shard[0])][1]
    # nothing changed: nothing remade
    build(load_config(root))
    assert bundles() == after


def article_files(slugs, day=1):
    """A source page and its part in the overview theme for each slug, dated a day apart."""
    files = {}
    for i, slug in enumerate(slugs):
        files[f"content/sources/{slug}.md"] = page(f"Article {slug}", f"The {slug} plant opened.\n{{: #p1 }}\n",
                                                   seed="seeds/none.txt", date=f"2024-01-{day + i:02d}")
        files[f"content/overview/{slug}.md"] = page(f"Article {slug}", f"The {slug} plant opened.\n"
                                                    f"{{: data-src=\"{slug}#p1\" }}\n", date=f"2024-01-{day + i:02d}")
    return files


def test_a_new_article_remakes_the_list_shards_and_its_own(site, monkeypatch):
    """Issue 15: articles are in shards by date, four a shard here (a source with its part), the
    newest (after the last full shard) two a shard, and the pages listing them (home, about,
    theme, archive: they change with every article) in shards of their own after them; so
    adding the newest article remakes its small shard and the lists', not a full one."""
    monkeypatch.setattr(shards, "SHARD_PAGES", 2)
    monkeypatch.setattr(shards, "ARTICLES", 4)
    monkeypatch.setattr(shards, "RECENT", 2)
    root = site(article_files([f"a{i}" for i in range(10)]), {**BASE_CONFIG, "search": True})
    build(load_config(root))
    out = root / "_site"

    def bundles():  # shard -> its files' inodes (a remade shard's files are new files), its pages
        return {int(d.name): ({p.stat().st_ino for p in d.rglob("*") if p.is_file()},
                              len(list(d.glob("fragment/*")))) for d in (out / "pagefind").iterdir()}

    before = bundles()
    for rel, text in article_files(["a0z"], day=20).items():  # the newest, named among the oldest
        (root / rel).write_text(text)
    ran = []
    real_run = search.subprocess.run
    monkeypatch.setattr(search.subprocess, "run", lambda args, **kw: ran.append(args) or real_run(args, **kw))
    build(load_config(root))
    assert len(ran) == 3  # three shards remade: a Pagefind process each
    after = bundles()
    # a0-a3 in 0, a4-a7 in 1; the newest two a shard: a8-a9 in 2, now a0z in 3; the places of
    # the newest are 2 and 3 (four articles, two a shard), so the 4 lists, 2 a shard, are in 4 and 5
    assert sorted(before) == [0, 1, 2, 4, 5] and sorted(after) == [0, 1, 2, 3, 4, 5]
    assert sorted(k for k in after if k not in before or after[k][0] != before[k][0]) == [3, 4, 5]
    assert (before[2][1], after[2][1], after[3][1]) == (4, 4, 2)  # two articles' pages (a fragment each); one's
    assert tree(out) == clean_tree(root)
    # two more: a8, a9, a0z and a0zz make a full shard (2), a0zzz is in 3, the lists move to 5 and 6
    for rel, text in article_files(["a0zz", "a0zzz"], day=21).items():
        (root / rel).write_text(text)
    build(load_config(root))
    assert sorted(bundles()) == [0, 1, 2, 3, 5, 6] and tree(out) == clean_tree(root)


def test_each_shard_is_indexed_by_a_pagefind_process_of_its_own(site, monkeypatch):
    """Pagefind's command line, one process a shard, whatever the number of pages (its service
    mode, one process for several shards, left pagefind-entry.json empty now and then)."""
    monkeypatch.setattr(shards, "SHARD_PAGES", 2)
    root = site({f"content/p{i}.md": page(f"Page {i}", f"Words of page {i}.") for i in range(9)},
                {**BASE_CONFIG, "search": True})
    ran = []
    real_run = search.subprocess.run
    monkeypatch.setattr(search.subprocess, "run", lambda args, **kw: ran.append(args) or real_run(args, **kw))
    build(load_config(root))
    bundles = sorted(p.name for p in (root / "_site/pagefind").iterdir())
    assert len(bundles) >= 4 and len(ran) == len(bundles)
    assert all("--site" in args and "--service" not in args for args in ran)


def test_a_small_site_has_one_shard(site):
    """Up to SHARD_PAGES pages, one bundle: one index ranks all results together (a list page
    in a bundle of its own outranked the page it lists, in Chromium)."""
    from site_builder.model.site import load_site

    root = site(article_files(["a", "b"]), {**BASE_CONFIG, "search": True})
    plan = shards.site_plan(load_site(load_config(root)))
    assert list(plan) == [0] and {"index.html", "sources/a/index.html", "overview/b/index.html"} <= set(plan[0])


def clean_tree(root):
    build(load_config(root), use_cache=False, out=root / "clean")
    return tree(root / "clean")


def test_the_index_equals_a_clean_one_after_warm_builds(site, monkeypatch):
    monkeypatch.setattr(shards, "SHARD_PAGES", 2)
    files = {f"content/p{i}.md": page(f"Page {i}", f"Words of page {i}.") for i in range(9)}
    root = site(files, {**BASE_CONFIG, "search": True})
    build(load_config(root))
    (root / "content/p1.md").write_text(page("Page 1", "Changed."))
    (root / "content/p9.md").write_text(page("Page 9", "New."))
    build(load_config(root))
    warm = tree(root / "_site")
    build(load_config(root), use_cache=False, out=root / "clean")
    assert tree(root / "clean") == warm


@pytest.mark.browser
def test_typing_a_word_finds_the_page_and_the_result_leads_there(browser, searchable):
    out, url = searchable
    assert (out / "pagefind" / "0" / "pagefind.js").exists()
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        pg.goto(url + "search/")
        box = pg.locator("#search input")
        box.fill("laboratory")
        result = pg.locator(".pagefind-ui__result-link").first
        result.wait_for(timeout=15000)
        href = result.get_attribute("href")
        assert href.startswith("/repo/"), href
        result.click()
        pg.wait_for_url("**/repo/innovation/**")
        assert "laboratory" in pg.inner_text("main")
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_the_header_search_form_carries_the_query(browser, searchable):
    _, url = searchable
    ctx = browser.new_context()
    pg = ctx.new_page()
    try:
        pg.goto(url)
        pg.fill("#site-search", "blockchain")
        pg.press("#site-search", "Enter")
        pg.wait_for_url("**/repo/search/?q=blockchain")
        pg.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        assert "/repo/industrial-clusters/" in pg.locator(".pagefind-ui__result-link").first.get_attribute("href")
    finally:
        ctx.close()


def test_search_false_leaves_no_index_and_no_search_page(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": page("A")})  # BASE_CONFIG has search: false
    build(load_config(root))
    assert not (root / "_site/pagefind").exists() and not (root / "_site/search").exists()
    assert "site-search" not in (root / "_site/index.html").read_text()


def test_a_bundles_languages_are_sorted_in_pagefinds_own_form(tmp_path):
    """Pagefind lists a bundle's languages in any order from run to run; sort_languages puts
    them in order and writes the file as Pagefind does (compact, characters as they are)."""
    entry = tmp_path / "pagefind-entry.json"
    entry.write_text('{"version":"1.5.2","languages":{"zh":{"hash":"zh_1","wasm":null,"page_count":2},'
                     '"en":{"hash":"en_2","wasm":"en","page_count":3}},"include_characters":["_","‿"]}',
                     encoding="utf-8")
    search.sort_languages(entry)
    assert entry.read_text(encoding="utf-8") == (
        '{"version":"1.5.2","languages":{"en":{"hash":"en_2","wasm":"en","page_count":3},'
        '"zh":{"hash":"zh_1","wasm":null,"page_count":2}},"include_characters":["_","‿"]}')


def test_a_site_in_three_languages_has_its_bundles_languages_in_order(site):
    files = {"content/a.md": page("A", "Words in English."),
             "content/b.md": page("B", "中文的文字。", language="zh"),
             "content/c.md": page("C", "Des mots en français.", language="fr")}
    root = site(files, {**BASE_CONFIG, "search": True})
    build(load_config(root))
    entry = root / "_site/pagefind/0/pagefind-entry.json"
    text = entry.read_text(encoding="utf-8")
    assert list(__import__("json").loads(text)["languages"]) == ["en", "fr", "zh"]
    search.sort_languages(entry)  # Pagefind's own form: written back unchanged
    assert entry.read_text(encoding="utf-8") == text
