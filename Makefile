PY ?= .venv/bin/python
BIN ?= .venv/bin

.PHONY: help install test lint typecheck imports bench reproduce fmt serve

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install:  ## create .venv and install the package with test and dev extras
	python3.11 -m venv .venv && $(BIN)/pip install -q -e ".[dev]"

test:  ## run the whole test suite
	$(PY) -m pytest -q

lint:  ## ruff lint and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

fmt:  ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

typecheck:  ## mypy --strict on src/
	$(BIN)/mypy

imports:  ## import-linter layer contracts
	$(BIN)/lint-imports

bench:  ## run every benchmark (each prints a JSON object on its last line)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

reproduce:  ## reproduce the paper's section 8 study into reproduce-out/
	$(BIN)/tokenfutures reproduce --paths 10000 --seed 1 --out reproduce-out

serve:  ## run the venue, API, dashboard and market maker on 127.0.0.1:8000
	$(BIN)/tokenfutures serve
