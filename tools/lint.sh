#!/usr/bin/env bash
# `make lint`: the same checks as .pre-commit-config.yaml, run from the project's venv.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ -x "$VENV/bin/ruff" ] || bash "$ROOT/tools/prepare.sh"
cd "$ROOT"
rc=0
"$VENV/bin/ruff" check addons tests bench tools || rc=1
"$VENV/bin/ruff" format --check addons tests bench tools || rc=1
"$VENV/bin/pylint" --rcfile=.pylintrc addons/* || rc=1
exit $rc
