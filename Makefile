# Rongtuk: `make run` starts everything embedded; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test test-unit bench bench-sla bench-routing bench-reports bench-hub bench-metrics clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: install
	$(BIN)/rongtuk run

# `nameko test` is pytest after eventlet's monkey patch, as `nameko run` does for the services
NAMEKO_TEST := PYTHONWARNINGS=ignore::Warning:nameko.cli.commands $(BIN)/nameko test

# three `nameko test` processes side by side (tests/parallel.py); ARGS="--jobs 1" runs one
test: install
	$(BIN)/python -m tests.parallel $(ARGS)

test-unit: install
	$(NAMEKO_TEST) tests/unit $(ARGS)

bench: install
	$(BIN)/python -m benchmarks.flow

bench-sla: install
	$(BIN)/python -m benchmarks.sla_sweep

bench-routing: install
	$(BIN)/python -m benchmarks.routing

bench-reports: install
	$(BIN)/python -m benchmarks.reports

bench-hub: install
	$(BIN)/python -m benchmarks.hub

bench-metrics: install
	$(BIN)/python -m benchmarks.metrics

clean:
	rm -rf $(VENV) data .pytest_cache
