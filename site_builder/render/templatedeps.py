"""Which templates each template uses (what it extends, includes and imports, with lines) and
what it reads of ``site``: parsed once per version of its source, checked for missing templates
and include loops before anything is rendered. The build's template keys are made from it."""
from __future__ import annotations

import hashlib
from typing import Iterator

import jinja2
from jinja2 import nodes

from ..errors import SiteError
from ..model.config import Config
from .templates import missing_template, shown_template, template_error


def _references(ast: nodes.Template) -> Iterator[tuple[str, int]]:
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        targets = node.template
        for t in (targets.items if isinstance(targets, (nodes.Tuple, nodes.List)) else [targets]):
            if isinstance(t, nodes.Const) and isinstance(t.value, str):
                yield t.value, node.lineno


def _site_reads(ast: nodes.Template) -> list[str] | None:
    """The attributes of ``site`` a template reads; None when it uses ``site`` as a whole
    (passes it on, loops over it): then a page depends on all of it."""
    loads = sum(1 for n in ast.find_all(nodes.Name) if n.name == "site" and n.ctx == "load")
    direct = [n for n in ast.find_all((nodes.Getattr, nodes.Getitem))
              if isinstance(n.node, nodes.Name) and n.node.name == "site"]
    attrs = [n.attr if isinstance(n, nodes.Getattr) else
             (n.arg.value if isinstance(n.arg, nodes.Const) else None) for n in direct]
    if loads > len(direct) or None in attrs or not all(isinstance(a, str) for a in attrs):
        return None
    return sorted(set(attrs))  # type: ignore[arg-type]


class TemplateIndex:
    """Each template parsed once per version of its source: what it extends, includes and
    imports (with lines), and what it reads of ``site``. Kept in the build cache, so a warm
    build parses only the templates that changed."""

    def __init__(self, env: jinja2.Environment, config: Config, known: dict | None = None):
        self.env, self.config = env, config
        self.info: dict[str, tuple[str, list[tuple[str, int]], list[str] | None]] = dict(known or {})

    def source(self, name: str) -> str:
        return self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]

    def entry(self, name: str) -> tuple[str, list[tuple[str, int]], list[str] | None]:
        source = self.source(name)
        key = hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
        known = self.info.get(name)
        if known is None or known[0] != key:
            try:
                ast = self.env.parse(source, name, shown_template(self.env, name, self.config))
            except jinja2.TemplateSyntaxError as e:
                raise template_error(e, self.env, self.config) from None
            known = (key, list(_references(ast)), _site_reads(ast))
            self.info[name] = known
        return known

def dependencies(env: jinja2.Environment, config: Config, names: list[str],
                 index: TemplateIndex | None = None) -> dict[str, list[str]]:
    """Every template reachable from ``names`` → the templates it uses, checked for syntax
    errors, missing templates and include loops before anything is rendered."""
    index = index or TemplateIndex(env, config)
    graph: dict[str, list[tuple[str, int]]] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in graph:
            continue
        graph[name] = index.entry(name)[1]
        for ref, line in graph[name]:
            if ref not in graph:
                try:
                    env.loader.get_source(env, ref)  # type: ignore[union-attr]
                except jinja2.TemplateNotFound:
                    raise SiteError(shown_template(env, name, config), line,
                                    missing_template(ref, env.list_templates())) from None
                todo.append(ref)
    _check_cycles(graph, env, config)
    return {name: [r for r, _ in refs] for name, refs in graph.items()}


def _check_cycles(graph: dict[str, list[tuple[str, int]]], env: jinja2.Environment, config: Config) -> None:
    state: dict[str, int] = {}

    def visit(name: str, chain: list[str]) -> None:
        state[name] = 1
        for ref, line in graph.get(name, []):
            if state.get(ref) == 1:
                loop = " → ".join([*chain[chain.index(ref):], ref]) if ref in chain else f"{name} → {ref}"
                raise SiteError(shown_template(env, name, config), line,
                                f"include loop: {loop}; remove one of these includes")
            if not state.get(ref):
                visit(ref, [*chain, ref])
        state[name] = 2

    for name in list(graph):
        if not state.get(name):
            visit(name, [name])


def site_attributes(index: TemplateIndex, names: list[str]) -> set[str] | None:
    """The attributes of ``site`` these templates read; None when one uses ``site`` as a whole."""
    used: set[str] = set()
    for name in names:
        attrs = index.entry(name)[2]
        if attrs is None:
            return None
        used.update(attrs)
    return used


def closure(deps: dict[str, list[str]], name: str) -> list[str]:
    """``name`` and every template it extends, includes or imports, sorted."""
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(deps.get(n, []))
    return sorted(seen)
