"""make mutate's runner (mutation/): the list of targets is sound, mutants are made as listed,
and a list that names code that moved stops the run with a message instead of shrinking it."""
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "mutation"))
import run  # noqa: E402
from mutants import mutants, mutated  # noqa: E402

_SOURCE = '''"""doc"""
LIMIT = 3


def over(x: int) -> bool:
    """doc"""
    if not x:
        return False
    return x >= LIMIT and x != 7
'''


def test_the_targets_file_names_modules_tests_and_names_that_exist():
    targets = run.load_targets()
    assert {t.module for t in targets} >= {"site_builder/render/sanitise.py", "site_builder/build/output.py",
                                           "site_builder/ingest/figures.py"}
    for t in targets:
        assert t.mutants(), t.module  # an `only` list that matches nothing would run nothing


def test_mutants_of_a_small_module_are_the_ones_written_by_hand():
    found = [(m.line, m.scope, m.mutation) for m in mutants("m.py", _SOURCE)]
    assert found == [
        (2, "LIMIT", "`3` → `4`"),
        (7, "over", "`not x` → `x`"),
        (8, "over", "`False` → `True`"),
        (8, "over", "`return …` → `return None`"),
        (9, "over", "`>=` → `>`"),
        (9, "over", "`7` → `8`"),      # a comparison's operands before its operator
        (9, "over", "`!=` → `==`"),
        (9, "over", "`and` → `or`"),
        (9, "over", "`return …` → `return None`"),
    ]  # the docstrings and the annotations are left alone


@pytest.mark.parametrize("index,x,expected", [
    (0, 3, False),   # LIMIT 4: 3 no longer reaches it
    (1, 5, False),   # `if x:` returns False for any x but 0
    (2, 0, True),    # `return True` for 0
    (4, 3, False),   # `>` instead of `>=`
    (5, 8, False),   # `x != 8`
    (7, 7, True),    # `or`: 7 passes on x >= 3 alone
])
def test_a_mutant_changes_only_what_it_says(index, x, expected):
    ns: dict = {}
    exec(mutated(_SOURCE, index, "m.py"), ns)
    assert ns["over"](x) is expected
    original: dict = {}
    exec(compile(_SOURCE, "m.py", "exec"), original)
    assert original["over"](x) is not expected


def _config(tmp_path: Path, body: str) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_a.py").write_text("def test_a():\n    pass\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/m.py").write_text(_SOURCE)
    path = tmp_path / "targets.toml"
    path.write_text(body)
    return path


@pytest.mark.parametrize("body,message", [
    ('[modules."pkg/gone.py"]\ntests = ["tests/test_a.py"]\n',
     "targets.toml: pkg/gone.py does not exist (moved or renamed?): update its entry"),
    ('[modules."pkg/m.py"]\ntests = ["tests/test_gone.py"]\n',
     "targets.toml: pkg/m.py: test file tests/test_gone.py does not exist: update its entry"),
    ('[modules."pkg/m.py"]\ntests = ["tests/test_a.py"]\nonly = ["over", "under"]\n',
     "targets.toml: pkg/m.py: `only` names under, which the module no longer defines (or has nothing to "
     "mutate in): update its entry"),
    ('[modules."pkg/m.py"]\ntests = ["tests/test_a.py"]\n'
     '[[modules."pkg/m.py".equivalent]]\nline = "return x > LIMIT"\nmutation = "`>` → `>=`"\nreason = "r"\n',
     "targets.toml: pkg/m.py: the equivalent mutant `return x > LIMIT` [`>` → `>=`] matches no mutant any "
     "more: remove or update it"),
])
def test_a_target_that_moved_stops_the_run_with_a_message(tmp_path, body, message):
    with pytest.raises(run.ConfigError) as e:
        run.load_targets(_config(tmp_path, body), tmp_path)
    assert str(e.value) == message


def test_an_equivalent_mutant_that_matches_is_left_out(tmp_path):
    body = ('[modules."pkg/m.py"]\ntests = ["tests/test_a.py"]\n'
            '[[modules."pkg/m.py".equivalent]]\nline = "return x >= LIMIT and x != 7"\n'
            'mutation = "`7` → `8`"\nreason = "r"\n')
    [t] = run.load_targets(_config(tmp_path, body), tmp_path)
    assert t.equivalent == {("pkg/m.py", "return x >= LIMIT and x != 7", "`7` → `8`"): "r"}


def test_a_warm_mutant_is_seen_through_every_reference_to_the_function(tmp_path):
    """warm.patch swaps the mutated code into the live function: a module that imported the
    function by name (as site_builder's modules do) calls the mutant."""
    import types

    from mutants import mutated_source
    from warm import function_lines, patch
    module = types.ModuleType("m")
    module.__file__ = str(tmp_path / "m.py")
    exec(compile(_SOURCE, module.__file__, "exec"), module.__dict__)
    held = module.over           # as `from m import over` would hold it
    assert held(3) is True
    patch(module, mutated_source(_SOURCE, 4), "over")   # `>=` → `>`
    assert held(3) is False and module.over is held
    assert function_lines(_SOURCE) == {5, 6, 7, 8, 9}   # LIMIT (line 2) is run from the file


def test_a_warm_mutant_that_changes_no_function_is_refused(tmp_path):
    import types

    from mutants import mutated_source
    from warm import patch
    module = types.ModuleType("m")
    module.__file__ = str(tmp_path / "m.py")
    exec(compile(_SOURCE, module.__file__, "exec"), module.__dict__)
    with pytest.raises(ValueError):
        patch(module, mutated_source(_SOURCE, 0), "LIMIT")  # module-level: not a function
