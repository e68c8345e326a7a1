"""site.yaml: unknown keys and wrong types name the line and the nearest valid key."""
import pytest

from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import write_site


def load(tmp_path, text):
    write_site(tmp_path, {"site.yaml": text})
    return load_config(tmp_path)


def test_defaults_and_absolute_paths(tmp_path):
    c = load(tmp_path, "title: T\n")
    assert c.base_url == "http://127.0.0.1:8000/"
    assert c.output_dir == tmp_path.resolve() / "_site"
    assert c.content_dir.is_absolute() and c.search is True and c.language == "en"


def test_base_url_gets_a_trailing_slash(tmp_path):
    assert load(tmp_path, "title: T\nbase_url: https://u.github.io/repo\n").base_url == "https://u.github.io/repo/"


def test_command_line_base_url_wins(tmp_path):
    write_site(tmp_path, {"site.yaml": "title: T\nbase_url: https://a.org/\n"})
    assert load_config(tmp_path, base_url="https://b.org/x/").base_url == "https://b.org/x/"


@pytest.mark.parametrize("text,message", [
    ("title: T\nbase_ulr: https://x.org/\n", "site.yaml:2: unknown site.yaml key 'base_ulr' (did you mean 'base_url'?)"),
    ("title: T\nbase_url: example.org/repo/\n",
     "site.yaml:2: base_url 'example.org/repo/' needs a scheme and a host, e.g. https://user.github.io/repo/"),
    ('title: T\nbase_url: "https://x.org/\\n?q"\n',  # a message is one line, whatever the value holds
     "site.yaml:2: base_url 'https://x.org/\\n?q' must not have a query or #fragment"),
    ("title: [a, b]\n", "site.yaml:1: 'title' must be a string, not a list"),
    ("title: T\nsearch: maybe\n", "site.yaml:2: 'search' must be true or false, not a string"),
    ("description: no title\n", "site.yaml:1: 'title' is required: add  title: My site"),
    ("title: T\nthemes:\n  - id: Bad Id\n    title: X\n",
     "site.yaml:3: theme id 'Bad Id' must be lowercase letters, digits and hyphens"),
    ("title: T\nthemes:\n  - id: a\n    title: A\n    sumary: x\n",
     "site.yaml:5: unknown theme key 'sumary' (did you mean 'summary'?)"),
    ("title: T\nthemes:\n  - id: a\n    title: A\n  - id: a\n    title: B\n", "site.yaml:5: theme id 'a' is used twice"),
    ("title: T\ntitle: U\n", "site.yaml:2: duplicate key 'title' (first set on line 1); keep one of them"),
    ("title: T\noutput_dir: content\n", "site.yaml:2: output_dir is the same folder as content_dir; a build would overwrite it"),
])
def test_config_errors(tmp_path, text, message):
    with pytest.raises(SiteError) as e:
        load(tmp_path, text)
    assert str(e.value) == message


def test_keywords_with_weights(tmp_path):
    c = load(tmp_path, "title: T\nthemes:\n  - id: a\n    title: A\n    keywords: {Green: 2, carbon: 1}\n")
    assert c.themes[0].keywords == (("green", 2.0), ("carbon", 1.0))
    assert c.default_theme == "a"


def test_missing_config(tmp_path):
    with pytest.raises(SiteError) as e:
        load_config(tmp_path)
    assert str(e.value).startswith("site.yaml: no site.yaml in ")
