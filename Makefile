# Quick start: `make run` runs the main job on the default model, `make test` runs the test suite.
# Both create .venv and install the package with its test extras on first use only.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL ?= models/siberia_cluster.toml

.PHONY: run test lint bench check-reports baseline clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tea run $(MODEL)

test: $(STAMP)
	$(BIN)/python -m pytest -q

check-reports: $(STAMP)
	$(BIN)/tea report --check --quiet

baseline: $(STAMP)
	$(BIN)/tea report --update-baseline

lint: $(STAMP)
	$(BIN)/ruff check tea tests benchmarks

# `make bench` takes under 3 minutes; `make bench BENCH=--full` adds the 60 s-per-case runs
BENCH ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cascade.py
	$(BIN)/python benchmarks/bench_ratios.py $(BENCH)
	$(BIN)/python benchmarks/bench_uncertainty.py

clean:
	rm -rf $(VENV) build *.egg-info
