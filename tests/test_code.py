"""Code and tables (issue 16): fenced code highlighted by Pygments through codehilite (classes, never
inline styles), hl_lines and line numbers, each block highlighted once a process; the theme's
Pygments colours readable in light and dark; table alignment as classes; tables that scroll."""
import re
import subprocess
import sys
from unittest import mock

import markdown
import pytest
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from site_builder.render import codeblocks, highlight
from site_builder.render.markdown import Converter

from conftest import ROOT, page, run

sys.path.insert(0, str(ROOT / "tools"))
import pygments_css  # noqa: E402


def convert(text: str) -> str:
    return Converter().convert(text)[0]


def test_fenced_python_is_highlighted_with_classes_and_hl_lines():
    html = convert('```python hl_lines="2 3"\nimport os\nx = 1\ny = "s"\n```')
    assert html == (
        '<div class="codehilite" tabindex="0"><pre><span></span><code><span class="kn">import</span><span class="w"> </span>'
        '<span class="nn">os</span>\n'
        '<span class="hll"><span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>\n</span>'
        '<span class="hll"><span class="n">y</span> <span class="o">=</span> <span class="s2">"s"</span>\n'
        '</span></code></pre></div>')
    assert "hl_lines" not in html and "style=" not in html


def test_line_numbers_and_their_start_from_the_fence():
    html = convert('```{ .python linenums="1" linenostart="5" }\na = 1\nb = 2\n```')
    assert '<td class="linenos"><div class="linenodiv"><pre><span class="normal">5</span>\n' \
           '<span class="normal">6</span></pre></div></td>' in html
    assert html.startswith('<div class="codehilite" tabindex="0"><table class="codehilitetable"><tr>')
    assert "style=" not in html


def test_a_fence_option_that_is_not_about_highlighting_never_reaches_the_page():
    html = convert('```{ .python onclick="alert(1)" noclasses="true" cssstyles="color:red" linenostart="x" }\n'
                   'a = 1\n```')
    assert html == ('<div class="codehilite" tabindex="0"><pre><span></span><code><span class="n">a</span> '
                    '<span class="o">=</span> <span class="mi">1</span>\n</code></pre></div>')


def test_a_shell_block_and_an_unknown_language():
    assert '<span class="nb">echo</span>' in convert("```bash\necho hi\n```")
    assert convert("```nosuchlang\n<b>\n```") == \
        '<div class="codehilite" tabindex="0"><pre><span></span><code>&lt;b&gt;\n</code></pre></div>'


def test_the_safe_fences_give_python_markdowns_output_on_ordinary_fences():
    """SafeFencedBlocks re-implements FencedBlockPreprocessor.run around the same regex and helpers:
    on fences without unsafe options the output is Python-Markdown's own (fails if its internals move)."""
    texts = ['```python\na = 1\n```', '~~~\nplain\n~~~', '```python hl_lines="1"\na\nb\n```',
             '```{ .js #ident .extra }\nx\n```', "```{ .py linenums='true' }\nx\n```", "para\n\n```\nno end",
             '```{ .py\nbroken }\n```']
    for text in texts:
        stock = markdown.Markdown(extensions=["fenced_code", "codehilite", "attr_list"],
                                  extension_configs={"codehilite": {"guess_lang": False}})
        ours = markdown.Markdown(extensions=[codeblocks.SafeFencedCode(), "codehilite", "attr_list"],
                                 extension_configs={"codehilite": {"guess_lang": False}})
        assert ours.convert(text) == stock.convert(text), text
    assert isinstance(ours.preprocessors["fenced_code_block"], FencedBlockPreprocessor)


def test_a_block_is_highlighted_once_a_process():
    highlight.highlighted.cache_clear()
    text = "```python\nprint('same snippet')\n```"
    with mock.patch.object(highlight, "CodeHilite", wraps=highlight.CodeHilite) as hilite:
        first = [convert(text) for _ in range(3)]
        assert hilite.call_count == 1
        convert('```python hl_lines="1"\nprint(\'same snippet\')\n```')  # other options: highlighted again
        assert hilite.call_count == 2
    assert first[0] == first[2]


