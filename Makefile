PY ?= .venv/bin/python
BIN ?= .venv/bin

.PHONY: help install test cov lint typecheck imports bench reproduce fmt serve lock

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install:  ## create .venv and install the package with test and dev extras, at the locked versions
	python3.11 -m venv .venv && $(BIN)/pip install -q -e ".[dev]" -c requirements.lock

test:  ## run the whole test suite
	$(PY) -m pytest -q

cov:  ## run the whole test suite with CI's coverage gate (fail_under in pyproject.toml)
	$(PY) -m pytest -q --cov --cov-report=term

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

lock:  ## re-resolve requirements.lock within pyproject.toml's ranges (needs uv: pip install uv)
	uv pip compile pyproject.toml --all-extras --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --annotation-style line \
		--custom-compile-command "make lock" -o requirements.lock

serve:  ## run the venue, API, dashboard and market maker on 127.0.0.1:8000
	$(BIN)/tokenfutures serve
