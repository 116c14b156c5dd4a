# youthcase: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTHON ?= python3
DEBIAN_PACKAGES := chromium poppler-utils gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	libharfbuzz-subset0 fonts-dejavu-core
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench audit vendor messages system-deps clean-venv

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

.env:
	echo "DJANGO_DEBUG=true" > .env

# Debian packages for the browser tests (Chromium), reading PDFs back
# (poppler-utils), WeasyPrint (Pango, HarfBuzz) and translations (gettext).
# Installed only when missing, and only when we may (root).
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing Debian packages (install them as root): $$missing"; exit 1; \
		fi; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# With REDIS_URL set, tasks go to Redis: a Celery worker (with beat) runs beside
# the server and stops with it. Without it, tasks run in-process.
run: $(STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py demo_logins
	@if [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/celery -A youthcase worker --beat --loglevel WARNING --concurrency 2 \
			--schedule "$${TMPDIR:-/tmp}/youthcase-celerybeat" & \
		trap "kill $$! 2>/dev/null" EXIT; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) system-deps node_modules/.package-lock.json
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

# Benchmarks (not tests): build or reuse the 20,000-young-people PostgreSQL
# database, then print each figure beside its baseline measured in the same run.
# Among them `load` (outcomes/benchmarks/load.py): gunicorn on 127.0.0.1 and
# locust with 50 workers for two minutes; `manage.py bench load` runs it alone.
# Redis as in production: the cache, and the broker of the recomputes each logged contact queues.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/yc_bench20k
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/11
bench: $(STAMP) system-deps
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) DJANGO_DEBUG=true $(PY) manage.py bench

# Known vulnerabilities in the locked dependencies (PyPI's advisory data through
# pip-audit). --strict: a package that could not be audited is an error, not a pass.
audit: $(STAMP)
	$(VENV)/bin/pip-audit --strict -r requirements.lock --no-deps --disable-pip

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the vendored front-end files from the npm registry.
vendor: node_modules/.package-lock.json
	mkdir -p static/vendor/bootstrap static/vendor/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/

# Extract and compile translations (needs gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages -l da -l en --ignore=node_modules --ignore=.venv --ignore=static
	cd locale && ../$(PY) ../manage.py compilemessages
