# Willkommen: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format bench install apt venv assets messages migrate demo serve totp clean backup restore

install: apt venv assets messages

apt:
	@bash scripts/apt-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

assets: node_modules/.installed
	@bash scripts/vendor-assets.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: venv
	@bash scripts/compile-messages.sh

migrate: install
	$(PY) manage.py migrate --verbosity 0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@bash scripts/serve.sh $(HOST) $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m benchmarks

totp: venv
	@$(PY) manage.py totp_code $(USER_NAME)

# Database and stored files in one archive with a manifest (docs/privacy.md). BACKUP=path chooses the file,
# default BACKUP_DIR/willkommen-<engine>-<time>.tar. No install step: this must work on a running server.
backup:
	$(PY) manage.py backup $(if $(BACKUP),--output $(BACKUP))

# Check the archive, then replace database and stored files with it. Stop the web server and the job
# consumer first. RESTORE_ARGS=--noinput skips the question; RESTORE_ARGS=--check only verifies.
restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/willkommen-....tar"; exit 2; }
	$(PY) manage.py restore $(BACKUP) $(RESTORE_ARGS)

clean:
	rm -rf var/ node_modules/ $(VENV) willkommen/core/static/vendor
