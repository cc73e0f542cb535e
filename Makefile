# Two commands do everything on a fresh machine:
#   make serve   install, build and serve the site with live calculators on http://127.0.0.1:8000
#   make test    install everything the tests need (the three browsers included) and run every test
# Every target is idempotent: a re-run only redoes what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help deps build serve test test-fast lint bench clean chromium browsers

VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# puppeteer-core drives Debian's Firefox ESR; nothing may download a browser.
export PUPPETEER_SKIP_DOWNLOAD := 1

help:
	@echo "make serve   - install, build and serve on http://127.0.0.1:8000 (live reload)"
	@echo "make test    - install everything and run every test"
	@echo "make build   - write the deployable site to site/"
	@echo "make bench   - print the benchmark numbers"
	@echo "make lint    - ruff and mypy"

# The virtualenv, rebuilt only when the lock changes.
# Then this repository itself, editable: its entry point registers the `calculators` MkDocs plugin.
$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || "$$(scripts/find_python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# The pinned npm packages (Pyodide, Workbox, axe-core, puppeteer-core); npm ci checks each tarball's integrity.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ProperDocs (a maintained fork of MkDocs 1.x), apart from the virtualenv's site-packages: only
# tests/site/test_properdocs.py puts it on its path.
$(VENV)/properdocs/.installed: requirements-properdocs.txt $(VENV)/.installed
	rm -rf $(VENV)/properdocs
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --target $(VENV)/properdocs -r requirements-properdocs.txt
	@touch $@

deps: $(VENV)/.installed $(VENV)/properdocs/.installed node_modules/.installed

build: deps
	$(PY) -m mkdocs build --strict

serve: deps
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload

# Debian packages, installed only when missing and we are root (CI is): each entry is the
# file that must exist and the package that provides it.
CHROMIUM_PACKAGES := /usr/bin/chromium:chromium
# Chromium (Playwright), Firefox ESR (puppeteer-core over WebDriver BiDi, no geckodriver) and
# WebKitGTK (Selenium with WebKitWebDriver and MiniBrowser, which needs an X display: Xvfb);
# and WPE WebKit 2.38 (cog), which is as old as Safari 16.0, for the "needs a newer browser" test.
BROWSER_PACKAGES := $(CHROMIUM_PACKAGES) /usr/bin/firefox-esr:firefox-esr \
  /usr/bin/WebKitWebDriver:webkit2gtk-driver /usr/bin/xvfb-run:xvfb /usr/bin/xauth:xauth \
  /usr/bin/WPEWebDriver:wpewebkit-driver /usr/bin/cog:cog
define apt_install_missing
	@missing=""; for entry in $(1); do [ -x "$${entry%%:*}" ] || missing="$$missing $${entry##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "apt-get install$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing:$$missing. Run 'sudo apt-get install$$missing' (the browser tests need them)" >&2; exit 1; fi; \
	fi
endef

chromium:
	$(call apt_install_missing,$(CHROMIUM_PACKAGES))

browsers:
	$(call apt_install_missing,$(BROWSER_PACKAGES))

# WebKitGTK's MiniBrowser needs an X display, even for tests: the whole run gets a virtual one.
# One process by default. TEST_WORKERS=N runs N pytest-xdist workers, each engine's suite one unit
# of work and every other test module one more (tests/conftest.py). On this 2-core machine three
# workers were slower than one (three engines booting Pyodide at once: load average 15-20).
TEST_WORKERS ?= 0
test: lint build browsers
	xvfb-run -a -s "-screen 0 1280x1024x24" $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: deps
	$(PY) -m pytest -m "not browser and not pyodide and not slow"

lint: deps
	$(PY) -m ruff check calculators calckit site_integration scripts tests hooks
	$(PY) -m ruff format --check calculators calckit site_integration scripts tests hooks
	$(PY) -m mypy

bench: build chromium
	$(PY) scripts/bench_calculators.py
	$(PY) scripts/bench_browser.py --compare-http-cache

clean:
	rm -rf site build .pytest_cache .hypothesis tests/site/fixture/site
