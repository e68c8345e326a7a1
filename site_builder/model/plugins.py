"""Lines written for MkDocs plugins and extensions that site_builder has not: mkdocstrings'
``::: package.module`` (API documentation generated from source code), mkdocs-click's
``::: mkdocs-click``, pymdownx.blocks' ``/// name | title`` and pymdownx.snippets' ``--8<-- "file"``
(refused: extensions.py). MkDocs without them shows such a
line as text, silently; site_builder shows it as text too, and says so (the pre-scan finds the
lines: ``scan.Scan.directives``)."""
from __future__ import annotations

from ..errors import Collector
from ..paths import printable
from .pages import Page

_AUTODOC = ("mkdocstrings' syntax (API documentation generated from source code by a MkDocs plugin), which "
            "site_builder does not run", "write that documentation out")
_CLICK = ("the mkdocs-click extension's syntax (a command-line reference generated from the program's code), "
          "which site_builder does not run", "write that documentation out")
_BLOCKS = ("pymdownx.blocks' syntax (a generic block, '/// name | title' ... '///'), which site_builder does not "
           "support", "write the block in Markdown (an admonition, details, or HTML with allow_html)")


_SNIPPETS = ("pymdownx.snippets' syntax (another file's text included here), which site_builder does not run: "
             "it could copy any file of the disk into a page", "copy the text in")


def _kind(directive: str) -> tuple[str, str]:
    if directive.startswith("/"):
        return _BLOCKS
    if directive.startswith("-"):
        return _SNIPPETS
    return _CLICK if directive[3:].strip() == "mkdocs-click" else _AUTODOC


def warn_plugin_lines(page: Page, errors: Collector) -> None:
    """One warning a page for each kind of line, at its first line: an API page holds dozens."""
    kinds: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for directive, line in page.scan.directives:
        kinds.setdefault(_kind(directive), []).append((directive, line))
    for (syntax, advice), found in kinds.items():
        (directive, line), more = found[0], len(found) - 1
        shown = f"'{printable(directive[:60])}'"
        if not more:
            errors.warn(page.shown, line, f"{shown} is {syntax}; the line is shown as text: {advice}, or "
                                          "remove the line")
        else:
            errors.warn(page.shown, line, f"{shown} and {more} more such line{'s' * (more > 1)} (to line "
                                          f"{found[-1][1]}) are {syntax}; they are shown as text: {advice}, "
                                          "or remove them")
