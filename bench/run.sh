#!/usr/bin/env bash
# Benchmarks side by side: SafePlay vs PostgreSQL 15 + PostGIS 3 vs geopandas, the map at
# city scale, coverage, imports, the browser. Quick set by default; --full adds 1M features;
# --visitors runs only the concurrent visitors on DuckDB, PostgreSQL and replicas (nginx).
# --checkpoint runs only what checkpointing every DuckDB commit costs a write.
# --public-map runs only the public map (/map) against the Streamlit pages in Chromium.
# --walking runs only walking coverage on the Helsinki extract and the generated city.
# Usage: bash bench/run.sh [--full | --visitors | --checkpoint | --public-map | --walking]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh bench/requirements.txt chromium nginx
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  if [ "$(id -u)" = 0 ]; then run=(); else run=(sudo); fi
  "${run[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
fi
SAFEPLAY_TILES=none .venv/bin/python bench/run.py "$@"
