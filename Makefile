# Lindung: `make demo` runs the product, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
LINDUNG := $(VENV)/bin/lindung
PORT ?= 8000
export LINDUNG_VAR_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/lindung

.PHONY: demo test install install-test lint format messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed messages
install-test: $(VENV)/.installed-test messages

messages: $(VENV)/.installed
	@$(LINDUNG) translations compile

demo: install
	$(LINDUNG) migrate --noinput -v0
	$(LINDUNG) regions load
	$(LINDUNG) demo load
	@mkdir -p $(LINDUNG_VAR_DIR)
	$(LINDUNG) db_worker >$(LINDUNG_VAR_DIR)/worker.log 2>&1 & echo $$! >$(LINDUNG_VAR_DIR)/worker.pid; \
	trap 'kill $$(cat $(LINDUNG_VAR_DIR)/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(LINDUNG) serve --port $(PORT)

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	scripts/test-all.sh

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
