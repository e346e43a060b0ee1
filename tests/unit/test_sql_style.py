"""How geo/ talks to the database: every INSERT names its columns, every read goes through Store.

A positional ``INSERT INTO t VALUES (…)`` silently shifts its values the day a migration
adds a column; naming the columns makes it keep working (or fail loudly). Reading through
``Store.frame``/``geoframe``/``row``/``rows``/``value`` keeps one place that knows how results
come back, the place a second backend changes. The source is read with ``ast``, so string
literals split over lines and chains split over lines are seen whole.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

GEO = Path(__file__).resolve().parents[2] / "geo"
STORAGE = GEO / "storage"
POSITIONAL_INSERT = re.compile(
    r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?:\w+|\{\})\s+(?:VALUES|SELECT)\b", re.IGNORECASE
)


def _sources() -> list[Path]:
    return sorted(GEO.rglob("*.py"))


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal with its line; an f-string's holes read as ``{}``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            found.append((node.lineno, text))
    return found


def _is_call_of(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
    )


def _cursor_chains_to_frames(tree: ast.AST) -> list[int]:
    """Lines of ``<x>.cursor().execute(…).df()``: a read that should be ``store.frame``."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if _is_call_of(node, "df")
        and _is_call_of(node.func.value, "execute")
        and _is_call_of(node.func.value.func.value, "cursor")
    ]


def _positional_in_python(source: str) -> list[str]:
    return [
        f"line {line}: {match.group(0)}"
        for line, value in _strings(ast.parse(source))
        for match in POSITIONAL_INSERT.finditer(value)
    ]


def positional_inserts(path: Path) -> list[str]:
    """``INSERT INTO t VALUES``/``SELECT`` without a column list, in Python or SQL source."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        return [match.group(0) for match in POSITIONAL_INSERT.finditer(text)]
    return _positional_in_python(text)


def test_every_insert_names_its_columns():
    offenders = {
        str(path.relative_to(GEO)): found
        for path in [*_sources(), *sorted(GEO.rglob("*.sql"))]
        if (found := positional_inserts(path))
    }
    assert offenders == {}


def test_reads_go_through_the_store_outside_storage():
    offenders = {
        str(path.relative_to(GEO)): lines
        for path in _sources()
        if STORAGE not in path.parents
        if (lines := _cursor_chains_to_frames(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_scan_sees_split_literals_and_chains():
    """The checks above would be empty promises if they missed the shapes our code uses."""
    split_insert = 'cursor.execute("INSERT INTO place_areas "\n    "SELECT p.id FROM places p")'
    dynamic = 'cursor.execute(f"INSERT INTO {table} VALUES (?)", [1])'
    named = 'cursor.execute("INSERT INTO place_areas (place_id, area_id) SELECT 1, 2")'
    chain = 'store.cursor()\n    .execute("SELECT 1", [])\n    .df()'
    assert _positional_in_python(split_insert) == ["line 1: INSERT INTO place_areas SELECT"]
    assert _positional_in_python(dynamic) == ["line 1: INSERT INTO {} VALUES"]
    assert _positional_in_python(named) == []
    assert _cursor_chains_to_frames(ast.parse(f"({chain})")) == [1]
