# Two commands for a fresh clone:
#   make demo   a simulated call through contact_flows/main_inbound.json on the embedded store
#   make test   every test
#   make test-fast   the inner loop: no servers, no network, nothing marked slow (SQLite only)
# Both create .venv and install the project with its dev extra the first time (and again
# whenever pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Taro calls on a weekday morning (a fixed clock, so the line is open whatever the time
# here), checks an order with his PIN, and is silent after that.
DEMO_NOW ?= 2026-12-01T10:30:00+09:00
demo: $(STAMP)
	$(BIN)/ivr seed --reset
	IVR_FIXED_NOW=$(DEMO_NOW) $(BIN)/ivr simulate contact_flows/main_inbound.json \
		--caller +81312345678 --input 1 --input 1234# --input 7000100029#

test: $(STAMP)
	$(BIN)/python -m pytest

# No MariaDB, PostgreSQL or moto (tests using their fixtures are marked `service` by
# tests/conftest.py), no artifacts, no network, no subprocess-heavy or generated-input tests;
# spread over the machine's cores by pytest-xdist (each worker has its own temp stores).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not service and not network and not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy  # what it checks, and how strictly: [tool.mypy] in pyproject.toml

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .ivr .pytest_cache .mypy_cache
