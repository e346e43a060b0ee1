"""Every response carries a Content-Security-Policy that keeps images on the app's host."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

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
