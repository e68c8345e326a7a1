"""Issue 12, finding 18 and "Every error a file:line": inputs that stopped site-builder with
"internal error" (exit 3, no file, no line) are one line `path:line: message` saying what to
do, with exit 1 — from the CLI and from the dev server's rebuild. Then front matter and
site.yaml values of every type, fuzzed through the CLI's entry point: exit 3 never happens."""
from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.commands.cli import main
from site_builder.commands.changes import classify
from site_builder.commands.serve import DevServer
from site_builder.model.config import _FIELDS as CONFIG_FIELDS
from site_builder.model.pages import FIELDS

from conftest import BASE_CONFIG, page, run, write_site

SOURCE = page("Src", "Over 10 items were counted.\n{: #p1 }", seed="seeds/none.txt", date="2024-01-02")
DEEP = "[" * 900 + "]" * 900


def figure(value: str, **fields: str) -> str:
    """content/x.md with one figure quoting SOURCE, its value written as YAML ``value``."""
    f = {"id": "f1", "kind": "count", "display": "10", "label": "items", "text": "10 items",
         "source": "src#p1", **fields}
    lines = "".join(f"    {k}: {v}\n" for k, v in f.items())
    return f"---\ntitle: X\nfigures:\n  - value: {value}\n{lines}---\nText.\n"


def front(line: str) -> str:
    """content/x.md whose front matter's second line (line 3 of the file) is ``line``."""
    return f"---\ntitle: X\n{line}\n---\nText.\n"


REDO = "; write a real date as YYYY-MM-DD, or put it in quotes if it is text"
# (content/x.md, or a whole site.yaml) -> the one line expected, written from the input by hand
CASES = {
    "date-february-30": (front("date: 2024-02-30"),
                         f"content/x.md:3: '2024-02-30' is not a valid date (February 2024 has 29 days){REDO}"),
    "date-year-0": (front("date: 0000-01-01"),
                    f"content/x.md:3: '0000-01-01' is not a valid date (the year must be 1 to 9999){REDO}"),
    "date-hour-25": (front("date: 2024-01-01T25:00:00"),
                     f"content/x.md:3: '2024-01-01T25:00:00' is not a valid date (the hour must be 0 to 23){REDO}"),
    "date-month-13": (front("date: 2024-13-45"),
                      f"content/x.md:3: '2024-13-45' is not a valid date (the month must be 1 to 12){REDO}"),
    "updated-time-zone": (front("updated: 2024-01-01T10:00:00+24:00"),
                          "content/x.md:3: '2024-01-01T10:00:00+24:00' is not a valid date (the time zone must be "
                          f"less than 24 hours from UTC){REDO}"),
    "weight-5000-digits": (front("weight: " + "9" * 5000),
                           "content/x.md:3: the number '99999999999999999999…' has over 100 digits; use a smaller "
                           "one, or quotes if it is text"),
    "extra-hex-number": (front("extra: {id: 0x" + "f" * 400 + "}"),
                         "content/x.md:3: the number '0xffffffffffffffffff…' has over 100 digits; use a smaller "
                         "one, or quotes if it is text"),
    "figure-nan": (figure(".nan"), "content/x.md:4: 'value' must be a finite number, not nan; e.g. value: 12.5"),
    "figure-inf": (figure(".inf"), "content/x.md:4: 'value' must be a finite number, not inf; e.g. value: 12.5"),
    "figure-overflow": (figure("-1.0e+999"),
                        "content/x.md:4: 'value' must be a finite number, not -inf; e.g. value: 12.5"),
    "extra-900-deep": (front("extra: " + DEEP), "content/x.md:3: values nested more than 50 levels deep; flatten them"),
    "section-dotdot": (front('section: "../../../tmp/x"'),
                       "content/x.md:3: section '../../../tmp/x' has a '..' segment, which leads out of its "
                       "folder; a section is a folder of the site, e.g. section: tmp/x"),
    "tag-windows-name": (front("tags: [guides, CON]"),
                         "content/x.md:3: tag 'CON' makes the URL /tags/con/, whose name uses 'con', a name Windows "
                         "reserves; use another word"),
}
SITE_CASES = {
    "site-extra-date": ("extra: {launch: 2023-02-29}",
                        f"site.yaml:4: '2023-02-29' is not a valid date (February 2023 has 28 days){REDO}"),
    "site-keyword-nan": ("themes: [{id: overview, title: Overview, keywords: {laboratory: .nan}}]",
                         "site.yaml:4: 'keywords: laboratory' must be a finite number, not nan; "
                         "e.g. keywords: laboratory: 12.5"),
    "site-content-dir-nul": ('content_dir: "con\\0tent"',
                             "site.yaml:4: content_dir 'con\\u0000tent' is not a folder name the system accepts (a "
                             "control character, or a name over 255 bytes); e.g. content_dir: content"),
    "site-output-dir-too-long": ("output_dir: " + "o" * 300,
                                 f"site.yaml:4: output_dir '{'o' * 60}…' is not a folder name the system accepts (a "
                                 "control character, or a name over 255 bytes); e.g. output_dir: _site"),
    "site-extra-deep": ("extra: {a: " + DEEP + "}",
                        "site.yaml:4: values nested more than 50 levels deep; flatten them"),
}
SITE_YAML = "title: Test site\nbase_url: https://example.org/\nsearch: false\n"


