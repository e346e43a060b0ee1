#!/usr/bin/env bash
# Set up everything the tests need (venv, dev requirements, map assets, Debian's Chromium
# for the browser tests) and run the whole suite: lint, unit, AppTest and Chromium tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  source_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  source_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive source_root apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
