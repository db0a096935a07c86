# Two commands do all the set-up on a fresh machine with python3 and make:
#   make book   — create .venv, install everything, build the HTML book into _build/html
#   make test   — same set-up, then run every test
SHELL := /bin/bash
# A failing command in a pipe (pip piped through grep) stops make instead of carrying on.
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# nbgrader calls alembic (and jupyter-book calls jupyter) from PATH: the venv's bin comes first.
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Textbook-sized matrices gain nothing from BLAS threads, and on a busy 2-core machine the threads of
# parallel kernels fight each other (measured: a chapter 3× slower). The benchmark sets its own
# thread count (bench_mlp.py --threads, default 1, for every candidate alike).
BLAS_ONE_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
PLOTLY_BUNDLE := build/plotly/plotly-nnlib.min.js
FEEDBACK_EXTENSION := share/jupyter/labextensions/nn-course-feedback
FEEDBACK_SOURCE := labextension/nn-course-feedback

.PHONY: book pdf test test-cpus install python-version serve benchmark clean release grade check help

help:
	@echo "make book       build the HTML book into _build/html"
	@echo "make pdf        build the PDF edition into _build/html/nn-textbook.pdf (needs chromium)"
	@echo "make test       run every test (library, notebooks, book, course, browser)"
	@echo "make test-fast  the inner loop: nnlib, explorers, static checks (about a minute)"
	@echo "make test-cpus  only the chapters and problem sets under other CPU variants (both cores)"
	@echo "make serve      serve the built book on http://127.0.0.1:8000"
	@echo "make benchmark  nnlib vs NumPy vs PyTorch-CPU vs scikit-learn"
	@echo "make labextension-install PREFIX=/path/to/env  the feedback-link JupyterLab extension into another env"

# nbgrader run from this environment (fetch_assignment/submit/fetch_feedback, JupyterLab's Assignment List) reads the
# course's settings, its exchange included, wherever it is started: for trying the course alone.  Students on a shared
# machine get an environment of their own instead: `sudo .venv/bin/python -m grading students-setup` (README).
COURSE_CONFIG_LINK := $(VENV)/etc/jupyter/nbgrader_config.py

# Browser assets from npm (package-lock.json pins them): the book's partial plotly.js bundle and, for the
# tests, axe-core. Needs node and npm (Debian packages nodejs and npm; .ci/run installs them).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(PLOTLY_BUNDLE): node_modules/.installed tools/build_plotly_bundle.mjs
	node tools/build_plotly_bundle.mjs $@

install: $(VENV)/.installed $(COURSE_CONFIG_LINK) $(PLOTLY_BUNDLE) $(VENV)/$(FEEDBACK_EXTENSION)/package.json

# JupyterLab extension labextension/nn-course-feedback: the Assignment List's "(view feedback)" opens the feedback
# page, not only its timestamped folder. Built by @jupyterlab/builder (npm) against the installed JupyterLab, then
# copied into a prefix's share/jupyter/labextensions/, where JupyterLab loads it as a prebuilt extension.
# Another environment: `make labextension-install PREFIX=/path/to/env` (after make install).
build/$(FEEDBACK_EXTENSION)/package.json: $(addprefix $(FEEDBACK_SOURCE)/,index.js package.json package-lock.json) \
		$(VENV)/.installed
	cd $(FEEDBACK_SOURCE) && npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(@D)
	node $(FEEDBACK_SOURCE)/node_modules/@jupyterlab/builder/lib/build-labextension.js \
		--core-path "$$($(PY) -c 'import jupyterlab, os; print(os.path.dirname(jupyterlab.__file__))')/staging" \
		$(FEEDBACK_SOURCE) >/dev/null
$(VENV)/$(FEEDBACK_EXTENSION)/package.json: build/$(FEEDBACK_EXTENSION)/package.json
	$(MAKE) --no-print-directory labextension-install PREFIX=$(VENV)
.PHONY: labextension-install
labextension-install: build/$(FEEDBACK_EXTENSION)/package.json
	@test -n "$(PREFIX)" || { echo "usage: make labextension-install PREFIX=/path/to/env"; exit 2; }
	rm -rf "$(PREFIX)/$(FEEDBACK_EXTENSION)"
	mkdir -p "$(PREFIX)/share/jupyter/labextensions"
	cp -R build/$(FEEDBACK_EXTENSION) "$(PREFIX)/$(FEEDBACK_EXTENSION)"

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Python 3.11 or newer is needed (the pins in requirements.txt need it); '$(PYTHON)' is" \
		"$$($(PYTHON) --version 2>/dev/null || echo "not found"). Run e.g. 'make PYTHON=python3.11 ...'."; exit 1; }

