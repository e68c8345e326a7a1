"""bench/phase_cpu.py OUT.json TARGETS ARGS...: `site-builder ARGS` under inclusive CPU timers
(time.process_time, this process only) of the functions named in TARGETS (comma-separated
module:qualname, e.g. site_builder.model.site:load_site,site_builder.build.incremental.cache:Cache.save);
one JSON line appended to OUT.json, with _children (CPU of reaped worker processes) and _total.
Every submodule is imported first (so that each name can be replaced wherever it was imported):
_imports_all is that, not a build's start-up. Works with the flat package before issue 14 too."""
import importlib, json, pkgutil, sys, time
T0 = time.process_time()
out, targets, args = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
import site_builder
for m in pkgutil.walk_packages(site_builder.__path__, "site_builder."):
    if m.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(m.name)
    except Exception:
        pass
T_IMPORT = time.process_time() - T0
acc = {}
def wrap(name, f):
    def w(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            acc[name] = acc.get(name, 0.0) + time.process_time() - t
    return w
for spec in targets:
    mod, _, qual = spec.partition(":")
    obj = importlib.import_module(mod)
    parts = qual.split(".")
    owner = obj
    for p in parts[:-1]:
        owner = getattr(owner, p)
    f = getattr(owner, parts[-1])
    w = wrap(qual, f)
    if owner is not obj:
        setattr(owner, parts[-1], w)
    else:
        for m in list(sys.modules.values()):
            if getattr(m, "__name__", "").startswith("site_builder") and getattr(m, parts[-1], None) is f:
                setattr(m, parts[-1], w)
try:
    from site_builder.commands.cli import main
except ImportError:
    from site_builder.cli import main
main(args, process_exits=True)
acc["_total"] = time.process_time() - T0
acc["_imports_all"] = T_IMPORT
import resource
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
acc["_children"] = ru.ru_utime + ru.ru_stime
with open(out, "a") as fh:
    fh.write(json.dumps(acc) + "\n")
