#!/usr/bin/env python3
"""Turn the results of bench/run.sh into docs/benchmarks.md (Markdown on stdout).

Usage: python3 bench/summarize.py RESULTS_DIR > docs/benchmarks.md

RESULTS_DIR (bench/run.sh's $ROOT/results) holds, per row, <N>-<what>.txt (a report of the
shared timeit.py: "wall s", "cpu s", "user s", "sys s", "peak MiB" with min, median, max),
<N>-<what>.size ("<files> <MiB>" of the output folder), <N>-<what>.window (start, end);
<N>-<peer>.pages ("<html files> <files>" of the last clean build); <N>-hugo-server.txt
(peers/hugo_server_rebuild.sh's output); busy.log (busy_monitor.py) and machine.txt
("key: value" lines). Our build logs are read from RESULTS_DIR/../logs/<label>.log.
Standard library only.
"""
from __future__ import annotations

import os
import re
import sys

ROW = re.compile(r"^(?:A )?(wall s|cpu s|user s|sys s|peak MiB)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", re.M)
RUNS = re.compile(r"runs(?: counted)?: (?:A )?(\d+)")
CODES = re.compile(r"exit codes: \[([^\]]*)\]")
BUILT = re.compile(r"Built (\d+) pages in [\d.]+ s \(\d+ pages/s\), (\d+) from cache")
UP_TO_DATE = re.compile(r"Site is up to date: (\d+) pages")
HUGO_REBUILD = re.compile(r"n=(\d+) min=(\d+) median=(\d+) max=(\d+)")
HUGO_INITIAL = re.compile(r"Built in (\d+) ms")
OUR_REBUILD = re.compile(r"server-reported\): n=(\d+) min=(\d+) median=(\d+) max=(\d+); write to log line: median=(\d+) max=(\d+)")

OURS = ["site_builder", "site_builder_search"]
PEERS = ["hugo", "pelican", "mkdocs", "eleventy"]
FLOORS = ["floor-io", "floor-none", "floor-markdown", "floor-markdown-it", "floor-mistune"]
ORDER = OURS + PEERS + ["pelican-rebuild"] + FLOORS
NAMES = {"site_builder": "site_builder", "site_builder_search": "site_builder+search",
         "hugo": "Hugo", "pelican": "Pelican", "mkdocs": "MkDocs", "eleventy": "Eleventy"}
WARM = [("warm-nothing", "(a) nothing changed"), ("warm-page", "(b) one page changed"),
        ("warm-template", "(c) one template changed")]


def read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


class Results:
    def __init__(self, d: str) -> None:
        self.d = d
        self.rows: dict[tuple[int, str], dict] = {}
        self.failed: dict[tuple[int, str], str] = {}
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt") or not name[0].isdigit() or name.endswith("-server.txt"):
                continue
            label = name[:-4]
            n, what = label.split("-", 1)
            text = read(os.path.join(d, name)) or ""
            vals = {m.group(1): tuple(float(m.group(i)) for i in (2, 3, 4)) for m in ROW.finditer(text)}
            if "wall s" not in vals:
                self.failed[(int(n), what)] = (text.strip().splitlines() or ["no output"])[-1]
                continue
            runs = RUNS.search(text)
            codes = CODES.search(text)
            row = {"vals": vals, "runs": runs.group(1) if runs else "?",
                   "codes": codes.group(1).strip() if codes else "0", "files": "", "mib": "",
                   "load": self.other_load(label), "label": label}
            size = read(os.path.join(d, label + ".size"))
            if size and len(size.split()) == 2:
                row["files"], row["mib"] = size.split()
            self.rows[(int(n), what)] = row
        self.sizes = sorted({n for n, _ in self.rows} | {n for n, _ in self.failed})
        self.machine = {}
        for line in (read(os.path.join(d, "machine.txt")) or "").splitlines():
            k, _, v = line.partition(": ")
            if v:
                self.machine[k.strip()] = v.strip()

    def other_load(self, label: str) -> str:
        busy = read(os.path.join(self.d, "busy.log"))
        win = read(os.path.join(self.d, label + ".window"))
        if not busy or not win:
            return ""
        t0, t1 = map(float, win.split())
        xs = []
        for line in busy.splitlines():
            f = line.split()
            if len(f) >= 2 and t0 <= float(f[0]) <= t1:
                xs.append(float(f[1]))
        return "%.2f" % (sum(xs) / len(xs)) if xs else ""

    def get(self, n: int, what: str) -> dict | None:
        return self.rows.get((n, what))

    def wall(self, n: int, what: str) -> float | None:
        r = self.get(n, what)
        return r["vals"]["wall s"][1] if r else None

    def pages(self, n: int, what: str) -> tuple[str, str]:
        text = read(os.path.join(self.d, f"{n}-{what}.pages"))
        if text and len(text.split()) == 2:
            html, files = text.split()
            return html, files
        return "", ""

    def last_build_line(self, label: str) -> str:
        text = read(os.path.join(os.path.dirname(os.path.abspath(self.d)), "logs", label + ".log")) or ""
        lines = [ln for ln in text.splitlines() if BUILT.search(ln) or UP_TO_DATE.search(ln)]
        return lines[-1] if lines else ""

    def hugo_server(self, n: int) -> tuple[dict | None, str]:
        text = read(os.path.join(self.d, f"{n}-hugo-server.txt"))
        if text is None:
            return None, ""
        m, i = HUGO_REBUILD.search(text), HUGO_INITIAL.search(text)
        if not m:
            return None, (text.strip().splitlines() or ["no output"])[-1]
        return {"n": int(m.group(1)), "min": int(m.group(2)), "median": int(m.group(3)),
                "max": int(m.group(4)), "initial": int(i.group(1)) if i else None}, ""


    def our_server(self, n: int, what: str) -> tuple[dict | None, str]:
        """bench/serve_rebuild.py's figures for site-builder serve (our own log line per edit)."""
        text = read(os.path.join(self.d, f"{n}-{what}-server.txt"))
        if text is None:
            return None, ""
        m = OUR_REBUILD.search(text)
        if not m:
            return None, (text.strip().splitlines() or ["no output"])[-1]
        return {"n": int(m.group(1)), "min": int(m.group(2)), "median": int(m.group(3)), "max": int(m.group(4)),
                "seen": int(m.group(5)), "seen_max": int(m.group(6))}, ""


