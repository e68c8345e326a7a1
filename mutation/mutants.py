"""The mutants of a module: single, small changes of its syntax tree, each a plausible slip.

Pure: source text in, mutants out. A mutant is found again by its place in a deterministic walk
of the tree (``index``) and named for people by the line it changes and what it does there
(``Mutant.key``: no line number, so the list of equivalent mutants survives edits elsewhere).
Unlike mutmut 3, code outside functions is mutated too: the regular expressions, tables and
limits at module level are where much of the sanitiser's and the figure extraction's
behaviour lives.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

# the operator each one is mutated into (a comparison off by one, a condition inverted...)
_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
            ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
           ast.Mod: ast.FloorDiv, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr, ast.LShift: ast.RShift,
           ast.RShift: ast.LShift, ast.Pow: ast.Mult}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
           ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
           ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.BitOr: "|", ast.BitAnd: "&", ast.LShift: "<<",
           ast.RShift: ">>", ast.Pow: "**", ast.And: "and", ast.Or: "or"}


@dataclass(frozen=True)
class Mutant:
    module: str      # path relative to the project, e.g. site_builder/paths.py
    index: int       # its place in the walk: Mutator(index) makes it
    scope: str       # the top-level function, class or name it is in
    line: int
    source: str      # the line it changes, stripped
    mutation: str    # what it does there, e.g. "`>=` → `>`"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.module, self.source, self.mutation


def _is_doc(stmt: ast.AST) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _name(stmt: ast.AST) -> str:
    """What a top-level statement defines: a function's or class's name, an assignment's target."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if names else ""


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


class Mutator(ast.NodeTransformer):
    """Walks a module in source order, counting each place a mutation can be made. With
    ``target``, it makes the mutation numbered ``target`` (and only that one); without, it
    only lists them in ``found`` as (line, description)."""

    def __init__(self, target: int | None = None):
        self.target = target
        self.count = 0
        self.found: list[tuple[int, str, str]] = []  # (line, scope, description)
        self.done = False
        self.scope = ""

    def _offer(self, node: ast.AST, description: str) -> bool:
        """Whether to make this mutation now."""
        hit = self.count == self.target
        self.count += 1
        if self.target is None:
            self.found.append((getattr(node, "lineno", 0), self.scope, description))
        self.done = self.done or hit
        return hit

    # --- what is never mutated: docstrings, annotations, __all__, TYPE_CHECKING imports ---
    def _body(self, node: ast.AST) -> ast.AST:
        body = getattr(node, "body", [])
        doc = body[:1] if isinstance(body, list) and body and _is_doc(body[0]) else []
        for field, value in ast.iter_fields(node):
            if field in ("returns", "annotation", "decorator_list"):
                continue
            if isinstance(value, list):
                setattr(node, field, [self._visit_item(v) if v not in doc else v for v in value])
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    def _visit_item(self, item: object) -> object:
        return self.visit(item) if isinstance(item, ast.AST) else item

    def generic_visit(self, node: ast.AST) -> ast.AST:
        return self._body(node)

    def visit_Module(self, node: ast.Module) -> ast.AST:
        out = []
        for i, stmt in enumerate(node.body):
            self.scope = _name(stmt)
            out.append(stmt if i == 0 and _is_doc(stmt) else self.visit(stmt))
        node.body = out
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return node  # an annotation

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return node
        return self._body(node)

    def visit_If(self, node: ast.If) -> ast.AST:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node
        return self._body(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return node  # an f-string: a message, its parts are not mutated one by one

    # --- the mutations ---------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self._body(node)
        for i, op in enumerate(node.ops):
            new = _COMPARE.get(type(op))
            if new and self._offer(node, f"`{_SYMBOL[type(op)]}` → `{_SYMBOL[new]}`"):
                node.ops[i] = new()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self._body(node)
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._offer(node, f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[new]}`"):
            node.op = new()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self._body(node)
        new = _BINARY.get(type(node.op))
        if new and self._offer(node, f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[new]}`"):
            node.op = new()
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self._body(node)
        new = _BINARY.get(type(node.op))
        if new and self._offer(node, f"`{_SYMBOL[type(node.op)]}=` → `{_SYMBOL[new]}=`"):
            node.op = new()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self._body(node)
        if isinstance(node.op, ast.Not) and self._offer(node, "`not x` → `x`"):
            return node.operand
        if isinstance(node.op, ast.USub) and self._offer(node, "`-x` → `x`"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._offer(node, f"`{value}` → `{not value}`"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, (int, float)):
            if self._offer(node, f"`{value!r}` → `{value + 1!r}`"):
                return ast.copy_location(ast.Constant(value + 1), node)
        elif isinstance(value, str):
            new = f"XX{value}XX"
            if self._offer(node, f"{_short(value)} → {_short(new)}"):
                return ast.copy_location(ast.Constant(new), node)
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        self._body(node)
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            if self._offer(node, "`return …` → `return None`"):
                node.value = ast.copy_location(ast.Constant(None), node.value)
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        self._body(node)
        if isinstance(node.value, ast.Call) and self._offer(node, "call removed"):
            return ast.copy_location(ast.Pass(), node)
        return node

    def visit_Break(self, node: ast.Break) -> ast.AST:
        if self._offer(node, "`break` → `continue`"):
            return ast.copy_location(ast.Continue(), node)
        return node

    def visit_Continue(self, node: ast.Continue) -> ast.AST:
        if self._offer(node, "`continue` → `break`"):
            return ast.copy_location(ast.Break(), node)
        return node


def mutants(module: str, source: str) -> list[Mutant]:
    """Every mutant of ``source`` (the text of ``module``), in walk order."""
    walker = Mutator()
    walker.visit(ast.parse(source))
    lines = source.splitlines()
    return [Mutant(module, i, scope, line, lines[line - 1].strip() if line else "", what)
            for i, (line, scope, what) in enumerate(walker.found)]


def mutated(source: str, index: int, filename: str) -> object:
    """The code object of ``source`` with mutant ``index`` made."""
    tree = ast.parse(source)
    walker = Mutator(index)
    tree = ast.fix_missing_locations(walker.visit(tree))
    if not walker.done:
        raise ValueError(f"{filename} has no mutant {index}")
    return compile(tree, filename, "exec")


def mutated_source(source: str, index: int) -> str:
    """The mutant as source text (ast.unparse: comments and layout are lost), to show or apply."""
    walker = Mutator(index)
    tree = ast.fix_missing_locations(walker.visit(ast.parse(source)))
    return ast.unparse(tree)
