"""Drafts, future and expired pages: left out of every build and list unless asked for, links to
them are errors that say why, and a build with no changed file notices a page going live."""
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model import publish
from site_builder.model.config import load_config

from conftest import page, run

FUTURE = "---\ntitle: Coming\ndate: 2099-01-01\n---\nSoon.\n"
EXPIRED = "---\ntitle: Gone\nexpiryDate: 2000-01-01\n---\nOld news.\n"
LATER = "---\ntitle: Later\ndate: 2020-01-01\npublishDate: 2099-06-01T09:00:00+08:00\n---\nEmbargoed.\n"


def _build(root: Path, **kw):
    return build(load_config(root), **kw)


def _errors(root: Path, **kw) -> list[str]:
    with pytest.raises(SiteError) as e:
        _build(root, **kw)
    return str(e.value).splitlines()


def _site(site):
    return site({"content/posts/now.md": page("Now", date="2024-01-01", tags=["t"]),
                 "content/posts/coming.md": FUTURE.replace("date:", "tags: [t]\ndate:"),
                 "content/posts/gone.md": EXPIRED, "content/posts/later.md": LATER})


def _everything(out: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".xml", ".json"))


def test_future_and_expired_pages_are_left_out_everywhere(site):
    root = _site(site)
    _build(root)
    out = root / "_site"
    assert (out / "posts/now/index.html").is_file()
    for slug in ("coming", "gone", "later"):
        assert not (out / "posts" / slug).exists()
    text = _everything(out)  # no list, tag page, feed or sitemap names them
    for title in ("Coming", "Gone", "Later", "posts/coming/", "posts/gone/", "posts/later/"):
        assert title not in text


def test_future_and_expired_with_their_flags(site):
    root = _site(site)
    _build(root, future=True)
    out = root / "_site"
    assert (out / "posts/coming/index.html").is_file() and (out / "posts/later/index.html").is_file()
    assert not (out / "posts/gone").exists()
    assert "posts/coming/" in (out / "sitemap.xml").read_text()
    _build(root, expired=True)
    assert (out / "posts/gone/index.html").is_file() and not (out / "posts/coming").exists()


