"""The one error type users see: a problem with a file, a line, and what to do."""
from __future__ import annotations

from pathlib import Path


class SiteError(Exception):
    """A user's mistake in content, config or templates.

    Printed by the CLI as one line, ``path:line: message``; never a traceback.
    """

    def __init__(self, path: str | Path, line: int | None, message: str):
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple:
        return (SiteError, (self.path, self.line, self.message))  # as a worker process sends it back


class SiteErrors(SiteError):
    """Several problems found while validating a whole site, reported together."""

    def __init__(self, errors: list[SiteError]):
        first = errors[0]
        super().__init__(first.path, first.line, first.message)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __reduce__(self) -> tuple:
        return (SiteErrors, (self.errors,))


class Collector:
    """Gathers errors and warnings so a whole site is validated before anything is written."""

    def __init__(self) -> None:
        self.errors: list[SiteError] = []
        self.warnings: list[SiteError] = []

    def error(self, path: str | Path, line: int | None, message: str) -> None:
        self.errors.append(SiteError(path, line, message))

    def warn(self, path: str | Path, line: int | None, message: str) -> None:
        self.warnings.append(SiteError(path, line, message))

    def add(self, err: SiteError) -> None:
        self.errors.extend(err.errors if isinstance(err, SiteErrors) else [err])

    def raise_if_any(self) -> None:
        if self.errors:
            unique = list({str(e): e for e in self.errors}.values())
            raise SiteErrors(unique) if len(unique) > 1 else unique[0]


def format_warning(w: SiteError) -> str:
    """A warning as the terminal shows it: ``path:line: warning: message``."""
    where = f"{w.path}:{w.line}" if w.line else w.path
    return f"{where}: warning: {w.message}"


class SiteWarning(UserWarning):
    """Something about the machine, not the site, that a user should know (a library whose
    internals changed): the CLI prints it as ``site-builder: warning: ...``."""
