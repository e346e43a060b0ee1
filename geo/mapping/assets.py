"""Leaflet and its plugins, served by the app itself instead of public CDNs.

Council intranets and our CI cannot reach a CDN, so every script and stylesheet a map needs
is copied at set-up time from packages (XStatic wheels on PyPI; leaflet-draw from the npm
registry) into ``static/vendor``, which Streamlit serves under ``/app/static/vendor``.
``serve_locally`` rewrites a folium element's asset links to those copies and refuses an
asset it does not know, so a new plugin cannot quietly bring a CDN link back.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TypeVar

from geo.errors import SafePlayError
from geo.storage.db import PROJECT_ROOT

STATIC_VENDOR = PROJECT_ROOT / "static" / "vendor"
URL_PREFIX = "/app/static/vendor"
LEAFLET_DRAW_NPM = "leaflet-draw@1.0.4"

# folium's name for an asset -> our copy under static/vendor
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "leaflet_draw_js": "leaflet-draw/leaflet.draw.js",
    "leaflet_draw_css": "leaflet-draw/leaflet.draw.css",
}
# folium links these by default for features we do not use (Bootstrap popups, icon fonts).
_UNUSED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


class AssetsMissing(SafePlayError):
    """Map assets are not installed (run the set-up) or cannot be fetched."""


Element = TypeVar("Element")


def url(name: str) -> str:
    return f"{URL_PREFIX}/{LOCAL_ASSETS[name]}"


def serve_locally(element: Element) -> Element:
    """Point a folium element's scripts and stylesheets at our copies (in place)."""
    for attribute in ("default_js", "default_css"):
        links = getattr(element, attribute, None)
        if not links:
            continue
        local = []
        for name, _cdn in links:
            if name in _UNUSED:
                continue
            if name not in LOCAL_ASSETS:
                raise AssetsMissing(f"no local copy of the map asset {name!r}; add it to assets")
            local.append((name, url(name)))
        setattr(element, attribute, local)
    return element


def missing_assets(target: Path = STATIC_VENDOR) -> list[str]:
    return [path for path in LOCAL_ASSETS.values() if not (target / path).is_file()]


def install_assets(target: Path = STATIC_VENDOR) -> list[str]:
    """Copy every asset into ``target``; return the relative paths installed."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(leaflet.BASE_DIR, target / "leaflet", dirs_exist_ok=True)
    shutil.copytree(markercluster.BASE_DIR, target / "markercluster", dirs_exist_ok=True)
    if not (target / LOCAL_ASSETS["leaflet_draw_js"]).is_file():
        _install_leaflet_draw(target / "leaflet-draw")
    missing = missing_assets(target)
    if missing:
        raise AssetsMissing(f"map assets still missing after install: {', '.join(missing)}")
    return sorted(LOCAL_ASSETS.values())


def _install_leaflet_draw(destination: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsMissing(
            "npm is needed once to fetch leaflet-draw (drawing on maps); "
            "install it (Debian: apt-get install npm) and run the set-up again"
        )
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [npm, "pack", LEAFLET_DRAW_NPM, "--silent", "--pack-destination", scratch],
            capture_output=True,
            text=True,
            check=False,
        )
        tarballs = list(Path(scratch).glob("leaflet-draw-*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise AssetsMissing(f"npm could not fetch {LEAFLET_DRAW_NPM}: {result.stderr.strip()}")
        with tarfile.open(tarballs[0]) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("package/dist/")]
            archive.extractall(scratch, members=members, filter="data")
        shutil.copytree(Path(scratch) / "package" / "dist", destination, dirs_exist_ok=True)
