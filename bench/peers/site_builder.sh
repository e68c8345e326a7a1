#!/bin/sh
# site_builder adapter: bench/peers/site_builder.sh CORPUS_DIR WORK_DIR, then time WORK_DIR/build.sh
# Modelled on the shared harness's peers/mkdocs.sh (../shared/bench beside the checkout). The corpus is copied as is into
# WORK/content/<section>/<slug>.md (YAML front matter and relative .md links kept:
# site_builder resolves and checks the links itself). Our default site: the page,
# section and tag list pages, a tags index, a home page, nav, feed.xml, sitemap.xml,
# robots.txt, plus our own 404, about (and search, with search: true) pages.
#
#   build.sh          clean build: a user's first build (an empty cache, which the build
#                     fills); previous out/ and .cache/ renamed into .trash/ first (O(1),
#                     like the peers)
#   warm-nothing.sh   build again, nothing changed (cache warm, out/ present)
#   warm-page.sh      append a unique line to one fixed page, then build (no --clean)
#   warm-template.sh  add a unique HTML comment (inside its main block, so every page's
#                     output changes) to the site's copy of the default theme's
#                     page.html (WORK/templates/page.html, otherwise identical), then build
# The warm scripts never move out/ or .cache/ away: run warm-nothing.sh (or any warm
# script) once after a clean build to fill the cache (timeit.py's warm-up run does).
#
# Environment: SEARCH=true|false (default false; site_builder_search.sh sets true),
#   SB_PYTHON (default: the project's .venv/bin/python), SB_JOBS (default: unset,
#   i.e. one worker per core, the generator's default).
SEARCH=${SEARCH:-false}
ADAPTER_DIR=$(cd "$(dirname "$0")" && pwd)
SB_ROOT=$(cd "$ADAPTER_DIR/../.." && pwd)     # the site_builder checkout (bench/peers/..)
# _common.sh lives with the shared peers; it is copied next to us by bench/run.sh.
if [ -f "$ADAPTER_DIR/_common.sh" ]; then COMMON="$ADAPTER_DIR/_common.sh"; else COMMON=${BENCH_SHARED:-$SB_ROOT/../shared/bench}/peers/_common.sh; fi
. "$COMMON"
# When run from a copied bench folder, SB_ROOT must still point at the checkout.
SB_ROOT=${SB_CHECKOUT:-$SB_ROOT}
SB_PYTHON=${SB_PYTHON:-$SB_ROOT/.venv/bin/python}
if [ ! -x "$SB_PYTHON" ]; then echo "site_builder adapter: no interpreter at $SB_PYTHON (set SB_CHECKOUT or SB_PYTHON)" >&2; exit 1; fi
# the default theme's page.html, as shipped in the package (site_builder/theme -> templates/)
THEME=$("$SB_PYTHON" -c 'import site_builder, pathlib; print(pathlib.Path(site_builder.__file__).resolve().parent / "theme")')
if [ ! -f "$THEME/page.html" ]; then echo "site_builder adapter: no page.html in $THEME" >&2; exit 1; fi
# Our modules' bytecode, as an installed package has it (pip compiles at install): with
# PYTHONDONTWRITEBYTECODE set, as on the bench machine, an editable checkout has none, and every
# timed process would compile its ~100 modules first (0.05-0.08 s of each warm build's CPU,
# docs/benchmarks-warm.md). compileall writes it whatever that variable says.
"$SB_PYTHON" -m compileall -q "$(dirname "$THEME")" >/dev/null

mkdir -p "$WORK/content"
cp -R "$CORPUS"/. "$WORK/content/"
# paginate: the peers' list pages are one page each (none of their bench configs paginates);
# 1,000 a page, the most allowed, keeps ours the same work (a 2,000-page section is 2 pages)
cat > "$WORK/site.yaml" <<EOC
title: Bench
base_url: http://127.0.0.1:8000/
search: $SEARCH
output_dir: out
paginate: 1000
EOC
mkdir -p "$WORK/templates"
# the copy gets a Jinja comment (renders as nothing: same output as the default theme) before
# its last {% endblock %}: warm-template.sh inserts its HTML comments there, inside the block
"$SB_PYTHON" - "$THEME/page.html" "$WORK/templates/page.html" <<'EOP'
import sys
src, dst = sys.argv[1:3]
text = open(src, encoding="utf-8").read()
i = text.rfind("{% endblock")
i = len(text) if i < 0 else i
open(dst, "w", encoding="utf-8").write(text[:i] + "{# bench-edits #}\n" + text[i:])
EOP

JOBS=${SB_JOBS:+ --jobs $SB_JOBS}
SB="'$SB_PYTHON' -m site_builder build$JOBS"
# clean build: like write_build (out/ renamed away), plus .cache/ renamed away too
cat > "$WORK/build.sh" <<EOS
#!/bin/sh
cd "\$(dirname "\$0")"
t=".trash/\$(date +%s%N)"
if [ -e out ] || [ -e .cache ]; then mkdir -p "\$t"; fi
if [ -e out ]; then mv out "\$t/out"; fi
if [ -e .cache ]; then mv .cache "\$t/cache"; fi
exec $SB
EOS
# the one page the warm-page case edits (first in sort order, as Pelican's rebuild.sh)
F=$(cd "$WORK/content" && find . -name '*.md' | LC_ALL=C sort | head -n 1 | sed 's|^\./||')
cat > "$WORK/warm-nothing.sh" <<EOS
#!/bin/sh
cd "\$(dirname "\$0")"
exec $SB
EOS
cat > "$WORK/warm-page.sh" <<EOS
#!/bin/sh
cd "\$(dirname "\$0")"
printf '\nEdited at %s.\n' "\$(date +%s%N)" >> "content/$F"
exec $SB
EOS
cat > "$WORK/warm-template.sh" <<EOS
#!/bin/sh
cd "\$(dirname "\$0")"
# a new comment line inside the main block each run: every page's output changes
sed -i "s|{# bench-edits #}|<!-- edited at \$(date +%s%N) -->\\n{# bench-edits #}|" templates/page.html
exec $SB
EOS
chmod +x "$WORK/build.sh" "$WORK/warm-nothing.sh" "$WORK/warm-page.sh" "$WORK/warm-template.sh"
echo "site_builder project (search: $SEARCH) ready in $WORK; build with: $WORK/build.sh" >&2
