"""The Markdown extensions of a site: ``markdown_extensions:`` in site.yaml (MkDocs' form, a list of
names or ``{name: {options}}``), added to a safe default set and checked before any page is read.

Only extensions whose output the sanitiser and the stash guard were tested with are accepted (a
table-driven test in tests/test_extensions.py); others are refused with the reason, e.g.
``pymdownx.snippets`` reads any file on the disk into a page."""
from __future__ import annotations

import importlib.util
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import SiteError
from .frontmatter import suggest_sorted

Extensions = tuple[tuple[str, Mapping[str, Any]], ...]

# Python-Markdown's own, then pymdown-extensions'; the defaults are all of the first line and tilde
# (strike-through only: '~x~' stays text, as in GitHub's Markdown) and tasklist
DEFAULTS: Extensions = tuple((name, MappingProxyType(opts)) for name, opts in (
    ("toc", {}), ("tables", {}), ("fenced_code", {}), ("codehilite", {"guess_lang": False}),
    ("admonition", {}), ("def_list", {}), ("abbr", {}), ("attr_list", {}), ("md_in_html", {}),
    ("footnotes", {}), ("sane_lists", {}), ("pymdownx.tilde", {"subscript": False}), ("pymdownx.tasklist", {}),
))
SUPPORTED = frozenset([name for name, _ in DEFAULTS] + [
    "smarty", "nl2br", "legacy_em", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.details", "pymdownx.caret", "pymdownx.mark", "pymdownx.betterem", "pymdownx.smartsymbols",
    "pymdownx.keys", "pymdownx.saneheaders"])
_EXTRA = ("abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables")  # 'extra'
_REFUSED = {
    "meta": "front matter (--- title: ... ---) holds a page's metadata",
    "wikilinks": "its [[links]] are never checked; write [text](page.md)",
    "pymdownx.snippets": "it copies any file of the disk into a page",
    "pymdownx.b64": "it reads any image of the disk into a page",
    "pymdownx.emoji": "its images come from another site",
    "pymdownx.progressbar": "it needs inline styles, which the sanitiser removes",
    "pymdownx.arithmatex": "it needs JavaScript (MathJax or KaTeX)",
}
# options that would put inline styles, another formatter or unhighlighted code into pages
_BAD_OPTIONS = {("codehilite", "noclasses"): True, ("pymdownx.highlight", "noclasses"): True,
                ("codehilite", "use_pygments"): False, ("pymdownx.highlight", "use_pygments"): False}
_NO_OPTIONS = ("pygments_formatter", "custom_fences", "custom_checkbox_class")
# highlighting: pymdownx.highlight (with superfences) replaces codehilite, as in Material for MkDocs
_REPLACES = {"pymdownx.highlight": "codehilite", "pymdownx.superfences": "codehilite"}


def short_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def parse_extensions(value: Any, where: str, line: int, text: str = "") -> Extensions:
    """The site's extensions: the defaults, then those of ``markdown_extensions`` (a list), each
    checked (name and options); an error names the line of the entry in ``text`` (site.yaml)."""
    if value is None:
        return DEFAULTS
    if not isinstance(value, list):
        raise SiteError(where, line, "markdown_extensions must be a list, e.g. markdown_extensions: "
                                     "[admonition, pymdownx.superfences]")
    chosen = {name: dict(opts) for name, opts in DEFAULTS}
    for item in value:
        name, options, at = _entry(item, where, line, text)
        if name == "extra":
            for part in _EXTRA:
                chosen.setdefault(part, {})
            continue
        _check(name, options, where, at)
        chosen[name] = {**chosen.get(name, {}), **options}
    for name, replaced in _REPLACES.items():
        if name in chosen:
            chosen.pop(replaced, None)
    return tuple((name, MappingProxyType(opts)) for name, opts in chosen.items())


def _entry(item: Any, where: str, line: int, text: str) -> tuple[str, dict, int]:
    if isinstance(item, str):
        return short_name(item), {}, _line_of(item, text, line)
    if isinstance(item, dict) and len(item) == 1:
        (name, options), = item.items()
        at = getattr(item, "line", line)
        if options is None:
            options = {}
        if isinstance(name, str) and isinstance(options, dict):
            return short_name(name), dict(options), at
    raise SiteError(where, getattr(item, "line", line), "each entry of markdown_extensions is a name or "
                    "'name: {option: value}', e.g.  - toc: {permalink: true}")


def _line_of(name: str, text: str, after: int) -> int:
    """The line of a list entry written as a bare name (YAML gives a string no line)."""
    for number, content in enumerate(text.splitlines()[after:], after + 1):
        if content.strip().lstrip("-[ ").startswith(name) or f" {name}" in content:
            return number
    return after


def _installed(name: str) -> bool:
    """Whether ``name`` is one of pymdown-extensions' modules (only that package is looked in: a
    name from site.yaml never imports anything else)."""
    if not name.startswith("pymdownx.") or not all(part.isidentifier() for part in name.split(".")):
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # (a parent that is a module, not a package)
        return False


def _check(name: str, options: dict, where: str, line: int) -> None:
    if name in _REFUSED:
        raise SiteError(where, line, f"the Markdown extension '{name}' is not supported: {_REFUSED[name]}")
    if name not in SUPPORTED:
        supported = ", ".join(sorted(SUPPORTED | {"extra"}))
        if _installed(name):  # (pymdownx.blocks.html: real, never a typo of pymdownx.keys)
            raise SiteError(where, line, f"the Markdown extension '{name}' is not supported: its output has not "
                            f"been tested with site_builder's sanitiser; supported: {supported}")
        raise SiteError(where, line, f"unknown Markdown extension '{name}'{suggest_sorted(name, SUPPORTED)}; "
                        f"supported: {supported}")
    known = _options_of(name)
    for key, option in options.items():
        if key in _NO_OPTIONS:
            raise SiteError(where, line, f"{name}: the option '{key}' is not supported: it needs Python code, "
                                         "or changes the HTML the sanitiser was tested with; remove it")
        if key not in known:
            raise SiteError(where, line, f"the Markdown extension '{name}' has no option '{key}'"
                            f"{suggest_sorted(key, known)}; its options: "
                            f"{', '.join(sorted(k for k in known if k not in _NO_OPTIONS))}")
        if _BAD_OPTIONS.get((name, key)) == option:
            raise SiteError(where, line, f"{name}: '{key}: {option}' is not supported: the theme's CSS colours "
                                         "highlighted code (Pygments classes, light and dark); remove it")
    _try(name, options, where, line)


def _options_of(name: str) -> set[str]:
    import markdown

    return set(markdown.Markdown().build_extension(name, {}).getConfigs())


def _try(name: str, options: dict, where: str, line: int) -> None:
    """Convert a sample with the extension and its options: a bad value fails here, not on a page."""
    import markdown

    sample = ("# A\n\n```python\na = 1\n```\n\n| a |\n|:-:|\n| b |\n\n- [x] t\n\n~~x~~ ^^x^^ ==x==\n\n"
              "!!! note\n    n\n\n??? note\n    d\n\nText[^1]\n\n[^1]: n\n")
    try:
        markdown.Markdown(extensions=[name], extension_configs={name: options}).convert(sample)
    except Exception as e:  # noqa: BLE001 -- any failure of a library given a bad value
        raise SiteError(where, line, f"the Markdown extension '{name}' refuses its options "
                                     f"({type(e).__name__}: {e}); see its documentation") from None
