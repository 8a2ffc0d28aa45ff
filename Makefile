# ZeroCarbon — one command to run, one to test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Tests run against PostgreSQL unless DATABASE_URL says otherwise (CI sets it explicitly).
TEST_DATABASE_URL ?= postgres://zerocarbon@127.0.0.1:5432/zerocarbon
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist processes (CI has two cores); each gets its own test database and broker.
TEST_PROCESSES ?= 2

.PHONY: install run worker test lint typecheck contracts migrations-check compose-check pytest bench clean messages

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "ZeroCarbon is starting on http://127.0.0.1:8000 — demo logins (password: zerocarbon-demo):"
	@echo "  alice (consultant, org-a) · bob (viewer, org-a) · carol (auditor, cert-body) · charlie (consultant, org-b) · dora (admin, org-a: API keys) · admin (Django admin)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install
	$(BIN)/celery -A zerocarbon worker --loglevel=INFO

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

contracts: install
	$(BIN)/lint-imports

migrations-check: install
	DJANGO_SETTINGS_MODULE=zerocarbon.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

compose-check: install
	$(BIN)/python .ci/check_compose.py docker-compose.yml

pytest: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_TEST_BROKER_URL=$${CELERY_TEST_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/pytest -p no:cacheprovider -n $(TEST_PROCESSES) --dist loadfile --cov --cov-report=term:skip-covered --cov-report=xml:var/coverage.xml -q
	$(BIN)/python .ci/check_kernel_coverage.py var/coverage.xml

test: lint typecheck contracts migrations-check compose-check pytest

# Translations (GNU gettext tools needed): extract every message into the Chinese catalogues,
# then compile them. An app with a locale/ folder (emissions, assessments) gets its own
# catalogue, everything else (zerocarbon/, templates/) zerocarbon/locale. Translate the new
# entries of the .po files, then run this again; the .mo files are committed.
MESSAGES_IGNORE := --ignore tests --ignore benchmarks --ignore docs --ignore var --ignore '*.egg-info'
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --add-location file $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore .venv --ignore var

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var/*.sqlite3 .mypy_cache .ruff_cache
