# The documented way to do everything. `make run` and `make test` work on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app accompagnement
PORT ?= 5000
PYTEST_ARGS ?=
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: help install install-run lock run serve db demo test test-postgres test-all lint typecheck translations \
        extract-messages update-messages bench soak clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs come from the lock files (exact versions, hashes checked), then the app itself without
# resolving again. `make run` needs only requirements/run.txt; `make test` adds the test tools.
$(VENV)/.installed-run: requirements/run.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q --require-hashes -r requirements/run.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q --require-hashes -r requirements/test.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run translations  ## Create .venv with what running the app needs

install: $(VENV)/.installed-test translations  ## Create .venv with the app and its test tools

translations: $(VENV)/.installed-run  ## Compile the translation catalogues
	$(BIN)/pybabel compile --statistics -d accompagnement/translations

db: install-run  ## Create or upgrade the database, and load demo data when it is empty
	$(FLASK) db upgrade
	$(FLASK) workflows sync
	$(FLASK) demo load --if-empty

run: db  ## Install, prepare the database and serve on http://127.0.0.1:$(PORT)
	@echo "Accompagnement on http://127.0.0.1:$(PORT)  (demo accounts: see README)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: db  ## Same as run, with gunicorn (2 workers)
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) wsgi:app

test: install  ## Run the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install  ## Run the whole suite against the local PostgreSQL
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install  ## Lint, format check, type check and import layers
	$(BIN)/ruff check accompagnement tests bench
	$(BIN)/ruff format --check accompagnement tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

extract-messages: install  ## Extract interface strings into the template catalogue
	$(BIN)/pybabel extract -w 100 -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 -k _p:1c,2 -o accompagnement/translations/messages.pot .

update-messages: extract-messages  ## Merge new strings into the French and English catalogues
	$(BIN)/pybabel update -w 100 -i accompagnement/translations/messages.pot -d accompagnement/translations

BENCH_ARGS ?=
bench: install  ## Pages under load next to a raw baseline, and transitions, on 10 000 projects (SQLite, then PostgreSQL if reachable; not in `test`)
	$(BIN)/python -m bench.run --database sqlite $(BENCH_ARGS)
	$(BIN)/python -m bench.transitions --database sqlite
	PG_TEST_URL=$(PG_TEST_URL) $(BIN)/python -m bench.run --database postgresql $(BENCH_ARGS)
	PG_TEST_URL=$(PG_TEST_URL) $(BIN)/python -m bench.transitions --database postgresql

SOAK_SECONDS ?= 120
SOAK_SESSIONS ?= 50
soak: install  ## Load test: 50 sessions against gunicorn on SQLite, then PostgreSQL (not in `test`)
	$(BIN)/python -m soak.run --database sqlite --seconds $(SOAK_SECONDS) --sessions $(SOAK_SESSIONS)
	PG_TEST_URL=$(PG_TEST_URL) $(BIN)/python -m soak.run --database postgresql \
		--seconds $(SOAK_SECONDS) --sessions $(SOAK_SESSIONS)

PIP_COMPILE := $(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links
lock: | $(BIN)/activate  ## Re-resolve requirements/*.txt from pyproject.toml (after changing a dependency)
	$(BIN)/pip install -q 'pip-tools>=7.4,<8'
	$(PIP_COMPILE) -o requirements/run.txt pyproject.toml
	$(PIP_COMPILE) --extra test -o requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
