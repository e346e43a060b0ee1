"""The house keeps its shape: geo/ is grouped by feature and every import points downward.

A newcomer finds a rule by its feature (docs/architecture.md draws the layers); these tests
fail the day a module reaches up a layer, a package forms a cycle, Streamlit slips into the
core, or a new package is missing from the README's map of modules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "geo"

# Lowest first. A module may import from its own unit or from any unit in an earlier layer.
LAYERS: list[set[str]] = [
    {"errors"},
    {"i18n"},
    {"vocabulary", "escape", "ids"},
    {"geometry", "wording"},
    {"storage"},
    {"permissions"},
    {"accounts", "moderation"},
    {"registry"},
    {"notify"},
    {"proposals"},
    {"accountability"},
    {"safeguarding"},
    {"streets"},
    {"council"},
    {"io", "mapping", "delivery"},
    {"cli"},
    {"__main__"},
]


def unit_of(path: Path) -> str:
    """The package (geo/storage/db.py → storage) or top-level module a file belongs to."""
    return path.relative_to(GEO).with_suffix("").parts[0]


def imported_units(path: Path) -> set[str]:
    """The geo units a module imports at run time (``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "geo":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("geo."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("geo.")}
    return found


def layer_of(unit: str) -> int:
    for number, units in enumerate(LAYERS):
        if unit in units:
            return number
    raise AssertionError(f"geo/{unit} is in no layer: add it to LAYERS and docs/architecture.md")


def modules() -> list[Path]:
    return sorted(path for path in GEO.rglob("*.py") if "__pycache__" not in path.parts)


def test_every_import_points_down_a_layer_or_stays_in_its_unit():
    upward = []
    for path in modules():
        unit = unit_of(path)
        for other in imported_units(path) - {unit}:
            if layer_of(other) >= layer_of(unit):
                upward.append(f"{path.relative_to(ROOT)} imports geo.{other}")
    assert not upward, "imports that reach up or sideways:\n" + "\n".join(upward)


def test_no_module_in_the_core_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules()
        if re.search(r"^\s*(import|from)\s+streamlit\b", path.read_text(), re.MULTILINE)
    ]
    assert not offenders


def test_every_package_says_what_lives_there():
    for package in sorted(p.parent for p in GEO.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
        assert doc, f"geo/{package.name}/__init__.py needs a docstring saying what lives there"


def test_the_readme_map_names_every_package_and_top_level_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    units = {unit_of(path) for path in modules()} - {"__init__", "__main__"}
    missing = sorted(unit for unit in units if f"`geo/{unit}" not in readme)
    assert not missing, f"name these in README.md's 'Where things are': {missing}"


def test_the_architecture_notes_draw_every_layer():
    notes = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = sorted(u for layer in LAYERS for u in layer if f"`{u}" not in notes)
    assert not missing, f"docs/architecture.md should place these: {missing}"
