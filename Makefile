# Quick start: `make demo` and `make test`. Both bootstrap what they need: uv (installed with
# pip when missing) and the .venv at the repository root, built from uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/uv/bin/uv)
VENV := $(CURDIR)/.venv
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test bootstrap lint format docs bench clean

$(CURDIR)/.tools/uv/bin/uv:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/.tools/uv uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

bootstrap: $(VENV)/.synced

demo: bootstrap
	$(VENV)/bin/millnet demo

lint: bootstrap
	$(VENV)/bin/ruff check --no-cache src tests benchmarks
	$(VENV)/bin/ruff format --no-cache --check src tests benchmarks

# Browser tests fail, rather than skip, when Chromium is missing under make test.
test: export MILLNET_REQUIRE_BROWSER = 1
# The run store tests also run against a throwaway PostgreSQL server, stopped however pytest
# ends; the recipe exits with pytest's status.
test: lint
	bash tools/test-browser.sh
	state=$$(mktemp); \
	trap 'bash tools/test-postgres.sh stop "$$state"; rm -f "$$state"' EXIT; \
	trap 'exit 130' INT TERM; \
	bash tools/test-postgres.sh start "$$state" >/dev/null || exit 1; \
	source "$$state"; export MILLNET_TEST_POSTGRES_URL; \
	$(VENV)/bin/pytest -n 2

format: bootstrap
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

docs: bootstrap
	$(VENV)/bin/python -m millnet.schema.docs docs/case-format.md
	$(VENV)/bin/python -m millnet.model.docs docs/model.md
	$(VENV)/bin/python -m millnet.scenario.docs docs/scenarios.md

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache .hypothesis
