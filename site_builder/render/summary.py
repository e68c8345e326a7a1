"""``page.summary`` of a page without ``summary:`` in its front matter: the first paragraph of its
rendered text, as plain text (the template escapes it), cut at a word near ``MAX_SUMMARY``."""
from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_SUMMARY = 300   # characters: about two sentences, what a list or a meta description shows
# marks the renderer adds inside a paragraph, which are not its words: a footnote number, a
# provenance mark (¶3), a source page's "Used in" note
_SKIPPED_CLASSES = frozenset({"prov", "used-in", "footnote-ref"})
_PARAGRAPH = re.compile(r"<p[\s>]")
_VOID = frozenset({"br", "img", "wbr", "input", "hr", "area", "col", "embed", "source", "track"})


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0          # inside the first <p>: its element depth, 0 before it
        self.skip = 0           # inside an element whose text is left out: its depth
        self.done = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or tag in _VOID:
            return
        if self.depth:
            self.depth += 1
            classes = set((dict(attrs).get("class") or "").split())
            if not self.skip and (tag == "sup" or classes & _SKIPPED_CLASSES):
                self.skip = self.depth
        elif tag == "p":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.done or not self.depth or tag in _VOID:
            return
        if self.skip == self.depth:
            self.skip = 0
        self.depth -= 1
        if self.depth == 0:
            self.done = bool("".join(self.text).strip())  # an empty paragraph is not the first one

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and not self.done:
            self.text.append(data)


def first_paragraph(html: str, limit: int = MAX_SUMMARY) -> str:
    """The plain text of the first non-empty paragraph of ``html``, at most ``limit`` characters
    (cut at a word, with '…')."""
    parser = _FirstParagraph()
    found = _PARAGRAPH.search(html)
    # fed a piece at a time: the first paragraph is near the top, and a page may be megabytes long
    for at in range(found.start() if found else len(html), len(html), 4096):
        parser.feed(html[at:at + 4096])
        if parser.done:
            break
    text = " ".join("".join(parser.text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:") + "…"
