"""The quick reading of plain ``key: value`` YAML (model/yamlquick.py) gives exactly what PyYAML's
parser gives — values and their types, each key's line, the same error at the same line — or
leaves the document to the parser. Every case is read both ways and compared."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from site_builder.errors import SiteError
from site_builder.model import yamlfile, yamlquick


def _typed(value):
    """A value with every type spelled out (True == 1 and a date never equals a datetime, but
    1.0 == 1 and True == 1 would pass a plain comparison)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()],
                getattr(value, "line", None), sorted(map(repr, getattr(value, "key_lines", {}).items())))
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def _read(read, text: str, first_line: int):
    try:
        return _typed(read(text, "content/a.md", first_line, "front matter"))
    except SiteError as e:
        return ("error", str(e))


def _same(text: str, first_line: int = 2) -> bool:
    """Whether the quick path reads ``text`` (the comparison is made either way)."""
    assert _read(yamlfile.load_yaml, text, first_line) == _read(yamlfile._load_full, text, first_line), text
    entries = yamlquick.entries(text)
    try:
        return bool(entries) and yamlfile._quick(entries, first_line - 1) is not None
    except SiteError:
        return True


# plain scalars PyYAML's resolver makes into something other than a string, and texts that only look
# like plain scalars: indicators, comments, quotes, flow collections, anchors, tags, odd spaces and
# characters YAML reads as line breaks or refuses
TRICKY = [
    "x", "yes", "No", "on", "OFF", "y", "n", "true", "False", "~", "null", "NULL", "Null", "",
    "1", "-1", "+1", "0", "017", "0o17", "0x1F", "0b101", "1_000", "1:30", "190:20:30", "1,000",
    "1.5", ".5", "5.", "1e3", "1.0e+3", "-1.5e-3", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "1_0.5",
    "2024-01-01", "2024-1-1", "2024-02-30", "0000-01-01", "2024-01-01T10:00:00Z",
    "2024-01-01 10:00:00 +05:00", "2024-01-01t10:00:00.5-05:30", "2024-01-01T25:00:00",
    "1" * 101, "-" + "9" * 100, "=", "<<", "a: b", "a:b", "a:", "http://x.org/a?b=c", "a #b", "a#b",
    "- a", "-a", "-", "--", "---", "...", "a  b", "it's", "a 'b'", "'q'", '"q"', '"a\\"b"', "'it''s'",
    '"a', "'a", '"a" b', "[a, b]", "[a,b]", "[ a ]", "[]", "[a, [b]]", "[a, 'b, c', \"d\"]", "[1, yes, ~, 2024-01-01]",
    "[2024-02-30]", "[/old/, .5, ./a, ., .inf]", "[-1, +1]", "[a, b", "{a: b}", "{}", "&x a", "*x", "!!str 1", "!x a", "|", ">", "|-", "%x", "@x",
    "`x`", "?x", "? x", "a?", "Hi!", "(a)", "a (b)", "a, b", "a;b", "$5", "~x", "a\tb", "x ", " x",
    "日本語", "“quote”", "a — b", "a\u2028b", "a\x85b", "\ufeffa", "a\rb", "a\x07b", "\ud7ff", "\U0001f600",
]
KEYS = ["title", "on", "null", "1", "y", "a-b", "_x", "2024-01-01", "Title", "x y", "'q'", "a.b", "é"]


@pytest.mark.parametrize("value", TRICKY)
def test_every_tricky_value_is_read_as_pyyaml_reads_it(value):
    _same(f"title: {value}\n")
    _same(f"tags: [{value}]\n")
    _same(f"a: {value}\nb: {value}\n", first_line=5)


@pytest.mark.parametrize("value", TRICKY)
def test_every_tricky_value_quoted_is_read_as_pyyaml_reads_it(value):
    """Quoted, a value is a string whatever it looks like ('"1"', "'yes'"), unless YAML reads a
    character in it otherwise (a line break, a tab, an escape)."""
    for quoted in (f'"{value}"', f"'{value}'"):
        _same(f"title: {quoted}\n")
        _same(f"tags: [{quoted}, x]\n")


@pytest.mark.parametrize("key", KEYS)
def test_every_tricky_key_is_read_as_pyyaml_reads_it(key):
    _same(f"{key}: x\n")
    _same(f"{key}: x\n{key}: y\n")


@pytest.mark.parametrize("text", [
    "\n\n# a comment\ntitle: A\n\n# another\ndate: 2024-03-01\n",   # the mapping's line is its first key's
    "title: A\ntitle: B\n",                       # duplicate key: an error at its line
    "on: 1\nOn: 2\n",                             # the same key (True) written twice
    "a: [2024-02-30]\na: 1\n",                    # PyYAML builds lists last: the duplicate is found first
    "a: [1]\nb: 2024-02-30\n",
    "date: 2024-02-30\n",                         # a date that does not exist
    "n: " + "1" * 101 + "\n",                     # too many digits
    "title: A\n  continued\n",                    # a plain scalar over two lines
    "title: A\n- b\n",
    "title: A # comment\n",
    " title: A\n",
    "title:  A\n",
    "title: A \n",
    "title:\n",
    "title: A\n---\n",
    "title: A\n...\n",
    "# only a comment\n",
    "\n",
    "",
    "[a, b]\n",
    "just text\n",
    "title: A\r\nb: c\n",
    "title: A\tB\n",
])
def test_documents_are_read_as_pyyaml_reads_them(text):
    _same(text)


def test_combinations_of_values_and_keys_agree():
    """Pairs of tricky lines, each key with each value (the order of errors, duplicates and lists)."""
    for (k1, v1), (k2, v2) in itertools.islice(itertools.product(
            itertools.product(KEYS[:6], TRICKY[::3]), repeat=2), 0, None, 97):
        _same(f"{k1}: {v1}\n{k2}: {v2}\n")


def test_ordinary_front_matter_takes_the_quick_path(monkeypatch):
    """Front matter as people write it never reaches the parser (the quick path is not dead code)."""
    texts = [
        'title: "Must Do Footer Content Have"\ndate: 2020-12-31\ntags: [community, css]\nsection: notes\n'
        'summary: "Gentle client version task."\n',
        "title: It's a plain title, with commas (and brackets)\ndate: 2024-03-01T09:30:00+08:00\n"
        "weight: 3\ndraft: false\nslug: my-page\naliases: [/old/, old-name]\nsummary:\n",
        "title: '日本語のページ'\nlanguage: ja\nupdated: 2024-04-01\ntags: []\nprice: 1.5\n",
    ]
    expected = [_read(yamlfile._load_full, t, 2) for t in texts]

    def no_parser(*args):
        raise AssertionError("the parser was used")
    monkeypatch.setattr(yamlfile, "_load_full", no_parser)
    assert [_read(yamlfile.load_yaml, t, 2) for t in texts] == expected
    assert expected[0][1][1] == (("str", "'date'"), ("date", repr(dt.date(2020, 12, 31))))
    assert expected[1][1][1][1][0] == "datetime"


def test_the_table_exercises_the_quick_path():
    """Enough of the cases above are read quickly for the comparison to mean something, and each
    kind of value (quoted, plain, list, empty) is among them."""
    quick = [v for v in TRICKY if _same(f"title: {v}\n")]
    assert len(quick) >= 60
    assert {'"q"', "'q'", "[a, b]", "[/old/, .5, ./a, ., .inf]", "2024-01-01", "1.5", "yes", "a  b", "日本語"} <= set(quick)
    assert not {"a #b", "- a", "&x a", "*x", "!!str 1", "|", "a\u2028b", "\ufeffa", "x ", "[a,b]", "{}"} & set(quick)
