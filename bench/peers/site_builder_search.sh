#!/bin/sh
# site_builder with its default full-text search (Pagefind index): same as site_builder.sh
# but search: true in site.yaml. Usage: bench/peers/site_builder_search.sh CORPUS_DIR WORK_DIR
SEARCH=true exec sh "$(dirname "$0")/site_builder.sh" "$@"
