"""Ingest: articles in ``seeds/`` → content pages, one set per article.

For an article with slug S it writes ``content/sources/S.md`` (the cleaned article,
paragraphs ``#p1``…) and ``content/<theme>/S.md`` for each theme that received a
paragraph (each paragraph tagged ``data-src="S#pN"``). Theme pages aggregate the
parts of every article. ``plan`` is pure; only ``write_plan`` touches the disk.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .article import Article, Block, parse_article
from .classify import Classifier, Sorted
from .config import Config
from .errors import Collector, SiteError
from .extract import figures_in, lists_in, terms_in
from .frontmatter import parse_front_matter
from .paths import link_problem
from .urls import slugify


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a value used twice out twice: front matter refuses YAML aliases (yamlfile), which
    PyYAML would otherwise write for it (&id001 ... *id001)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_HASH_LINE = re.compile(r"^generated: *['\"]?([0-9a-f]+)['\"]? *\n", re.M)


# --- classification ---------------------------------------------------------------------

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


# --- Markdown that shows source text literally -------------------------------------------------

_MD_CHARS = re.compile(r"([\\`*_{}\[\]|#])")


def md_text(text: str) -> str:
    """Text from a seed as Markdown that renders exactly that text: never markup, never HTML."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_CHARS.sub(r"\\\1", out)
    out = re.sub(r"^([+\-])", r"\\\1", out)
    out = re.sub(r"^~", "&#126;", out)  # '~' has no backslash escape: a fence must not open
    out = re.sub(r"^(\d+)([.)])", r"\1\\\2", out)
    return out


def block_md(block: Block, attrs: str) -> str:
    if block.kind == "heading":
        return f"### {md_text(block.text)} {{: {attrs} }}"
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


# --- pages -------------------------------------------------------------------------------------

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
    m = _HASH_LINE.search(text)
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
    for key in ("updated", "kicker", "origin", "dateline", "byline", "source_note"):
        if getattr(article, key):
            source_meta[key] = getattr(article, key)
    if terms:
        source_meta["terms"] = terms
    cleaning = [f"line {ln}: “{text}” → {what}" for ln, text, what in sorted(article.moved) if ln] + \
               [f"line {ln}: removed “{text}” ({why})" for ln, text, why in sorted(article.removed)]
    if cleaning or article.captions or article.title_from != "headline":
        source_meta["extra"] = {k: v for k, v in (("cleaning", cleaning), ("captions", article.captions),
                                                   ("title_from", article.title_from)) if v}
    body = "\n\n".join(block_md(b, f"#{b.id}") for b in article.blocks)
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


# --- reading seeds and existing pages, then writing --------------------------------------------

def seed_files(config: Config) -> list[Path]:
    if not config.seeds_dir.is_dir():
        return []
    return sorted(p for p in config.seeds_dir.iterdir()
                  if p.is_file() and not p.name.startswith(".") and not p.name.endswith("~"))


