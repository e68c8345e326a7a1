"""``site-builder new DIR``: a site project that builds out of the box."""
from __future__ import annotations

from pathlib import Path

from ..errors import SiteError

SITE_YAML = """\
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


def new_site(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteError(str(target), None, "already exists and is not empty; choose a new folder")
    try:
        for d in ("content", "seeds", "static"):
            (target / d).mkdir(parents=True, exist_ok=True)
        title = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My site"
        (target / "site.yaml").write_text(SITE_YAML.format(title=_yaml_str(title)), encoding="utf-8")
        # the output, the cache, and what a build keeps beside the output while it runs
        (target / ".gitignore").write_text("_site/\n.cache/\n._site.*\n", encoding="utf-8")
    except OSError as e:
        raise SiteError(str(target), None, f"cannot create the site: {e.strerror}") from None


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
