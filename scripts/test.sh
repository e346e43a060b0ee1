#!/usr/bin/env bash
# Set up everything the tests need (venv, dev requirements, map assets, Debian's Chromium
# for the browser tests, PostgreSQL 15 + PostGIS 3 for the tests on the second store) and
# run the whole suite: lint, unit, AppTest and Chromium tests, on DuckDB and PostgreSQL.
# If PostgreSQL cannot be installed, its half is skipped and the summary says so loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt chromium
install_or_warn() {  # install_or_warn WHAT-IS-SKIPPED PACKAGE...: never fails the run
  local skipped=$1; shift
  if [ "$(id -u)" = 0 ]; then run=(); else run=(sudo); fi
  { "${run[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "$@" >/dev/null; } ||
    echo "!!! $* could not be installed: $skipped will be skipped" >&2
}
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  install_or_warn "the PostgreSQL half" postgresql-15 postgresql-15-postgis-3
fi
# nginx for the replicas test (tests/e2e/test_replicas_in_browser.py), which skips loudly without it.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  install_or_warn "the replicas test" nginx
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Two workers, one per core; whole files stay on one worker, so a module's shared server
# and browser start once and its tests run in their written order.
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
