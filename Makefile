# Zhifa: `make run` sets everything up and serves the demo county; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := zhifa.settings

.PHONY: run serve install python-deps node-deps messages system-deps migrate demo test test-all lint schema bench clean

run: install migrate demo ## install, migrate, load the demo county, serve on 127.0.0.1:$(PORT)
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

install: python-deps node-deps messages
	@mkdir -p var

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json scripts/vendor.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run -s vendor
	touch $@

messages: python-deps
	$(PY) scripts/compile_messages.py

# System packages the browser tests, PDFs and the translation check need (Debian): Chromium, a CJK
# font and GNU gettext.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v xgettext >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext >/dev/null; \
	  else echo "Install Chromium, a CJK font and gettext (Debian: apt-get install chromium fonts-noto-cjk gettext)"; exit 1; fi; \
	fi

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

# Tests run in ZHIFA_TEST_WORKERS processes (pytest-xdist; each has its own test database); "worksteal"
# lets an idle worker take queued tests from a busy one, so the long browser stories do not end the run alone.
ZHIFA_TEST_WORKERS ?= 2
test: install system-deps ## every test on $$DATABASE_URL (SQLite when unset), browsers included
	$(PY) -m pytest -q -n $(ZHIFA_TEST_WORKERS) --dist worksteal

test-all: install system-deps ## the suite on SQLite and then on PostgreSQL
	$(PY) -m pytest -q -n $(ZHIFA_TEST_WORKERS) --dist worksteal
	DATABASE_URL=$${ZHIFA_PG_URL:-postgres://postgres@127.0.0.1:5432/zhifa} $(PY) -m pytest -q -n $(ZHIFA_TEST_WORKERS) --dist worksteal

lint: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) manage.py export_openapi --check docs/openapi.json
	$(PY) manage.py procedure_diagram --check docs/procedure.md
	$(PY) scripts/check_messages.py

schema: install
	$(PY) manage.py export_openapi docs/openapi.json

# Benchmarks run on SQLite and then on the local PostgreSQL (set ZHIFA_BENCH_PG_URL= to skip it).
ZHIFA_BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/zhifa
export ZHIFA_BENCH_PG_URL
bench: install ## every benchmark, or one: make bench BENCH=name
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf var/zhifa.sqlite3* var/static
