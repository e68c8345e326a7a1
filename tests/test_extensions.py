"""Markdown extensions (issue 16): ``markdown_extensions:`` in site.yaml, checked with the file and
line of a mistake; every supported extension's typical output survives the sanitiser, and a hostile
payload through each never reaches the page as markup."""
from html.parser import HTMLParser

import pytest

from site_builder.errors import SiteError
from site_builder.model.config import load_config
from site_builder.model.extensions import DEFAULTS, SUPPORTED, parse_extensions
from site_builder.render.markdown import Converter

from conftest import page, run


def convert(text: str, extra: list | None = None, allow_html: bool = False) -> str:
    return Converter(allow_html, parse_extensions(extra, "site.yaml", 1)).convert(text)[0]


# --- site.yaml ------------------------------------------------------------------------------------

def test_the_defaults_when_site_yaml_names_none(site):
    config = load_config(site())
    assert config.markdown_extensions == DEFAULTS
    names = [name for name, _ in DEFAULTS]
    for name in ("admonition", "def_list", "abbr", "attr_list", "md_in_html", "footnotes", "tables",
                 "fenced_code", "toc", "codehilite", "pymdownx.tasklist", "pymdownx.tilde"):
        assert name in names


def test_mkdocs_form_names_and_options_are_added_to_the_defaults(site):
    root = site(config="title: T\nmarkdown_extensions:\n  - pymdownx.details\n  - toc:\n      permalink: true\n"
                       "  - markdown.extensions.smarty\n")
    chosen = dict(load_config(root).markdown_extensions)
    assert dict(chosen["toc"]) == {"permalink": True}
    assert "pymdownx.details" in chosen and "smarty" in chosen and "admonition" in chosen


def test_superfences_replaces_codehilite(site):
    chosen = dict(load_config(site(config="title: T\nmarkdown_extensions: [pymdownx.superfences]\n"))
                  .markdown_extensions)
    assert "pymdownx.superfences" in chosen and "codehilite" not in chosen


@pytest.mark.parametrize("yaml_text,message", [
    ("markdown_extensions:\n  - admonition\n  - footnote\n",
     "site.yaml:4: unknown Markdown extension 'footnote' (did you mean 'footnotes'?); supported: "),
    ("markdown_extensions:\n  - toc:\n      permalinks: true\n",
     "site.yaml:3: the Markdown extension 'toc' has no option 'permalinks' (did you mean 'permalink'?); "
     "its options: "),
    ("markdown_extensions:\n  - pymdownx.highlight:\n      pygments_formatter: img\n",
     "site.yaml:3: pymdownx.highlight: the option 'pygments_formatter' is not supported"),
    ("markdown_extensions:\n  - toc:\n      toc_depth: deep\n",
     "site.yaml:3: the Markdown extension 'toc' refuses its options (ValueError: "),
    ("markdown_extensions:\n  - pymdownx.snippets\n",
     "site.yaml:3: the Markdown extension 'pymdownx.snippets' is not supported: it copies any file of the "
     "disk into a page"),
    ("markdown_extensions:\n  - pymdownx.blocks.html\n",   # it exists: not 'unknown', no did-you-mean
     "site.yaml:3: the Markdown extension 'pymdownx.blocks.html' is not supported: its output has not been "
     "tested with site_builder's sanitiser; supported: abbr, admonition, "),
    ("markdown_extensions:\n  - pymdownx.highlite\n",
     "site.yaml:3: unknown Markdown extension 'pymdownx.highlite' (did you mean 'pymdownx.highlight'?)"),
    ("markdown_extensions:\n  - codehilite:\n      noclasses: true\n",
     "site.yaml:3: codehilite: 'noclasses: True' is not supported: the theme's CSS colours highlighted code"),
    ("markdown_extensions: admonition\n",
     "site.yaml:2: 'markdown_extensions' must be a list, not a string"),
    ("markdown_extensions:\n  - {a: 1, b: 2}\n",
     "site.yaml:3: each entry of markdown_extensions is a name or 'name: {option: value}'"),
])
def test_a_mistake_names_the_line_and_what_to_do(site, yaml_text, message):
    root = site(config="title: T\n" + yaml_text)
    with pytest.raises(SiteError) as err:
        load_config(root)
    assert str(err.value).startswith(message), str(err.value)


def test_a_bad_extension_fails_the_build_as_one_line(site):
    root = site({"content/a.md": page()}, config="title: T\nmarkdown_extensions:\n  - admonitions\n")
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml:3: unknown Markdown extension 'admonitions' "
                                    "(did you mean 'admonition'?)"), result.stderr


# --- each extension's output, and a hostile payload through it ------------------------------------

