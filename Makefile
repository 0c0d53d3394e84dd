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

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
