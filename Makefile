# Two commands on a fresh machine (only python3 and make needed):
#   make run    create .venv, install, start the assistant
#   make test   create .venv, install with test extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

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
	$(BIN)/ruff check src tests

types: $(VENV)/.test-installed
	$(BIN)/mypy

system-packages:
	@scripts/install-system-packages

pytest: $(VENV)/.test-installed system-packages
	$(BIN)/python -m pytest

test: lint types pytest

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
