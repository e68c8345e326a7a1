"""An article → its content pages, as text (pure: nothing is read or written here): the source
page, and one part per theme that received a paragraph, each paragraph tagged with the source
paragraph it came from. Seed text is escaped so it shows literally."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import yaml

from ..model.config import Config
from .article import Article, Block
from .classify import Classifier, Sorted
from .extract import figures_in, lists_in, terms_in


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a value used twice out twice: front matter refuses YAML aliases (yamlfile), which
    PyYAML would otherwise write for it (&id001 ... *id001)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


HASH_LINE = re.compile(r"^generated: *['\"]?([0-9a-f]+)['\"]? *\n", re.M)


def assign(article: Article, classifier: Classifier) -> list[Sorted]:
    """The theme of each block, and why; a heading goes with the block it introduces."""
    out: list[Sorted | None] = [classifier.sort(b.text) if b.kind != "heading" else None for b in article.blocks]
    for i in range(len(out) - 1, -1, -1):
        if out[i] is None:
            near = out[i + 1] if i + 1 < len(out) else (out[i - 1] if i else None)
            theme = near.theme if near else classifier.default
            n = article.blocks[i + 1].id if i + 1 < len(out) else (article.blocks[i - 1].id if i else "")
            out[i] = Sorted(theme, [], {}, f"a heading: goes with {n}" if n else "default theme")
    return out  # type: ignore[return-value]


_MD_CHARS = re.compile(r"([\\`*_{}\[\]|#])")


def md_text(text: str) -> str:
    """Text from a seed as Markdown that renders exactly that text: never markup, never HTML."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_CHARS.sub(r"\\\1", out)
    # '~' has no backslash escape: no fence may open, no strike-through (pymdownx.tilde) begin
    out = out.replace("~", "&#126;")
    # nor an admonition ('!!! note'), details ('??? note') or a definition (': text') start a line,
    # nor marks, insertions or keys ('==x==', '^^x^^', '++x++') begin, where those extensions are on
    out = re.sub(r"^([!?:])", lambda m: f"&#{ord(m.group(1))};", out)
    out = re.sub(r"([=^+])(?=\1)", lambda m: f"&#{ord(m.group(1))};", out)
    out = re.sub(r"^([+\-])", r"\\\1", out)
    out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return out


def block_md(block: Block, attrs: str, level: int = 3) -> str:
    """``level``: an in-text heading's level where it is shown (h2 under a source page's h1, h3
    under an article's h2 on a theme page), so heading levels never skip one."""
    if block.kind == "heading":
        return f"{'#' * level} {md_text(block.text)} {{: {attrs} }}"
    if block.kind == "list":
        lines = []
        for i, item in enumerate(block.items, 1):
            marker = f"{i}." if block.ordered else "-"
            lines.append(f"{marker} {md_text(item)}")
            if i == 1:
                lines.append(f"    {{: {attrs} }}")
        return "\n".join(lines)
    if block.kind == "quote":
        return f"> {md_text(block.text)}\n> {{: {attrs} }}"
    return f"{md_text(block.text)}\n{{: {attrs} }}"


def _lead(blocks: list[Block], limit: int = 300) -> str:
    text = next((b.text for b in blocks if b.kind in ("paragraph", "quote")), blocks[0].text)
    sentences = re.split(r"(?<=[.!?。！？])\s+", text)
    out = sentences[0]
    for s in sentences[1:]:
        if len(out) + len(s) + 1 > limit:
            break
        out += " " + s
    return out


def render_page(meta: dict, body: str) -> str:
    """Front matter + body, with the hash that lets ingest recognise hand edits later."""
    head = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    text = f"---\n{head}---\n{body.rstrip()}\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"---\n{head}generated: {digest}\n---\n{body.rstrip()}\n"


def edited_by_hand(text: str) -> bool:
    m = HASH_LINE.search(text)
    if not m:
        return True
    rest = text[:m.start()] + text[m.end():]
    return hashlib.sha256(rest.encode()).hexdigest()[:16] != m.group(1)


@dataclass
class Planned:
    article: Article
    slug: str
    seed: str
    pages: dict[str, str] = field(default_factory=dict)     # content-relative path -> text
    counts: dict[str, int] = field(default_factory=dict)    # theme -> blocks
    figures: int = 0
    skipped: list[str] = field(default_factory=list)        # what the per-paragraph caps left out
    sorting: list[str] = field(default_factory=list)        # where each paragraph went, and why


def plan(article: Article, slug: str, seed: str, config: Config, classifier: Classifier) -> Planned:
    sorted_ = assign(article, classifier)
    themes = [x.theme for x in sorted_]
    out = Planned(article, slug, seed)
    out.sorting = [f"{b.id} → {x.theme} ({x.explain()})" for b, x in zip(article.blocks, sorted_)]
    date = {"date": article.date} if article.date else {}
    lang = language(article, config)
    same = lang.split("-")[0].lower() == config.language.split("-")[0].lower()
    lang_meta = {} if same else {"language": lang}
    terms, seen_terms, figures_by_block, n = [], set(), {}, 1
    for b in article.blocks:
        if b.kind == "heading":
            continue
        figs, lists = [], []
        for text in (b.items if b.kind == "list" else [b.text]):
            found = figures_in(text, f"{slug}#{b.id}", n, out.skipped, item=b.kind == "list")
            n += len(found)
            figs += found
            lists += lists_in(text, f"{slug}#{b.id}", found, out.skipped)
        figures_by_block[b.n] = (figs, lists)
        for t in terms_in(b.text, f"{slug}#{b.id}", out.skipped):
            if t["term"].lower() not in seen_terms:
                seen_terms.add(t["term"].lower())
                terms.append(t)
    source_meta = {"title": article.title, **date, "summary": _lead(article.blocks), "seed": seed, **lang_meta}
    for key in ("updated", "kicker", "origin", "dateline", "byline", "source_note", "publisher",
                "original_url", "licence", "retrieved"):
        if getattr(article, key):
            source_meta[key] = getattr(article, key)
    if terms:
        source_meta["terms"] = terms
    cleaning = [f"line {ln}: “{text}” → {what}" for ln, text, what in sorted(article.moved) if ln] + \
               [f"line {ln}: removed “{text}” ({why})" for ln, text, why in sorted(article.removed)] + \
               article.notes
    if cleaning or article.captions or article.title_from != "headline":
        source_meta["extra"] = {k: v for k, v in (("cleaning", cleaning), ("captions", article.captions),
                                                   ("title_from", article.title_from != "headline"
                                                    and article.title_from)) if v}
    body = "\n\n".join(block_md(b, f"#{b.id}", level=2) for b in article.blocks)
    out.pages[f"sources/{slug}.md"] = render_page(source_meta, body)
    for theme in dict.fromkeys(themes):
        blocks = [b for b, t in zip(article.blocks, themes) if t == theme]
        figs = [f for b in blocks for f in figures_by_block.get(b.n, ([], []))[0]]
        lists = [x for b in blocks for x in figures_by_block.get(b.n, ([], []))[1]]
        meta = {"title": article.title, **date, "theme": theme, "summary": _lead(blocks), **lang_meta}
        if figs:
            meta["figures"] = figs
        if lists:
            meta["lists"] = lists
        body = "\n\n".join(block_md(b, f'data-src="{slug}#{b.id}"') for b in blocks)
        out.pages[f"{theme}/{slug}.md"] = render_page(meta, body)
        out.counts[theme] = len(blocks)
        out.figures += len(figs)
    return out


def language(article: Article, config: Config) -> str:
    """The article's language: what its script tells (Chinese, Japanese, Korean), else the site's."""
    return article.language or config.language
