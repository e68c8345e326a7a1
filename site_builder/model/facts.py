"""Provenance and quoted facts: every ``data-src`` names a real source paragraph, and every
figure, list and term is quoted exactly from its source article, so a hand edit cannot drift."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Collector, SiteError
from ..fs import read_text
from ..paths import example_name, link_problem, printable, segment_problem
from .frontmatter import check_fields, suggest_sorted
from .pages import Page, load_body
from .yamlfile import LineDict

if TYPE_CHECKING:
    from .site import Site


def _norm(text: str) -> str:
    return " ".join(text.split())


_FACT_FIELDS: dict[str, dict[str, Any]] = {
    "figures": {"id": str, "value": float, "unit": str, "label": str, "text": str, "source": str,
                "display": str, "kind": str, "of": str, "currency": str, "scale": str},
    "lists": {"id": str, "title": str, "items": [str], "text": str, "source": str},
    "terms": {"term": str, "text": str, "source": str, "definition": str},
}


_FACT_REQUIRED = {"figures": ("value", "label", "text", "source"), "lists": ("title", "items", "source"),
                  "terms": ("term", "source")}


def _source_text(site: Site, source: Page, errors: Collector) -> str:
    """The article a source page was made from: its seed file when present, else its body.
    A seed reached through a symbolic link that leaves the project is never read."""
    seed = source.meta.get("seed", "")
    path = Path(os.path.normpath(site.config.root / seed))
    roots = site.config.roots()
    if seed and any(path.is_relative_to(r) for r in roots) and path.is_file():
        problem = link_problem(path, roots)
        if problem:
            errors.error(source.shown, source.line("seed"), f"seed '{printable(seed)}' is a {problem}")
            return _norm(load_body(source))
        try:
            return _norm(read_text(path, site.config.shown(path)))
        except SiteError as e:
            errors.add(e)
    return _norm(load_body(source))


def check_provenance(site: Site, errors: Collector) -> dict[str, dict[str, list[Page]]]:
    """Every ``data-src`` names a real source paragraph. Returns source -> id -> pages using it."""
    usage: dict[str, dict[str, list[Page]]] = {}
    ids = {slug: {i for i, _ in src.scan.ids} for slug, src in site.sources.items()}
    for page in site.pages:
        for ref, line in page.scan.refs:
            slug, _, para = ref.partition("#")
            if slug not in site.sources:
                errors.error(page.shown, line, f"data-src '{ref}': no source article '{slug}'"
                             f"{suggest_sorted(slug, site.sources)}")
            elif para not in ids[slug]:
                errors.error(page.shown, line, f"data-src '{ref}': {site.sources[slug].shown} has "
                             f"no paragraph #{para}")
            else:
                usage.setdefault(slug, {}).setdefault(para, []).append(page)
    return usage


def check_facts(site: Site, errors: Collector) -> None:
    """Figures, lists and terms must be quoted from their source: hand edits cannot drift."""
    texts: dict[str, str] = {}
    for page in site.pages:
        for key, fields in _FACT_FIELDS.items():
            for item in page.meta.get(key, []):
                line = item.line if isinstance(item, LineDict) else page.line(key)
                if not isinstance(item, LineDict):
                    errors.error(page.shown, line, f"each entry of '{key}' must be a mapping")
                    continue
                try:
                    values = check_fields(item, page.shown, fields, f"{key} entry")
                except SiteError as e:
                    errors.add(e)
                    continue
                missing = [k for k in _FACT_REQUIRED[key] if k not in values]
                if missing:
                    errors.error(page.shown, line, f"this {key} entry needs '{missing[0]}'")
                    continue
                problem = segment_problem(values["id"]) if "id" in values else None
                if problem:  # an id becomes part of HTML ids and #fragments
                    errors.error(page.shown, item.line_of("id"), f"{key[:-1]} id '{printable(values['id'])}' "
                                 f"{problem}; e.g. id: {example_name(values['id'], segment=True)}")
                    continue
                item.update(values)
                slug = values["source"].partition("#")[0]
                source = site.sources.get(slug)
                if source is None:
                    errors.error(page.shown, item.line_of("source"), f"source '{printable(values['source'])}': "
                                 f"no source article '{printable(slug)}'{suggest_sorted(slug, site.sources)}")
                    continue
                if slug not in texts:
                    texts[slug] = _source_text(site, source, errors)
                quoted = [values.get("text") or values.get("term", "")] + values.get("items", [])
                for q in quoted:
                    if q and _norm(q) not in texts[slug]:
                        errors.error(page.shown, item.line_of("text" if "text" in values else "term"),
                                     f"'{printable(q[:60])}' does not occur in the source article {slug}; "
                                     "quote the source exactly or run 'site-builder ingest --force'")
                        break
