# One Makefile for instructors, TAs, students and CI. Every target sets itself up:
# the first run creates .venv and installs the project and its dependencies into it.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
PYTEST_ARGS ?= -n 2 --dist loadfile
ASSIGNMENT ?=
SUBMISSIONS ?=
SCHEDULER ?=

.PHONY: install demo release check grade test stress-test bench doctor py310 clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>/dev/null || true
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import grader, numpy, nbgrader, nbclient, distributed, hypothesis, xdist, vermin"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m grader demo

release: $(STAMP)
	$(PY) -m grader release $(ASSIGNMENT)

# What a student sees: the student `check` in the release folder assignments/<a>, on the stubs
# there (ASSIGNMENT=a, default every assignment), on the student runtime the release writes once
# in assignments/_runtime (as the folder's own Makefile does); fails when a public check does.
check: $(STAMP)
	@rc=0; for a in $(or $(ASSIGNMENT),$(notdir $(filter-out assignments/_runtime,$(wildcard assignments/*)))); do \
	  echo "== assignments/$$a"; (cd assignments/$$a && PYTHONPATH=../_runtime $(abspath $(PY)) -m grader check) || rc=1; \
	done; exit $$rc

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" -a -n "$(ASSIGNMENT)" || { echo "make grade: say what to grade: make grade SUBMISSIONS=<folder or file> ASSIGNMENT=<name>" >&2; exit 2; }
	$(PY) -m grader grade $(SUBMISSIONS) --assignment $(ASSIGNMENT) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

doctor: $(STAMP)
	$(PY) -m grader doctor

# pytest exits 5 when it collects no test: a suite that runs nothing proves nothing, so that fails too.
test: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; failing on purpose" >&2; exit 1; fi; \
	exit $$rc

# A Python 3.10 with numpy and pytest in $(VENV)/py310: tests/test_python_versions.py then runs the
# student's check and submit on 3.10 (the oldest Python claimed); without it those two skip.
py310:
	python3.10 -m venv $(VENV)/py310
	$(VENV)/py310/bin/python -m pip install --quiet --disable-pip-version-check numpy pytest 2>&1 | grep -v "^WARNING: Location" || true
	$(VENV)/py310/bin/python -c "import numpy"

# The suite beside a CPU hog of twice the cores (tests/cpu_hog.py: children of the test run that
# stop by themselves), as on a shared server before a deadline. It must pass like `make test`.
stress-test: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS) --cpu-hog; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make stress-test: pytest collected no tests; failing on purpose" >&2; exit 1; fi; \
	exit $$rc

bench: $(STAMP)
	$(PY) -m grader bench --output BENCHMARKS.md

clean:
	rm -rf $(VENV) dist demo-output .pytest_cache
