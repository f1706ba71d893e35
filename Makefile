# Xiaobao: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-replica lint bench install migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)
	bash scripts/debian-deps.sh fonts-noto-cjk libharfbuzz-subset0

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --if-empty

# Demo mode: the demo accounts keep their shared password (set XIAOBAO_DEMO_MODE=false to try the forced change).
# The background worker (large 12315 imports, clocks recomputed after a calendar publication) runs beside the
# server and stops with it; it does not reload on code changes, so restart `make run` after editing a task.
run: demo
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	XIAOBAO_DEMO_MODE=$${XIAOBAO_DEMO_MODE:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# ruff, and the layers and import circles of pyproject.toml's [tool.importlinter] (README.md, "Layers").
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install lint
	bash scripts/debian-deps.sh fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# The read replica against a real one (issue 24): a primary and its streaming replica on two free ports
# (scripts/pg-replica.sh, PostgreSQL's server binaries needed), tests/replica run against them, both removed after.
# `make test` runs it too when DATABASE_URL is PostgreSQL (.ci/run's second half).
test-replica: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -rs tests/replica

# The benchmarks serve through gunicorn and load-test with locust (the `bench` extra), beside the test tools.
$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: install $(VENV)/.bench-installed
	$(PY) bench/all.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm var
