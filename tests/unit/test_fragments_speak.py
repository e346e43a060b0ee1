"""Every ``st.fragment`` of ours speaks the reader's language on its own reruns.

A fragment's rerun runs only its function (not ``streamlit_app.py``, which sets the
language), possibly in another thread, where ``geo.i18n`` would read English: so its first
statement must be ``ui.language.restore()`` (docs/languages.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "streamlit_app.py",
    *(ROOT / "app_pages").glob("*.py"),
    *(ROOT / "ui").glob("*.py"),
]


def _is_fragment(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "fragment"


def _restores_first(function: ast.FunctionDef) -> bool:
    body = [
        node
        for node in function.body
        if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant)
    ]
    if not body or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return False
    call = body[0].value.func
    return (
        isinstance(call, (ast.Attribute, ast.Name))
        and getattr(call, "attr", getattr(call, "id", "")) == "restore"
    )


def fragments_without_language(source: str) -> list[str]:
    """The names of the fragments in ``source`` whose first statement is not ``restore()``."""
    return [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
        and any(_is_fragment(d) for d in node.decorator_list)
        and not _restores_first(node)
    ]


def test_every_fragment_restores_the_readers_language_first():
    found = {
        str(path.relative_to(ROOT)): names
        for path in SOURCES
        if (names := fragments_without_language(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_the_check_tells_a_fragment_that_forgets_from_one_that_does_not():
    forgets = "@st.fragment(run_every=30)\ndef clock():\n    st.write(t('Now'))\n"
    speaks = (
        '@st.fragment\ndef clock():\n    """Why."""\n    ui.language.restore()\n    st.write(1)\n'
    )
    assert fragments_without_language(forgets) == ["clock"]
    assert fragments_without_language(speaks) == []
