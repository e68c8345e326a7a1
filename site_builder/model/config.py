"""``site.yaml``: loaded once into a frozen Config with absolute paths."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import SiteError
from ..fs import read_text
from ..paths import link_problem, printable
from . import environ
from .extensions import DEFAULTS, Extensions, parse_extensions
from .frontmatter import check_fields, coerce, suggest
from .navconfig import NavEntry, parse_files, parse_nav
from .values import check_base_url, check_credit, check_language
from .yamlfile import LineDict, load_yaml

CONFIG_NAME = "site.yaml"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_FIELDS: dict[str, Any] = {
    "title": str, "description": str, "base_url": str, "language": str, "author": str,
    "copyright": str, "credit": str, "cname": str, "search": bool, "allow_html": bool,
    "content_dir": str, "seeds_dir": str, "templates_dir": str, "static_dir": str,
    "output_dir": str, "cache_dir": str, "themes": list, "default_theme": str, "extra": dict,
    "theme_figures": int,
    "paginate": int, "lastmod_from_git": bool, "nav": list, "extra_css": list, "extra_js": list,
    "markdown_extensions": list,
}
PAGINATE = 10        # items on a page of any list (theme hubs, sections, tags, the archive)
MAX_PAGINATE = 1000
_THEME_FIELDS: dict[str, Any] = {"id": str, "title": str, "summary": str, "keywords": None}


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    summary: str = ""
    # (phrase, weight): a paragraph scores the sum of the weights of the phrases it contains
    keywords: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    author: str = ""
    copyright: str = ""
    credit: str = ""              # shown on every source page: whose words these are, under what terms
    cname: str = ""
    search: bool = True
    allow_html: bool = False
    themes: tuple[Theme, ...] = ()
    default_theme: str = ""
    content_dir: Path = Path()
    seeds_dir: Path = Path()
    templates_dir: Path = Path()
    static_dir: Path = Path()
    output_dir: Path = Path()
    cache_dir: Path = Path()
    theme_figures: int = 12      # key figures a theme page shows; its figures page lists them all
    paginate: int = PAGINATE
    lastmod_from_git: bool = False  # a page's updated date from the last commit touching its file
    nav: tuple[NavEntry, ...] | None = None          # site.yaml's nav:, else None: made from content/
    extra_css: tuple[tuple[str, int], ...] = ()      # (file under static/ or URL, line in site.yaml)
    extra_js: tuple[tuple[str, int], ...] = ()
    markdown_extensions: Extensions = DEFAULTS  # (name, options) in order, the defaults first
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def roots(self) -> tuple[Path, ...]:
        """Where a symbolic link read by a build may lead: the project, and any input folder
        that site.yaml itself places outside it."""
        inputs = (self.content_dir, self.seeds_dir, self.templates_dir, self.static_dir)
        return (self.root, *(d for d in inputs if not d.is_relative_to(self.root)))

    def shown(self, path: Path | str) -> str:
        """A path as messages print it: relative to the site root when inside it."""
        p = Path(path)
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return str(p)


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _keywords(value: Any, where: str, line: int) -> tuple[tuple[str, float], ...]:
    """A list of phrases, a mapping phrase: weight, or per language one of those
    (``{en: {...}, zh: [...]}``); a phrase matches in any paragraph whatever its language."""
    if isinstance(value, dict) and value and all(isinstance(v, (list, dict)) for v in value.values()):
        out: list[tuple[str, float]] = []
        for lang, group in value.items():
            at = value.line_of(lang) if isinstance(value, LineDict) else line
            if not _LANGUAGE.match(str(lang)):
                raise SiteError(where, at, f"keywords: '{lang}' is not a language code (en, zh, zh-Hant…); "
                                           "write  keywords: {en: [...], zh: [...]}  or one list of phrases")
            out += [k for k in _keyword_group(group, where, at) if k not in out]
        return tuple(out)
    return _keyword_group(value, where, line)


def _keyword_group(value: Any, where: str, line: int) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        items = [(k, 1.0) for k in coerce(value, [str], where, line, "keywords")]
    elif isinstance(value, dict):
        items = [(str(k), coerce(v, float, where, value.line_of(k) if isinstance(value, LineDict) else line,
                                 f"keywords: {k}")) for k, v in value.items()]
    else:
        raise SiteError(where, line, "'keywords' must be a list of phrases or a mapping "
                                     "of phrase: weight")
    return tuple((k.strip().lower(), w) for k, w in items if k.strip())


def _themes(raw: list, data: LineDict, where: str) -> tuple[Theme, ...]:
    themes: list[Theme] = []
    line = data.line_of("themes")
    for item in raw:
        if not isinstance(item, LineDict):
            raise SiteError(where, line, "each theme must be a mapping with id and title")
        fields = {k: v for k, v in item.items()}
        for key in fields:
            if key not in _THEME_FIELDS:

                raise SiteError(where, item.line_of(key),
                                f"unknown theme key '{key}'{suggest(key, _THEME_FIELDS)}")
        if "id" not in fields or "title" not in fields:
            raise SiteError(where, item.line, "a theme needs both 'id' and 'title'")
        tid = coerce(fields["id"], str, where, item.line_of("id"), "id")
        if not SLUG_RE.match(tid):
            raise SiteError(where, item.line_of("id"), f"theme id '{tid}' must be lowercase "
                                                       "letters, digits and hyphens")
        if any(t.id == tid for t in themes):
            raise SiteError(where, item.line_of("id"), f"theme id '{tid}' is used twice")
        themes.append(Theme(
            id=tid,
            title=coerce(fields["title"], str, where, item.line_of("title"), "title"),
            summary=coerce(fields.get("summary") or "", str, where, item.line_of("summary"), "summary"),
            keywords=_keywords(fields.get("keywords"), where, item.line_of("keywords")),
        ))
    return tuple(themes)


def _count(values: dict, data: LineDict, key: str, default: int) -> int:
    n = values.get(key, default)
    if n < 1:
        raise SiteError(CONFIG_NAME, data.line_of(key), f"{key} must be at least 1, not {n}; e.g. {key}: {default}")
    return n


def find_root(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    return None


def load_config(root: Path, base_url: str | None = None) -> Config:
    """Read ``root/site.yaml``; ``SITE_BUILDER_<KEY>`` variables override its keys, and ``base_url``
    (from the command line) overrides both."""
    root = root.resolve()
    path = root / CONFIG_NAME
    text, data = _read(root, path, CONFIG_NAME)
    names = environ.apply(data, _FIELDS)
    try:
        return _config(root, path, data, base_url, text)
    except SiteError as e:
        raise environ.named(e, CONFIG_NAME, names) from None


def _config(root: Path, path: Path, data: LineDict, base_url: str | None, text: str) -> Config:
    where = CONFIG_NAME
    values = check_fields(data, where, _FIELDS, "site.yaml")
    if not values.get("title"):
        raise SiteError(where, 1, "'title' is required: add  title: My site")
    url = base_url if base_url is not None else values.get("base_url", "http://127.0.0.1:8000/")
    url = check_base_url(url, "--base-url" if base_url is not None else where,
                         None if base_url is not None else data.line_of("base_url"))
    themes = _themes(values.get("themes", []), data, where)
    default_theme = values.get("default_theme") or (themes[0].id if themes else "")
    if themes and not any(t.id == default_theme for t in themes):
        raise SiteError(where, data.line_of("default_theme"), f"default_theme '{default_theme}' "
                        f"is not a theme id{suggest(default_theme, [t.id for t in themes])}")
    folders = _folders(root, values, data, where)
    paginate = values.get("paginate", PAGINATE)
    if not 1 <= paginate <= MAX_PAGINATE:
        raise SiteError(where, data.line_of("paginate"), f"paginate is {paginate}: it is how many items a page "
                        f"of a list shows, from 1 to {MAX_PAGINATE}; e.g. paginate: {PAGINATE}")
    return Config(
        root=root, path=path, title=values["title"], base_url=url,
        description=values.get("description", ""),
        language=check_language(values.get("language", "en"), where, data.line_of("language")),
        author=values.get("author", ""), copyright=values.get("copyright", ""),
        credit=check_credit(values.get("credit", ""), where, data.line_of("credit")),
        cname=values.get("cname", ""), search=values.get("search", True),
        allow_html=values.get("allow_html", False), themes=themes, default_theme=default_theme,
        **folders, theme_figures=_count(values, data, "theme_figures", 12), paginate=paginate,
        lastmod_from_git=values.get("lastmod_from_git", False),
        nav=parse_nav(values.get("nav"), data, text, where),
        extra_css=parse_files(values.get("extra_css"), data, text, where, "extra_css"),
        extra_js=parse_files(values.get("extra_js"), data, text, where, "extra_js"),
        markdown_extensions=parse_extensions(values.get("markdown_extensions"), where,
                                             data.line_of("markdown_extensions"), text),
        extra=MappingProxyType(dict(values.get("extra", {}))),
    )


def _read(root: Path, path: Path, where: str) -> tuple[str, LineDict]:
    if not path.is_file():
        raise SiteError(where, None, f"no {CONFIG_NAME} in {root}; run 'site-builder new DIR' "
                                     "to start a site, or -C DIR to point at one")
    problem = link_problem(path, [root])
    if problem:
        raise SiteError(where, None, problem)
    text = read_text(path, where)
    data = load_yaml(text, where, what=CONFIG_NAME)
    if data is None:
        data = LineDict(line=1)
    if not isinstance(data, LineDict):
        raise SiteError(where, 1, f"{CONFIG_NAME} must be 'key: value' lines")
    return text, data


def _folder(root: Path, values: dict[str, Any], data: LineDict, where: str, key: str, default: str) -> Path:
    value = values.get(key, default)
    # a name the operating system refuses would surface as an OSError on first use
    names = re.split(r"[/\\]", value)
    if any(ch < " " for ch in value) or any(len(n.encode("utf-8", "surrogatepass")) > 255 for n in names):
        raise SiteError(where, data.line_of(key), f"{key} '{printable(value)}' is not a folder name the "
                        f"system accepts (a control character, or a name over 255 bytes); e.g. {key}: {default}")
    lexical = Path(os.path.normpath(root / value))
    if key != "output_dir" and lexical.is_relative_to(root):
        # inside the project by its name: it must not be a link to elsewhere
        problem = link_problem(lexical, [root])
        if problem:
            raise SiteError(lexical.relative_to(root).as_posix(), None, problem)
    return lexical.resolve()


def _folders(root: Path, values: dict[str, Any], data: LineDict, where: str) -> dict[str, Path]:
    """The site's folders, none inside another in a way a build would destroy or publish."""
    line = data.line_of("output_dir")
    output_dir = _folder(root, values, data, where, "output_dir", "_site")
    found = {"output_dir": output_dir}
    for key in ("content_dir", "seeds_dir", "templates_dir", "static_dir"):
        d = found[key] = _folder(root, values, data, where, key, key[:-4])
        if d == output_dir:
            raise SiteError(where, line, f"output_dir is the same folder as {key}; a build would overwrite it")
        if output_dir.is_relative_to(d):
            raise SiteError(where, line, f"output_dir is inside {key}, which the build "
                            "reads: every build would copy the last one into itself; put it beside it, "
                            "e.g. output_dir: _site")
        if d.is_relative_to(output_dir):
            raise SiteError(where, line, f"{key} is inside output_dir; a build would replace it")
    if output_dir == root or root.is_relative_to(output_dir):
        raise SiteError(where, line, "output_dir must be a folder inside or beside the site, not the site itself")
    cache_dir = found["cache_dir"] = _folder(root, values, data, where, "cache_dir", ".cache")
    if cache_dir.is_relative_to(output_dir):
        raise SiteError(where, data.line_of("cache_dir" if "cache_dir" in values else "output_dir"),
                        "cache_dir is inside output_dir: the cache would be published with the site; "
                        "put it outside, e.g. cache_dir: .cache")
    return found
