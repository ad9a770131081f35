# ServiceCoach — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= servicecoach-demo
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test bench translations messages lint deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel -q compile --use-fuzzy -d training/translations -f

run: install
	$(BIN)/servicecoach db upgrade
	$(BIN)/servicecoach demo load --password '$(DEMO_PASSWORD)'
	@echo ""
	@echo "  ServiceCoach: http://$(HOST):$(PORT)/   (demo password: $(DEMO_PASSWORD))"
	@echo ""
	$(BIN)/servicecoach run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python -m bench.run

# Developers: re-extract the Chinese source strings into the English catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o training/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i training/translations/messages.pot -d training/translations --no-fuzzy-matching

# Which feature package imports which, and any cycles (the contract itself: tests/test_layering.py).
deps: $(STAMP)
	$(BIN)/python -m tools.deps

lint: $(STAMP)
	$(BIN)/ruff check training question_bank tests tools

clean:
	rm -rf $(VENV) instance tests/artifacts .pytest_cache
