"""``SITE_BUILDER_<KEY>`` environment variables: a site.yaml key set for one run (a CI job's
base URL, a preview's title), typed like the key, every error naming the variable."""
from __future__ import annotations

import os
from typing import Any, Mapping

from ..errors import SiteError
from .frontmatter import suggest
from .yamlfile import LineDict, load_yaml

PREFIX = "SITE_BUILDER_"
_NOT_FROM_ENVIRONMENT = ("themes",)  # a list of mappings, each line of which messages name: site.yaml only
_FIRST = -1000  # the pseudo-line of the first variable in messages (never a line of site.yaml)


def variables(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The SITE_BUILDER_* variables set, sorted by name."""
    env = os.environ if environ is None else environ
    return {k: env[k] for k in sorted(env) if k.startswith(PREFIX)}


def key_of_environment(environ: Mapping[str, str] | None = None) -> str:
    """What the build cache must know: a change of any variable is a change of the config."""
    return "\n".join(f"{k}={v}" for k, v in variables(environ).items())


def apply(data: LineDict, fields: dict[str, Any], environ: Mapping[str, str] | None = None) -> dict[int, str]:
    """Put each variable's value into ``data`` (site.yaml's mapping) over the file's, at a pseudo-line
    of its own; returns pseudo-line -> variable, to name the variable in any error about it."""
    names: dict[int, str] = {}
    for i, (name, text) in enumerate(variables(environ).items()):
        key = name[len(PREFIX):].lower()
        if key not in fields or key in _NOT_FROM_ENVIRONMENT:
            known = [PREFIX + k.upper() for k in fields if k not in _NOT_FROM_ENVIRONMENT]
            why = ("themes are written in site.yaml" if key in _NOT_FROM_ENVIRONMENT
                   else f"site.yaml has no key '{key}'{suggest(name, known)}")
            raise SiteError(name, None, f"{why}; unset it, or name a key of site.yaml, e.g. {PREFIX}BASE_URL")
        data[key] = text if fields[key] is str else _value(name, text)
        data.key_lines[key] = names_line = _FIRST - i
        names[names_line] = name
    return names


def _value(name: str, text: str) -> Any:
    """A variable's text read as YAML (``true``, ``20``, ``[a, b]``, ``{k: v}``), as site.yaml would."""
    try:
        return load_yaml(text, name, what=name) if text.strip() else None
    except SiteError as e:
        raise SiteError(name, None, e.message) from None


def named(e: SiteError, where: str, names: dict[int, str]) -> SiteError:
    """``e`` about a value a variable set: the variable's name instead of a line of site.yaml."""
    if e.path == where and e.line in names:
        return SiteError(names[e.line], None, e.message)
    return e
