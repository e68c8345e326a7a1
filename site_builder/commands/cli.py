"""``site-builder``: the only place that turns errors into exit codes.

0 success · 1 a content, config or template error (one ``path:line: message`` line each)
· 2 a usage error. ``--verbose`` shows tracebacks, and the time of each phase of a build.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import traceback
import warnings
from pathlib import Path
from typing import Callable

from ..errors import SiteError, SiteWarning, format_warning
from ..model.config import find_root, load_config
from .options import parser


def _root() -> Path:
    root = find_root(Path.cwd())
    if root is None:
        raise SiteError("site.yaml", None, f"no site.yaml in {Path.cwd()} or above; run "
                                           "'site-builder new DIR' to start a site, or -C DIR to point at one")
    return root


def _warn(found: list[SiteError]) -> None:
    for w in found:
        print(format_warning(w), file=sys.stderr)


_show_warning = warnings.showwarning


def _show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001, ANN202
    """A SiteWarning (about the machine, not a file of the site) as one line, no source location."""
    if issubclass(category, SiteWarning):
        _warn([SiteError("site-builder", None, str(message))])
    else:
        _show_warning(message, category, filename, lineno, file, line)


def cmd_build(args: argparse.Namespace) -> int:
    from ..build import build

    config = load_config(_root(), base_url=args.base_url)
    out = Path(args.out).resolve() if args.out else None
    if args.process_exits:
        gc.disable()  # build() pauses the cycle collector; the process ends before it is needed
    result = build(config, out=out, drafts=args.drafts, future=args.future, expired=args.expired, jobs=args.jobs,
                   use_cache=not args.clean, force=args.force, strict=args.strict,
                   progress=_progress() if sys.stdout.isatty() and not os.environ.get("CI") else None)
    _warn(result.warnings)
    print(result.summary())
    if getattr(args, "verbose", False):
        print("\n".join(result.timings()))
    if args.strict:
        return _report_check(config, result.out)
    return 0


def _progress():  # noqa: ANN202
    """A progress line on a terminal, once a build has run for a second."""
    import time

    start = time.monotonic()

    def show(done: int, total: int) -> None:
        if time.monotonic() - start > 1:
            print(f"\rRendering {done}/{total} pages", end="\n" if done == total else "", flush=True)
    return show


def _report_check(config, out: Path) -> int:  # noqa: ANN001
    from .check import check_site

    problems = check_site(config, out)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {config.shown(out)}/", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..build.output import settle

    config = load_config(_root(), base_url=args.base_url)
    out = Path(args.out).resolve() if args.out else config.output_dir
    _warn(settle(out, config))  # a build killed while moving files in: finished first
    if not (out / "index.html").is_file():
        raise SiteError(config.shown(out), None, "no built site here; run 'site-builder build' first")
    code = _report_check(config, out)
    if code == 0:
        print(f"No problems found in {config.shown(out)}/")
    return code


def cmd_deploy(args: argparse.Namespace) -> int:
    from ..build import build
    from .deploy import deploy

    config = load_config(_root(), base_url=args.base_url)
    out = config.output_dir
    if args.no_build:
        from ..build.output import settle

        _warn(settle(out, config))  # a build killed while moving files in: finished first
    else:
        result = build(config, out=out)
        _warn(result.warnings)
        print(result.summary())
    found: list[SiteError] = []
    lines = deploy(config, out, remote=args.remote, branch=args.branch, message=args.message, force=args.force,
                   no_build=args.no_build, warnings=found)
    _warn(found)
    for line in lines:
        print(line)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """``new DIR`` (a site) or ``new page PATH`` (a page of the site here, from an archetype)."""
    from .new import new_site
    from .newpage import new_page

    if len(args.dir) == 2 and args.dir[0] == "page":
        config = load_config(_root())
        target, archetype = new_page(config, args.dir[1])
        print(f"Created {config.shown(target)} from {archetype}")
    elif len(args.dir) == 1:
        print(new_site(Path(args.dir[0]), articles=args.articles))
    else:
        raise SiteError("new", None, "use 'site-builder new DIR' for a new site, or 'site-builder new page "
                                     "content/posts/my-post.md' for a new page")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..ingest import ingest, ingest_feed, ingest_urls, require_themes

    config = load_config(_root())
    if args.feed or any(f.startswith(("http://", "https://")) for f in args.files):
        require_themes(config)  # before anything is fetched
    urls = [f for f in args.files if f.startswith(("http://", "https://"))]
    files = [Path(f) for f in args.files if f not in urls]
    if args.limit is not None and not args.feed:
        raise SiteError("--limit", None, "--limit applies to --feed: site-builder ingest --feed URL --limit 5")
    if not (urls or args.feed):
        report = ingest(config, files, force=args.force)
        errors: list[SiteError] = []
    else:
        from ..ingest.fetch import Fetcher

        fetcher = Fetcher(timeout=args.timeout)
        report, errors = ingest_feed(config, args.feed, fetcher, args.limit, args.force) if args.feed \
            else ([], [])
        if urls:
            more, failed = ingest_urls(config, urls, fetcher, args.force)
            report, errors = report + more, errors + failed
        if files:
            report += ingest(config, files, force=args.force)
    for line in report:
        print(line)
    for e in errors:  # each failed address: one line, and nothing written for it
        print(e, file=sys.stderr)
    return 1 if errors else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    config = load_config(_root())
    return serve(config, host=args.host, port=args.port, open_browser=args.open, polling=args.poll,
                 drafts=args.drafts, future=args.future, expired=args.expired)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new, "ingest": cmd_ingest, "build": cmd_build, "check": cmd_check, "deploy": cmd_deploy,
    "serve": cmd_serve}


def main(argv: list[str] | None = None, process_exits: bool = False) -> int:
    """The CLI; ``process_exits`` when the process ends with the command (not in tests)."""
    args = parser().parse_args(argv)
    args.process_exits = process_exits
    warnings.showwarning = _show
    verbose = getattr(args, "verbose", False)
    if args.directory:
        try:
            os.chdir(args.directory)
        except OSError as e:
            print(f"site-builder: cannot change to '{args.directory}': {e.strerror}", file=sys.stderr)
            return 2
    func = COMMANDS[args.command]
    try:
        return func(args)
    except SiteError as e:
        if verbose:
            traceback.print_exc()
        print(e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in site-builder, not the user's mistake
        if verbose:
            traceback.print_exc()
        else:
            print(f"site-builder: internal error: {type(e).__name__}: {e} "
                  "(run with --verbose for the traceback, and please report it)", file=sys.stderr)
        return 3


def run() -> None:
    code = main(process_exits=True)
    if threading.active_count() == 1:
        # Nothing left to finish (the dev server's cache writer would be a thread): end now,
        # instead of freeing a large site's objects one by one (a tenth of a warm build)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
