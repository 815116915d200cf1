# chibo: `make run` starts the demo on SQLite with inline tasks, `make test` runs
# every test. Both need nothing but Python 3.11 on Debian: the virtualenv and the
# Debian packages they need are set up on the way (see scripts/).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Two pinned, hashed locks: requirements.lock is what production installs,
# requirements-dev.lock adds the test and lint tools (`make locks` recompiles both).
LOCK := requirements-dev.lock
# A copy of the lock file that was installed: pip runs again only when it changes.
STAMP := $(VENV)/.installed-$(LOCK)
ADDRESS ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# `make bench-load BENCH_ARGS="--rounds 1 --roles province"` (scripts/bench_load.py --help).
BENCH_ARGS ?=
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
# The demo is the zero-setup default whatever the shell exports (DESIGN.md).
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL

.PHONY: help run test lint format worker beat messages venv locks bench-load system-deps-run system-deps-test system-deps-bench

help:
	@echo "make run       set up, migrate, load the demo data and serve http://$(ADDRESS)/"
	@echo "make test      set up, then pytest, ruff check and ruff format --check (PYTEST_ARGS=... to pass options)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff check --fix and ruff format"
	@echo "make worker    a Celery worker (needs REDIS_URL)"
	@echo "make beat      the Celery beat scheduler (needs REDIS_URL)"
	@echo "make messages  compile locale/*.po with manage.py compilemessages"
	@echo "make locks     recompile requirements.lock and requirements-dev.lock (needs uv)"
	@echo "make bench-load  pages under wrk beside hello-world, ~30 min (needs a seeded scale database:"
	@echo "                BENCH_DATABASE_URL, default chibo_scale; BENCH_ARGS=... to pass options)"

venv: $(STAMP)

$(STAMP): $(LOCK)
	@PYTHON="$(PYTHON)" scripts/venv.sh "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check --no-input -q --require-hashes -r $(LOCK)
	@cp $(LOCK) $@

# Recompile both locks from pyproject.toml, keeping the pinned versions that still fit.
locks:
	$(PYTHON) -m uv --version >/dev/null 2>&1 || { echo "make locks: needs uv (pip install uv)" >&2; exit 1; }
	$(PYTHON) -m uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --custom-compile-command "make locks" -q -o requirements.lock
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --custom-compile-command "make locks" -q -o requirements-dev.lock

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

system-deps-bench:
	@scripts/system-deps.sh bench

# Only the catalogues that changed; `make messages` compiles them all.
locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<

run: system-deps-run venv $(MO_FILES)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(ADDRESS)

# pytest first, so that a lint slip never hides the test results.
test: system-deps-test venv $(MO_FILES)
	$(BIN)/pytest $(PYTEST_ARGS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: system-deps-run venv $(MO_FILES)
	@test -n "$$REDIS_URL" || { echo "make worker: set REDIS_URL (without it tasks run inline in the web process)" >&2; exit 1; }
	$(BIN)/celery -A chibo worker --loglevel INFO

beat: venv
	@test -n "$$REDIS_URL" || { echo "make beat: set REDIS_URL (without it nothing is scheduled)" >&2; exit 1; }
	@mkdir -p var
	$(BIN)/celery -A chibo beat --loglevel INFO --schedule var/celerybeat-schedule

# gunicorn with the production settings on the scale data, and a hello-world app
# beside it, both under wrk: see scripts/bench_load.py and README.md.
bench-load: system-deps-bench venv $(MO_FILES)
	$(BIN)/python scripts/bench_load.py $(BENCH_ARGS)

messages: system-deps-run venv
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)
