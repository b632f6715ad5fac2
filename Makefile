# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Service commands, shared word for word with docker-compose.yml (a test checks they agree).
WEB_CMD := gunicorn ptce.wsgi:application --config python:ptce.gunicorn --bind 0.0.0.0:8000 --workers 2 --access-logfile -
WORKER_CMD := celery -A ptce worker --loglevel=info
BEAT_CMD := celery -A ptce beat --loglevel=info --schedule /tmp/celerybeat-schedule

.PHONY: run test install install-dev messages migrate seed lint format worker beat serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Compiled with Babel so that no system gettext is needed on a fresh machine.
messages: install
	$(BIN)/pybabel compile --domain django --directory locale --statistics

migrate: install
	$(MANAGE) migrate --no-input

seed: migrate
	$(MANAGE) seed_demo

run: messages seed
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Real services (need CELERY_BROKER_URL pointing at Redis, and usually DATABASE_URL at PostgreSQL).
serve: messages migrate
	$(MANAGE) collectstatic --no-input
	$(BIN)/$(WEB_CMD)

worker: install
	$(BIN)/$(WORKER_CMD)

beat: install
	$(BIN)/$(BEAT_CMD)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
