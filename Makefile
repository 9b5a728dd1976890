# Läsnä — the two front-door commands are `make run` and `make test`.
# Each does its own set-up once (virtual environment, pinned dependencies, Debian's
# Chromium for the browser tests, Debian's PostgreSQL for the server's second storage
# engine) and skips it when it is already done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CRYPTO43 := .venv-crypto43
CHROMIUM := /usr/bin/chromium
# The tests and the benches start their own throwaway cluster from these binaries
# (tests/support/pgcluster.py).
POSTGRES := $(VENV)/.postgresql
# poppler-utils: the report tests read the console's PDFs back as text.
PDFTOTEXT := /usr/bin/pdftotext
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test lint typecheck unit crypto43 bench screenshots texts clean

run: $(STAMP)
	$(BIN)/python -m demo

test: $(STAMP) $(CHROMIUM) $(PDFTOTEXT) $(POSTGRES) lint typecheck crypto43 unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy shared client sync_server county_standin demo

# Every server storage test runs on SQLite and on PostgreSQL; here PostgreSQL must start.
unit: $(STAMP) $(CHROMIUM) $(PDFTOTEXT) $(POSTGRES)
	LASNA_TEST_POSTGRES=required $(BIN)/python -m pytest

# The phone build ships cryptography 43.0.1: prove the crypto recipes run there too.
crypto43: $(CRYPTO43)/.installed
	PYTHONPATH=$(CURDIR) $(CRYPTO43)/bin/python -m pytest -q -p no:cacheprovider --noconftest tests/shared/test_crypto.py

bench: $(STAMP) $(POSTGRES)
	$(BIN)/python -m bench

# Phone and tablet screenshots of Today, Participant, Sync and the month grid, a day's
# note, versions and the whole site not held, and the console's plan form and device
# list, for the docs (the tests otherwise keep theirs in tests/artifacts/, so a test run
# leaves the tree clean).
screenshots: $(STAMP) $(CHROMIUM)
	LASNA_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q \
		tests/client/app/test_browser_day.py::test_enroll_mark_three_present_one_sick_and_sync \
		tests/client/app/test_browser_overview.py::test_month_grid_phone_a_week_at_a_time_tablet_whole_month \
		tests/client/app/test_browser_records.py \
		tests/sync_server/console/test_browser_a11y.py::test_screenshots_of_the_plan_form_and_the_device_list \
		tests/sync_server/console/test_browser_a11y.py::test_screenshots_of_the_queue_approvals_month_and_history

# Texts: collect every marked text into a template, then merge it into each language's
# catalogue (new texts come in untranslated, changed ones marked fuzzy); then translate
# the .po files in Poedit or any gettext tool (docs/translations.md). The keywords are
# shared/i18n.py's KEYWORDS, beyond Babel's defaults.
TEXT_KEYWORDS := -k NP_:1c,2 -k NN_:1,2 -k NNP_:1c,2,3 -k tr:2 -k ntr:2,3 -k ptr:2c,3 -k nptr:2c,3,4
texts: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(TEXT_KEYWORDS) --add-location=file \
		--project=Läsnä --version=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("lasna"))') \
		--msgid-bugs-address= --copyright-holder= -o shared/locale/lasna.pot .
	for lang in fi sv en; do \
		$(BIN)/pybabel update -i shared/locale/lasna.pot -d shared/locale -D lasna -l $$lang \
			--init-missing --ignore-obsolete || exit 1; \
	done

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(CRYPTO43)/.installed: requirements.lock
	$(PYTHON) -m venv $(CRYPTO43)
	$(CRYPTO43)/bin/python -m pip install --quiet --upgrade pip
	$(CRYPTO43)/bin/python -m pip install --quiet "cryptography==43.0.1" \
		$$(grep -iE '^(pytest|hypothesis|pluggy|iniconfig|packaging|sortedcontainers|attrs|holidays|python-dateutil|six|babel)==' requirements.lock)
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils

$(PDFTOTEXT):
	$(SUDO) apt-get update -q
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils

$(POSTGRES): $(STAMP)
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -q && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }
	touch $@

clean:
	rm -rf $(VENV) $(CRYPTO43) .mypy_cache .ruff_cache .pytest_cache