def _generated_pages(config: Config) -> dict[str, str]:
    """Existing pages that ingest made (they carry ``generated:``): path → text."""
    found: dict[str, str] = {}
    if not config.content_dir.is_dir():
        return found
    for path in sorted(config.content_dir.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.startswith("---") and _HASH_LINE.search(text.split("\n---", 2)[0] + "\n"):
            found[path.relative_to(config.content_dir).as_posix()] = text
    return found


def _seed_slugs(pages: dict[str, str]) -> dict[str, str]:
    """Seed path → slug of its existing source page, so renaming a headline keeps URLs."""
    out = {}
    for rel, text in pages.items():
        if rel.startswith("sources/"):
            try:
                meta, _, _ = parse_front_matter(text, rel)
            except SiteError:
                continue
            if isinstance(meta.get("seed"), str):
                out[meta["seed"]] = rel[len("sources/"):-3]
    return out


def _remove_stale_temporaries(content: Path) -> None:
    """Temporary files an interrupted ingest left (its process is gone): the pages themselves
    are whole, old or new, because each was renamed into place."""
    from .journal import alive

    for tmp in content.rglob(".*.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Old or new, never half-written: write a temporary sibling, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def ingest(config: Config, files: list[Path] | None = None, force: bool = False) -> list[str]:
    """Ingest ``files`` (default: every file in seeds/). Returns the report, line by line."""
    everything = not files
    # a named file keeps the name it was given (a link is not replaced by its target)
    paths = [Path(os.path.abspath(p)) for p in files] if files else seed_files(config)
    if not paths:
        return [f"no articles in {config.shown(config.seeds_dir)}/: put a plain-text article there"]
    errors = Collector()
    articles: list[tuple[Path, str, Article]] = []
    roots = config.roots()
    for path in paths:
        shown = config.shown(path)
        problem = link_problem(path, roots) if any(path.is_relative_to(r) for r in roots) else None
        if problem:  # a file named outside the project on the command line is the user's choice
            errors.error(shown, None, problem)
            continue
        try:
            data = path.read_bytes()
        except OSError as e:
            errors.error(shown, None, f"cannot read: {e.strerror}")
            continue
        try:
            articles.append((path, shown, parse_article(data, shown)))
        except SiteError as e:
            errors.add(e)
    errors.raise_if_any()  # one bad seed: nothing is written

    existing = _generated_pages(config)
    known = _seed_slugs(existing)
    classifier = Classifier(config.themes, config.default_theme)
    classifier.fit(_paragraphs(config, [a for _, _, a in articles], everything))
    taken: set[str] = set()
    plans: list[Planned] = []
    for path, shown, art in articles:
        slug = known.get(shown) or slugify(art.title, short=True)
        base, i = slug, 2
        while slug in taken:
            slug, i = f"{base}-{i}", i + 1
        taken.add(slug)
        plans.append(plan(art, slug, shown, config, classifier))
    return _apply(config, plans, existing, everything, force)


def _paragraphs(config: Config, articles: list[Article], everything: bool) -> list[str]:
    """The paragraphs that keyword frequencies are counted over: every seed's, also when only
    some seeds are ingested, so a paragraph sorts the same either way."""
    texts = [b.text for a in articles for b in a.blocks if b.kind != "heading"]
    if not everything:
        given = {a.path for a in articles}
        for path in seed_files(config):
            if config.shown(path) not in given:
                try:
                    texts += [b.text for b in parse_article(path.read_bytes(), config.shown(path)).blocks
                              if b.kind != "heading"]
                except (OSError, SiteError):
                    continue  # an unreadable seed counts for nothing here; ingesting it says why
    return texts


def _apply(config: Config, plans: list[Planned], existing: dict[str, str], everything: bool,
           force: bool) -> list[str]:
    report: list[str] = []
    content = config.content_dir
    writes: dict[str, str] = {}
    removals: list[str] = []
    for p in plans:
        art = p.article
        by_theme = ", ".join(f"{t} {n}" for t, n in p.counts.items())
        report.append(f"{p.seed} → {p.slug}: “{art.title}”, {len(art.blocks)} paragraphs ({by_theme}); "
                      f"{p.figures} figures")
        for ln, text, what in sorted(art.moved):
            report.append(f"  moved {what} into metadata: “{text}”" + (f" (line {ln})" if ln else ""))
        for ln, text, why in art.removed:
            report.append(f"  dropped line {ln}: “{text}” ({why})")
        report += [f"  {line}" for line in p.sorting]
        for note in p.skipped:
            report.append(f"  not extracted: {note}")
        for rel, text in p.pages.items():
            old = existing.get(rel)
            path = content / rel
            if old is None and path.exists():
                old = path.read_text(encoding="utf-8", errors="replace")
            if old == text:
                report.append(f"  unchanged {config.shown(path)}")
            elif old is not None and edited_by_hand(old) and not force:
                report.append(f"  skipped {config.shown(path)}: edited by hand (--force overwrites it)")
            else:
                writes[rel] = text
                report.append(f"  wrote {config.shown(path)}")
        for rel in sorted(existing):
            if rel.rsplit("/", 1)[-1] == f"{p.slug}.md" and rel not in p.pages:
                if edited_by_hand(existing[rel]) and not force:
                    report.append(f"  kept {config.shown(content / rel)}: no longer generated but edited "
                                  "by hand (--force removes it)")
                else:
                    removals.append(rel)
                    report.append(f"  removed {config.shown(content / rel)}: no paragraph of this theme any more")
    if everything:
        slugs = {p.slug for p in plans}
        for rel in sorted(existing):
            if rel.rsplit("/", 1)[-1][:-3] not in slugs:
                if force:
                    removals.append(rel)
                    report.append(f"removed orphaned {config.shown(content / rel)} (its seed is gone)")
                else:
                    report.append(f"orphaned {config.shown(content / rel)}: its seed is gone "
                                  "(ingest --force removes it)")
    try:
        if content.is_dir():
            _remove_stale_temporaries(content)
        for rel, text in writes.items():
            write_atomic(content / rel, text)
        for rel in removals:
            (content / rel).unlink(missing_ok=True)
    except OSError as e:
        raise SiteError(config.shown(content), None, f"cannot write content pages: {e.strerror}") from None
    return report
