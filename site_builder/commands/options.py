"""The command line's grammar: each command, its options and the checks of their values (a
wrong value is argparse's usage error, exit 2). What each command does is ``cli``'s."""
from __future__ import annotations

import argparse

from .. import __version__


def parser() -> argparse.ArgumentParser:
    """``site-builder``'s parser: ``args.command`` names the command given."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks, and how long each phase of a build took")
    p = argparse.ArgumentParser(prog="site-builder", parents=[common],
                                description="Turn source articles into a static informational website.")
    p.add_argument("-C", metavar="DIR", dest="directory", help="run as if started in DIR")
    p.add_argument("--version", action="version", version=f"site-builder {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_new, _ingest, _build, _check, _deploy, _serve):  # in the order --help lists them
        add(sub, common)
    return p


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds between 0 and 600")
    return value


def _publishing(s: argparse.ArgumentParser) -> None:
    """build's and serve's options for pages that are not live now."""
    s.add_argument("--drafts", action="store_true", help="include pages with draft: true")
    s.add_argument("--future", action="store_true", help="include pages whose publishDate or date is in the future")
    s.add_argument("--expired", action="store_true", help="include pages whose expiryDate has passed")


def _new(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("new", parents=[common], help="scaffold a new site in DIR, or 'new page PATH': a page "
                       "from an archetype")
    s.add_argument("dir", metavar="DIR | page PATH", nargs="+")
    s.add_argument("--articles", action="store_true", help="a site that ingests source articles into themes")


def _ingest(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("ingest", parents=[common], help="turn articles in seeds/ into content pages")
    s.add_argument("files", nargs="*", metavar="FILE|URL",
                   help="articles to ingest (default: all of seeds/); a URL is fetched into seeds/ first")
    s.add_argument("--feed", metavar="URL_OR_FILE", help="ingest the new entries of an RSS or Atom feed")
    s.add_argument("--limit", type=_count, metavar="N", help="with --feed: at most N new entries")
    s.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                   help="for each page fetched (default: 20)")
    s.add_argument("--force", action="store_true", help="overwrite hand-edited pages, remove orphans")


def _build(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("build", parents=[common], help="render content/ into the output folder")
    s.add_argument("--out", metavar="DIR", help="output folder (default: _site)")
    s.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    _publishing(s)
    s.add_argument("--strict", action="store_true", help="make every warning an error, then check the built site (links, anchors, ids, titles)")
    s.add_argument("--jobs", "-j", type=int, metavar="N", help="render with N processes (default: one per core)")
    s.add_argument("--clean", action="store_true", help="ignore the build cache and render everything")
    s.add_argument("--force", action="store_true", help="take over an output folder site-builder did not "
                   "make (deleting the files it does not write; never .git)")


def _check(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("check", parents=[common], help="check a built site offline: links, anchors, ids, metadata")
    s.add_argument("--out", metavar="DIR", help="the built site (default: _site)")
    s.add_argument("--base-url", metavar="URL", help="the base_url it was built with (default: site.yaml)")


def _deploy(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("deploy", parents=[common], help="build and push the site to a gh-pages branch")
    s.add_argument("--remote", default="origin")
    s.add_argument("--branch", default="gh-pages")
    s.add_argument("--message", "-m", help="commit message")
    s.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    s.add_argument("--force", action="store_true", help="overwrite a remote branch that has diverged, or a "
                   "branch that shares history with your other branches")
    s.add_argument("--no-build", action="store_true", help="publish what the last build wrote, as it is")


def _serve(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("serve", parents=[common], help="build, serve and rebuild on change")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--open", action="store_true", help="open a browser")
    s.add_argument("--poll", action="store_true",
                   help="look for changes by polling (where inotify misses them: network drives, some VMs)")
    _publishing(s)
