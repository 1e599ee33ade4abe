# hirepulse: two commands for a fresh machine.
#   make demo   virtual environment, install, bundled sample through the real pipeline, dashboard
#   make test   virtual environment, install with the test extra, the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install browser clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the one browser test; skipped quietly when apt is not ours to use.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed: the browser test will be skipped"; fi; }

demo: install
	$(BIN)/hirepulse demo

test: install browser
	$(BIN)/python -m pytest -q -rs

bench: install
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal data/*.duckdb.lock reports
