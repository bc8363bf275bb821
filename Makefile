# Two commands: `make site` builds the archive, `make test` type-checks builder/ (strict: pyproject.toml) and runs every test.
# Both set up .venv with the pinned dependencies first.
# MkDocs renders on one process per core; ARCHIVE_JOBS=N make site sets how many (archive build --jobs N).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site test serve check bench bag clean distclean

site: $(STAMP)
	$(BIN)/archive build

test: $(TEST_STAMP) $(STAMP)
	bash tools/install-test-system-deps.sh
	$(BIN)/python -m mypy builder
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/archive serve

check: $(STAMP)
	$(BIN)/archive check

bench: $(TEST_STAMP) $(STAMP)
	bash tools/install-test-system-deps.sh
	$(BIN)/python bench/build_bench.py --articles 1000 --articles 10000

# The built site and its data as a BagIt bag; BAG=path puts it elsewhere. Check a copy: python -m bagit --validate DIR
BAG ?= build/leaders-letters-bag
bag: site
	$(BIN)/python -m builder.cli.bag $(BAG)

$(STAMP): requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

$(TEST_STAMP): requirements-test.lock requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $(TEST_STAMP)

# `archive build` writes only what changed since the last build; `make clean site` builds everything
# anew (as `archive build --clean` does). distclean also removes .venv.
clean:
	rm -rf build site

distclean: clean
	rm -rf $(VENV)
