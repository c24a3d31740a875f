# Layanan Publik Kota Kupang. Quick start: `make run` (portal on http://127.0.0.1:8000) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint up bench venv messages check-python clean

check-python:
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (set PY=python3.11).")'

$(STAMP): requirements.txt requirements-dev.txt | check-python
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

# Links sent out (e-mail, SMS, QR codes) point where this server really runs, unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks (pyproject.toml: pyflakes, bugbear, simplify, isort, Django rules, complexity <= 12).
lint: venv
	$(BIN)/ruff check .

# Production-like stack: gunicorn + Celery worker + Celery beat on DATABASE_URL and REDIS_URL.
up: venv
	$(BIN)/python scripts/up.py

bench: venv
	$(BIN)/python bench/run.py

# Regenerate translation catalogues (needs GNU gettext); compiled .mo files are committed.
messages: venv
	$(BIN)/python manage.py makemessages -l en -l id --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
