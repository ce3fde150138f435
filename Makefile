# ISO điện tử — the two commands: `make run` and `make test`.
# Every step is skipped when nothing it depends on changed: .venv/.synced stands for the
# install, each .mo for its catalogue; `manage.py prepare` checks the rest itself.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test install translations lint bench bench-tthc clean

# uv itself comes from PyPI into a private venv, so nothing but Python and make is needed.
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (containers often set
# it), every start of Django would otherwise compile its libraries again (≈ 1.3 s each).
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

install: .venv/.synced

# Each catalogue is compiled when its .po is newer than its .mo (the .mo is the stamp).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

%.mo: %.po | .venv/.synced
	.venv/bin/pybabel compile --use-fuzzy --statistics -i $< -o $@

translations: $(CATALOGUES)

# gunicorn and the huey worker, as in production. scripts/serve first runs `manage.py
# prepare` (one Django start-up: migrate, demo, collectstatic, each only when needed).
run: install translations
	PORT=$(PORT) scripts/serve

lint: install
	.venv/bin/ruff check qms bench conftest.py
	.venv/bin/ruff format --check qms bench conftest.py
	.venv/bin/python scripts/lint_rules.py

test: install translations
	scripts/test

# Province-scale timings (200 agencies × 30 tasks; 20,000 documents searched), then the main
# pages over HTTP against gunicorn at 100, 1,000 and 10,000 rows (≈ 6 min); see bench/.
bench: install translations
	$(PY) bench/plans_agenda.py
	$(PY) bench/documents_search.py
	$(PY) bench/http_pages.py

# TTHC dossier results: 1,000,000 rows imported, then the results page (≈ 3 min once the
# files exist under var/bench/).
bench-tthc: install translations
	$(PY) bench/dossiers_import.py

clean:
	rm -rf .venv .tools var/test-media
