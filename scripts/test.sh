#!/usr/bin/env bash
# Installs OneZone with its test tools into .venv and runs every gate: ruff, migrations check,
# deploy check with production settings, the suite on SQLite, the suite on PostgreSQL, and the
# browser tests in Chromium.
#
# PostgreSQL: ONEZONE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). On a machine
# without PostgreSQL the PostgreSQL run is skipped with a notice, except in CI (CI=true) where it
# is required.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test]'
export PATH="$PWD/.venv/bin:$PATH"

step() { printf '\n=== %s\n' "$*"; }

step "ruff"
ruff check .
ruff format --check .

step "makemigrations --check"
ONEZONE_DATA_DIR="$(mktemp -d)" onezone makemigrations --check --dry-run

step "check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=onezone.settings_production \
  ONEZONE_SECRET_KEY="ci-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  ONEZONE_ALLOWED_HOSTS=onezone.example.org \
  ONEZONE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
  ONEZONE_DATA_DIR="$(mktemp -d)" \
  python -m django check --deploy --fail-level WARNING

step "tests on SQLite (with the browser tests)"
pytest -q -p no:cacheprovider -n 2

PG_URL=${ONEZONE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
if python - "$PG_URL" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PYEOF
then
  step "tests on PostgreSQL"
  ONEZONE_DATABASE_URL="$PG_URL" pytest -q -p no:cacheprovider -n 2 --ignore=tests/e2e
elif [ -n "${CI:-}" ]; then
  echo "CI needs PostgreSQL at $PG_URL" >&2
  exit 1
else
  echo "PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run (CI runs it)." >&2
fi
