# Đoàn Vụ — the commands a newcomer needs. `make run` and `make test` come first.
PYTHON ?= python3.11
ifeq (, $(shell command -v $(PYTHON) 2>/dev/null))
PYTHON := python3
endif
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck messages i18n-check worker bench bench-audit demo migrate clean check-browser

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

## run: set up everything and serve the demo on http://127.0.0.1:8000, with the background
## worker that runs imports (manage.py serve: runserver + db_worker; Ctrl-C stops both)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py recompute_fieldvisits
	$(PY) manage.py recompute_targets
	$(PY) manage.py doc_check
	$(PY) manage.py serve 127.0.0.1:8000

## test: the whole suite (unit, integration, browser) on SQLite, or on $$DATABASE_URL
test: $(STAMP) check-browser
	$(PY) -m pytest -q

check-browser:
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || { \
	  echo "Thiếu trình duyệt Chromium cho các kiểm thử trình duyệt: sudo apt-get install -y chromium"; \
	  echo "(hoặc đặt CHROMIUM_PATH trỏ tới chromium đã cài)"; exit 1; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy doanvu

## worker: the background task worker alone (django-tasks database backend; `make run` has one)
worker: $(STAMP)
	$(PY) manage.py db_worker

## bench: generate a nation on $$DATABASE_URL (PostgreSQL recommended) and print figures
bench: $(STAMP)
	$(PIP) install --quiet -r requirements-bench.txt
	$(PY) tests/bench/run.py

## bench-audit: only the audit row of the bench (X-4), on a fresh doanvu_audit_bench or $$DATABASE_URL
bench-audit: $(STAMP)
	$(PY) tests/bench/bench_audit.py

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

clean:
	rm -rf $(VENV) var

## messages: collect the interface strings into doanvu/locale/vi (needs GNU gettext: apt-get
## install gettext) and compile them. Vietnamese is the source language; a new language is
## `makemessages -l en` and a translator's .po.
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv

## i18n-check: fail on a Vietnamese literal outside gettext (X-1); CI runs it
i18n-check: $(STAMP)
	$(PY) -m doanvu.common.i18n_check
