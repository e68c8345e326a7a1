"""Ingest's side of the disk: the content pages it made before (recognised by their ``generated:``
hash, so a page edited by hand is never overwritten without ``--force``), and writing the new
ones, each atomically."""
from __future__ import annotations

from typing import Iterator

from ..errors import SiteError
from ..fs import remove_stale_temporaries, write_atomic
from ..model.config import Config
from ..model.frontmatter import parse_front_matter
from .pages import HASH_LINE, Planned, edited_by_hand


def generated_pages(config: Config) -> dict[str, str]:
    """Existing pages that ingest made (they carry ``generated:``): path → text."""
    found: dict[str, str] = {}
    if not config.content_dir.is_dir():
        return found
    for path in sorted(config.content_dir.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.startswith("---") and HASH_LINE.search(text.split("\n---", 2)[0] + "\n"):
            found[path.relative_to(config.content_dir).as_posix()] = text
    return found


def _source_pages(pages: dict[str, str]) -> Iterator[tuple[str, dict]]:
    """(path, front matter) of each existing source page whose front matter parses."""
    for rel, text in pages.items():
        if rel.startswith("sources/"):
            try:
                meta, _, _ = parse_front_matter(text, rel)
            except SiteError:
                continue
            yield rel, meta


def seed_slugs(pages: dict[str, str]) -> dict[str, str]:
    """Seed path → slug of its existing source page, so renaming a headline keeps URLs."""
    return {meta["seed"]: rel[len("sources/"):-3] for rel, meta in _source_pages(pages)
            if isinstance(meta.get("seed"), str)}


def ingested_addresses(pages: dict[str, str]) -> list[str]:
    """The original addresses of the articles ingested so far (their source pages' original_url)."""
    return [meta["original_url"] for _, meta in _source_pages(pages) if isinstance(meta.get("original_url"), str)]


def apply(config: Config, plans: list[Planned], existing: dict[str, str], everything: bool,
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
        report += [f"  {note}" for note in art.notes]
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
            remove_stale_temporaries(content)
        for rel, text in writes.items():
            write_atomic(content / rel, text)
        for rel in removals:
            (content / rel).unlink(missing_ok=True)
    except OSError as e:
        raise SiteError(config.shown(content), None, f"cannot write content pages: {e.strerror}") from None
    return report
