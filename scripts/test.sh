#!/usr/bin/env bash
# Set up everything the tests need (venv, dev requirements, map assets, Debian's Chromium
# for the browser tests, PostgreSQL 15 + PostGIS 3 for the tests on the second store) and
# run the whole suite: lint, unit, AppTest and Chromium tests, on DuckDB and PostgreSQL.
# If PostgreSQL cannot be installed, its half is skipped and the summary says so loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt chromium
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  if [ "$(id -u)" = 0 ]; then run=(); else run=(sudo); fi
  { "${run[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq \
      postgresql-15 postgresql-15-postgis-3 >/dev/null; } ||
    echo "!!! PostgreSQL 15 + PostGIS 3 could not be installed: the PostgreSQL half will be skipped" >&2
fi
# nginx for the replicas test (tests/reliability/test_replicas.py), which skips loudly without it.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then run=(); else run=(sudo); fi
  { "${run[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq nginx >/dev/null; } ||
    echo "!!! nginx could not be installed: the replicas test will be skipped" >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
