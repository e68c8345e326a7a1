"""bench/nopyc.py DIR -m site_builder ARGS...: `python -m site_builder ARGS` with the modules under DIR compiled from source, as
without bytecode files (PYTHONDONTWRITEBYTECODE and no __pycache__), every other module from its .pyc."""
import importlib.machinery as m
import runpy
import sys

PREFIX = sys.argv.pop(1)
_orig = m.SourceFileLoader.get_code


def get_code(self, fullname):
    if self.path.startswith(PREFIX):
        return self.source_to_code(self.get_data(self.path), self.path)
    return _orig(self, fullname)


m.SourceFileLoader.get_code = get_code
sys.argv = [sys.argv[0]] + sys.argv[3:]  # drop the "-m site_builder" the wrappers pass
runpy.run_module("site_builder", run_name="__main__", alter_sys=True)
