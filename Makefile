# The two commands: `make run` serves the archive, `make test` runs every check.
# Both create the virtualenv, install pinned dependencies and migrate by themselves.

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# `make run` is for a person at their own machine: debug pages, a built-in key, and
# the admin without a one-time code (ADMIN_2FA_OPTIONAL=0 make run to try the real log-in).
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1} ADMIN_2FA_OPTIONAL=$${ADMIN_2FA_OPTIONAL:-1}

# `make serve` is for a server: the production settings, nothing taken from `make run`'s
# conveniences (DJANGO_DEBUG is dropped), and every setting production needs given.
SERVE_ENV := env -u DJANGO_DEBUG -u ADMIN_2FA_OPTIONAL DJANGO_SETTINGS_MODULE=archive.settings.production
SERVE_REQUIRED := SECRET_KEY ALLOWED_HOSTS ARCHIVE_CONTACT_EMAIL

.PHONY: run test lint typecheck format migrate load help messages backup restore mutation \
	serve serve-check serve-migrate

help:
	@echo "make run   - serve the archive at http://$(HOST):$(PORT) (SQLite, sample data)"
	@echo "make test  - lint (ruff, import contracts), type-check, migration check and the whole test suite"
	@echo "make serve - serve in production: gunicorn (deploy/gunicorn.conf.py), see README, Deploying"
	@echo "make serve-migrate - migrate the production database (before make serve, after an upgrade)"
	@echo "make mutation - mutation testing of the redaction and search-syntax modules (minutes)"
	@echo "make backup                 - consistent backup of the database, into var/backups/"
	@echo "make restore FILE=<backup>  - restore it, then re-apply the withdrawal ledger"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12 or newer is needed; found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# The browser tests inject axe-core (pinned in package-lock.json) into the pages;
# the citation tests read the downloads with citation-js (pinned there too).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Thai interface catalogue: compiled here when msgfmt is installed, else the
# committed .mo (kept in step with the .po by tests/test_i18n.py) is used as is.
MO := locale/th/LC_MESSAGES/django.mo
$(MO): locale/th/LC_MESSAGES/django.po
	@if command -v msgfmt >/dev/null; then msgfmt --check-format -o $@ $<; \
	else echo "msgfmt not found: using the committed $@"; touch $@; fi

# Collect the interface strings into the Thai catalogue after changing them.
messages: $(VENV)/.runtime-installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l th --no-obsolete --no-location \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=staticfiles --ignore=bench \
	  --ignore=tests --ignore=test-artifacts --ignore=mutants

migrate: $(VENV)/.runtime-installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

load: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_archive

run: load $(MO)
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Refuses, naming what is missing, before anything starts: the settings production
# cannot do without, Django's deployment checks, and migrations not yet applied.
serve-check: $(VENV)/.runtime-installed
	@missing=""; for name in $(SERVE_REQUIRED); do \
	  [ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make serve: set$$missing in the environment (README, Deploying)." >&2; exit 2; fi
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy --fail-level ERROR
	@$(SERVE_ENV) $(BIN)/python manage.py migrate --check >/dev/null || { \
	  echo "make serve: the database has migrations to apply: make serve-migrate" >&2; exit 2; }

serve-migrate: $(VENV)/.runtime-installed
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput

# Static files are collected into staticfiles/ (git-ignored), hashed and compressed,
# and served by WhiteNoise or straight from there by the proxy.
serve: serve-check $(MO)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	exec $(SERVE_ENV) $(BIN)/python -m gunicorn --config deploy/gunicorn.conf.py

# ruff, then the import contracts of pyproject.toml (who may import whom, docs/architecture.md).
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy with the django-stubs plugin; what it checks, and how strictly: pyproject.toml.
typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint typecheck node_modules/.installed $(MO)
	DJANGO_SETTINGS_MODULE=archive.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Mutation testing of the modules listed in pyproject.toml's [tool.mutmut]: a score per
# module and the surviving mutants. Not part of `make test`: it takes minutes. It starts
# from a fresh copy, as mutmut would otherwise keep stale copies of unmutated files.
MUTATION_CHILDREN ?= 1
mutation: $(VENV)/.dev-installed
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	@$(BIN)/mutmut results --all true | awk -F': ' '{ m = $$1; sub(/^ +/, "", m); \
	  sub(/\.x[^.]*$$/, "", m); total[m]++; if ($$2 == "killed" || $$2 == "timeout") killed[m]++ } \
	  END { for (m in total) printf "%s: %d of %d mutants killed (%.1f%%)\n", \
	  m, killed[m], total[m], 100 * killed[m] / total[m] }' | sort
	@echo "Surviving mutants (docs/mutation.md lists the equivalent ones; mutmut show NAME shows one):"
	@$(BIN)/mutmut results | grep ': survived$$' || true

# Safe while the site runs. SQLite: the online backup API; PostgreSQL: pg_dump -Fc.
backup: $(VENV)/.runtime-installed
	$(RUN_ENV) $(BIN)/python manage.py backup

# Replaces the database's content, migrates it, and re-applies every withdrawal
# in the ledger file so nothing withdrawn since the backup comes back.
restore: $(VENV)/.runtime-installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/archive-<date>-<time>.sqlite3"; exit 2; }
	$(RUN_ENV) $(BIN)/python manage.py restore "$(FILE)"
