"""Pins and guards (issue 14): where site_builder relies on a library's internals, pyproject.toml
pins the versions it was tested with, and a test here fails when an internal changes shape or a
fast path is switched off. The tests marked ``newest`` also run against the newest releases of
Markdown, livereload and Pagefind (``.ci/newest``), whatever our pins say."""
import importlib.metadata
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import jinja2
import markdown
import pytest
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import InlineProcessor

from site_builder.errors import SiteWarning
from site_builder.render import inline, passes
from site_builder.render.markdown import Converter
from site_builder.render.toc import QuickToc, Toc, quick_toc_works
from site_builder.render.templates import SiteUndefined

from conftest import ROOT


@pytest.fixture
def fresh_guard():
    """The guard's once-per-process answer forgotten before and after the test (after any
    monkeypatch requested later is undone)."""
    inline.fast_inline_problem.cache_clear()
    yield
    inline.fast_inline_problem.cache_clear()


# --- the fast inline pass -------------------------------------------------------------------------

@pytest.mark.newest
def test_the_fast_inline_pass_is_active():
    """The self-test passed and every converter uses the fast pass, which Markdown calls."""
    assert inline.fast_inline_problem() is None
    conv = Converter()
    for text in ("Plain text.", "A | table\n|---|\n| x |", "With {: .attr }", "A note[^1]\n\n[^1]: n"):
        md, _ = conv.instance(text)
        assert type(md.treeprocessors["inline"]) is inline.FastInlineProcessor, text
    before = inline.FastInlineProcessor.calls
    html, _ = conv.convert("Some *text* and a [link](https://example.org/).")
    assert html == '<p>Some <em>text</em> and a <a href="https://example.org/">link</a>.</p>'
    assert inline.FastInlineProcessor.calls > before
    md, _ = conv.instance("Plain text.", everything=True)  # the reference: Markdown's own pass
    assert type(md.treeprocessors["inline"]) is InlineProcessor


@pytest.mark.newest
def test_the_private_methods_have_the_shape_the_fast_pass_relies_on():
    """InlineProcessor.__handleInline(data, patternIndex) is overridden, and __applyPattern(pattern,
    data, patternIndex, startIndex) -> (data, matched, startIndex) is called."""
    assert inline.PRIVATE == {"_InlineProcessor__handleInline": ["self", "data", "patternIndex"],
                              "_InlineProcessor__applyPattern": ["self", "pattern", "data", "patternIndex",
                                                                 "startIndex"]}
    for name, params in inline.PRIVATE.items():
        assert list(inspect.signature(getattr(InlineProcessor, name)).parameters) == params
    md = markdown.Markdown()
    proc = md.treeprocessors["inline"]
    proc.stashed_nodes, proc.parent_map, proc.ancestors = {}, {}, []
    em = md.inlinePatterns.get_index_for_name("em_strong")
    data, matched, start = proc._InlineProcessor__applyPattern(md.inlinePatterns[em], "a *b* c", em, 0)
    assert matched is True and isinstance(start, int) and data.startswith("a \x02") and data.endswith(" c")
    data, matched, start = proc._InlineProcessor__applyPattern(md.inlinePatterns[em], "plain", em, 0)
    assert (data, matched) == ("plain", False)


def test_the_self_test_covers_every_pattern_the_fast_pass_skips():
    """Each pattern named in PATTERNS matches somewhere in the self-test's pages."""
    md = markdown.Markdown(extensions=["footnotes", "attr_list", "tables"])
    text = "\n\n".join(inline.SELF_TEST)
    for name, *_ in inline.PATTERNS:
        pattern = md.inlinePatterns[name]
        assert pattern.getCompiledRegExp().search(text), name


def test_the_fast_pass_never_tries_what_a_page_cannot_use():
    """Strike-through's delimiters need a '~', and a reference link needs a definition on its page."""
    conv = Converter()
    for text, references in (("~~gone~~ [a][b] *em*", ()), ("~~x~~ [a][b] *em*\n\n[b]: b.md", ("[", "["))):
        md, _ = conv.instance(text)
        proc, reg = md.treeprocessors["inline"], md.inlinePatterns
        conv.convert(text)
        assert proc._needs[reg.get_index_for_name("delimiter")] == ("~", "~")
        assert proc._needs[reg.get_index_for_name("reference")] == references
        assert proc._needs[reg.get_index_for_name("short_reference")] == references


