# Two commands do all the set-up: `make run` and `make test`. Both build .venv from the pinned
# requirements when it is missing or older than them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/district.duckdb
PORT ?= 8501

.PHONY: run test lint format demo bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	@test -f $(DB) || $(PY) -m etl demo --db $(DB)
	@$(PY) -m etl rebuild --db $(DB) --if-outdated
	DASHBOARD_DB=$(DB) $(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# The habits (pyproject.toml): lint and format check with ruff, types with mypy. `make format` rewrites in place.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

demo: $(VENV)/.installed
	$(PY) -m etl demo --db $(DB)

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(VENV)/.installed
	$(PY) -m bench
	$(PY) -m bench.pages_browser  # pages as a person feels them, in Chromium, on the demo

clean:
	rm -rf $(VENV) .pytest_cache
