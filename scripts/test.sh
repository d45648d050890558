#!/usr/bin/env bash
# Installs OneZone with its test tools into .venv and runs every gate: ruff, bandit, the dependency
# audit, migrations check, deploy check with production settings, the suite on SQLite, the suite on
# PostgreSQL, and the browser tests in Chromium.
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

step "bandit"
# Skips and their reasons are in pyproject.toml [tool.bandit]; other findings carry `# nosec <id>: <why>`.
# (bandit logs a "nosec encountered … but no failed test" line for each part of a justified f-string: noise)
bandit -q -r src -c pyproject.toml 2>&1 | { grep -v "nosec encountered" || true; }

step "dependency audit (pip-audit)"
# The setuptools that `python -m venv` bundles is old and has published advisories; keep it current.
python -m pip install --quiet --upgrade "setuptools>=78.1.1" >/dev/null 2>&1 || echo "NOTICE: could not upgrade setuptools."
# A known vulnerability in an installed package fails the run unless pyproject.toml lists its id under
# [tool.onezone.audit-ignore] with the reason. Without the vulnerability data (no network) the step says
# so and the run goes on.
python - <<'PYEOF'
import json, subprocess, sys, tomllib

with open("pyproject.toml", "rb") as fh:
    ignored = tomllib.load(fh).get("tool", {}).get("onezone", {}).get("audit-ignore", {})
unexplained = [vuln for vuln, reason in ignored.items() if not str(reason).strip()]
if unexplained:
    sys.exit(f"[tool.onezone.audit-ignore] needs a reason for: {', '.join(unexplained)}")
args = ["pip-audit", "--local", "--skip-editable", "--format", "json", "--progress-spinner", "off"]
for vuln in ignored:
    args += ["--ignore-vuln", vuln]
try:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
except subprocess.TimeoutExpired:
    print("NOTICE: dependency audit not done: the vulnerability data did not answer within 10 minutes.")
    sys.exit(0)
try:
    report = json.loads(result.stdout)
except ValueError:
    last = (result.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"NOTICE: dependency audit not done, vulnerability data unreachable: {last}")
    sys.exit(0)
deps = report["dependencies"]
found = [(d["name"], d["version"], v["id"], v.get("fix_versions") or []) for d in deps for v in d.get("vulns", [])]
skipped = [d["name"] for d in deps if d.get("skip_reason")]
for name, version, vuln, fixes in found:
    print(f"VULNERABLE: {name} {version}: {vuln} (fixed in {', '.join(fixes) or 'no release yet'})")
for vuln, reason in ignored.items():
    print(f"ignored {vuln}: {reason}")
if found:
    sys.exit("Upgrade the packages above, or list the id with its reason in [tool.onezone.audit-ignore].")
if skipped:
    print(f"NOTICE: {len(skipped)} of {len(deps)} packages could not be audited (no vulnerability data for them).")
if len(deps) > len(skipped):
    print(f"audited {len(deps) - len(skipped)} packages: no known vulnerabilities")
PYEOF

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
  step "the read replica (a real streaming standby on port 5433)"
  # tests/core/test_replica.py makes the standby with pg_basebackup when nothing answers there, and removes it.
  ONEZONE_DATABASE_URL="$PG_URL" ONEZONE_REPLICA_URL="${ONEZONE_TEST_REPLICA_URL:-${PG_URL%:5432/*}:5433/${PG_URL##*/}}" \
    pytest -q -p no:cacheprovider tests/core/test_replica.py
elif [ -n "${CI:-}" ]; then
  echo "CI needs PostgreSQL at $PG_URL" >&2
  exit 1
else
  echo "PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run (CI runs it)." >&2
fi
