"""The front-matter parser: table-driven, with the exact line every error names."""
import datetime as dt

import pytest

from site_builder.errors import SiteError
from site_builder.fs import decode_text
from site_builder.model.frontmatter import parse_front_matter

OK = [
    # (file text, expected front matter, expected body, body line)
    ("---\ntitle: Hi\n---\nBody\n", {"title": "Hi"}, "Body\n", 4),
    ("---\ntitle: Hi\ndate: 2024-01-02\n---\n", {"title": "Hi", "date": dt.date(2024, 1, 2)}, "", 5),
    ("No front matter\n", {}, "No front matter\n", 1),
    ("---\n---\nBody", {}, "Body", 3),
    ("---\ntitle: 'x: y'\ntags: [a, b]\n---\n\nText", {"title": "x: y", "tags": ["a", "b"]}, "\nText", 5),
    ("---\ntitle: Hi\n---", {"title": "Hi"}, "", 4),
]


@pytest.mark.parametrize("text,meta,body,body_line", OK)
def test_parses(text, meta, body, body_line):
    got, got_body, got_line = parse_front_matter(text, "content/x.md")
    assert dict(got) == meta
    assert got_body == body
    assert got_line == body_line


BAD = [
    # (file text, exact error)
    ("---\ntitle: Hi\n\tdate: 2024-01-01\n---\n",
     "content/x.md:3: a tab character is used for indentation; YAML needs spaces"),
    ("---\ntitle: \"Hi\ndate: 2024-01-01\n---\nBody\n",
     "content/x.md:2: a quoted string is never closed; add the closing quote"),
    ("---\ntitle: Hi\nsummary: x\ntitle: Again\n---\n",
     "content/x.md:4: duplicate key 'title' (first set on line 2); keep one of them"),
    ("---\ntitle: Hi\nBody without a closing line\n",
     "content/x.md:1: front matter starts here but is never closed; add a line with --- after it"),
    ("---\n- a\n- b\n---\n",
     "content/x.md:2: front matter must be 'key: value' lines, not a list"),
    ("---\ntitle: a: b\n---\n",
     "content/x.md:2: a ':' inside a value; put the value in quotes"),
]


@pytest.mark.parametrize("text,message", BAD)
def test_errors_name_the_line(text, message):
    with pytest.raises(SiteError) as e:
        parse_front_matter(text, "content/x.md")
    assert str(e.value) == message


def test_bom_and_crlf_are_fine():
    text = decode_text("\ufeff---\r\ntitle: Hi\r\n---\r\nBody\r\n".encode(), "content/x.md")
    meta, body, line = parse_front_matter(text, "content/x.md")
    assert meta == {"title": "Hi"} and body == "Body\n" and line == 4


@pytest.mark.parametrize("data,message", [
    (b"---\ntitle: x\n---\n\xff\xfe bad", "content/x.md:4: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "content/x.md: binary data (a NUL byte), not text; only UTF-8 text files belong here"),
])
def test_undecodable(data, message):
    with pytest.raises(SiteError) as e:
        decode_text(data, "content/x.md")
    assert str(e.value) == message
