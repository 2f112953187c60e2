# Willkommen: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format bench install apt venv assets messages migrate demo serve totp clean

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

clean:
	rm -rf var/ node_modules/ $(VENV) willkommen/core/static/vendor