def _site(root: Path, case: str) -> Path:
    if case in SITE_CASES:
        return write_site(root, {"site.yaml": SITE_YAML + SITE_CASES[case][0] + "\n", "content/a.md": page("A")})
    return write_site(root, {"content/x.md": CASES[case][0], "content/sources/src.md": SOURCE})


@pytest.mark.parametrize("case", [*CASES, *SITE_CASES])
def test_internal_errors_are_one_line_with_file_and_line(case, tmp_path):
    """Finding 18: each input that gave "internal error" (exit 3) is now one line naming the file
    and line and saying what to do, exit 1, no traceback."""
    expected = (CASES | SITE_CASES)[case][1]
    r = run("build", cwd=_site(tmp_path / "site", case))
    assert (r.returncode, r.stderr) == (1, expected + "\n")
    assert not (tmp_path / "site" / "_site").exists()


@pytest.mark.parametrize("case", ["date-february-30", "weight-5000-digits", "figure-nan", "extra-900-deep",
                                  "section-dotdot"])
def test_the_dev_server_rebuild_shows_the_same_line(case, tmp_path):
    """Finding 18 in `serve`: the rebuild after an edit reports the same file:line message (the
    overlay shows it) instead of an exception that is not a SiteError."""
    root = write_site(tmp_path / "site", {"content/x.md": page("X"), "content/sources/src.md": SOURCE})
    server = DevServer(root, "127.0.0.1", 0, log=lambda line: None)
    assert server.rebuild() is True
    (root / "content/x.md").write_text(CASES[case][0], encoding="utf-8")
    assert server.rebuild(classify([str(root.resolve() / "content/x.md")], server.folders)) is False
    assert server.state.error == CASES[case][1]


# --- fuzzing every field through the CLI's entry point ----------------------------------------------

# YAML values of every kind, and the edges where Python's types end
SCALARS = ["2024-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59-23:59",
           "0001-01-01T00:00:00+23:59", "2024-01-01T10:00:00Z", "2024-01-01 25:61:61", "12:30", "1:2:3:4:5:6:7:8",
           "1.0e+400", "-1.0e+400", ".nan", "-.inf", "0x" + "f" * 120, "9" * 99, "-" + "9" * 100, "0o777", "0b1",
           "1_000", "+1", "-0.0", ".5", "1e5", "0", "-1", "1.5", "~", "yes", "no", "true", "''", "' '",
           '"\\0"', '"\\x1b[31m"', '"\\u202e"', '"a\\nb"', '"\\t"', "!!binary aGVsbG8=", "!!set {a, b}",
           "!!omap [a: 1]", "!!pairs [a: 1, a: 2]", "!!float 1", "!!str 5", "!!timestamp 2024-01-01", "'#'",
           "'../x'", "'/abs'", "'C:'", "'a/b'", "'CON'", "'x.'", "'<b>'", "'{{ x }}'", "'{% x %}'", "'&amp;'",
           "'javascript:alert(1)'", "'feed.xml'", "'index'", "'.'", "'é'", "'\U0001F600'", "'" + "x" * 3000 + "'"]
VALUES = st.recursive(st.sampled_from(SCALARS),
                      lambda inner: st.one_of(st.lists(inner, max_size=3).map(lambda v: "[" + ", ".join(v) + "]"),
                                              st.lists(st.tuples(st.sampled_from(["a", "1", "2024-01-01", "null",
                                                                                  ".nan", "[x]", "'<'"]), inner),
                                                       max_size=3).map(
                                                  lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")),
                      max_leaves=6)
ONE_LINE = re.compile(r"[^\n:]+(?::\d+)?: [^\n]+\n")


def _build(root: Path) -> tuple[int, str]:
    """``site-builder -C root build`` in this process (the fuzz runs hundreds of builds)."""
    err, cwd = io.StringIO(), os.getcwd()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["-C", str(root), "build", "--jobs", "1"])
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


def _assert_user_error_or_success(root: Path) -> None:
    code, err = _build(root)
    assert code in (0, 1), err
    assert code == 0 or all(ONE_LINE.fullmatch(line + "\n") for line in err.splitlines()), err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(sorted(FIELDS)), value=VALUES)
