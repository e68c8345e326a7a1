"""``site-builder new DIR``: a site project that builds out of the box. A plain site by default (a
home page, an example page, a section with one post, an archetype); ``--articles``: a site that
ingests source articles into themes."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import SiteError
from ..model.config import CONFIG_NAME, find_root

ARTICLES_YAML = """\
# site_builder configuration: every key is checked; an unknown key is an error.
title: {title}
description: Articles sorted by theme, every paragraph traceable to its source.
# Where the site will live; `site-builder build --base-url URL` overrides it.
base_url: http://127.0.0.1:8000/
language: en
search: true
# The default theme renders the site. To change a template, create templates/
# and put a file of the same name there (e.g. templates/base.html): yours wins.

# Paragraphs of ingested articles go to the theme whose keywords fit best
# (keywords match at word starts, Chinese ones as whole words; weights are
# optional; a list or mapping per language also works: {{en: [...], zh: [...]}}).
# Ties and no match go to the first theme.
themes:
  - id: overview
    title: Overview
    summary: The main points of the articles.
    keywords: [overall, in summary, aims to, goal, strategy, 总体, 目标]
  - id: economy
    title: Economy and industry
    summary: Industry, business, trade and investment.
    keywords: [economy, economic, industr, manufactur, enterprise, compan, trade, export,
               investment, market, gdp, billion, million, 经济, 产业, 工业, 制造, 企业, 贸易, 投资]
  - id: technology
    title: Science and technology
    summary: Research, innovation and digital technology.
    keywords: [technolog, innovation, research, scien, laborator, digital, data, artificial intelligence,
               科技, 创新, 研究, 数字, 实验室, 人工智能]
  - id: environment
    title: Environment and energy
    summary: Climate, energy, pollution and green development.
    keywords: [green, climate, carbon, emission, energy, pollution, renewable, environment,
               绿色, 气候, 碳, 排放, 能源, 环境]
  - id: society
    title: Society and people
    summary: People, communities, health, education and culture.
    keywords: [people, resident, citizen, education, school, health, hospital, communit, culture,
               employment, worker, 人民, 居民, 教育, 学校, 医疗, 健康, 文化, 就业]
"""



PLAIN_YAML = """\
# site_builder configuration: every key is checked; an unknown key is an error.
title: {title}
description: A site built with site_builder.
# Where the site will live; `site-builder build --base-url URL` overrides it.
base_url: http://127.0.0.1:8000/
language: en
search: true
# The default theme renders the site. To change a template, create templates/
# and put a file of the same name there (e.g. templates/base.html): yours wins.
"""

PLAIN_PAGES = {
    "content/index.md": """\
---
title: Home
---
Welcome to {title}. This text is the introduction of the home page: edit `content/index.md`.

Read the [example page](example.md) or the first [post](posts/first-post.md).
""",
    "content/example.md": """\
---
title: An example page
summary: A page at the top of the site, with a link and a list.
---
Every Markdown file in `content/` becomes a page: this one is `content/example.md`, at `/example/`.

- Link to another page by its file: [the first post](posts/first-post.md). Every link is checked
  when the site is built.
- Put pages in a folder to make a section: `content/posts/` is listed at `/posts/`.
- Start a new page from an archetype: `site-builder new page content/posts/my-post.md`.
""",
    "content/posts/index.md": """\
---
title: Posts
---
The posts of this site, newest first.
""",
    "content/posts/first-post.md": """\
---
title: The first post
date: {date}
tags: [welcome]
---
A post is a page with a date. Back to the [home page](../index.md).
""",
    "archetypes/default.md": """\
---
title: "{{{{ title }}}}"
date: {{{{ date }}}}
draft: true
---
Write here. `site-builder serve --drafts` shows this page; remove `draft: true` to publish it.
""",
}


def new_site(target: Path, articles: bool = False) -> str:
    """A new site in ``target`` (plain, or with ``articles`` a site that ingests articles into
    themes); returns what to tell the user."""
    import datetime as dt

    inside = find_root(Path(os.path.abspath(target)).parent)
    if inside is not None:
        hint = (f"to add a page to it, run: site-builder new page {target}" if str(target).endswith(".md")
                else "to add a page to it, run: site-builder new page content/posts/my-post.md")
        raise SiteError(str(target), None, f"is inside the site at {inside} (it has a {CONFIG_NAME}); a site "
                                           f"inside a site would be published by it; {hint}")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteError(str(target), None, "already exists and is not empty; choose a new folder")
    title = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My site"
    files = {CONFIG_NAME: (ARTICLES_YAML if articles else PLAIN_YAML).format(title=_yaml_str(title)),
             # the output, the cache, and what a build keeps beside the output while it runs
             ".gitignore": "_site/\n.cache/\n._site.*\n"}
    if not articles:
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        files.update({name: text.format(title=title, date=today) for name, text in PLAIN_PAGES.items()})
    try:
        for d in ("content", "static", *(("seeds",) if articles else ())):
            (target / d).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_text(text, encoding="utf-8")
    except OSError as e:
        raise SiteError(str(target), None, f"cannot create the site: {e.strerror}") from None
    if articles:
        return (f"Created a new site in {target}. Next: put an article in {target}/seeds/, then\n"
                f"  site-builder -C {target} ingest && site-builder -C {target} serve")
    return (f"Created a new site in {target}. Next:\n  site-builder -C {target} serve\n"
            f"  site-builder -C {target} new page content/posts/my-post.md")


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
