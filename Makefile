# EcoGov: two commands do all set-up on a fresh machine with Python 3.11.
#   make demo   the product on SQLite with the 示例市 demo data, at http://127.0.0.1:8000/
#   make test   the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock

.PHONY: demo test lint typecheck format bench venv venv-dev venv-bench lock messages clean

$(VENV)/.base: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[postgres]"
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[dev,postgres]"
	touch $@

$(VENV)/.bench: $(VENV)/.dev
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[dev,bench,postgres]"
	touch $@

venv: $(VENV)/.base
venv-dev: $(VENV)/.dev
venv-bench: $(VENV)/.bench

demo: venv
	$(BIN)/ecogov migrate --noinput -v0
	$(BIN)/ecogov load_demo
	@echo "EcoGov 已启动: http://127.0.0.1:8000/  (Ctrl-C 停止)"
	@# the background worker (imports and other long work, docs/jobs.md) and the scheduler
	@# (reminders, the audit log's verification) run beside the server
	$(BIN)/ecogov db_worker --no-reload -v0 & worker=$$!; \
	$(BIN)/ecogov scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/ecogov runserver 127.0.0.1:8000

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: venv-dev
	@rc=0; $(BIN)/python -m pytest --ds=ecogov.settings.test $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no test (exit 5)" >&2; exit 1; fi; \
	exit $$rc

# ruff's lint and format checks, then mypy's type checks (pyproject.toml); .ci/run runs them
# before the suite.
lint: venv-dev
	$(BIN)/ruff check src tests bench tools conftest.py
	$(BIN)/ruff format --check src tests bench tools conftest.py
	$(MAKE) --no-print-directory typecheck

# mypy with django-stubs on every services module and the pure engines ([tool.mypy] in
# pyproject.toml lists them; docs/architecture.md, "Type checks"). Its cache is .mypy_cache.
typecheck: venv-dev
	$(BIN)/mypy

format: venv-dev
	$(BIN)/ruff check --fix src tests bench tools conftest.py
	$(BIN)/ruff format src tests bench tools conftest.py

# Every benchmark, each against its baseline in the same run, then docs/benchmarks.md's tables
# rewritten (bench/run_all.py). Some of them: make bench BENCH=zoning,draw (names: --list);
# more options for the runner: make bench BENCH_FLAGS="--timeout 600".
bench: venv-bench
	PYTHONPATH=src $(BIN)/python bench/run_all.py $(if $(BENCH),--only $(BENCH)) $(BENCH_FLAGS)

# The project's zh-Hans catalogue of strings the installed packages lack (committed, compiled).
messages: venv-dev
	$(BIN)/python tools/package_translations.py

# Refresh the lock of exact versions after changing dependencies in pyproject.toml.
lock: venv-bench
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^ecogov' > $(LOCK)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
