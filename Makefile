# ISO điện tử — the two commands: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test install translations lint bench clean

# uv itself comes from PyPI into a private venv, so nothing but Python and make is needed.
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

install: .venv/.synced

translations: install
	.venv/bin/pybabel compile --use-fuzzy -d locale -D django --statistics 2>&1 | tail -n 2

run: install translations
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	PORT=$(PORT) scripts/serve

lint: install
	.venv/bin/ruff check qms bench conftest.py
	.venv/bin/ruff format --check qms bench conftest.py

test: install translations
	scripts/test

# Province-scale timings (200 agencies × 30 tasks; 20,000 documents searched); see bench/.
bench: install translations
	$(PY) bench/plans_agenda.py
	$(PY) bench/documents_search.py

clean:
	rm -rf .venv .tools var/test-media
