# Two commands from a fresh clone (only Python 3 and pip needed):
#   make demo   -- install sklabels in .venv, audit the demo data (HTML report
#                  in build/), then run examples/quickstart.py
#   make test   -- install sklabels[dev] in .venv, lint, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint docs bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-docs: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[docs]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	mkdir -p build
	$(PY) -m sklabels audit --demo --html build/sklabels-audit-demo.html
	$(PY) examples/quickstart.py

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# One BLAS/OpenMP thread per process: the suite runs joblib workers and
# estimator checks side by side on small data, where extra threads only
# oversubscribe the cores.
test: lint
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pytest

docs: $(VENV)/.installed-docs
	$(PY) -m sphinx -b html docs docs/_build/html

bench: $(VENV)/.installed-dev
	$(PY) benchmarks/bench_encoding.py

clean:
	rm -rf docs/_build docs/generated docs/auto_examples .pytest_cache
