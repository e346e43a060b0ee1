#!/usr/bin/env bash
# Shared set-up for start.sh and test.sh: a virtual environment with the pinned
# requirements, and the map assets copied into static/vendor. Safe to run repeatedly.
# Usage: scripts/setup.sh [requirements file] [Debian package providing a command]...
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
shift || true
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "SafePlay needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Please run as root (or install sudo) so that this can run: $*" >&2; exit 1; fi
}

apt_install() {  # apt_install PACKAGE... (Debian/Ubuntu)
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"

# leaflet-draw comes from the npm registry (no PyPI package carries it).
if [ ! -f static/vendor/leaflet-draw/leaflet.draw.js ] && ! command -v npm >/dev/null; then
  apt_install npm
fi
.venv/bin/python -m geo install-assets

# DejaVu Sans draws the play sufficiency report's PDF and ward map (it has Welsh ŵ and ŷ);
# without it the export says which package is missing.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_install fonts-dejavu-core

# Commands the caller needs from Debian (e.g. chromium for the browser tests; nginx, which
# lives in /usr/sbin, outside a normal user's PATH, for replicas).
for package in "$@"; do
  command -v "$package" >/dev/null || [ -x "/usr/sbin/$package" ] || apt_install "$package"
done
