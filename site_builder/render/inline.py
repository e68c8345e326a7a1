"""The fast inline pass: Python-Markdown's own, trying on each piece of text only the patterns that
can match it. It overrides a name-mangled private method of ``InlineProcessor`` and calls another,
so it is switched on only when both exist with the shape it was written against *and* it gives the
stock pass's output on pages that use every inline pattern (``fast_inline_problem``, once a
process). Otherwise the stock pass runs, with one warning: pages are the same, only slower."""
from __future__ import annotations

import functools
import inspect
import re
import warnings
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import DelimiterProcessor, ImageInlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString
from pymdownx.delimiterprocessor import DelimiterProcessor as PymdownxDelimiters

from ..errors import SiteWarning

# Python-Markdown's inline patterns, each with the text it cannot match without
PATTERNS = (("backtick", "`"), ("escape", "\\"), ("footnote", "[^"), ("reference", "["), ("link", "["),
            ("short_reference", "["), ("image_link", "!["), ("image_reference", "!["),
            ("short_image_ref", "!["), ("autolink", "<"), ("automail", "<"), ("html", "<"),
            ("linebreak", "  \n"), ("entity", "&"), ("em_strong", "*", "_"))
# patterns that make a link only from a reference definition ('[r]: url'): on a page without any
# they never change the text (an undefined reference is left as it is)
REFERENCES = ("reference", "short_reference", "image_reference", "short_image_ref")

# the private methods used, with the parameters they had in the versions tested (pyproject.toml)
PRIVATE = {"_InlineProcessor__handleInline": ["self", "data", "patternIndex"],
           "_InlineProcessor__applyPattern": ["self", "pattern", "data", "patternIndex", "startIndex"]}

# pages on which the fast pass must give the stock output: together they use every pattern in
# PATTERNS, several matches in one text (the search resumes after each), and nesting
SELF_TEST = (
    "Plain *em*, **strong**, _under_, __both__ and ***all***, `code`, \\*escaped\\*, an entity &amp; "
    "&#169;, <span>a tag</span>, <https://example.org/> and <me@example.org>, a break  \nhere, a note[^1].\n\n"
    "[^1]: The *note*.",
    '[a link](a.md "t"), [ref][r], [r], [r][] and ![an image](i.png "t"), ![ref][r], ![r], '
    "**[bold](b.md)** and [*em*](c.md), `[not](a link)`; then *x* [y](y.md) *z* `w` [v](v.md) _u_.\n\n"
    '[r]: https://example.org/r "R"',
    "| a | *b* |\n|---|---|\n| `c` | [d](d.md) &lt; |\n\nA paragraph *with* attributes\n{: #p .c }\n\n"
    "> quoted **text** and [a](a.md)\n\n- a *list*\n- with [links](l.md)",
    "No definitions: [a][b], [c][], [d], ![e][f], ![g] and [h](h.md) ~~x~~ [i][] *j*",
)


class FastInlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass, trying on each piece of text only the patterns that can
    match it: most text has no '[', '`' or '<', and each pattern tried costs a Python call.
    The same output (the self-test, and a property test), in about two thirds of the time."""

    calls = 0  # pages processed, in this process: a test sees the fast pass is the one running
    plans = 0  # times the patterns' needs were worked out, in this process (a test sees they are kept)

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._patterns: list = []
        self._key: tuple = ()  # (whether the page defines references, *patterns) of self._needs
        self._needs: list[tuple[str, ...] | None] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        FastInlineProcessor.calls += 1
        self.handled = 0  # texts this page: the self-test sees Markdown calls the override
        # the patterns as a list (a registry looks its sorting up on each index) and their needs,
        # worked out again only when they or the page's having references change
        self._patterns = list(self.inlinePatterns)
        key = (bool(self.md.references), *self._patterns)
        if key != self._key:
            FastInlineProcessor.plans += 1
            self._key, self._needs = key, _needs(self.inlinePatterns, key[0])
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        # InlineProcessor.__handleInline, with the check on each pattern's trigger text added
        self.handled += 1
        if not isinstance(data, AtomicString):
            apply, patterns, needs = self._InlineProcessor__applyPattern, self._patterns, self._needs
            start, count = 0, len(patterns)
            while patternIndex < count:
                marks = needs[patternIndex]
                # after a match only the rest of the text (from start) is searched: searching all of
                # it again after each match made a long paragraph quadratic ('in' is the fast case;
                # no marks: never)
                if marks is not None and (not marks or (
                        (marks[0] not in data and marks[1] not in data) if not start else
                        (data.find(marks[0], start) < 0 and data.find(marks[1], start) < 0))):
                    patternIndex, start = patternIndex + 1, 0
                    continue
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


class _QuickBrackets:
    """A link's ``getText`` and ``getLink`` (Python-Markdown's walk the text a character at a time,
    counting brackets, parentheses and quotes) that first look for the simple case, ``[text]`` without
    another '[' and ``(url)`` without '(' or a quote, whose result the walk is known to give; any
    other text is walked as before."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        close = data.find("]", index)
        if close >= 0 and data.find("[", index, close) < 0:
            return data[index:close], close + 1, True
        return super().getText(data, index)  # type: ignore[misc]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        m = self.RE_LINK.match(data, pos=index)  # type: ignore[attr-defined]
        if m and not m.group(1):  # ('<url>' is the stock regular expression's case)
            start = m.end()
            close = data.find(")", start)
            if close >= 0 and not _OPENS_OR_QUOTES.search(data, start, close):
                return self.unescape(data[start:close]).strip(), None, close + 1, True  # type: ignore[attr-defined]
        return super().getLink(data, index)  # type: ignore[misc]


