# Two commands do everything on a fresh machine:
#   make serve   install, build and serve the site with live calculators on http://127.0.0.1:8000
#   make test    install everything the tests need (Chromium included) and run every test
# Every target is idempotent: a re-run only redoes what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help deps build serve test test-fast lint bench clean chromium

VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

help:
	@echo "make serve   - install, build and serve on http://127.0.0.1:8000 (live reload)"
	@echo "make test    - install everything and run every test"
	@echo "make build   - write the deployable site to site/"
	@echo "make bench   - print the benchmark numbers"
	@echo "make lint    - ruff and mypy"

# The virtualenv, rebuilt only when the lock changes.
$(VENV)/.installed: requirements.txt
	@test -x $(PY) || "$$(scripts/find_python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	@touch $@

# The pinned npm packages (Pyodide, Workbox, axe-core); npm ci checks each tarball's integrity.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed node_modules/.installed

build: deps
	$(PY) -m mkdocs build --strict

serve: deps
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload

# Debian's chromium, installed only when missing and we are root (CI is).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need /usr/bin/chromium)" >&2; exit 1; fi; \
	fi

test: lint build chromium
	$(PY) -m pytest

test-fast: deps
	$(PY) -m pytest -m "not browser and not pyodide and not slow"

lint: deps
	$(PY) -m ruff check calculators site_integration scripts tests
	$(PY) -m ruff format --check calculators site_integration scripts tests
	$(PY) -m mypy

bench: build chromium
	$(PY) scripts/bench_calculators.py
	$(PY) scripts/bench_browser.py --compare-http-cache

clean:
	rm -rf site build .pytest_cache .hypothesis tests/site/fixture/site
