"""The Link header that preloads the Explore page's widget scripts (ui/widget_preload.py)."""

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from ui.widget_preload import PreloadWidgets, link_header, widget_scripts


def _static(folder: Path) -> Path:
    """A Streamlit-like static folder: a widget importing a helper, which imports a script
    the page itself already loads."""
    js = folder / "static" / "js"
    js.mkdir(parents=True)
    (js / "Slider.ab1.js").write_text('import{a}from"./helper.cd2.js";import"./side.x9.js";')
    (js / "helper.cd2.js").write_text('import{b}from"./index.ef3.js";export const a=1;')
    (js / "side.x9.js").write_text("")
    (js / "index.ef3.js").write_text("")
    (js / "Unused.zz.js").write_text("")
    (folder / "index.html").write_text('<script type="module" src="./static/js/index.ef3.js">')
    return folder


def test_follows_static_imports_and_skips_what_the_page_loads(tmp_path: Path) -> None:
    static = _static(tmp_path)
    found = widget_scripts(static, ["Slider", "Gone"])  # a widget a release dropped is skipped
    assert found == ["Slider.ab1.js", "helper.cd2.js", "side.x9.js"]


def test_link_header_under_a_base_path() -> None:
    assert link_header(["a.js"]) == "</static/js/a.js>; rel=modulepreload"
    assert link_header(["a.js", "b.js"], "/council/") == (
        "</council/static/js/a.js>; rel=modulepreload, </council/static/js/b.js>; rel=modulepreload"
    )


def test_only_streamlit_pages_carry_the_header() -> None:
    def page(request) -> HTMLResponse:
        return HTMLResponse("<p>page</p>")

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/map", page),
            Route("/component/frame/index.html", page),
            Route("/api/ogc", lambda request: JSONResponse({})),
        ],
        middleware=[Middleware(PreloadWidgets)],
    )
    client = TestClient(app)
    link = client.get("/").headers.get("link", "")
    assert "rel=modulepreload" in link and "/static/js/Selectbox." in link
    # The filters wait in a popover, drawn only when opened: their scripts are not named.
    assert "/static/js/Slider." not in link
    # The public map keeps to its own small budget; a component's frame and the API need none.
    for path in ("/map", "/component/frame/index.html", "/api/ogc"):
        assert "link" not in client.get(path).headers