_OPENS_OR_QUOTES = re.compile("[(\"']")


class QuickLink(_QuickBrackets, LinkInlineProcessor):
    pass


class QuickImageLink(_QuickBrackets, ImageInlineProcessor):
    pass


# name: (stock class, quick class, Python-Markdown's priority)
QUICK_LINKS = {"link": (LinkInlineProcessor, QuickLink, 160), "image_link": (ImageInlineProcessor, QuickImageLink, 150)}


def quicken_links(md: markdown.Markdown) -> None:
    """The link and image patterns, where exactly the stock classes, replaced by the quick ones."""
    reg = md.inlinePatterns
    for name, (stock, quick, priority) in QUICK_LINKS.items():
        if name in reg and type(reg[name]) is stock:
            reg.register(quick(reg[name].pattern, md), name, priority)


def _needs(reg: markdown.util.Registry, references: bool) -> list[tuple[str, ...] | None]:
    """For each inline pattern, two texts without which it cannot change a piece of text (None:
    always try it; (): never): PATTERNS' marks, the tokens of a delimiter processor with one or
    two (emphasis; pymdownx's tilde), and never REFERENCES on a page without a reference
    definition."""
    needs: list[tuple[str, ...] | None] = [None] * len(reg)
    for name, *marks in PATTERNS:
        if name in reg:
            needs[reg.get_index_for_name(name)] = (marks[0], marks[-1])
    for i, pattern in enumerate(reg):
        if isinstance(pattern, (DelimiterProcessor, PymdownxDelimiters)) and 0 < len(pattern.tokens) <= 2:
            needs[i] = (pattern.tokens[0], pattern.tokens[-1])
    if not references:
        for name in REFERENCES:
            if name in reg:
                needs[reg.get_index_for_name(name)] = ()
    return needs


def _shape_problem() -> str | None:
    for name, params in PRIVATE.items():
        shown = "InlineProcessor." + name.partition("InlineProcessor")[2]
        method = getattr(InlineProcessor, name, None)
        if method is None:
            return f"it has no {shown}"
        found = list(inspect.signature(method).parameters)
        if found != params:
            return f"its {shown} takes ({', '.join(found)}), not ({', '.join(params)})"
    return None


def _self_test_problem() -> str | None:
    """The fast pass against the stock one on SELF_TEST, in a configuration like the converter's."""
    def make(fast: bool) -> tuple[markdown.Markdown, FastInlineProcessor | None]:
        # (instances: by name, Python-Markdown would scan every package's entry points first)
        md = markdown.Markdown(extensions=[FootnoteExtension(), AttrListExtension(), TableExtension()])
        proc = FastInlineProcessor(md) if fast else None
        if proc is not None:
            md.treeprocessors.register(proc, "inline", 20)
        return md, proc

    (stock, _), (fast, proc) = make(False), make(True)
    for text in SELF_TEST:
        if fast.reset().convert(text) != stock.reset().convert(text):
            return f"its output differs from the stock pass's on {text[:40]!r}…"
    if not getattr(proc, "handled", 0):
        return "InlineProcessor no longer calls __handleInline"
    return None


@functools.lru_cache(maxsize=None)
def fast_inline_problem() -> str | None:
    """Why the fast inline pass cannot be used with the installed Python-Markdown (warned once a
    process), or None when it can."""
    problem = _shape_problem() or _self_test_problem()
    if problem:
        warnings.warn(SiteWarning(
            f"the fast Markdown inline pass is off: Python-Markdown {markdown.__version__} differs from the "
            f"versions it was tested with ({problem}); pages are the same, only slower"), stacklevel=2)
    return problem