def test_the_fast_pass_works_out_what_patterns_need_once_for_a_run_of_pages():
    """The patterns' needs stay from page to page while the patterns, and whether the page defines
    references, stay the same (test_the_fast_pass_never_tries_what_a_page_cannot_use: they change)."""
    conv = Converter()
    conv.convert("First *page*.")
    before = inline.FastInlineProcessor.plans
    for i in range(5):
        assert conv.convert(f"Page *{i}* with a [link](p{i}.md).")[0] == \
            f'<p>Page <em>{i}</em> with a <a href="p{i}.md">link</a>.</p>'
    assert inline.FastInlineProcessor.plans == before
    conv.convert("[a][r]\n\n[r]: r.md")
    assert inline.FastInlineProcessor.plans == before + 1


@pytest.mark.parametrize("patch,reason", [
    (("PRIVATE", {"_InlineProcessor__gone": ["self"]}), "it has no InlineProcessor.__gone"),
    (("PRIVATE", {"_InlineProcessor__applyPattern": ["self", "pattern", "data"]}),
     "its InlineProcessor.__applyPattern takes (self, pattern, data, patternIndex, startIndex), "
     "not (self, pattern, data)"),
    # a trigger no link contains: the fast pass would skip every link of the second page
    (("PATTERNS", (("link", "\u00a4"),)),
     "its output differs from the stock pass's on '[a link](a.md \"t\"), [ref][r], [r], [r][]'…"),
])
def test_the_guard_falls_back_to_the_stock_pass_with_one_warning(fresh_guard, monkeypatch, patch, reason):
    monkeypatch.setattr(inline, *patch)
    with pytest.warns(SiteWarning) as caught:
        conv = Converter()
        md, _ = conv.instance("A [link](a.md) and *em*.")
        Converter()  # once per process: no second self-test, no second warning
    assert [str(w.message) for w in caught] == [
        f"the fast Markdown inline pass is off: Python-Markdown {markdown.__version__} differs from the "
        f"versions it was tested with ({reason}); pages are the same, only slower"]
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    assert conv.convert("A [link](a.md) and *em*.") == conv.convert("A [link](a.md) and *em*.", everything=True)


def test_the_guard_notices_when_markdown_stops_calling_the_override(fresh_guard, monkeypatch):
    """A Markdown that renamed its private method runs the stock pass around our override, which
    then never runs: the output is right, but the fast pass is off, and the guard says so."""
    monkeypatch.setattr(inline.FastInlineProcessor, "_InlineProcessor__handleInline",
                        InlineProcessor._InlineProcessor__handleInline)
    with pytest.warns(SiteWarning, match=r"\(InlineProcessor no longer calls __handleInline\)"):
        assert inline.fast_inline_problem() == "InlineProcessor no longer calls __handleInline"


# --- the other internals ----------------------------------------------------------------------------

@pytest.mark.newest
def test_the_toc_extension_takes_our_tree_processor():
    """The table of contents as tokens only: the toc extension builds its processor from
    TreeProcessorClass, whose build_toc_div we skip where a page has no [TOC] marker."""
    assert "TreeProcessorClass" in vars(TocExtension) and callable(TocTreeprocessor.build_toc_div)
    md, _ = Converter().instance("## A heading")
    assert type(md.treeprocessors["toc"]) is QuickToc
    html, toc = Converter().convert("## A heading\n\n## Another")
    assert [t["id"] for t in toc] == ["a-heading", "another"]
    assert Converter().convert("[TOC]\n\n## A")[0].startswith('<div class="toc">')


@pytest.mark.newest
def test_the_quick_toc_copies_the_toc_run_of_the_tested_markdown():
    """QuickToc.run is TocTreeprocessor.run with a quick path for plain headings: a Markdown whose
    run differs (another digest) gets the stock processor, and this fails to say the copy is old."""
    assert quick_toc_works(), "TocTreeprocessor.run changed: compare it with QuickToc.run, then RUN_DIGEST"
    md, _ = Converter().instance("## A heading")
    assert type(md.treeprocessors["toc"]) is QuickToc
    md, _ = Converter().instance("## A heading", everything=True)  # the reference: Markdown's own way
    assert type(md.treeprocessors["toc"]) is Toc


