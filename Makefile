# The README's two commands: `make demo` and `make test`. Both build on `make install`.
PYTHON ?= python3
PIP := $(PYTHON) -m pip
PIP_INSTALL := $(PIP) install --disable-pip-version-check -q -c constraints.txt
DEMO_WS ?= demo-workspace

.PHONY: install install-test lint test demo clean

# BERTopic is installed without its sentence-transformers/torch requirement on purpose (the light
# install, see README), so pip's conflict report would print an alarming ERROR on every install:
# --no-warn-conflicts silences it, and `pip check` still reports any other broken requirement.
CHECK_DEPS := $(PIP) check | grep -v '^bertopic .* requires sentence-transformers' || true

install:  ## the package and its default dependencies, into the active Python
	$(PIP_INSTALL) --no-deps bertopic==0.17.4
	$(PIP_INSTALL) --no-warn-conflicts -e .
	@$(CHECK_DEPS)

install-test: install
	$(PIP_INSTALL) --no-warn-conflicts -e '.[test]'
	@$(CHECK_DEPS)

lint: install-test  ## ruff, mypy and the import-layer contract (pyproject.toml); never reformats
	$(PYTHON) -m ruff check opinion tests tools benchmarks app.py
	$(PYTHON) -m mypy opinion
	$(PYTHON) -c 'import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))'

test: install-test lint  ## install with test extras, lint, and run the suite
	@# pytest exits 5 when it collects no test: say so rather than fail on it.
	$(PYTHON) -m pytest -q || { s=$$?; if [ $$s -eq 5 ]; then echo "pytest: no tests collected (exit 5)"; exit 0; fi; exit $$s; }

demo: install  ## run the whole pipeline on the bundled corpus
	$(PYTHON) -m opinion run corpora/demo -w $(DEMO_WS) --date-from-filename
	@echo ""
	@echo "Results are in $(DEMO_WS)/export: tables as CSV, report.xlsx, report.md and report.html."
	@echo "Open the explorer with:  opinion explore -w $(DEMO_WS)"

clean:
	rm -rf $(DEMO_WS) build *.egg-info .pytest_cache
