# GCM Review Workbook. `make briefs` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := gcm-workbook
PARAMS ?= params/unece-2020-rt3.yaml
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup install browser briefs validate test test-fast test-timed test-loaded regold lint lab bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: $(STAMP)  ## create .venv, install gcmtools with its test extras, register the Jupyter kernel

# what the install depends on: pyproject's [project] and [build-system] tables and the pins (an
# edit of the tools' settings in pyproject.toml, e.g. pytest's options, reinstalls nothing)
DEPS_HASH = $(PYTHON) -c 'import hashlib, json, tomllib; p = tomllib.load(open("pyproject.toml", "rb")); \
	print(hashlib.sha256((json.dumps([p.get("project"), p.get("build-system")], sort_keys=True) + open("constraints.txt").read()).encode()).hexdigest())'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=python3.11")'
	@if [ -x $(BIN)/python ] && [ -f $(STAMP) ] && [ "$$($(DEPS_HASH))" = "$$(cat $(STAMP))" ]; then \
		touch $(STAMP); echo "setup: the dependencies are unchanged, nothing to install"; exit 0; fi; \
	$(MAKE) --no-print-directory install
	@$(DEPS_HASH) > $(STAMP)

install:  # setup's installation (setup runs it only when the dependencies changed)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "GCM Workbook (.venv)" >/dev/null

briefs: setup  ## build the evidence briefs from the shipped data into outputs/
	$(BIN)/gcmtools build --params $(PARAMS) --jobs $(JOBS)

validate: setup  ## validate the shipped practice submissions
	$(BIN)/gcmtools validate data/practices

browser:  ## install Debian's chromium for the browser test, if it is missing (needs root)
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium for the browser test"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing and cannot be installed here: the browser test will be skipped"; fi; }

# pytest spreads the test files over $(JOBS) workers, longest first (pyproject's addopts, tests/conftest.py)
# a cell gets 600 s (nbval waits 2000 s by default: a wedged kernel, 15 cells, far beyond CI's 90 minutes)
NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with notebooks/nbval-sanitize.cfg \
	--nbval-cell-timeout 600 --nbval-kernel-startup-timeout 120

test: setup browser  ## run the whole test suite and nbval on every notebook (target: under 5 minutes on 2 cores)
	$(BIN)/python -m pytest -n $(JOBS) -q tests notebooks $(NBVAL)

# test-fast: without the nbval plugin, whose import (nbformat, jupyter_client) costs each worker seconds
test-fast: setup  ## the tests not marked slow, without nbval (target: under a minute): for the edit-test loop
	$(BIN)/python -m pytest -n $(JOBS) -q -p no:nbval -m "not slow" tests

test-timed: setup browser  ## time `make test` and `make test-fast` (wall, CPU, slowest tests) into bench/tests.json
	$(BIN)/python bench/bench_tests.py

test-loaded: setup browser  ## the whole suite with a busy loop per core beside it: no test may depend on the load
	$(BIN)/python scripts/under_load.py $(MAKE) --no-print-directory test

regold: setup  ## re-execute the notebooks in place after an intended change (then review the diff)
	$(BIN)/python -c "from gcmtools.build.notebooks import regold; [print('executed', p) for p in regold()]"

lint: setup  ## ruff over the package and the tests
	$(BIN)/ruff check gcmtools tests

lab: setup  ## open JupyterLab on the notebooks with the project's kernel
	$(BIN)/jupyter lab notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS)

bench: setup  ## measure build, rebuilds, intake at scale, source ingest and suggestion agreement against the targets
	$(BIN)/python bench/bench.py

clean:  ## remove generated outputs and caches (keeps .venv)
	rm -rf outputs .cache .pytest_cache
