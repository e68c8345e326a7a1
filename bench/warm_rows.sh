#!/bin/bash
# bench/warm_rows.sh ROUNDS "ROWS" LABEL=SITE:PYTHON...: the warm rows of bench/run.sh (nothing changed, one
# page changed, one template changed) for several versions of site_builder side by side, interleaved
# (A B C A B C), each on its own site (bench/peers/site_builder.sh sets one up: copy its build.sh's
# python into PYTHON, a script running `python "$@"` with the version's PYTHONPATH). Per row, each
# version first gets one uncounted run (as timeit's warm-up), then ROUNDS counted runs; the edit is
# bench/peers/site_builder.sh's (a line appended to its page, a comment added to templates/page.html).
# Prints "label row wall user sys load1" per run (GNU time); docs/benchmarks-warm.md has the tables.
#   bench/warm_rows.sh 5 "nothing page" pre=/dev/shm/w/pre:/dev/shm/w/py-pre fix=/dev/shm/w/fix:/dev/shm/w/py-fix
set -u
R=$1; ROWS=$2; shift 2
T=$(mktemp); trap 'rm -f "$T"' EXIT
one() {  # SITE PYTHON ROW
    cd "$1" || exit 1
    case $3 in
        page) f=$(cd content && find . -name '*.md' | LC_ALL=C sort | head -n 1)
              printf '\nEdited at %s.\n' "$(date +%s%N)" >> "content/$f";;
        template) sed -i "s|{# bench-edits #}|<!-- edited at $(date +%s%N) -->\n{# bench-edits #}|" templates/page.html;;
    esac
    exec "$2" -m site_builder build
}
for row in $ROWS; do
    for v in "$@"; do sp=${v#*=}; ( one "${sp%%:*}" "${sp#*:}" "$row" ) >/dev/null 2>&1; done
    for _ in $(seq "$R"); do
        for v in "$@"; do
            sp=${v#*=}
            /usr/bin/time -o "$T" -f "%e %U %S" bash -c "$(declare -f one); one '${sp%%:*}' '${sp#*:}' $row" >/dev/null 2>&1
            echo "${v%%=*} $row $(tail -n 1 "$T") $(cut -d' ' -f1 /proc/loadavg)"
        done
    done
done
