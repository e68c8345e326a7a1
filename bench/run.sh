#!/bin/bash
# `make bench`: site_builder side by side with Hugo, Pelican, MkDocs and Eleventy, in ONE run,
# on the shared harness in ../shared/bench beside the checkout (corpus, peer adapters, timer, run_all.sh),
# then docs/benchmarks.md. See the "Benchmarks" section of the README.
#
#   1. installs the peers if one is missing (the shared setup_peers.sh; needs root)
#   2. copies the shared harness to a temporary folder, adds bench/peers/site_builder*.sh,
#      and runs its run_all.sh: clean builds of every peer, Pelican's rebuild, the floors
#   3. our warm builds (nothing changed / one page changed / one template changed),
#      each on the site the clean build just left (cache filled by the uncounted warm-up)
#   4. Hugo's own rebuild figure in `hugo server` (peers/hugo_server_rebuild.sh)
#   5. bench/summarize.py -> docs/benchmarks.md
#
# Environment (all optional):
#   BENCH_SIZES="1000 10000"  page counts (e.g. "1000 5000 10000"; "200" to try it out)
#   RUNS=                     counted runs per row (default: 5 at N <= 2000, else 3)
#   ROOT=/dev/shm/site-builder-bench   corpora, projects, results (tmpfs, as the peers were measured)
#   PEERS="site_builder site_builder_search hugo pelican mkdocs eleventy"
#   FLOORS="io markdown"      floor rows (shared floor/; "none" = no floor rows)
#   WARM=1                    0: skip our warm builds      HUGO_SERVER=1  0: skip the server figures (Hugo's, ours)
#   HUGO_EDITS=               edits for the Hugo server figure (default 7 at N <= 2000, else 5)
#   ONLY="1000-hugo ..."      re-run only these rows (as run_all.sh); keeps the other results
#   OUT=docs/benchmarks.md    where the table goes     KEEP=0  1: keep the projects under ROOT
#   BENCH_SHARED=../shared/bench (from the checkout's root)   BENCH_VENVS=/tmp/bench-venvs   ELEVENTY_DIR=/tmp/bench-eleventy
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
# the shared files sit beside the project, wherever it is cloned: <clone>/../shared
SHARED=${BENCH_SHARED:-$(cd "$REPO/.." && pwd)/shared/bench}
export BENCH_VENVS=${BENCH_VENVS:-/tmp/bench-venvs}
export ELEVENTY_DIR=${ELEVENTY_DIR:-/tmp/bench-eleventy}
export ROOT=${ROOT:-/dev/shm/site-builder-bench}
export PEERS=${PEERS:-site_builder site_builder_search hugo pelican mkdocs eleventy}
FLOORS=${FLOORS:-io markdown}
[ "$FLOORS" = none ] && FLOORS=" "          # run_all.sh treats an empty FLOORS as "all of them"
export FLOORS
SIZES=${BENCH_SIZES:-1000 10000}
WARM=${WARM:-1}
HUGO_SERVER=${HUGO_SERVER:-1}
OUT=${OUT:-$REPO/docs/benchmarks.md}
KEEP=${KEEP:-0}
export SB_CHECKOUT=$REPO                  # the adapters run from a copy: this is where .venv is
SBPY=$REPO/.venv/bin/python
RES=$ROOT/results
has_peer() { case " $PEERS " in *" $1 "*) return 0;; esac; return 1; }
log() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

[ -x "$SBPY" ] || { echo "no $SBPY: run 'make bench' (it installs the project first)" >&2; exit 1; }
[ -f "$SHARED/run_all.sh" ] || { echo "no shared harness at $SHARED (set BENCH_SHARED)" >&2; exit 1; }
for N in $SIZES; do
    case $N in ''|*[!0-9]*) echo "BENCH_SIZES: '$N' is not a page count" >&2; exit 2;; esac
done

# --- 1. peers -----------------------------------------------------------------------------
missing=""
has_peer hugo && ! command -v "${HUGO:-hugo}" >/dev/null && missing="$missing hugo"
has_peer pelican && [ ! -x "$BENCH_VENVS/pelican/bin/pelican" ] && missing="$missing pelican"
has_peer mkdocs && [ ! -x "$BENCH_VENVS/mkdocs/bin/mkdocs" ] && missing="$missing mkdocs"
has_peer eleventy && [ ! -f "$ELEVENTY_DIR/node_modules/@11ty/eleventy/cmd.cjs" ] && missing="$missing eleventy"
[ "$FLOORS" != " " ] && [ ! -x "$BENCH_VENVS/floor/bin/python" ] && missing="$missing floor-libs"
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "missing:$missing. Install them as root:  sudo sh $SHARED/setup_peers.sh" >&2; exit 1
    fi
    log "installing the peers (missing:$missing; log: /tmp/bench-setup-peers.log)"
    sh "$SHARED/setup_peers.sh" > /tmp/bench-setup-peers.log 2>&1 \
        || { tail -n 30 /tmp/bench-setup-peers.log >&2; echo "setup_peers.sh failed" >&2; exit 1; }