def test_time_zone_rule_offset_and_utc(site, monkeypatch):
    """publishDate 2099-06-01T09:00+08:00 is 01:00 UTC; a date alone is midnight UTC."""
    root = _site(site)
    at = dt.datetime(2099, 6, 1, 0, 59, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(publish, "utc_now", lambda: at)
    _build(root)
    assert not (root / "_site/posts/later").exists()
    assert (root / "_site/posts/coming/index.html").is_file()  # 2099-01-01 00:00 UTC has passed
    monkeypatch.setattr(publish, "utc_now", lambda: at + dt.timedelta(minutes=1))
    _build(root)
    assert (root / "_site/posts/later/index.html").is_file()


def test_an_up_to_date_build_notices_a_page_going_live(site, monkeypatch):
    root = _site(site)
    past = os.stat(root).st_mtime - 60  # files saved a minute ago: trusted as unchanged
    for p in root.rglob("*"):
        os.utime(p, (past, past))
    _build(root)
    assert _build(root).up_to_date
    monkeypatch.setattr(publish, "utc_now", lambda: dt.datetime(2099, 1, 2, tzinfo=dt.timezone.utc))
    result = _build(root)
    assert not result.up_to_date
    assert (root / "_site/posts/coming/index.html").is_file()
    assert "posts/coming/" in (root / "_site/sitemap.xml").read_text()


def test_links_to_unpublished_pages_say_why(site):
    root = site({"content/a.md": "---\ntitle: A\n---\n[c](posts/coming.md)\n\n[g](posts/gone.md)\n\n"
                                 "[d](draft.md)\n\n[abs](/posts/coming/)\n",
                 "content/posts/coming.md": FUTURE, "content/posts/gone.md": EXPIRED,
                 "content/draft.md": page("D", draft=True)})
    assert _errors(root) == [
        "content/a.md:4: links to content/posts/coming.md, which is not published until 2099-01-01; "
        "use --future to build it",
        "content/a.md:6: links to content/posts/gone.md, which expired on 2000-01-01 (expiryDate); "
        "use --expired to build it",
        "content/a.md:8: links to content/draft.md, which is a draft (draft: true); use --drafts to build it",
        "content/a.md:10: links to content/posts/coming.md, which is not published until 2099-01-01; "
        "use --future to build it",
    ]
    _build(root, future=True, expired=True, drafts=True)
    assert (root / "_site/a/index.html").is_file()


def test_bad_publish_date_names_file_and_line(site):
    root = site({"content/a.md": "---\ntitle: A\npublishDate: soon\n---\nx\n"})
    assert _errors(root) == ["content/a.md:3: 'publishDate' must be a date (YYYY-MM-DD) or date-time "
                             "(YYYY-MM-DDTHH:MM:SS, with +HH:MM if not UTC), not a string"]


def test_cli_future_and_expired(site):
    root = _site(site)
    r = run("build", "--future", "--expired", cwd=root)
    assert r.returncode == 0, r.stderr
    assert (root / "_site/posts/gone/index.html").is_file() and (root / "_site/posts/coming/index.html").is_file()
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    assert not (root / "_site/posts/gone").exists() and not (root / "_site/posts/coming").exists()
    marker = json.loads((root / "_site/.site-builder.json").read_text())
    assert marker  # the build owns its output


def test_serve_drafts_future_expired(site):
    """``serve --drafts --future --expired`` previews every page; plain ``serve`` none of them."""
    from test_serve import Server, get

    root = site({"content/posts/coming.md": FUTURE, "content/posts/gone.md": EXPIRED,
                 "content/d.md": page("Draft page", draft=True), "content/a.md": page("A")})
    server = Server(root, "--drafts", "--future", "--expired")
    try:
        for path in ("posts/coming/", "posts/gone/", "d/"):
            status, body = get(server.url + path)
            assert status == 200, path
    finally:
        server.stop()
    server = Server(root)
    try:
        assert get(server.url + "a/")[0] == 200
        for path in ("posts/coming/", "posts/gone/", "d/"):
            assert get(server.url + path)[0] == 404, path
    finally:
        server.stop()


def test_a_date_with_a_time_and_offset_goes_live_at_that_moment(site, monkeypatch):
    """date: 2099-03-01T23:30:00-05:00 is 04:30 UTC on 2 March (its day alone went live 28.5 hours early)."""
    root = site({"content/posts/late.md": "---\ntitle: Late\ndate: 2099-03-01T23:30:00-05:00\n---\nText.\n"})
    at = dt.datetime(2099, 3, 2, 4, 29, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(publish, "utc_now", lambda: at)
    _build(root)
    assert not (root / "_site/posts/late").exists()
    monkeypatch.setattr(publish, "utc_now", lambda: at + dt.timedelta(minutes=1))
    _build(root)
    assert (root / "_site/posts/late/index.html").is_file()


@pytest.mark.parametrize("key", ["date", "publishDate", "updated"])
def test_a_date_time_outside_the_years_of_utc_is_an_error_with_its_line(site, key):
    """0001-01-01T00:00:00+05:00 is in year 0 in UTC, where lists, feeds and publishing compare it."""
    root = site({"content/a.md": f"---\ntitle: A\n{key}: 0001-01-01T00:00:00+05:00\n---\nText.\n"})
    assert _errors(root) == [f"content/a.md:3: '{key}' 0001-01-01T00:00:00+05:00 is before year 1 or after "
                             "9999 in UTC; write a date between them"]


def test_a_moment_is_remembered_for_equal_values_only():
    """model.publish keeps each date's moment once made (70,000 asks a build at 10,000 pages): a
    value must never get the moment of another that is not equal to it (a date and its midnight
    date-time, a date-time without an offset and one with, the same wall time in two offsets),
    and equal values (one instant in two offsets) share theirs. Seconds written by hand:
    2024-01-01T00:00Z is 1704067200."""
    plus8 = dt.timezone(dt.timedelta(hours=8))
    asked = [(dt.date(2024, 1, 1), 1704067200.0),
             (dt.datetime(2024, 1, 1), 1704067200.0),                      # no offset: UTC
             (dt.datetime(2024, 1, 1, tzinfo=plus8), 1704067200.0 - 8 * 3600),
             (dt.datetime(2024, 1, 1, 8, tzinfo=plus8), 1704067200.0),     # the same instant as midnight UTC
             (dt.datetime(2024, 1, 1, 0, 0, 1), 1704067201.0),
             (dt.date(2024, 1, 2), 1704067200.0 + 86400)]
    for _ in range(2):  # made, then remembered
        for value, seconds in asked:
            assert publish.seconds(value) == seconds, value
            assert publish.moment(value) == dt.datetime.fromtimestamp(seconds, dt.timezone.utc), value
            assert publish.moment(value).tzinfo is dt.timezone.utc
