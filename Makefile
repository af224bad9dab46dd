.PHONY: run test lint prepare stop clean
run:      ## serve the demo database on http://127.0.0.1:8069
	bash tools/run.sh
test:     ## fresh test database, every test, one closing line "N passed, M failed"
	bash tools/test.sh
lint:     ## ruff, ruff-format and pylint-odoo
	bash tools/lint.sh
prepare:  ## only prepare the environment (Odoo source, .venv, PostgreSQL)
	bash tools/prepare.sh --tests
stop:     ## stop this clone's `make run` servers and its private PostgreSQL cluster
	bash tools/stop.sh
clean:    ## stop, then remove this clone's cluster, .data and .logs (not .venv nor the Odoo source)
	bash tools/clean.sh
