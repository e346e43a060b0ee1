"""Every response carries a Content-Security-Policy that keeps images on the app's host."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from geo.mapping.maps import TilesSettingInvalid, base_map, tiles_setting
from ui.security_headers import SecurityHeaders, content_security_policy


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"{name} missing from {policy}")


def test_images_come_only_from_the_app_and_the_tile_server(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "openstreetmap")
    sources = directive(content_security_policy(), "img-src")
    assert sources == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]


def test_without_tiles_images_come_only_from_the_app(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "none")
    policy = content_security_policy()
    assert directive(policy, "img-src") == ["'self'", "data:", "blob:"]
    assert directive(policy, "object-src") == ["'none'"]
    assert directive(policy, "form-action") == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/session/sign-in"])
def test_every_response_carries_the_headers(path):
    app = Starlette(
        routes=[Route(path, lambda request: PlainTextResponse("ok"))],
        middleware=[Middleware(SecurityHeaders)],
    )
    answer = TestClient(app).get(path)
    assert "img-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_a_council_tile_server_is_the_only_other_image_source(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "https://tiles.council.example:8443/{z}/{x}/{y}.png")
    monkeypatch.setenv("SAFEPLAY_TILES_ATTRIBUTION", "© Council")
    sources = directive(content_security_policy(), "img-src")
    assert sources == ["'self'", "data:", "blob:", "https://tiles.council.example:8443"]
    assert directive(content_security_policy(), "frame-ancestors") == ["'self'"]


@pytest.mark.parametrize(
    "template",
    [
        "https://tiles.example/{z}/{x}.png",  # no {y}
        "ftp://tiles.example/{z}/{x}/{y}.png",
        "https://tiles.example/{z}/{x}/{y}.png; script-src *",
        "https://tiles.example/{z}/{x}/{y}.png 'unsafe-inline'",
    ],
)
def test_a_tile_setting_that_is_no_template_is_refused(monkeypatch, template):
    monkeypatch.setenv("SAFEPLAY_TILES", template)
    monkeypatch.setenv("SAFEPLAY_TILES_ATTRIBUTION", "© Council")
    with pytest.raises(TilesSettingInvalid):
        content_security_policy()


def test_own_tiles_need_an_attribution_and_folium_shows_it_as_text(monkeypatch):
    monkeypatch.setenv("SAFEPLAY_TILES", "https://tiles.council.example/{z}/{x}/{y}.png")
    monkeypatch.delenv("SAFEPLAY_TILES_ATTRIBUTION", raising=False)
    with pytest.raises(TilesSettingInvalid):
        tiles_setting()
    monkeypatch.setenv("SAFEPLAY_TILES_ATTRIBUTION", "© Council <script>")
    page = base_map((-1.0, 51.0, -0.9, 51.1)).get_root().render()
    assert "https://tiles.council.example/{z}/{x}/{y}.png" in page
    assert "\\u0026lt;script\\u0026gt;" in page or "&lt;script&gt;" in page
    assert "Council <script>" not in page
