#!/usr/bin/env bash
# Set up everything the tests need (venv, dev requirements, map assets, Debian's Chromium
# for the browser tests) and run the whole suite: lint, unit, AppTest and Chromium tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt chromium
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Two workers, one per core; whole files stay on one worker, so a module's shared server
# and browser start once and its tests run in their written order.
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
