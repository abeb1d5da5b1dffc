# Each target does its own set-up on a fresh clone: a .venv with the pinned stack.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
PYTHON  ?= python3

.PHONY: run test chromium quality bench dictionaries clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing the pinned stack into $(VENV) (about a minute the first time)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/wirehouse run
	@echo
	@echo "Example query (sql/queries/top_actors.sql):"
	$(BIN)/wirehouse query --file sql/queries/top_actors.sql

# Files run in parallel, one worker per core (at most four: each holds the model and a Prefect server).
test: $(STAMP) chromium
	$(BIN)/python -m pytest -n auto --maxprocesses 4

# The browser tests drive Debian's Chromium. Installed here when apt-get can (CI runs as root);
# elsewhere a warning, and those tests skip saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		{ command -v apt-get >/dev/null 2>&1 && apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; } \
		|| echo "warning: chromium is missing and apt-get could not install it; the browser tests will skip"; \
	}

# The shared evaluation sets (gold written outside the team) first, when the workspace has them;
# bench/gold, written beside the rules, only guards against regressions.
EVAL    := ../shared/eval/score.py

quality: $(STAMP)
	@if [ -f $(EVAL) ]; then $(BIN)/python $(EVAL) lee_dev && $(BIN)/python $(EVAL) plover; \
	else echo "($(EVAL) not found: only bench/gold is measured)"; fi
	$(BIN)/python bench/quality.py

bench: $(STAMP)
	$(BIN)/python bench/speed.py --articles 2000

# The dictionaries' offline sources are copied into tools/sources (see its README), so a fresh
# clone rebuilds flows/data/ by itself; SOURCES=../shared/reference builds from the workspace's.
SOURCES ?= tools/sources

dictionaries: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dictionaries]'
	$(BIN)/python tools/build_dictionaries.py $(SOURCES)
	$(BIN)/python tools/build_verb_lexicon.py $(SOURCES)/openeventdata/CAMEO.2.0.txt
	$(BIN)/python tools/build_plover.py tools/sources/plover/CAMEO2PLOVER-2021.txt

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.wal .pytest_cache
