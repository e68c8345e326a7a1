"""What make mutate prints: a score per module, overall, and every mutant that survived."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Result


def score(results: list[Result]) -> tuple[int, int]:
    killed = sum(r.status != "survived" for r in results)
    return killed, len(results)


def report(by_module: dict[str, list[Result]], skipped: dict[str, int], seconds: float) -> list[str]:
    out = [f"{'module':<34} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'score':>6}"]
    for module, results in by_module.items():
        k, n = score(results)
        out.append(f"{module:<34} {n + skipped[module]:>7} {k:>6} {n - k:>8} {skipped[module]:>6} "
                   f"{100 * k / max(n, 1):>5.1f}%")
    k, n = (sum(score(r)[i] for r in by_module.values()) for i in (0, 1))
    out.append(f"{'overall':<34} {n + sum(skipped.values()):>7} {k:>6} {n - k:>8} {sum(skipped.values()):>6} "
               f"{100 * k / max(n, 1):>5.1f}%")
    out.append(f"({seconds / 60:.1f} minutes)")
    for module, results in by_module.items():
        for r in sorted(results, key=lambda r: r.mutant.line):
            if r.status == "survived":
                out.append(f"survived  {module}:{r.mutant.line}: {r.mutant.source}   [{r.mutant.mutation}]")
    return out