def name(what: str) -> str:
    if what.endswith("-rebuild"):
        return NAMES.get(what[:-8], what[:-8]) + " rebuild.sh"
    return NAMES.get(what, what)


def ratio(peer: float | None, ours: float | None) -> str:
    if not peer or not ours:
        return "-"
    return "%.2f×" % (peer / ours)


def fmt_s(x: float | None) -> str:
    return "-" if x is None else "%.2f" % x


def sort_key(what: str) -> tuple[int, str]:
    return (ORDER.index(what) if what in ORDER else len(ORDER), what)


def table_clean(res: Results) -> list[str]:
    out = ["| N | what | runs | wall s (median) | wall min-max | cpu s | user s | sys s | peak MiB | pages/s"
           " | HTML pages | output files | output MiB | other load |",
           "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in res.sizes:
        whats = {w for m, w in list(res.rows) + list(res.failed) if m == n and "warm-" not in w}
        for what in sorted(whats, key=sort_key):
            r = res.get(n, what)
            if r is None:
                out.append(f"| {n} | {name(what)} | - | failed: {res.failed[(n, what)]} | | | | | | | | | | |")
                continue
            v = r["vals"]
            w = v["wall s"]
            pps = "-" if "rebuild" in what else "%.0f" % (n / w[1])
            html = res.pages(n, what.replace("-rebuild", ""))[0] if not what.startswith("floor") else ""
            codes = "" if r["codes"] in ("0", "") else f" (exit codes {r['codes']})"
            out.append("| %d | %s%s | %s | %.2f | %.2f-%.2f | %.2f | %.2f | %.2f | %.0f | %s | %s | %s | %s | %s |" % (
                n, name(what), codes, r["runs"], w[1], w[0], w[2], v["cpu s"][1], v["user s"][1],
                v["sys s"][1], v["peak MiB"][1], pps, html or "", r["files"], r["mib"], r["load"]))
    return out


def table_ratios(res: Results) -> list[str]:
    peers = [p for p in PEERS if any(res.get(n, p) for n in res.sizes)]
    out = ["| N | ours | wall s | cpu s | peak MiB | "
           + " | ".join(f"vs {NAMES[p]}" for p in peers) + " | peak MiB of "
           + " / ".join(NAMES[p] for p in peers) + " |",
           "|---:|---|---:|---:|---:|" + "---:|" * len(peers) + "---|"]
    for n in res.sizes:
        for ours in OURS:
            r = res.get(n, ours)
            if r is None:
                continue
            w, cpu, peak = r["vals"]["wall s"][1], r["vals"]["cpu s"][1], r["vals"]["peak MiB"][1]
            cells = []
            for p in peers:
                pr = res.get(n, p)
                cells.append("-" if pr is None else "%s (cpu %s)" % (
                    ratio(pr["vals"]["wall s"][1], w), ratio(pr["vals"]["cpu s"][1], cpu)))
            peaks = " / ".join("%.0f" % res.get(n, p)["vals"]["peak MiB"][1] if res.get(n, p) else "-"
                               for p in peers)
            out.append(f"| {n} | {name(ours)} | {w:.2f} | {cpu:.2f} | {peak:.0f} | " + " | ".join(cells)
                       + f" | {peaks} |")
    return out


def table_warm(res: Results) -> list[str]:
    out = ["| N | ours | case | runs | wall s (median) | wall min-max | cpu s | peak MiB | re-rendered"
           " | compared with (their figure: ratio theirs / ours) | other load |",
           "|---:|---|---|---:|---:|---|---:|---:|---:|---|---:|"]
    for n in res.sizes:
        hs, _ = res.hugo_server(n)
        for ours in OURS:
            for case, title in WARM:
                what = f"{ours}-{case}"
                r = res.get(n, what)
                if r is None:
                    if (n, what) in res.failed:
                        out.append(f"| {n} | {name(ours)} | {title} | - | failed: {res.failed[(n, what)]}"
                                   " | | | | | | |")
                    continue
                v = r["vals"]
                w = v["wall s"][1]
                line = res.last_build_line(r["label"])
                m, u = BUILT.search(line), UP_TO_DATE.search(line)
                rendered = (f"{int(m.group(1)) - int(m.group(2))} of {m.group(1)}" if m
                            else f"0 of {u.group(1)}" if u else "?")
                refs = []
                if case == "warm-nothing":
                    refs.append(f"our clean build {fmt_s(res.wall(n, ours))} s: {ratio(res.wall(n, ours), w)}")
                elif case == "warm-page":
                    pw = res.wall(n, "pelican-rebuild")
                    if pw:
                        refs.append(f"Pelican rebuild.sh {pw:.2f} s: {ratio(pw, w)}")
                    if hs:
                        refs.append(f"Hugo server {hs['median']} ms (Hugo's own clock, in memory): "
                                    f"{ratio(hs['median'] / 1000, w)}")
                    refs.append(f"our clean build {fmt_s(res.wall(n, ours))} s: {ratio(res.wall(n, ours), w)}")
                elif case == "warm-template":
                    hw = res.wall(n, "hugo")
                    if hw:
                        refs.append(f"Hugo clean build {hw:.2f} s: {ratio(hw, w)}")
                    refs.append(f"our clean build {fmt_s(res.wall(n, ours))} s: {ratio(res.wall(n, ours), w)}")
                codes = "" if r["codes"] in ("0", "") else f" (exit codes {r['codes']})"
                out.append("| %d | %s | %s%s | %s | %.2f | %.2f-%.2f | %.2f | %.0f | %s | %s | %s |" % (
                    n, name(ours), title, codes, r["runs"], w, v["wall s"][0], v["wall s"][2],
                    v["cpu s"][1], v["peak MiB"][1], rendered, "; ".join(refs), r["load"]))
    return out


def table_hugo_server(res: Results) -> list[str]:
    out = []
    for n in res.sizes:
        hs, err = res.hugo_server(n)
        if hs:
            init = f"; the server's initial build {hs['initial']} ms" if hs["initial"] else ""
            out.append(f"* N = {n}: {hs['median']} ms median ({hs['min']}-{hs['max']}, {hs['n']} edits){init}.")
        elif err:
            out.append(f"* N = {n}: failed: {err}")
    return out


def table_our_server(res: Results) -> list[str]:
    rows = []
    for n in res.sizes:
        hs, _ = res.hugo_server(n)
        for what in ("site_builder", "site_builder_search"):
            ours, err = res.our_server(n, what)
            if ours:
                vs = "%s ms: %s" % (hs["median"], ratio(hs["median"], ours["median"])) if hs else "-"
                rows.append(f"| {n} | {name(what)} | {ours['n']} | **{ours['median']}** | {ours['min']}-{ours['max']} | "
                            f"{ours['seen']} (max {ours['seen_max']}) | {vs} |")
            elif err:
                rows.append(f"| {n} | {name(what)} | failed: {err} | | | | |")
    if not rows:
        return []
    return ["| N | ours | edits | rebuild ms (median, server-reported) | min-max | edit written to log line, ms (median) "
            "| Hugo server (median): ratio Hugo / ours |", "|---:|---|---:|---:|---|---:|---|"] + rows


def table_scaling(res: Results) -> list[str]:
    if len(res.sizes) < 2:
        return []
    whats = sorted({w for _, w in res.rows if "warm-" not in w and "rebuild" not in w}, key=sort_key)
    out = ["| what | " + " | ".join(f"N = {n}: wall s (pages/s)" for n in res.sizes)
           + " | " + " | ".join(f"cpu ms/page at {n}" for n in res.sizes) + " |",
           "|---|" + "---:|" * (2 * len(res.sizes))]
    for what in whats:
        cells, per = [], []
        for n in res.sizes:
            r = res.get(n, what)
            if r is None:
                cells.append("-")
                per.append("-")
                continue
            w = r["vals"]["wall s"][1]
            cells.append("%.2f (%.0f)" % (w, n / w))
            per.append("%.2f" % (1000 * r["vals"]["cpu s"][1] / n))
        out.append(f"| {name(what)} | " + " | ".join(cells) + " | " + " | ".join(per) + " |")
    return out


def table_pages(res: Results) -> list[str]:
    whats = [w for w in OURS + PEERS if any(res.pages(n, w)[0] for n in res.sizes)]
    out = ["| N | " + " | ".join(name(w) for w in whats) + " |", "|---:|" + "---:|" * len(whats)]
    for n in res.sizes:
        cells = []
        for w in whats:
            html, files = res.pages(n, w)
            cells.append(f"{html} ({files} files)" if html else "-")
        out.append(f"| {n} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    res = Results(sys.argv[1])
    mc = res.machine
    p = print
    runs = [int(r["runs"]) for r in res.rows.values() if r["runs"].isdigit()]
    partial = not ({1000, 10000} <= set(res.sizes)) or (runs and min(runs) < 3)
    p("# Benchmarks: site_builder against Hugo, Pelican, MkDocs and Eleventy")
    p()
    if partial:
        p("> **Validation run only** (N = %s, %s run%s per row): these numbers only show that the harness"
          " works end to end. They will be replaced by a full `make bench` (N = 1,000 and 10,000) on a"
          " quiet machine." % (", ".join(map(str, res.sizes)), min(runs) if runs else "?",
                               "" if runs and min(runs) == 1 else "s"))
        p()
    p("Generated by `make bench` (`bench/run.sh`, `bench/summarize.py`) on %s." % mc.get("date", "an unknown date"))
    p()
    p("**Machine:** %s cores (%s; virtualization: %s), %s RAM, swap %s, %s; output and corpus on `%s`." % (
        mc.get("cores", "?"), mc.get("cpu", "?"), mc.get("virtualization", "?"), mc.get("ram", "?"),
        mc.get("swap", "?"), mc.get("os", "?"), mc.get("root", "?")))
    p()
    p("**Software:** site_builder %s, %s (%s). " % (mc.get("site_builder", "?"), mc.get("python", "?"),
                                                     mc.get("site_builder libs", "?"))
      + "; ".join(f"{label} {mc[k]}" for k, label in (("hugo", "Hugo"), ("pelican", "Pelican"),
                                                          ("mkdocs", "MkDocs"), ("eleventy", "Eleventy"),
                                                          ("floors", "floor programs:")) if k in mc) + ".")
    p()
    p("Corpus: `make_corpus.py N DIR --seed 1` of the shared harness (`../shared/bench` beside the checkout): about 8 KB"
      " and 800 words of Markdown per page, YAML front matter (title, date, 1-5 of 50 tags, one of 5"
      " sections, summary), about 10 relative `.md` links per page, a table on every third page, fenced"
      " code on one in five. Every figure is a whole-process median (process start to exit, start-up and"
      " imports included) after one uncounted warm-up run; cpu = user + sys of the build and its"
      " children; peak = the largest single process's max RSS; pages/s = N / median wall; other load ="
      " cores used by *other* processes meanwhile (0 = quiet machine; above about 0.3, re-run the row).")
    p()
    p("## Clean builds")
    p()
    p("`site_builder` is our default site with `search: false` (the same work as the peers, see below);"
      " `site_builder+search` adds the Pagefind full-text index (`search: true`, our default). Both run"
      " `site-builder build` as a user's first build: no build cache to start from (the build writes one), one worker per core (the default). Each peer"
      " builds the same site (a page per source page, a list page per section and per tag, a tags index,"
      " a home page, a nav of the sections on every page) with its usual defaults; Pelican's rebuild"
      " (content cache on, one page edited) is in the warm-build table.")
    p()
    for line in table_clean(res):
        p(line)
    p()
    p("### Ratios: peer wall / our wall (above 1×: we are faster), and peer cpu / our cpu")
    p()
    for line in table_ratios(res):
        p(line)
    p()
    scaling = table_scaling(res)
    if scaling:
        p("### Scaling")
        p()
        for line in scaling:
            p(line)
        p()
    warm = table_warm(res)
    if len(warm) > 2:
        p("## Warm builds of site_builder")
        p()
        p("Each on a site that was just built (build cache warm, output folder present), without"
          " `--clean` (the cache read and written as usual): (a) nothing changed; (b) one line appended to one content page; (c) a new HTML"
          " comment line inside the main block of the site's copy of the default theme's `page.html`"
          " (`templates/page.html`), so every content page changes. Every run makes a new edit."
          " \"re-rendered\" = pages rendered anew in the last run (the build's own summary line), the"
          " rest came from the cache. Compared with: (b) Pelican's `rebuild.sh` (whole process, its content"
          " cache on: it still renders and writes every page) and Hugo's own rebuild figure inside a running"
          " `hugo server` (Hugo's internal clock, in memory, no process start: not a whole-process time);"
          " (c) a clean Hugo build (the plain `hugo` CLI has no incremental mode).")
        p()
        for line in warm:
            p(line)
        p()
    hugo = table_hugo_server(res)
    if hugo:
        p("Hugo's rebuild after a one-page edit in `hugo server --disableFastRender`"
          " (`peers/hugo_server_rebuild.sh`, Hugo-reported \"Total in\"):")
        p()
        for line in hugo:
            p(line)
        p()
    ours = table_our_server(res)
    if ours:
        p("Our dev server, measured the same way (`bench/serve_rebuild.py`: `site-builder serve` on the"
          " same project, one line appended to the same page once a second, the rebuild time from the"
          " server's own log line \"Built N pages in X s (content: 1 file changed (…))\"; the next column adds the time"
          " its file watcher takes to notice the edit). With search on, the search index follows the"
          " reload (it is not in this figure).")
        p()
        for line in ours:
            p(line)
        p()
    p("## Same site?")
    p()
    p("HTML pages of the last clean build (all files in brackets):")
    p()
    for line in table_pages(res):
        p(line)
    p()
    p("Every peer writes N + 57 HTML pages (N pages, 5 section lists, 50 tag lists, a tags index, a home"
      " page), MkDocs one more (its `404.html`) and more files (search index, theme assets, sitemap). site_builder writes the same"
      " N + 57 plus its own `404.html` and `about/` (and `search/` with search on): N + 59 (N + 60), plus"
      " `feed.xml`, `sitemap.xml`, `robots.txt`, `.nojekyll`, `style.css` and `favicon.svg`"
      " (and the `pagefind/` index with search on). Work that differs: site_builder resolves and checks"
      " the `.md` links itself (like Pelican and MkDocs), writes heading IDs and a table of contents"
      " (Python-Markdown `toc`, like MkDocs), does not highlight code (like MkDocs and Eleventy; Hugo and"
      " Pelican do), and its default theme is heavier than the peers' minimal templates (but lighter than"
      " MkDocs').")
    p()
    p("## How to reproduce")
    p()
    p("```sh\nmake bench                                  # N = 1,000 and 10,000: about 30 min on 2 cores\n"
      "BENCH_SIZES=\"1000 5000 10000\" make bench    # adds the 5,000-page rows (about 12 min more)\n"
      "BENCH_SIZES=200 RUNS=1 make bench           # a quick check of the harness (about 1 min)\n```")
    p()
    p("`make bench` installs the project, installs the peers if missing (`../shared/bench/setup_peers.sh`,"
      " as root: Hugo from Debian, Pelican and MkDocs in venvs under `/tmp/bench-venvs`, Eleventy under"
      " `/tmp/bench-eleventy`), runs a copy of the shared `run_all.sh` with our adapters"
      " (`bench/peers/site_builder.sh`, `bench/peers/site_builder_search.sh`) on tmpfs"
      " (`ROOT=/dev/shm/site-builder-bench`), then our warm builds and Hugo's server figure, and writes"
      " this file. Raw timer reports and build logs stay in `$ROOT/results` and `$ROOT/logs`; `KEEP=1`"
      " keeps the projects too (one row by hand: `sh bench/peers/site_builder.sh CORPUS WORK`, then"
      " `python3 ../shared/bench/timeit.py -n 5 -- WORK/build.sh`). Run it on a quiet machine: the"
      " \"other load\" column shows whether someone else's job shared the cores.")


if __name__ == "__main__":
    main()
