# Kurzer Dienstweg: `make run` serves the portal with demo data, `make test` runs the whole suite.
# Both set up everything they need from the project's own files on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make

.PHONY: setup run test test-postgres lint messages compilemessages clean benchmark

setup: $(STAMP)/python $(STAMP)/npm compilemessages

$(STAMP)/python: requirements/base.txt requirements/dev.txt requirements/production.txt
	@mkdir -p $(STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

$(STAMP)/npm: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled with Babel so that no system gettext is needed.
compilemessages: $(STAMP)/python
	$(PY) -m babel.messages.frontend compile --domain django --directory locale --statistics

# Regenerates the catalogues from the source (needs GNU gettext, a developer tool only).
messages: $(STAMP)/python
	$(PY) manage.py makemessages --locale de --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --no-obsolete

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest

# ruff, and the architecture contracts of pyproject.toml ([tool.importlinter]).
lint: $(STAMP)/python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# All benchmarks, or some: make benchmark BENCH="submission pages" (the names after bench_).
benchmark: setup
	$(PY) tests/benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) node_modules $(STAMP) db.sqlite3 var staticfiles
