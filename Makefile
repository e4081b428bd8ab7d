# Trend Radar: `make run` (offline demo + scheduler + app) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export RADAR_DB ?= data/radar.db

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/radar init
	$(BIN)/radar demo --if-empty
	$(BIN)/radar run --demo --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check radar tests benchmarks app.py
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check radar tests benchmarks app.py
	$(BIN)/ruff format --check radar tests benchmarks app.py

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) data
