#!/usr/bin/env bash
# Set up and start SafePlay on http://localhost:8501 with the embedded DuckDB database.
# The first start fills an empty database with the Millbrook demo town; pass --no-demo for
# a production start (the database is then created empty; import your own data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
if [ "${1:-}" = "--no-demo" ]; then
  .venv/bin/python -m geo init
else
  .venv/bin/python -m geo demo --if-empty
fi
# server.py serves the app with the sign-in routes (session cookies); see docs/architecture.md.
exec .venv/bin/streamlit run server.py --server.port "${PORT:-8501}"
