"""``site-builder new page PATH``: a page started from an archetype, as Hugo's ``hugo new``.

The archetype is ``archetypes/<section>.md`` for a page in ``content/<section>/``, else
``archetypes/default.md``, else the built-in one. It is Markdown with front matter in which
``{{ title }}``, ``{{ date }}``, ``{{ slug }}`` and ``{{ section }}`` are replaced (plain text, never
evaluated: an archetype is not a template); the result is checked as a page before it is written.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from ..errors import SiteError
from ..fs import read_text
from ..model.config import Config
from ..model.frontmatter import parse_front_matter
from ..paths import link_problem, path_problem, printable

BUILT_IN = """\
---
title: "{{ title }}"
date: {{ date }}
draft: true
---
"""
ARCHETYPES = "archetypes"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def title_of(name: str) -> str:
    """'my-first_post' → 'My first post' (a file name has no quotes or backslashes: the path policy)."""
    words = name.replace("-", " ").replace("_", " ").split()
    text = " ".join(words) or "Untitled"
    return text[0].upper() + text[1:]


def content_path(config: Config, path: str) -> str:
    """``path`` (from the working folder) as a path inside content/, or an error saying where pages go."""
    full = Path(os.path.abspath(path))
    content = config.content_dir
    shown_content = config.shown(content)
    if not full.is_relative_to(content) or full == content:
        given = Path(path)
        hint = (f"; did you mean {shown_content}/{given.as_posix()}?"
                if not given.is_absolute() and ".." not in given.parts else "")
        raise SiteError(path, None, f"is outside {shown_content}/, where pages live; e.g. site-builder new page "
                                    f"{shown_content}/posts/my-post.md{hint}")
    rel = full.relative_to(content).as_posix()
    if not rel.endswith(".md"):
        raise SiteError(path, None, f"a page is a Markdown file ending in .md, e.g. {shown_content}/{rel}.md")
    problem = path_problem(rel)
    if problem:
        raise SiteError(path, None, f"'{printable(rel)}' {problem}; choose another name")
    return rel


def archetype(config: Config, rel: str) -> tuple[str, str]:
    """(the archetype's text, how messages name it) for the page ``rel`` of content/."""
    section = rel.split("/", 1)[0] if "/" in rel else ""
    folder = config.root / ARCHETYPES
    for name in ([f"{section}.md"] if section else []) + ["default.md"]:
        path = folder / name
        if path.is_file():
            shown = config.shown(path)
            return read_text(path, shown), shown
    return BUILT_IN, "the built-in archetype"


def fill(text: str, values: dict[str, str], shown: str) -> str:
    def one(m: re.Match) -> str:
        if m.group(1) not in values:
            line = text.count("\n", 0, m.start()) + 1
            raise SiteError(shown, line, f"unknown placeholder {m.group(0)}; an archetype may use "
                                         + ", ".join("{{ %s }}" % k for k in values))
        return values[m.group(1)]
    return _PLACEHOLDER.sub(one, text)


def new_page(config: Config, path: str, now: dt.datetime | None = None) -> tuple[Path, str]:
    """Write a new page at ``path`` from its archetype; (the file, the archetype's name)."""
    from ..model.pages import FIELDS
    from ..model.frontmatter import check_fields

    rel = content_path(config, path)
    target = config.content_dir / rel
    if target.exists() or target.is_symlink():
        raise SiteError(config.shown(target), None, "already exists; choose another name (nothing was written)")
    existing = next(p for p in (target.parent, *target.parent.parents) if p.exists())
    problem = link_problem(existing, config.roots())  # a folder linked out of the project: never written into
    if problem:
        raise SiteError(config.shown(existing), None, problem)
    text, shown = archetype(config, rel)
    stem = rel.rsplit("/", 1)[-1][:-3]
    name = rel.rsplit("/", 2)[-2] if stem in ("index", "_index", "README") and "/" in rel else stem
    section = rel.rsplit("/", 1)[0] if "/" in rel else ""
    day = (now or dt.datetime.now(dt.timezone.utc)).date().isoformat()
    page = fill(text, {"title": title_of(name), "date": day, "slug": name, "section": section}, shown)
    data, _, _ = parse_front_matter(page, shown)  # a broken archetype is named, and nothing is written
    check_fields(data, shown, FIELDS, "front matter")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:  # "x": never over a file made meanwhile
            f.write(page)
    except FileExistsError:
        raise SiteError(config.shown(target), None, "already exists; choose another name (nothing was written)") from None
    except OSError as e:
        raise SiteError(config.shown(target), None, f"cannot write the page: {e.strerror}") from None
    return target, shown