fi
if has_peer site_builder_search && ! "$SBPY" -c 'import pagefind' 2>/dev/null; then
    echo "site_builder_search needs Pagefind in $REPO/.venv (pip install 'pagefind[extended]')" >&2; exit 1
fi

# --- 2. the shared harness, plus our adapters, in a temporary copy ------------------------
H=$(mktemp -d /tmp/site-builder-bench.XXXXXX)
MON=""
cleanup() { [ -n "$MON" ] && kill "$MON" 2>/dev/null; rm -rf "$H"; }
trap cleanup EXIT
cp -R "$SHARED"/. "$H"/
chmod -R u+w "$H"
cp "$REPO"/bench/peers/site_builder.sh "$REPO"/bench/peers/site_builder_search.sh "$H/peers/"
TIMER="$SBPY $H/timeit.py"          # the shared timer (standard library only), no pyenv shim
export TIMER

mkdir -p "$ROOT"
if [ -z "${ONLY:-}" ]; then rm -rf "$RES" "$ROOT/logs"; fi   # a fresh run: no stale rows
mkdir -p "$RES" "$ROOT/logs"
date -u +%s > "$RES/started"

log "clean builds: N = $SIZES; peers: $PEERS; floors: ${FLOORS# }; ROOT=$ROOT"
# shellcheck disable=SC2086
sh "$H/run_all.sh" $SIZES

# --- pages and output of each project, as the last clean build left it --------------------
for N in $SIZES; do
    for p in $PEERS; do
        d="$ROOT/$N/$p/out"
        [ -d "$d" ] || continue
        printf '%s %s\n' "$(find "$d" -type f -name '*.html' | wc -l)" "$(find "$d" -type f | wc -l)" \
            > "$RES/$N-$p.pages"
    done
done

# --- 3. our warm builds -------------------------------------------------------------------
# measure LABEL WORKDIR SCRIPT RUNS: the same as run_all.sh's, but nothing is moved away
measure() {
    local label=$1 work=$2 script=$3 runs=$4
    if [ -n "${ONLY:-}" ]; then
        case " $ONLY " in *" $label "*) ;; *) return 0;; esac
    fi
    log "$label"
    local t0; t0=$(date +%s.%N)
    $TIMER -n "$runs" --warmup 1 --timeout 3600 -- \
        sh -c "exec '$work/$script' >>'$ROOT/logs/$label.log' 2>&1" > "$RES/$label.txt" 2>&1 || true
    echo "$t0 $(date +%s.%N)" > "$RES/$label.window"
    cat "$RES/$label.txt" >&2
    if [ -d "$work/out" ]; then
        printf '%s %s\n' "$(find "$work/out" -type f | wc -l)" "$(du -sm "$work/out" | cut -f1)" > "$RES/$label.size"
    fi
}
if [ "$WARM" = 1 ]; then
    "$SBPY" "$H/busy_monitor.py" $$ "$RES/busy.log" 1.0 &
    MON=$!
    for N in $SIZES; do
        if [ -n "${RUNS:-}" ]; then R=$RUNS; elif [ "$N" -le 2000 ]; then R=5; else R=3; fi
        for p in site_builder site_builder_search; do
            has_peer $p || continue
            W="$ROOT/$N/$p"
            [ -x "$W/warm-nothing.sh" ] || { echo "no $W/warm-nothing.sh: warm builds of $p skipped" >&2; continue; }
            [ -d "$W/out" ] || "$W/build.sh" >> "$ROOT/logs/$N-$p-warm-setup.log" 2>&1   # (ONLY=...-warm-...)
            # the clean build leaves a full cache; the warm-up run of warm-nothing is not counted
            measure "$N-$p-warm-nothing" "$W" warm-nothing.sh "$R"
            measure "$N-$p-warm-page" "$W" warm-page.sh "$R"
            measure "$N-$p-warm-template" "$W" warm-template.sh "$R"
        done
    done
fi