def test_the_quick_toc_never_serialises_a_plain_heading(monkeypatch):
    """A heading of plain text is its own HTML: Python-Markdown's render_inner_html (serialise the
    heading, run every postprocessor) is not called for it, only for a heading with markup in it."""
    import markdown.extensions.toc as toc
    from site_builder.render import toc as ours

    calls = []
    monkeypatch.setattr(toc, "render_inner_html", lambda el, md: calls.append(el) or "")
    monkeypatch.setattr(ours, "render_inner_html", lambda el, md: calls.append(el) or "x")
    html, tokens = Converter().convert("## Plain heading\n\n### Plain heading\n\n## Also plain")
    assert [(t["id"], t["name"], t["html"]) for t in tokens] == [
        ("plain-heading", "Plain heading", "Plain heading"), ("also-plain", "Also plain", "Also plain")]
    assert tokens[0]["children"][0]["id"] == "plain-heading_1" and calls == []
    assert '<h3 id="plain-heading_1">Plain heading</h3>' in html
    Converter().convert("## *Not* plain")
    assert [el.tag for el in calls] == ["h2"]


def test_simple_links_never_walk_the_text_a_character_at_a_time(monkeypatch):
    """The quick link patterns take the places of Python-Markdown's and give a plain [text](url) and
    ![alt](src) without its character walk (getText, getLink), which the others still take."""
    from markdown.inlinepatterns import LinkInlineProcessor

    stock, (md, _) = markdown.Markdown(), Converter().instance("x")
    for name, (_, quick, _) in inline.QUICK_LINKS.items():
        assert type(md.inlinePatterns[name]) is quick, name
        assert md.inlinePatterns.get_index_for_name(name) == stock.inlinePatterns.get_index_for_name(name), name
    walked = []
    monkeypatch.setattr(LinkInlineProcessor, "getText", lambda self, data, i: walked.append(data) or ("", 0, False))
    monkeypatch.setattr(LinkInlineProcessor, "getLink", lambda self, data, i: walked.append(data) or ("", None, 0, False))
    html, _ = Converter().convert("A [link](a.md) and ![an image](i.png).")
    assert html == '<p>A <a href="a.md">link</a> and <img alt="an image" src="i.png">.</p>' and walked == []
    Converter().convert('A [link [nested]](a.md "title").')
    assert walked


@pytest.mark.newest
def test_the_quick_passes_copy_the_code_of_the_tested_markdown():
    """The quick whitespace, prettify and unescape passes copy or rely on Python-Markdown 3.11's code
    (passes.DIGESTS): with other code they are not used, and this fails to say the copies are old."""
    assert passes.changed_code() == (), "compare these with site_builder/render/passes.py, then DIGESTS"
    md, _ = Converter().instance("x")
    stock = markdown.Markdown()
    for name, (where, _, quick, _) in passes.QUICK_PASSES.items():
        assert type(getattr(md, where)[name]) is quick, name
    for where in ("preprocessors", "treeprocessors"):  # in the stock ones' order
        names = [name for name in getattr(stock, where)._data if name in getattr(md, where)]
        assert sorted(names, key=getattr(md, where).get_index_for_name) == \
            sorted(names, key=getattr(stock, where).get_index_for_name), where
    md, _ = Converter().instance("x", everything=True)  # the reference: Markdown's own passes
    assert not any(type(getattr(md, where)[name]) is quick
                   for name, (where, _, quick, _) in passes.QUICK_PASSES.items())


