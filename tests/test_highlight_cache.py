"""Highlighted blocks cached by content (issue 16's speed section): codehilite's fenced and indented
blocks, and pymdownx.highlight's for superfences, inlinehilite and indented code, each highlighted by
Pygments once a process for its text, language, options and settings; the output is the stock
extensions' own."""
import uuid

import markdown
import pytest
from pygments.formatters.html import HtmlFormatter

from site_builder.model.extensions import parse_extensions
from site_builder.render.highlight import CachedCodeHilite, CachedHighlightExtension
from site_builder.render.markdown import Converter

TEXTS = [
    '```python hl_lines="1"\na = 1\nb = 2\n```',
    '```{.py linenums="3 2" title="A title" #ident .extra data-x="1"}\nx < y & z\n```',
    '```{.py title="<b>T</b>" title_mode="html"}\nx\n```',
    "    x = 1\n    y = 2\n",
    "    :::python hl_lines='2'\n    x = 1\n    y = 2\n",
    "    #!python\n    x = 1\n",
    "`#!python a = 1` and `plain` and `#!js var b;`",
    "- a list\n\n    ```js\n    var a;\n    ```\n\n    ~~~\n    nested\n    ~~~\n",
    "```\n```\n\n```nosuchlang\n<b>\n```\n\ntwo blocks:\n\n```python\na = 1\n```\n\n```python\na = 1\n```",
]
HIGHLIGHT_OPTIONS = [{}, {"linenums": True, "line_anchors": "L", "line_spans": "S", "anchor_linenums": True},
                     {"auto_title": True, "pygments_lang_class": True, "default_lang": "python"},
                     {"auto_title": True, "auto_title_map": {"Python": {"title": "<i>Py</i>", "mode": "html"}}},
                     {"use_pygments": False, "code_attr_on_pre": True}]


def _pair(extensions: list[str], options: dict) -> tuple[markdown.Markdown, markdown.Markdown]:
    """Python-Markdown with the stock extensions, and with the cached highlighters."""
    configs = {"pymdownx.highlight": options} if options else {}
    stock = markdown.Markdown(extensions=["attr_list", *extensions], extension_configs=configs)
    cached = CachedHighlightExtension(**options) if "pymdownx.highlight" in extensions else \
        CachedHighlightExtension(_enabled=False)  # (as superfences and inlinehilite register it)
    ours = markdown.Markdown(extensions=["attr_list", cached, *[e for e in extensions if e != "pymdownx.highlight"]])
    return stock, ours


@pytest.mark.parametrize("extensions", [["pymdownx.superfences"], ["pymdownx.superfences", "pymdownx.highlight"],
                                        ["pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite"],
                                        ["pymdownx.inlinehilite"], ["pymdownx.highlight"]])
@pytest.mark.parametrize("options", range(len(HIGHLIGHT_OPTIONS)))
def test_the_cached_pymdownx_highlighter_gives_the_stock_output(extensions, options):
    if "pymdownx.highlight" not in extensions and options:
        pytest.skip("options belong to pymdownx.highlight")
    stock, ours = _pair(extensions, HIGHLIGHT_OPTIONS[options])
    for text in TEXTS:
        expected = stock.reset().convert(text)
        assert ours.reset().convert(text) == expected, text
        assert ours.reset().convert(text) == expected, text  # from the cache


@pytest.mark.parametrize("options", [{}, {"linenums": True}, {"css_class": "hl", "guess_lang": False},
                                     {"use_pygments": False}])
def test_the_cached_codehilite_gives_the_stock_output(options):
    stock = markdown.Markdown(extensions=["fenced_code", "codehilite"], extension_configs={"codehilite": options})
    ours = markdown.Markdown(extensions=["fenced_code", CachedCodeHilite(**options)])
    for text in TEXTS:
        expected = stock.reset().convert(text)
        assert ours.reset().convert(text) == expected, text
        assert ours.reset().convert(text) == expected, text


@pytest.fixture
def pygments_calls(monkeypatch) -> list:
    """Every block Pygments formats as HTML, counted."""
    calls: list = []
    original = HtmlFormatter.format_unencoded

    def counting(self, tokens, out):
        calls.append(self)
        return original(self, tokens, out)

    monkeypatch.setattr(HtmlFormatter, "format_unencoded", counting)
    return calls


CONFIGS = {"default": None, "superfences": ["pymdownx.superfences"],
           "highlight": [{"pymdownx.highlight": {"linenums": True}}, "pymdownx.superfences", "pymdownx.inlinehilite"]}


FENCE, ATTRS = "```python\n{}\n```", '```{{.python hl_lines="1" #ident data-x="y"}}\n{}\n```'


@pytest.mark.parametrize(("config", "shape"), [
    ("default", FENCE), ("default", ATTRS), ("default", "    :::python\n    {}\n"),
    ("superfences", FENCE), ("superfences", ATTRS), ("superfences", "- item\n\n    ```python\n    {}\n    ```"),
    ("highlight", FENCE), ("highlight", ATTRS), ("highlight", "`#!python {}`"), ("highlight", "    {}\n")])
def test_a_block_is_highlighted_once_a_process(config, shape, pygments_calls):
    name = f"name_{uuid.uuid4().hex}"
    code = f"{name} = 1"  # a block no other test highlighted
    text = f"Some text.\n\n{shape.format(code)}\n"
    extensions = parse_extensions(CONFIGS[config], "site.yaml", 1)
    pygments_calls.clear()  # (parse_extensions tries each extension on a sample)
    first = Converter(False, extensions).convert(text)
    assert name in first[0] and 'class="highlight' in first[0] or 'class="codehilite' in first[0]
    assert len(pygments_calls) == 1
    again = Converter(False, extensions).convert(text)  # another converter, as another page
    assert again == first
    assert len(pygments_calls) == 1
