"""`site-builder ingest URL…` and `ingest --feed` (issue 17, parts 2 and 3), against a local HTTP
server on 127.0.0.1: redirects, 404, a slow answer, an oversized body, robots.txt, a PDF, and RSS
and Atom feeds of 20 entries. Never the internet."""
import html
import re
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from site_builder.errors import SiteError
from site_builder.ingest.feed import canonical
from site_builder.ingest.fetch import USER_AGENT, Fetcher

from conftest import run, write_site

PAGES = Path(__file__).parent / "pages"
FEEDS = Path(__file__).parent / "feeds"
ARTICLE = (PAGES / "guangdong-seed.html").read_bytes()
NAV_ONLY = b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav></body></html>"
RSS = (FEEDS / "riverside.rss").read_text(encoding="utf-8")


def _news_pages() -> dict[str, bytes]:
    """The page each RSS entry links to: the entry's title and first sentence, two more paragraphs."""
    out = {}
    for item in ET.fromstring(RSS.replace("{base}", "http://x")).iter("item"):
        path = item.findtext("link").split("x", 1)[1].split("?")[0]
        title, lead = html.escape(item.findtext("title")), html.escape(item.findtext("description"))
        out[path] = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} | The Riverside
Gazette</title><meta property="og:site_name" content="The Riverside Gazette"></head><body>
<nav class="site-nav"><a href="/">News</a> <a href="/sport/">Sport</a></nav>
<main><article><h1>{title}</h1><p class="byline">By Priya Raman</p>
<p>{lead} The change was agreed at a meeting of the full council on Thursday evening.</p>
<p>Residents had asked for the change for several years, and the council said it had listened to them.</p>
<p>Officials said they would review how the change works after six months and publish the results.</p>
</article><section class="comments"><h2>Comments</h2><p>Be the first to comment.</p></section></main>
</body></html>""".encode()
    return out


NEWS = _news_pages()


class Handler(BaseHTTPRequestHandler):
    agents: list[str] = []

    def log_message(self, *args):  # the test's output stays readable
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.agents.append(self.headers.get("User-Agent", ""))
        path = self.path.split("?")[0]
        base = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/news/guangdong.html":
            self.send(200, ARTICLE)
        elif path == "/old-address":
            self.send(301, location=f"{base}/news/guangdong.html")
        elif path == "/loop":
            self.send(302, location="/loop")
        elif path == "/slow":
            time.sleep(4)
            self.send(200, ARTICLE)
        elif path == "/trickle":  # headers at once, then a byte every 0.2 s: never a whole page in time
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif path == "/huge":
            self.send(200, b"<p>" + b"x" * 6_000_000 + b"</p>")
        elif path == "/huge-unannounced":  # no Content-Length: the limit counts what arrives
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"y" * 100_000)
            except OSError:
                pass
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.7\n", "application/pdf")
        elif path == "/private/memo.html":
            self.send(200, ARTICLE)
        elif path == "/home":
            self.send(200, NAV_ONLY)
        elif path == "/feed.rss":
            self.send(200, RSS.replace("{base}", base).encode(), "application/rss+xml")
        elif path in NEWS:
            self.send(200, NEWS[path])
        else:
            self.send(404, b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetch_error(url: str, **kw) -> str:
    with pytest.raises(SiteError) as e:
        Fetcher(**kw).page(url)
    return str(e.value)


def test_fetch_follows_redirects_and_says_who_it_is(server):
    r = Fetcher().page(f"{server}/old-address")
    assert (r.url, r.final_url, r.body) == (f"{server}/old-address", f"{server}/news/guangdong.html", ARTICLE)
    assert Handler.agents[-1] == USER_AGENT and USER_AGENT.startswith("site-builder/")


@pytest.mark.parametrize("path,message", [
    ("/missing", "404 Not Found"),
    ("/loop", "more than 5 redirects; nothing written"),
    ("/report.pdf", "not a web page (Content-Type: application/pdf); nothing written"),
    ("/private/memo.html", "{server}/robots.txt does not allow fetching /private/memo.html; nothing written"),
    ("/huge", "the page is 6.0 MB, more than the 5 MB a page may be; nothing written"),
    ("/huge-unannounced", "the page is over 5.0 MB, more than the 5 MB a page may be; nothing written"),
])
def test_fetch_errors_are_one_line(server, path, message):
    assert _fetch_error(server + path) == f"{server}{path}: " + message.format(server=server)


def test_slow_answers_time_out(server):
    start = time.monotonic()
    assert _fetch_error(f"{server}/slow", timeout=1) == f"{server}/slow: no answer within 1 s (timed out); nothing written"
    assert _fetch_error(f"{server}/trickle", timeout=1) == \
        f"{server}/trickle: no whole answer within 1 s (timed out); nothing written"
    assert time.monotonic() - start < 10   # each gives up after about 1 s, not after the 4 and 8 s they take


def test_nothing_listens():
    import socket

    with socket.socket() as s:   # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SiteError) as e:
        Fetcher(timeout=5).page(f"http://127.0.0.1:{port}/x")
    assert str(e.value) == (f"http://127.0.0.1:{port}/x: http://127.0.0.1:{port}/robots.txt could not be read "
                            "(cannot connect: connection refused); nothing fetched from this site")


def test_ingest_urls_from_the_command_line(server, tmp_path):
    root = write_site(tmp_path / "s", {})
    r = run("ingest", f"{server}/old-address", f"{server}/missing", f"{server}/report.pdf", f"{server}/home",
            "--timeout", "5", cwd=root)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"{server}/missing: 404 Not Found",
        f"{server}/report.pdf: not a web page (Content-Type: application/pdf); nothing written",
        f"{server}/home: no article text found in this page (the extractor kept nothing); save the article's "
        "own page, not a list or home page; nothing written"]
    assert r.stdout.splitlines()[0] == \
        f"fetched {server}/old-address (→ {server}/news/guangdong.html) → seeds/guangdong.html (9 kB)"
    # only the page that was fetched and read is written: raw HTML and its record
    assert sorted(p.name for p in (root / "seeds").iterdir()) == ["guangdong.html", "guangdong.source.yaml"]
    assert (root / "seeds/guangdong.html").read_bytes() == ARTICLE
    record = yaml.safe_load((root / "seeds/guangdong.source.yaml").read_text())
    assert record["url"] == f"{server}/old-address" and record["final_url"] == f"{server}/news/guangdong.html"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["fetched_at"])
    assert record["content_type"] == "text/html; charset=utf-8"
    # the build needs no network: the server's pages are gone, the site still builds from seeds/
    src = root / "content/sources/guangdong-accelerates-building-strong-manufacturing-province.md"
    meta = yaml.safe_load(src.read_text().split("---")[1])
    # the page's canonical address is on another host than the one it came from: not trusted
    assert meta["original_url"] == f"{server}/news/guangdong.html"
    assert meta["retrieved"] == record["fetched_at"][:10] or str(meta["retrieved"]) == record["fetched_at"][:10]
    again = run("ingest", cwd=root)   # re-ingesting everything reads the saved page, not the server
    assert again.returncode == 0, again.stderr
    assert "seeds/guangdong.html → guangdong-accelerates-building-strong-manufacturing-province" in again.stdout
    build = run("build", cwd=root)
    assert build.returncode == 0, build.stderr
    page = (root / "_site/sources/guangdong-accelerates-building-strong-manufacturing-province/index.html").read_text()
    assert f'href="{server}/news/guangdong.html" rel="external noopener">Read the original at 127.0.0.1:' in page


def test_refetching_a_url_replaces_its_seed(server, tmp_path):
    root = write_site(tmp_path / "s", {})
    for _ in range(2):
        r = run("ingest", f"{server}/news/guangdong.html", cwd=root)
        assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (root / "seeds").iterdir()) == ["guangdong.html", "guangdong.source.yaml"]


def test_bad_arguments(tmp_path):
    root = write_site(tmp_path / "s", {})
    r = run("ingest", "--limit", "3", cwd=root)
    assert (r.returncode, r.stderr.strip()) == (1, "--limit: --limit applies to --feed: site-builder ingest --feed "
                                                   "URL --limit 5")
    r = run("ingest", "--feed", "missing.xml", cwd=root)
    assert (r.returncode, r.stderr.strip()) == (1, "missing.xml: cannot read the feed: No such file or directory")
    (root / "notes.txt").write_text("Just some notes.")
    r = run("ingest", "--feed", "notes.txt", cwd=root)
    assert r.returncode == 1 and r.stderr.startswith("notes.txt: not an RSS or Atom feed (")


# --- feeds ---------------------------------------------------------------------------------------

def test_canonical_addresses():
    assert canonical("HTTP://Example.org:80/a?utm_source=rss&id=3#top") == "http://example.org/a?id=3"
    assert canonical("https://example.org") == canonical("https://EXAMPLE.org/")


def test_rss_feed_fetches_new_entries_and_skips_those_ingested(server, tmp_path):
    root = write_site(tmp_path / "s", {})
    first = run("ingest", f"{server}/news/03-library-extends-its-opening.html",
                f"{server}/news/07-river-clean-up-volunteers-collect.html", cwd=root)
    assert first.returncode == 0, first.stderr
    r = run("ingest", "--feed", f"{server}/feed.rss", "--limit", "4", cwd=root)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"feed {server}/feed.rss: 20 entries, 2 already ingested, 18 new, ingesting 4 (--limit 4)"
    # the feed is newest first: 20, 19, 18, 17 (its links carry ?utm_source=rss, ignored when comparing)
    assert [ln.split(" → ")[-1].split(" ")[0] for ln in lines[1:5]] == [
        "seeds/20-fire-station-holds-an.html", "seeds/19-park-gets-a-new.html", "seeds/18-town-hall-clock-restored.html",
        "seeds/17-recycling-centre-changes-opening.html"]
    record = yaml.safe_load((root / "seeds/20-fire-station-holds-an.source.yaml").read_text())
    assert (record["feed"], record["title"], record["author"], record["published"]) == (
        f"{server}/feed.rss", "Fire station holds an open day", "Priya Raman", "2024-05-21")
    rest = run("ingest", "--feed", f"{server}/feed.rss", cwd=root)
    assert rest.returncode == 0, rest.stderr
    assert rest.stdout.splitlines()[0] == f"feed {server}/feed.rss: 20 entries, 6 already ingested, 14 new"
    assert len(list((root / "content/sources").glob("*.md"))) == 20
    source = yaml.safe_load((root / "content/sources/fire-station-holds-open-day.md").read_text().split("---")[1])
    # the page has no date of its own: the feed's date, said in the report
    assert (source["title"], str(source["date"]), source["byline"]) == ("Fire station holds an open day", "2024-05-21",
                                                                        "Priya Raman")


def test_atom_feed_with_full_content_from_a_file(tmp_path):
    root = write_site(tmp_path / "s", {"harbour.atom": (FEEDS / "harbour-notes.atom").read_bytes()})
    r = run("ingest", "--feed", "harbour.atom", "--limit", "2", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[:3] == [
        "feed harbour.atom: 20 entries, 0 already ingested, 20 new, ingesting 2 (--limit 2)",
        "from the feed: https://blog.harbour-notes.example/2024/05/21/fire-station-holds-an/ → "
        "seeds/fire-station-holds-an.html (1 kB)",
        "from the feed: https://blog.harbour-notes.example/2024/05/20/park-gets-a-new/ → seeds/park-gets-a-new.html (1 kB)"]
    page = (root / "seeds/fire-station-holds-an.html").read_text()
    assert '<link rel="canonical" href="https://blog.harbour-notes.example/2024/05/21/fire-station-holds-an/">' in page
    assert "<p>The fire station will open its doors to the public on the first weekend of June, the council" in page
    r = run("ingest", "--feed", "harbour.atom", cwd=root)
    assert r.stdout.splitlines()[0] == "feed harbour.atom: 20 entries, 2 already ingested, 18 new"
    meta = yaml.safe_load((root / "content/sources/fire-station-holds-open-day.md").read_text().split("---")[1])
    assert (meta["original_url"], str(meta["date"]), meta["byline"], meta["title"]) == (
        "https://blog.harbour-notes.example/2024/05/21/fire-station-holds-an/", "2024-05-21", "Tom Hargreaves",
        "Fire station holds an open day")
    assert run("build", cwd=root).returncode == 0
    about = (root / "_site/about/index.html").read_text()
    # the About page credits the newest 10 with their originals (issue 15's one pagination), the
    # archive has all 20
    assert about.count("at blog.harbour-notes.example</a></li>") == 10
    assert 'These are the newest 10; <a href="/sources/">all 20 articles</a> are in the archive.' in about

