# Two commands do all the set-up on a fresh machine with python3 and make:
#   make book   — create .venv, install everything, build the HTML book into _build/html
#   make test   — same set-up, then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# nbgrader calls alembic (and jupyter-book calls jupyter) from PATH: the venv's bin comes first.
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Matplotlib must never try to open a window.
export MPLBACKEND := Agg

.PHONY: book test install serve benchmark clean release grade help

help:
	@echo "make book       build the HTML book into _build/html"
	@echo "make test       run every test (library, notebooks, book, course, browser)"
	@echo "make serve      serve the built book on http://127.0.0.1:8000"
	@echo "make benchmark  nnlib vs NumPy vs PyTorch-CPU vs scikit-learn"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

book: install
	jupyter-book build -W --keep-going .
	@echo "The book is built: open $(abspath _build/html/index.html) (or run 'make serve')."

serve: book
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 8000

test: install
	$(PY) -m pytest

benchmark: install
	$(PY) benchmarks/bench_mlp.py

clean:
	rm -rf _build .jupyter_cache test-output