# --- 4. rebuild figures inside a running server: Hugo's, and ours the same way -------------
# server_figure LABEL N COMMAND...: runs COMMAND EDITS (its last argument: the number of edits)
server_figure() {
    local label=$1 n=$2 e t0; shift 2
    if [ -n "${ONLY:-}" ]; then case " $ONLY " in *" $label "*) ;; *) return 0;; esac; fi
    if [ -n "${HUGO_EDITS:-}" ]; then e=$HUGO_EDITS; elif [ "$n" -le 2000 ]; then e=7; else e=5; fi
    log "$label ($e edits)"
    t0=$(date +%s.%N)
    "$@" "$e" > "$RES/$label.txt" 2>&1 || echo "failed: $label (see above)" >> "$RES/$label.txt"
    echo "$t0 $(date +%s.%N)" > "$RES/$label.window"
    cat "$RES/$label.txt" >&2
}
if [ "$HUGO_SERVER" = 1 ]; then
    for N in $SIZES; do
        if has_peer hugo && [ -d "$ROOT/$N/hugo/content" ]; then
            server_figure "$N-hugo-server" "$N" sh "$H/peers/hugo_server_rebuild.sh" "$ROOT/$N/hugo"
        fi
        for p in site_builder site_builder_search; do   # bench/serve_rebuild.py: its own log line per edit
            has_peer $p && [ -f "$ROOT/$N/$p/site.yaml" ] || continue
            server_figure "$N-$p-server" "$N" "$SBPY" "$REPO/bench/serve_rebuild.py" "$ROOT/$N/$p" --edits
        done
    done
fi
[ -n "$MON" ] && { kill "$MON" 2>/dev/null || true; MON=""; }

# --- the machine and the versions ---------------------------------------------------------
{
    echo "date: $(date -u -d "@$(cat "$RES/started")" '+%Y-%m-%d %H:%M UTC') (finished $(date -u '+%H:%M UTC'))"
    echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores: $(nproc)"
    echo "ram: $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "swap: $(awk '/^SwapTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "os: $( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s), kernel $(uname -r)"
    echo "virtualization: vm $(systemd-detect-virt --vm 2>/dev/null || echo none), container $(systemd-detect-virt --container 2>/dev/null || echo none)"
    echo "root: $ROOT ($(df -T "$ROOT" | awk 'NR==2 {print $2}'))"
    echo "site_builder: $("$SBPY" -c 'import site_builder; print(site_builder.__version__)') at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- site_builder templates 2>/dev/null || echo ' (+ uncommitted changes)')"
    echo "python: $("$SBPY" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
    echo "site_builder libs: $("$SBPY" -c '
import importlib.metadata as m
print(", ".join(f"{n} {m.version(n)}" for n in ("Markdown", "Jinja2", "PyYAML", "pagefind")))' 2>/dev/null)"
    has_peer hugo && echo "hugo: $("${HUGO:-hugo}" version 2>/dev/null | awk '{print $2}')"
    if has_peer pelican; then
        echo "pelican: $("$BENCH_VENVS/pelican/bin/python" -c '
import importlib.metadata as m
print(m.version("pelican") + " (" + ", ".join(f"{n} {m.version(n)}" for n in ("Markdown", "Jinja2", "Pygments")) + ")")')"
    fi
    has_peer mkdocs && echo "mkdocs: $("$BENCH_VENVS/mkdocs/bin/python" -c 'import importlib.metadata as m; print(m.version("mkdocs"))')"
    has_peer eleventy && echo "eleventy: $(cd "$ELEVENTY_DIR" && node node_modules/@11ty/eleventy/cmd.cjs --version 2>/dev/null) on Node $(node --version | sed 's/^v//')"
    [ "$FLOORS" != " " ] && echo "floors: $("$BENCH_VENVS/floor/bin/python" -c '
import importlib.metadata as m
print(", ".join(f"{n} {m.version(n)}" for n in ("Markdown", "Jinja2", "PyYAML")))')"
    echo "sizes: $SIZES"
    echo "runs: ${RUNS:-5 at N <= 2000, 3 above}"
} > "$RES/machine.txt"
cat "$RES/machine.txt" >&2

# --- 5. the table -------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
"$SBPY" "$REPO/bench/summarize.py" "$RES" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
log "wrote $OUT"
if [ "$KEEP" != 1 ]; then
    # the projects and outputs hold about 1.5 GB of RAM on tmpfs; results and logs stay
    for N in $SIZES; do rm -rf "${ROOT:?}/$N"; done
    echo "kept $RES and $ROOT/logs (KEEP=1 keeps the projects and outputs too)" >&2
fi
