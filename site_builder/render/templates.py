"""Jinja: the one environment factory, rendering, and template errors turned into
``templates/x.html:LINE: message`` (which templates use which: ``templatedeps``)."""
from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2

from ..errors import SiteError
from ..fs import ignored
from ..model import theme
from ..model.config import Config
from ..model.frontmatter import suggest
from ..model.urls import Urls
from ..paths import link_problem
from .elements import lang_if


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader that never reads a template through a symbolic link leaving the
    project (the default theme, inside the package, is its own root), nor one whose name the
    ignore rule skips (``fs.ignored``: the build's input scan does not see it change)."""

    def __init__(self, config: Config):
        super().__init__([str(d) for d in theme.template_dirs(config)])
        self.config = config

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        in_theme = filename.startswith(str(theme.THEME_DIR) + os.sep)
        shown = f"(default theme)/{template}" if in_theme else self.config.shown(filename)
        problem = link_problem(filename, [theme.THEME_DIR] if in_theme else self.config.roots())
        if problem:
            raise SiteError(shown, None, problem)
        if any(ignored(part) for part in template.split("/")):
            raise SiteError(shown, None, "site-builder ignores this name (hidden, or an editor's backup), so "
                                         "an edit to it would not rebuild the site; rename it")
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return [t for t in super().list_templates() if not any(ignored(part) for part in t.split("/"))]


def format_date(value: dt.date | str | None, style: str = "long", lang: str = "") -> str:
    """A date as its text's language writes it: '18 September 2024', '2024年9月18日'."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if style == "iso":
        return value.isoformat()
    primary = lang.split("-")[0].lower()
    if primary in ("zh", "ja"):
        return f"{value.year}年{value.month}月{value.day}日"
    if primary == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{value.day} {value:%B %Y}"


# what templates call the objects they see (``site`` is a mapping)
_VIEW_NAMES = {"Context": "page", "Config": "config", "Card": "this page card", "Part": "this part"}


class SiteUndefined(jinja2.StrictUndefined):
    """Undefined is an error, with a message that names the template's own words."""

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if obj is jinja2.utils.missing:
            return f"'{name}' is undefined"
        if isinstance(obj, dict):
            return f"this mapping has no key '{name}'{suggest(name, obj.keys())}"
        what = _VIEW_NAMES.get(type(obj).__name__, type(obj).__name__)
        fields = [f for f in dir(obj) if not f.startswith("_")]
        return f"{what} has no attribute '{name}'{suggest(name, fields)}"


def make_env(config: Config, urls: Urls) -> jinja2.Environment:
    cache_dir = config.cache_dir / "site-builder" / "jinja"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # compiled templates are reused across builds (Jinja checks each one's source)
        bytecode: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache(str(cache_dir))
    except OSError:
        bytecode = None
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=_Loader(config),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"]),
        undefined=SiteUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(url=unfolded(urls.url), abs_url=unfolded(urls.absolute), date=format_date, lang_if=lang_if)
    env.globals["url"] = urls.url
    env.globals["abs_url"] = urls.absolute
    return env


def unfolded(func: Callable[..., str]) -> Callable[..., str]:
    """``func`` as a filter that Jinja calls when a page is rendered, never when the template is
    compiled: Jinja works out a filter of a constant (``'about/'|url``) at compile time, and the
    bytecode cache kept that text from one build to the next (an old base path after
    ``--base-url``, an old asset version). A filter that takes the context is never worked out
    early; this one does not use it. (A filter is also called directly, where a call such as
    ``url('about/')`` goes through Jinja's Context.call: 2-3 us on each page.)"""
    @jinja2.pass_context
    def apply(context: Any, value: Any, *args: Any) -> str:
        return func(value, *args)
    return apply


def shown_template(env: jinja2.Environment, name: str | None, config: Config) -> str:
    if not name:
        return "templates"
    for d in theme.template_dirs(config):
        if (d / name).is_file():
            return config.shown(d / name) if d != theme.THEME_DIR else f"(default theme)/{name}"
    return f"templates/{name}"


def missing_template(name: str, known: Iterable[str] = ()) -> str:
    """What to say of a template that does not exist (with the closest of ``known``)."""
    return f"template '{name}' not found{suggest(name, known, 0.8)}; create it in templates/ or fix the name"


def template_error(exc: BaseException, env: jinja2.Environment, config: Config,
                   fallback: str = "templates") -> SiteError:
    """A Jinja exception as ``file:line: message``, pointing at the template line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = shown_template(env, exc.name, config) if exc.name else (exc.filename or fallback)
        msg = exc.message or "syntax error"
        src = (exc.source or "").splitlines()
        if exc.lineno and 0 < exc.lineno <= len(src) and src[exc.lineno - 1].strip():
            msg += f" in: {src[exc.lineno - 1].strip()[:80]}"
        return SiteError(where, exc.lineno, msg)
    if isinstance(exc, jinja2.TemplateNotFound):
        return SiteError(fallback, None, missing_template(exc.name))
    line, where = None, fallback
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = _template_name(frame.filename, config)
        if name:
            line, where = frame.lineno, name
            break
    if isinstance(exc, jinja2.UndefinedError):
        return SiteError(where, line, f"{exc.message}; templates see 'page', 'site' and 'config'")
    if isinstance(exc, RecursionError):
        return SiteError(where, line, "template recursion too deep (a macro or include calls itself)")
    return SiteError(where, line, f"template error: {type(exc).__name__}: {exc}")


def _template_name(filename: str, config: Config) -> str | None:
    p = Path(filename)
    for d in theme.template_dirs(config):
        try:
            rel = p.resolve().relative_to(d.resolve())
        except (ValueError, OSError):
            continue
        return config.shown(d / rel) if d != theme.THEME_DIR else f"(default theme)/{rel.as_posix()}"
    return None


_RENDERING = " (rendering "


def render(env: jinja2.Environment, config: Config, name: str, context: dict[str, Any], who: str = "") -> str:
    """``name`` rendered; an error names the template's line and ``who`` the page being rendered
    ('content/a.md', 'the home page'): the same template may fail for one page only."""
    try:
        return env.get_template(name).render(context)
    except SiteError:
        raise
    except (jinja2.TemplateError, RecursionError) as e:
        err = template_error(e, env, config)
    except Exception as e:  # an operator or a filter failed on its values ('{{ 1/0 }}'): the line is the template's
        err = _failed_line(e, config)
        if err is None:
            raise  # not on a template's line: a bug of ours
    raise SiteError(err.path, err.line, f"{err.message}{_RENDERING}{who})" if who else err.message) from None


def _failed_line(exc: Exception, config: Config) -> SiteError | None:
    """The innermost template line the exception went through, with what failed there."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = _template_name(frame.filename, config)
        if name:
            src = f", in: {frame.line[:80]}" if frame.line else ""
            what = " ".join(str(exc).split())[:200]  # one line, whatever the message holds
            return SiteError(name, frame.lineno, f"{type(exc).__name__}: {what}{src}; fix this line of the template")
    return None


def one_per_template_line(errors: list[SiteError]) -> list[SiteError]:
    """Rendering errors once per template line, naming the first page (by name) and how many
    others failed there: a mistake in page.html is one line, not one for each of 3,000 pages."""
    out: list[SiteError] = []
    pages: dict[tuple[str, int | None, str], set[str]] = {}
    for e in errors:
        base, sep, who = e.message.rpartition(_RENDERING)
        if sep:
            pages.setdefault((e.path, e.line, base), set()).add(who[:-1])
        else:
            out.append(e)
    for (path, line, base), names in sorted(pages.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        first, others = sorted(names)[0], len(names) - 1
        more = f", and {others} other page{'s' if others > 1 else ''}" if others else ""
        out.append(SiteError(path, line, f"{base}{_RENDERING}{first}{more})"))
    return out
