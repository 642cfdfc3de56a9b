# Two commands on a fresh machine (only python3 and make needed):
#   make run    create .venv, install, start the assistant
#   make test   create .venv, install with test extras, run ruff, mypy and pytest
#   make bench  create .venv-bench (awsmedic + the AWS CLI + moto), run benchmarks/ (not tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .venv-bench

.PHONY: run test lint types pytest system-packages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/awsmedic

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks

types: $(VENV)/.test-installed
	$(BIN)/mypy

system-packages:
	@scripts/install-system-packages

pytest: $(VENV)/.test-installed system-packages
	$(BIN)/python -m pytest --durations=15

test: lint types pytest

# The benchmarks compare awsmedic with the AWS CLI from PyPI: their own environment, so that
# `make test` stays lean. BENCH_ROUNDS=N for more rounds; `make bench BENCH=match` for one.
$(BENCH_VENV)/.installed: pyproject.toml benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e . -r benchmarks/requirements.txt
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python -m benchmarks $(BENCH)

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist .mypy_cache .pytest_cache .ruff_cache