def test_front_matter_values_never_give_an_internal_error(tmp_path_factory, key, value):
    """Finding 18, the rest of its class: any YAML value in any front-matter field is built or
    refused with file:line lines; never exit 3."""
    title = f"title: {value}\n" if key == "title" else f"title: X\n{key}: {value}\n"
    root = write_site(tmp_path_factory.mktemp("fm"), {"content/x.md": f"---\n{title}---\nText.\n",
                                                      "content/sources/src.md": SOURCE})
    _assert_user_error_or_success(root)


FACTS = {"figures": {"id": "f1", "kind": "count", "value": "10", "display": "'10'", "label": "items",
                     "text": "10 items", "source": "src#p1", "unit": "items", "of": "f0", "currency": "usd",
                     "scale": "million"},
         "lists": {"id": "l1", "title": "L", "items": "[items]", "text": "items", "source": "src#p1"},
         "terms": {"term": "items", "text": "items", "source": "src#p1", "definition": "d"}}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_figure_list_and_term_fields_never_give_an_internal_error(tmp_path_factory, data):
    """Finding 18: each field of a figure, list or term entry (on a theme page, where charts
    are drawn from them), any YAML value."""
    key = data.draw(st.sampled_from(sorted(FACTS)))
    entry = dict(FACTS[key])
    entry[data.draw(st.sampled_from(sorted(entry)))] = data.draw(VALUES)
    lines = "".join(f"    {k}: {v}\n" for k, v in entry.items()).replace("    ", "  - ", 1)
    root = write_site(tmp_path_factory.mktemp("facts"), {
        "content/overview/src.md": f"---\ntitle: P\n{key}:\n{lines}---\nA paragraph.\n",
        "content/sources/src.md": SOURCE})
    _assert_user_error_or_success(root)


@pytest.mark.parametrize("key, entry, message", [
    ("lists", 'id: l1\n    title: L\n    items: ["a\\nb"]\n    text: items\n    source: src#p1',
     "content/overview/src.md:7: 'a\\nb' does not occur in the source article src; quote the source exactly "
     "or run 'site-builder ingest --force'"),
    ("terms", 'term: items\n    text: items\n    source: "sr\\nc#p1"\n    definition: d',
     "content/overview/src.md:6: source 'sr\\nc#p1': no source article 'sr\\nc' (did you mean 'src'?)")])
def test_a_newline_in_a_quoted_fact_is_shown_escaped_on_one_line(tmp_path, key, entry, message):
    """What the fuzz above found: a list item or a source name with a newline gave a two-line error."""
    root = write_site(tmp_path, {"content/overview/src.md": f"---\ntitle: P\n{key}:\n  - {entry}\n---\nA paragraph.\n",
                                 "content/sources/src.md": SOURCE})
    code, err = _build(root)
    assert (code, err) == (1, message + "\n")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(sorted(CONFIG_FIELDS) + ["theme id", "theme title", "theme summary", "theme keywords"]),
       value=VALUES)
def test_site_yaml_values_never_give_an_internal_error(tmp_path_factory, key, value):
    """Finding 18 for site.yaml: any YAML value for any key (and for each key of a theme)."""
    config = yaml.safe_dump({k: v for k, v in BASE_CONFIG.items() if k != key.split()[-1]}, sort_keys=False)
    if key.startswith("theme "):
        theme = {"id": "overview", "title": "Overview", "keywords": "[overall]", key.split()[1]: value}
        config = config.split("themes:")[0] + "themes:\n- " + "\n  ".join(f"{k}: {v}" for k, v in theme.items())
    else:
        config += f"{key}: {value}\n"
    root = write_site(tmp_path_factory.mktemp("cfg"), {"site.yaml": config, "content/a.md": page("A")})
    _assert_user_error_or_success(root)


@pytest.mark.parametrize("key, value", [
    ("date", "2024-02-30"), ("date", "!!binary aGVsbG8="), ("updated", "9999-12-31T23:59:59-23:59"),
    ("weight", "0x" + "f" * 120), ("weight", "1.0e+400"), ("tags", "[[[[[[]]]]]]"), ("tags", "'CON'"),
    ("section", "'../x'"), ("section", '"\\0"'), ("extra", "{a: .nan, 2024-01-01: !!set {b}}"),
    ("content_dir", '"\\0"'), ("content_dir", "'" + "x" * 300 + "'"), ("language", "'../x'"),
    ("language", "2024-02-30")])
def test_the_nastiest_values_through_the_real_cli(tmp_path, key, value):
    """Finding 18 through the installed command itself (a process per build), for the values
    that broke it and the fields they broke."""
    if key in CONFIG_FIELDS and key not in FIELDS:
        files = {"site.yaml": SITE_YAML + f"{key}: {value}\n", "content/a.md": page("A")}
    else:
        files = {"content/x.md": front(f"{key}: {value}"), "content/sources/src.md": SOURCE}
    r = run("build", cwd=write_site(tmp_path / "site", files))
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert r.returncode == 0 or all(ONE_LINE.fullmatch(line + "\n") for line in r.stderr.splitlines()), r.stderr