def test_the_quick_passes_skip_the_work_a_page_does_not_need(monkeypatch):
    """No look-behind substitution over the page, no escape search in a text without an escape, and
    is_block_level asked once a tag (Python-Markdown asks it for every element)."""
    import types

    import markdown.preprocessors as pre
    from markdown.core import Markdown
    from markdown.treeprocessors import UnescapeTreeprocessor

    def boom(*args, **kwargs):
        raise AssertionError("the stock pass's work")

    monkeypatch.setattr(pre, "re", types.SimpleNamespace(sub=boom))
    monkeypatch.setattr(UnescapeTreeprocessor, "RE", types.SimpleNamespace(sub=boom))
    asked = []
    real = Markdown.is_block_level
    monkeypatch.setattr(Markdown, "is_block_level", lambda self, tag: asked.append(tag) or real(self, tag))
    text = "\n\n".join(f"Paragraph *{i}* with a [link](p{i}.md).\n   \n- item\n- item" for i in range(20))
    html, _ = Converter().convert(text)
    assert html.count("<p>") == 20 and html.count("<li>") == 40
    assert sorted(set(asked)) == sorted(asked), asked


@pytest.mark.newest
def test_the_quick_block_parser_copies_the_parse_of_the_tested_markdown():
    """QuickBlockParser.parseBlocks is BlockParser.parseBlocks listing the processors once: with
    another parseBlocks the stock parser stays, and this fails to say the copy is old."""
    from site_builder.render.blocks import QuickBlockParser, parse_blocks_is_the_copied_one

    assert parse_blocks_is_the_copied_one(), "compare BlockParser.parseBlocks with QuickBlockParser's"
    md, _ = Converter().instance("x")
    assert type(md.parser) is QuickBlockParser
    assert all(processor.parser is md.parser for processor in md.parser.blockprocessors)
    md, _ = Converter().instance("x", everything=True)  # the reference: Markdown's own parser
    assert type(md.parser) is markdown.blockparser.BlockParser


def test_the_block_parser_lists_its_processors_once_a_chunk(monkeypatch):
    """A registry builds a new sorted list each time it is walked: Python-Markdown's parser walks
    it once per block, the quick one once per chunk (the page, each list item, each quotation)."""
    from markdown.util import Registry

    conv = Converter()
    conv.convert("warm up")
    walks = []
    real = Registry.__iter__
    monkeypatch.setattr(Registry, "__iter__", lambda self: walks.append(self) or real(self))
    html, _ = conv.convert("\n\n".join(f"Paragraph {i}." for i in range(40)))
    assert html.count("<p>") == 40
    md, _ = conv.instance("x")
    assert 1 <= walks.count(md.parser.blockprocessors) <= 2


def test_jinja_internals_behind_the_undefined_message():
    """SiteUndefined reads Jinja's private _undefined_obj and _undefined_name and overrides the
    _undefined_message property; jinja2.utils.missing marks a name that is not defined at all."""
    assert isinstance(inspect.getattr_static(jinja2.Undefined, "_undefined_message"), property)
    assert list(inspect.signature(jinja2.Undefined.__init__).parameters)[:4] == ["self", "hint", "obj", "name"]
    env = jinja2.Environment(undefined=SiteUndefined)
    for source, message in [("{{ nope }}", "'nope' is undefined"),
                            ("{{ m.titel }}", "this mapping has no key 'titel' (did you mean 'title'?)")]:
        with pytest.raises(jinja2.UndefinedError) as e:
            env.from_string(source).render(m={"title": 1})
        assert e.value.message == message
    assert jinja2.utils.missing is not None


def _pagefind_binary() -> Path:
    for name in ("pagefind_bin_extended", "pagefind_bin"):
        if importlib.util.find_spec(name) is not None:
            return importlib.import_module(name).get_executable()
    pytest.fail("no Pagefind binary package (pip install 'pagefind[extended]')")


@pytest.mark.newest
def test_pagefind_reads_the_thread_settings_we_give_it():
    """TOKIO_WORKER_THREADS and RAYON_NUM_THREADS (build/pagefind.py) are read by its Rust runtimes."""
    data = _pagefind_binary().read_bytes()
    assert b"TOKIO_WORKER_THREADS" in data and b"RAYON_NUM_THREADS" in data


