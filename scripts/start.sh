#!/usr/bin/env bash
# Set up and start SafePlay on http://localhost:8501 with the embedded DuckDB database.
# The first start fills an empty database with the Millbrook demo town; pass --no-demo for
# a production start (the database is then created empty; import your own data).
#
# Beyond one process (docs/deploy.md):
#   scripts/start.sh --replicas N --database postgresql://user:password@host:port/db [--port P]
# runs N app processes behind Debian's nginx (installed if missing) on one address;
# --database alone runs the one process on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
replicas="" database=${SAFEPLAY_DATABASE_URL:-} port=${PORT:-8501} demo=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas=${2:?--replicas needs a number}; shift 2 ;;
    --database) database=${2:?--database needs a postgresql:// address}; shift 2 ;;
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --no-demo) demo=""; shift ;;
    *) echo "start.sh: unknown option $1 (see the top of scripts/start.sh)" >&2; exit 2 ;;
  esac
done
if [ -n "$replicas" ]; then
  if ! [[ "$replicas" =~ ^[1-9][0-9]*$ ]]; then
    echo "start.sh: --replicas needs a whole number of at least 1, not '$replicas'" >&2; exit 2
  fi
  if ! [[ "$database" =~ ^postgres(ql)?:// ]]; then
    echo "start.sh: --replicas needs PostgreSQL (--database postgresql://user:password@host:port/db)." >&2
    echo "DuckDB lets one process write its file, so replicas cannot share it; see docs/deploy.md." >&2
    exit 2
  fi
fi
if [ -n "$database" ]; then export SAFEPLAY_DATABASE_URL="$database"; fi
bash scripts/setup.sh requirements.txt ${replicas:+nginx}
# Migrations (and the demo) run here, once, before any app process opens the database.
if [ -z "$demo" ]; then
  .venv/bin/python -m geo init
else
  .venv/bin/python -m geo demo --if-empty
fi
if [ -n "$replicas" ]; then
  exec .venv/bin/python scripts/replicas.py --replicas "$replicas" --port "$port"
fi
# server.py serves the app with the sign-in routes (session cookies); see docs/architecture.md.
exec .venv/bin/streamlit run server.py --server.port "$port"
