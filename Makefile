.PHONY: run test lint prepare
run:      ## serve the demo database on http://127.0.0.1:8069
	bash tools/run.sh
test:     ## fresh test database, every test, one closing line "N passed, M failed"
	bash tools/test.sh
lint:     ## ruff, ruff-format and pylint-odoo
	bash tools/lint.sh
prepare:  ## only prepare the environment (Odoo source, .venv, PostgreSQL)
	bash tools/prepare.sh --tests
