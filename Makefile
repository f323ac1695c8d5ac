# Kurzer Dienstweg: `make run` serves the portal with demo data, `make test` runs the whole suite.
# Both set up everything they need from the project's own files on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make
# `make run PORT=8123` serves on another port; the links in the portal's e-mails follow it unless
# WAGTAILADMIN_BASE_URL is set in the environment.
PORT ?= 8000

.PHONY: setup run test test-postgres lint messages compilemessages clean benchmark benchmark-scale

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

run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest

# ruff, and the architecture contracts of pyproject.toml ([tool.importlinter]).
lint: $(STAMP)/python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# All benchmarks, or some: make benchmark BENCH="submission pages" (the names after bench_).
benchmark: setup
	$(PY) tests/benchmarks/run.py $(BENCH)

# The city at scale: 100,000 staff, 10,000 and then 1,000,000 requests, on PostgreSQL (SCALE_DATABASE_URL names the
# benchmark's own database, postgres://postgres@127.0.0.1:5432/kd_scale_bench by default; it is dropped and rebuilt).
benchmark-scale: setup
	$(PY) tests/benchmarks/scale/run.py

clean:
	rm -rf $(VENV) node_modules $(STAMP) db.sqlite3 var staticfiles