def test_the_stash_guard_shows_an_unexpected_element_or_attribute_as_text():
    guarded = codeblocks.guarded
    clean = '<div class="codehilite" tabindex="0"><pre><span></span><code><span class="hll">x</span>\n</code></pre></div>'
    assert guarded(clean) is clean
    assert guarded('<div class="highlight" data-x=""><script>alert(1)</script>"><pre>x</pre></div>') == \
        '<div class="highlight" data-x="">&lt;script&gt;alert(1)&lt;/script&gt;"&gt;<pre>x</pre></div>'
    assert guarded('<code onclick="x()" class="a">c</code>') == '<code class="a">c</code>'
    assert guarded('<a href="javascript:x">l</a><a href="#l-1">1</a>') == '<a>l</a><a href="#l-1">1</a>'
    assert guarded("<!-- c --><input type=checkbox disabled/>") == \
        "&lt;!-- c --&gt;<input type=\"checkbox\" disabled/>"


# --- tables ----------------------------------------------------------------------------------------

def test_table_alignment_is_a_class_and_a_table_scrolls_in_its_own_box():
    html = convert("| left | centre | right | none |\n|:-----|:------:|------:|------|\n| 1 | 2 | 3 | 4 |")
    assert html.startswith('<div class="md-table" tabindex="0"><table>\n<thead>\n<tr>\n'
                           '<th class="align-left">left</th>\n<th class="align-center">centre</th>\n'
                           '<th class="align-right">right</th>\n<th>none</th>')
    assert '<td class="align-right">3</td>\n<td>4</td>' in html
    assert html.endswith("</table></div>") and "style" not in html


def test_tables_at_the_top_in_a_list_and_in_a_quotation_are_each_wrapped_once():
    html = convert("| a |\n|---|\n| b |\n\n- item\n\n    | c |\n    |:-:|\n    | d |\n\n> | e |\n> |---|\n> | f |\n")
    assert html.count('<div class="md-table" tabindex="0"><table>') == 3
    assert html.count("md-table") == 3 and html.count("</table></div>") == 3
    assert "<li>\n<p>item</p>\n<div class=\"md-table\"" in html and "<blockquote>\n<div class=\"md-table\"" in html


# --- the theme's colours ---------------------------------------------------------------------------

def test_style_css_holds_what_the_generator_writes():
    """tools/pygments_css.py --check: the colours in the theme are the generator's (a Pygments
    upgrade that changes a style shows here)."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "pygments_css.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_colour_reads_at_4_5_to_1_on_code_and_highlighted_lines(scheme):
    css = (ROOT / "templates" / "static" / "style.css").read_text()
    block = css[css.index(pygments_css.BEGIN):css.index(pygments_css.END)]
    light, _, dark = block.partition("@media (prefers-color-scheme: dark){")
    _, code_bg, line_bg = pygments_css.LIGHT if scheme == "light" else pygments_css.DARK
    colours = re.findall(r"color:(#[0-9a-f]{6})", light if scheme == "light" else dark)
    assert len(colours) >= 15
    for colour in colours:
        assert min(pygments_css.contrast(colour, code_bg), pygments_css.contrast(colour, line_bg)) >= 4.5, colour
    theme = re.search(r"--surface:(#[0-9a-f]{6})", css if scheme == "light" else css[css.index("prefers-color"):])
    assert theme.group(1) == code_bg  # the background the colours were made for is the theme's


def test_a_page_with_code_and_a_table_builds_and_checks(site):
    root = site({"content/code.md": page("Code", "```python hl_lines=\"1\"\nx = 1\n```\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n")})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    out = (root / "_site" / "code" / "index.html").read_text()
    assert '<span class="hll"><span class="n">x</span>' in out and '<td class="align-center">1</td>' in out
    check = run("check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