class Elements(HTMLParser):
    """Every element and attribute a browser would make of the HTML."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    for tag, attrs in Elements(html).found:
        assert tag not in ("script", "img", "iframe", "svg", "style", "object"), html
        assert not [a for a in attrs if a.startswith("on") or a in ("style", "srcdoc")], html
        assert not any("javascript:" in (v or "") for v in attrs.values()), html


EXTENSIONS = [
    # (extension to add, typical text, what must be in the page, hostile text)
    (None, '!!! note "Heads up"\n    Body.',
     '<div class="admonition note">\n<p class="admonition-title">Heads up</p>\n<p>Body.</p>\n</div>',
     '!!! note "<script>alert(1)</script>"\n    <img src=x onerror=alert(1)>'),
    (None, "Term\n:   The definition.", "<dl>\n<dt>Term</dt>\n<dd>The definition.</dd>\n</dl>",
     "<script>x</script>\n:   <img src=x onerror=alert(1)>"),
    (None, "The HTML page.\n\n*[HTML]: Hyper Text Markup Language",
     '<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> page.</p>',
     'The HTML page.\n\n*[HTML]: "><script>alert(1)</script>'),
    (None, "A paragraph\n{: .note #p1 }", '<p class="note" id="p1">A paragraph</p>',
     'A paragraph\n{: onclick="alert(1)" style="color:red" srcdoc="x" cite="javascript:alert(1)" }'),
    (None, '<div markdown="1">*x*</div>', '<p>&lt;div markdown="1"&gt;<em>x</em>&lt;/div&gt;</p>',
     '<div markdown="1" onclick="alert(1)">\n*x*\n</div>'),
    (None, "Text.[^1]\n\n[^1]: The note.", '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:',
     "Text.[^1]\n\n[^1]: <script>alert(1)</script>"),
    (None, "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |",
     '<td class="align-left">1</td>\n<td class="align-center">2</td>\n<td class="align-right">3</td>',
     '| a |\n|---|\n| <img src=x onerror=alert(1)> |\n{: onclick="alert(1)" }'),
    (None, '```python hl_lines="2"\na = 1\nb = 2\n```',
     '<span class="hll"><span class="n">b</span>',
     '```{ .python use_pygments=false onclick="alert(1)" css_class=\'x"><script>alert(1)</script>\' }\na\n```'),
    (None, "- [x] done\n- [ ] to do", '<li class="task-list-item"><label><input type="checkbox" disabled checked/> done</label></li>',
     "- [x] <script>alert(1)</script>"),
    (None, "~~gone~~ and H~2~O", "<p><del>gone</del> and H~2~O</p>", "~~<script>alert(1)</script>~~"),
    (None, "## A <b>heading</b>", '">A &lt;b&gt;heading&lt;/b&gt;</h2>',
     "## <script>alert(1)</script> {: onclick=alert(1) }"),
    ("pymdownx.superfences", '```python hl_lines="1"\na = 1\n```',
     '<div class="highlight" tabindex="0"><pre><span></span><code><span class="hll">',
     '```{ .python data-x=\'"><script>alert(1)</script>\' onclick="alert(1)" }\na\n```'),
    ("pymdownx.details", '??? note "More"\n    Body.', '<details class="note">\n<summary>More</summary>',
     '??? note "<img src=x onerror=alert(1)>"\n    <script>alert(1)</script>'),
    ("pymdownx.inlinehilite", "`#!python a = 1`", '<code class="highlight"><span class="n">a</span>',
     "`#!html <script>alert(1)</script>`"),
    ("pymdownx.caret", "^^inserted^^", "<ins>inserted</ins>", "^^<script>alert(1)</script>^^"),
    ("pymdownx.mark", "==marked==", "<mark>marked</mark>", "==<script>alert(1)</script>=="),
    ("pymdownx.keys", "++ctrl+alt+del++", '<kbd class="key-control">Ctrl</kbd>',
     "++<script>alert(1)</script>++"),
    ("smarty", '"Quoted" -- text', "<p>&ldquo;Quoted&rdquo; &ndash; text</p>", '"<script>alert(1)</script>"'),
]


@pytest.mark.parametrize("extra,text,expected,hostile", EXTENSIONS,
                         ids=[f"{e[0] or 'default'}-{i}" for i, e in enumerate(EXTENSIONS)])
def test_each_extension_survives_the_sanitiser_and_a_payload_never_becomes_markup(extra, text, expected, hostile):
    html = convert(text, [extra] if extra else None)
    assert expected in html, html
    assert_inert(convert(hostile, [extra] if extra else None))


def test_every_supported_extension_is_in_the_table():
    """A new supported extension needs its row above."""
    tested = {name for name, _ in DEFAULTS} | {e[0] for e in EXTENSIONS if e[0]}
    assert SUPPORTED - tested <= {"nl2br", "legacy_em", "pymdownx.highlight", "pymdownx.betterem",
                                  "pymdownx.smartsymbols", "pymdownx.saneheaders"}


def test_changing_the_extensions_renders_the_pages_again(site):
    """The extensions are part of the build's environment: a warm build after an edit of
    markdown_extensions does not reuse a page rendered without the new extension."""
    root = site({"content/a.md": page("A", "Some ==marked== text.")}, config="title: T\n")
    assert run("build", cwd=root).returncode == 0
    out = root / "_site" / "a" / "index.html"
    assert "<p>Some ==marked== text.</p>" in out.read_text()
    (root / "site.yaml").write_text("title: T\nmarkdown_extensions: [pymdownx.mark]\n")
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "<p>Some <mark>marked</mark> text.</p>" in out.read_text()
