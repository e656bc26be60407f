# Two commands do all set-up: `make run` (service with the demo hospital) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
# llama-cpp-python (the in-process model runtime) builds from source: portable CPU code, no -march=native.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: run test test-pg lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yizhu needs Python >= 3.11 (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev]"
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/yizhu serve --demo

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/pytest -q

# The whole suite on the embedded PostgreSQL (tests/conftest.py: every SQLite file a test names is a schema there).
test-pg: $(VENV)/.installed-dev
	YIZHU_TEST_DATABASE=postgresql $(BIN)/pytest -q

bench: $(VENV)/.installed
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