@pytest.mark.newest
def test_pagefind_is_started_as_the_binary_python_m_pagefind_would_run():
    """build/search.py starts Pagefind's binary itself (no Python start-up): it must be
    the program `python -m pagefind` runs, so the same version answers."""
    from site_builder.build import search

    search.command.cache_clear()
    cmd = search.command()
    assert len(cmd) == 1 and os.access(cmd[0], os.X_OK), cmd
    ours = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    theirs = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert ours.returncode == theirs.returncode == 0 and ours.stdout == theirs.stdout != ""


# --- the pins themselves ------------------------------------------------------------------------------

# every dependency whose internals we use, and what we use (keep in step with pyproject.toml)
INTERNALS = {
    "markdown": "the fast inline pass (render/inline.py), the toc tree processor (render/toc.py)",
    "jinja2": "Undefined's private message and fields (render/templates.py), the template AST (render/templatedeps.py)",
    "pyyaml": "the loader's construct_mapping and constructors (model/yamlfile.py)",
    "livereload": "the dev server subclasses its handlers (commands/serve.py)",
    "tornado": "the dev server's HTTP server and handlers",
    "pagefind": "driven through its command line's flags and Rust runtime variables (build/pagefind.py)",
    "dateparser": "DateDataParser (ingest/dates.py)",
}


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {}
    for req in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower()
        found[name] = req[len(name):].split(";")[0].strip()
    return found


def test_every_dependency_whose_internals_we_use_has_an_upper_bound_we_tested():
    """A `<` bound on each, and the installed version (the tested one) inside the pins."""
    from packaging.requirements import Requirement

    reqs = _requirements()
    for name in INTERNALS:
        spec = reqs[name]
        assert "<" in spec, f"{name} has no upper bound: {spec}"
        req = Requirement(name + spec)
        version = importlib.metadata.version(name)
        assert req.specifier.contains(version, prereleases=True), f"{name} {version} is outside {spec}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the pins hold, so the fast pass is on without a warning
        assert inline.fast_inline_problem() is None


def test_the_cli_says_once_that_the_fast_pass_is_off(fresh_guard, monkeypatch, tmp_path, capsys):
    """The warning reaches a user as one line on stderr, and the site builds the same."""
    from conftest import write_site
    from site_builder.commands.cli import main

    root = write_site(tmp_path / "s", {"content/index.md": "---\ntitle: Home\n---\nA [link](b.md).\n",
                                       "content/b.md": "---\ntitle: B\n---\n*B*\n"})
    monkeypatch.chdir(root)
    monkeypatch.setattr(inline, "PRIVATE", {"_InlineProcessor__gone": ["self"]})
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main() replaces it
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        assert main(["build", "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning") == 1, err
    assert (f"site-builder: warning: the fast Markdown inline pass is off: Python-Markdown {markdown.__version__} "
            "differs from the versions it was tested with (it has no InlineProcessor.__gone); pages are the same, "
            "only slower\n") in err
    assert '<a href="/b/">link</a>' in (root / "_site/index.html").read_text()


def test_every_supported_extension_name_makes_the_class_python_markdown_makes():
    """render/markdown.stock_extension makes an extension from its name without Python-Markdown's
    scan of the installed packages' entry points: for every name site.yaml may use, the class
    must be the one ``Markdown.build_extension`` (the entry points, then the module) gives."""
    import markdown
    from site_builder.model.extensions import SUPPORTED
    from site_builder.render.markdown import stock_extension

    for name in sorted(SUPPORTED):
        assert type(stock_extension(name, {})) is type(markdown.Markdown().build_extension(name, {})), name


def test_converting_with_the_default_extensions_scans_no_entry_points():
    """The scan (importlib.metadata, about 0.025 s of CPU) was a fixed cost of every process that
    converts Markdown: the main process of a warm build with one page changed, each worker."""
    from markdown import util
    from site_builder.render.markdown import Converter

    util.get_installed_extensions.cache_clear()
    converter = Converter()
    for text in ("Plain.", "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! note\n    x\n\nTerm\n: def\n\n"
                 "*[HTML]: x\n\n{: #id }\n\n```py\nx = 1\n```\n\n[^1]\n\n[^1]: n\n\n~~s~~\n\n- [ ] task\n"):
        converter.convert(text)
        converter.convert(text, everything=True)
    assert util.get_installed_extensions.cache_info().misses == 0
