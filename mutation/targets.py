"""mutation/targets.toml read and checked against the code: the modules to mutate, their tests."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mutants import Mutant, mutants

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "targets.toml"


@dataclass
class Target:
    module: str
    tests: list[str]
    only: list[str] = field(default_factory=list)   # top-level names to mutate (default: all)
    equivalent: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def mutants(self) -> list[Mutant]:
        found = mutants(self.module, (ROOT / self.module).read_text())
        return [m for m in found if not self.only or m.scope in self.only]


class ConfigError(SystemExit):
    """targets.toml names something that is not there (a module or test moved): say so, run nothing."""


def load_targets(path: Path = CONFIG, root: Path = ROOT) -> list[Target]:
    data = tomllib.loads(path.read_text())
    out = []
    for module, spec in data["modules"].items():
        eq = {(module, e["line"], e["mutation"]): e["reason"] for e in spec.get("equivalent", [])}
        target = Target(module, spec["tests"], spec.get("only", []), eq)
        check_target(target, path, root)
        out.append(target)
    return out


def check_target(t: Target, config: Path, root: Path = ROOT) -> None:
    """Fails loudly when the code moved under the list: a module, a test file, a name in
    ``only`` or an equivalent mutant that is no longer there would otherwise shrink the run
    (or count nothing) in silence."""
    where = config.name
    if not (root / t.module).is_file():
        raise ConfigError(f"{where}: {t.module} does not exist (moved or renamed?): update its entry")
    for test in t.tests:
        if not (root / test).is_file():
            raise ConfigError(f"{where}: {t.module}: test file {test} does not exist: update its entry")
    found = mutants(t.module, (root / t.module).read_text())
    scopes = {m.scope for m in found}
    missing = [name for name in t.only if name not in scopes]
    if missing:
        raise ConfigError(f"{where}: {t.module}: `only` names {', '.join(missing)}, which the module "
                          f"no longer defines (or has nothing to mutate in): update its entry")
    keys = {m.key for m in found}
    for key in t.equivalent:
        if key not in keys:
            raise ConfigError(f"{where}: {t.module}: the equivalent mutant `{key[1]}` [{key[2]}] matches "
                              f"no mutant any more: remove or update it")
