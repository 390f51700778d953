# Parcours: `make run` to try it, `make test` to check everything.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TRANSLATIONS := lms/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: venv install run check test test-postgres bench bench-fuzz messages clean

venv: $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the dependencies change.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $* -i $< -o $@

run: install
	$(BIN)/lms setup
	$(BIN)/lms run --host 127.0.0.1 --port 5000

# pytest exits 5 when it collects no test: like any non-zero code, that fails the target.
check: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

test: install check

# The whole test suite again, each test on a fresh database of a throwaway PostgreSQL cluster
# (needs the PostgreSQL server: `apt-get install postgresql`; redis-server is used if there).
test-postgres: install
	.ci/with-postgres $(BIN)/python -m pytest

# With a PostgreSQL server installed, the HTTP figures are measured on it too.
bench: install
	if .ci/with-postgres true 2>/dev/null; then .ci/with-postgres $(BIN)/python bench/run.py; \
	else $(BIN)/python bench/run.py; fi

# 10,000 hostile requests over every route and role; prints the 5xx count of each engine.
bench-fuzz: install
	$(BIN)/python bench/fuzz.py
	if .ci/with-postgres true 2>/dev/null; then .ci/with-postgres $(BIN)/python bench/fuzz.py; fi

# After changing interface strings: extract them and merge into the .po files to translate.
messages: install
	$(BIN)/pybabel extract --no-location --sort-output -F $(TRANSLATIONS)/babel.cfg \
		-k lazy_gettext -k _l --project=Parcours --version=0.1 \
		--copyright-holder="Parcours contributors" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info
	find $(TRANSLATIONS) -name '*.mo' -delete