$(VENV)/.installed: requirements.txt pyproject.toml | python-version
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m grading.graded_kernel install
	touch $@

$(COURSE_CONFIG_LINK): $(VENV)/.installed
	mkdir -p $(@D)
	printf '%s\n' "# Written by make install: use the settings of the course in $(CURDIR)" \
		"load_subconfig(r'$(abspath nbgrader_config.py)')" > $@
	@# an empty exchange that everyone may write (as release_assignment makes it): the Assignment List works at once
	test -d "$${COURSE_EXCHANGE:-exchange}" || install -d -m 0777 "$${COURSE_EXCHANGE:-exchange}"

book: install
	$(BLAS_ONE_THREAD) jupyter-book build -W --keep-going .
	@echo "The book is built: open $(abspath _build/html/index.html) (or run 'make serve')."

# The PDF edition: one page with every chapter (same execution cache), printed by Debian's chromium.
pdf: book
	$(BLAS_ONE_THREAD) $(PY) tools/build_pdf.py

serve: book
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 8000

# Each run gets a temporary folder of its own, removed afterwards with rm -rf: a hostile submission's folder
# tree deeper than Python's recursion limit, left in pytest's shared folder by an interrupted run, once made
# pytest's own clean-up of old folders crash after every test had passed.
test: install
	@tmp=$$(mktemp -d /tmp/nnbook-tests.XXXXXX); \
	$(BLAS_ONE_THREAD) $(PY) -m pytest --basetemp=$$tmp; status=$$?; rm -rf $$tmp; exit $$status

# The chapters and problem sets under the CI's CPU variants (tools/cpu_variants.py), two executions at a time;
# e.g. `make test-cpus CPU_VARIANTS=nehalem-2threads` for another variant.
test-cpus: install
	$(BLAS_ONE_THREAD) BACKGROUND_JOBS=2 $(PY) -m pytest tests/chapters/test_cpu_variants.py \
		tests/course/test_problem_sets_variants.py

benchmark: install
	@# PyTorch is an optional peer: torch 2.13.0 (CPU build) installs from this machine's wheel cache.
	$(PY) -m pip install --quiet --disable-pip-version-check "torch==2.13.0" 2>&1 | { grep -v "is ignored: it is neither" || true; } \
		|| echo "PyTorch could not be installed: it is left out of the comparison"
	$(PY) benchmarks/bench_mlp.py

clean:
	rm -rf _build .jupyter_cache test-output

# The minute-long inner loop while working on nnlib or an explorer: the library, the explorers and
# the static checks (architecture, notebooks stripped, glue markup, pins). No notebook is executed,
# no book is built, no browser and no sandbox start.
FAST_TESTS := tests/nnlib tests/widgets tests/test_architecture.py tests/jupyter/test_markup_and_launch.py \
	tests/jupyter/test_pins.py
.PHONY: test-fast
test-fast: install
	@# its own temporary folder: pytest's shared one may hold other runs' leftovers to clean up
	mkdir -p test-output
	$(BLAS_ONE_THREAD) $(PY) -m pytest -p no:nbval -o addopts="-ra --strict-markers" -q \
		--basetemp=test-output/fast $(FAST_TESTS)

# The course (see `python -m grading --help`):
#   make release                                  regenerate exercises/ from solutions/, verify nothing leaked
#   make grade ASSIGNMENT=ps01_neuron [WORKERS=2]  grade submitted/*/ASSIGNMENT (sandboxed, parallel, resumable)
#   make check NOTEBOOK=exercises/ps01_neuron/ps01_neuron.ipynb   a student's self-check of the visible tests
release: install
	$(PY) -m grading release

grade: install
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=ps01_neuron [WORKERS=2]"; exit 2; }
	$(PY) -m grading autograde $(ASSIGNMENT) $(if $(WORKERS),--workers $(WORKERS))

check: install
	@test -n "$(NOTEBOOK)" || { echo "usage: make check NOTEBOOK=exercises/ps01_neuron/ps01_neuron.ipynb"; exit 2; }
	$(PY) -m grading check "$(NOTEBOOK)"
