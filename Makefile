# Every target creates .venv and installs the pinned set on first use: a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# pywb (the archive replay tests) pins a redis that conflicts with ours: it gets a venv of its own. Without it
# those tests skip and say why, so a registry hiccup here does not stop the suite.
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed-stamp

$(PYWB_STAMP): constraints-pywb.txt
	@test -x $(PYWB_VENV)/bin/python || $(PYTHON) -m venv $(PYWB_VENV)
	@$(PYWB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints-pywb.txt pywb \
		&& touch $(PYWB_STAMP) || echo "pywb could not be installed: the archive replay test will skip"

demo: $(STAMP)
	$(BIN)/dangjian demo

test: $(STAMP) $(PYWB_STAMP)
	PYWB_BIN=$(CURDIR)/$(PYWB_VENV)/bin $(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(PYWB_VENV) data .pytest_cache
