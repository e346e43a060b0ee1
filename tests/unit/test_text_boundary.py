"""Every text a Streamlit element renders as Markdown passed the boundary, or is our own.

Streamlit renders Markdown in captions, alerts, headings, table cells, metric values and
every widget label; a display name like ``![n](http://elsewhere/x.png)`` would make every
visitor's browser fetch from another host. This test reads ``app_pages/``, ``ui/`` and the
entry script and fails when such an element receives an expression that is neither text
written in our code nor the result of ``geo.escape.for_markdown``. It follows a name back
to its assignments in the same function (or module), so ``label = "Save" if new else
"Update"`` is fine and ``label = row["title"]`` is not. Our words translated (``t``, ``tn``,
``tp`` of ``geo.i18n``) are ours too, as long as the values filled into them are safe:
``t("Thank {name}", name=row["name"])`` is not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "streamlit_app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
)

_LABELLED = (
    "button",
    "download_button",
    "link_button",
    "page_link",
    "form_submit_button",
    "checkbox",
    "toggle",
    "text_input",
    "text_area",
    "number_input",
    "selectbox",
    "multiselect",
    "slider",
    "select_slider",
    "date_input",
    "time_input",
    "file_uploader",
    "color_picker",
    "camera_input",
    "expander",
    "popover",
    "data_editor",
    "feedback",
)
# Streamlit call -> (positional argument indexes, keyword names) rendered as Markdown.
_LABEL = ((0,), ("label", "help"))
MARKDOWN_SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    **{
        name: ((0,), ("body", "help"))
        for name in ("markdown", "caption", "title", "header", "subheader", "toast")
    },
    **{name: ((0,), ("body", "icon")) for name in ("info", "warning", "error", "success")},
    "write": ((0, 1, 2, 3, 4, 5), ()),
    "metric": ((0, 1, 2), ("label", "value", "delta", "help")),
    "radio": ((0, 1), ("label", "options", "captions", "help")),
    "pills": ((0, 1), ("label", "options", "help")),
    "segmented_control": ((0, 1), ("label", "options", "help")),
    "tabs": ((0,), ("tabs",)),
    "dialog": ((0,), ("title",)),
    **dict.fromkeys(_LABELLED, _LABEL),
}
# Elements that render HTML or Markdown tables: only the modules that escape for them (with
# ``html.escape`` or ``for_markdown``, read when they were admitted here) may call them.
RESTRICTED = {
    "html": {
        "ui/common.py",
        "ui/language.py",
        "ui/menu.py",
        "ui/session.py",
        "ui/skip_links.py",
        "ui/touch_targets.py",
    },
    "table": {"ui/common.py"},
}
# Functions whose result is safe Markdown: the boundary itself, numbers, our own words.
SAFE_CALLS = {
    "for_markdown",
    "len",
    "int",
    "round",
    "count",
    "number",
    "phone",
    "feed",  # ui.links.feed: its text escaped, its address built from a number
    # digest.to_markdown(news, for_markdown): our document, user parts escaped
    "to_markdown",
    "method_words",  # ui.walking_gaps.method_words: our Markdown, numbers filled in
    # app_pages/newsletter.py: the same document, its headings one level down
    "demoted",
}
# geo.i18n's translating calls -> the positions of their words (the rest are counts).
TRANSLATING = {"t": (0,), "tn": (0, 1), "tp": (1,)}
# Tables of our words marked for the catalogue: ``Words({"a": N_("Approve")})``, read translated.
MARKING = {"N_", "Words"}
# Builtins that keep what they are given: safe when their arguments are.
CONTAINERS = {"list", "tuple", "sorted"}


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


class _Checker:
    def __init__(self, tree: ast.Module, relative: str) -> None:
        self.relative = relative
        self.modules = _imported_names(tree) - {"st"}
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.tree = tree
        self.problems: list[str] = []

    def scope_of(self, node: ast.AST) -> ast.AST:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return node
        return self.tree

    def assignments(self, name: str, scope: ast.AST) -> list[ast.expr] | None:
        """What ``name`` is bound to within ``scope``; None if any binding is opaque."""
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            if node is not scope and self.scope_of(node) is not scope:
                continue
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    if node.value is None:
                        continue
                    values.append(node.value)
                elif any(
                    isinstance(t, ast.Tuple)
                    and any(isinstance(e, ast.Name) and e.id == name for e in t.elts)
                    for t in targets
                ):
                    return None
            elif isinstance(node, ast.For | ast.comprehension) and any(
                isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)
            ):
                if isinstance(node.iter, ast.List | ast.Tuple):
                    values.extend(node.iter.elts)
                elif self.our_constants(node.iter):
                    values.append(ast.Constant(""))  # a loop over our own words
                else:
                    return None
            elif isinstance(node, ast.NamedExpr) and node.target.id == name:
                values.append(node.value)
            elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
                if node.optional_vars.id == name:
                    return None
            elif isinstance(node, ast.arguments):
                every = [*node.posonlyargs, *node.args, *node.kwonlyargs]
                if any(arg.arg == name for arg in every):
                    return None
        return values or None

    def our_constants(self, node: ast.expr) -> bool:
        """An expression built only from our modules' constants (``enumerate(X.items())``)."""
        names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
        return bool(names) and all(
            n in self.modules or n in CONTAINERS | {"enumerate"} for n in names
        )

    def safe(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(self.safe(part, seen) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            # A format spec such as ":,", ":.1f" or ":%d %b" raises on a string: a number.
            return node.format_spec is not None or self.safe(node.value, seen)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in TRANSLATING:  # our words, in the reader's language, with safe values
                words = [node.args[i] for i in TRANSLATING[name] if i < len(node.args)]
                return all(self.safe(part, seen) for part in words) and all(
                    self.safe(keyword.value, seen) for keyword in node.keywords
                )
            if name in MARKING and isinstance(func, ast.Name):
                return all(self.safe(argument, seen) for argument in node.args)
            if name in CONTAINERS and isinstance(func, ast.Name):
                return all(self.safe(argument, seen) for argument in node.args)
            if name == "join" and isinstance(func.value, ast.Constant) and node.args:
                joined = node.args[0]  # "; ".join(for_markdown(x) for x in found)
                if isinstance(joined, ast.GeneratorExp | ast.ListComp):
                    return self.safe(joined.elt, seen)
                return self.safe(joined, seen)
            if name == "get" and isinstance(func, ast.Attribute) and len(node.args) == 2:
                # LABELS.get(key, "Not stated"): one of our words, or our default.
                return self.safe(func.value, seen) and self.safe(node.args[1], seen)
            return name in SAFE_CALLS
        if isinstance(node, ast.IfExp):
            return self.safe(node.body, seen) and self.safe(node.orelse, seen)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(value, seen) for value in node.values)
        if isinstance(node, ast.BinOp):
            return self.safe(node.left, seen) and self.safe(node.right, seen)
        if isinstance(node, ast.List | ast.Tuple):
            return all(self.safe(element, seen) for element in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.safe(part, seen) for part in [*node.keys, *node.values] if part)
        if isinstance(node, ast.Attribute | ast.Subscript):
            # A constant of our own modules (coverage.METHOD, LEVELS[level].label).
            root = node
            while isinstance(root, ast.Attribute | ast.Subscript):
                root = root.value
            if not isinstance(root, ast.Name):
                return False
            return root.id in self.modules or self.safe(root, seen)
        if isinstance(node, ast.Name):
            if node.id in seen:
                return True
            values = self.assignments(node.id, self.scope_of(node))
            if values is None and self.scope_of(node) is not self.tree:
                values = self.assignments(node.id, self.tree)
            return values is not None and all(self.safe(v, seen | {node.id}) for v in values)
        return False

    def check(self) -> list[str]:
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in self.modules:
                continue  # exports.write(...), not a Streamlit element
            method = node.func.attr
            if method in RESTRICTED:
                if self.relative not in RESTRICTED[method] and (
                    isinstance(receiver, ast.Name) and receiver.id == "st"
                ):
                    self.problems.append(
                        f"{self.relative}:{node.lineno} st.{method} outside "
                        f"{sorted(RESTRICTED[method])} (use their escaping helpers)"
                    )
                continue
            if method not in MARKDOWN_SINKS:
                continue
            positions, keywords = MARKDOWN_SINKS[method]
            arguments = [a for i, a in enumerate(node.args) if i in positions]
            arguments += [k.value for k in node.keywords if k.arg in keywords]
            for argument in arguments:
                if not self.safe(argument):
                    self.problems.append(
                        f"{self.relative}:{argument.lineno} .{method}() gets "
                        f"{ast.unparse(argument)[:70]!r} without geo.escape.for_markdown"
                    )
        return self.problems


def problems_in(source: str, relative: str) -> list[str]:
    return _Checker(ast.parse(source), relative).check()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_markdown_element_gets_escaped_or_our_own_text(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    problems = problems_in(path.read_text(), relative)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        'st.caption(row["name"])',
        'st.caption(t("Hello {name}", name=row["name"]))',
        'st.button(f"Thank {name}")',
        "st.success(notice)",
        'st.markdown(f"### {title}")',
        'st.tabs([row["title"], "Map"])',
        'st.radio("Pick", options=names)',
        "st.error(str(error))",
        'st.metric("Name", value=person)',
        'st.expander(f"{place!r}")',
        "st.table(frame)",
        'st.caption(t("Thank {name}", name=row["name"]))',
        'st.caption(t(row["name"]))',
    ],
)
def test_the_checker_catches_unescaped_text(line: str) -> None:
    source = (
        "import streamlit as st\n"
        "def page(row, name, title, names, error, person, place, frame):\n"
        "    notice = row['notice']\n"
        f"    {line}\n"
    )
    assert problems_in(source, "app_pages/example.py")


@pytest.mark.parametrize(
    "line",
    [
        'st.caption(for_markdown(row["name"]))',
        'st.button(f"Thank {for_markdown(name)}")',
        'st.success("Saved." if row else "Nothing to save.")',
        "st.markdown(f'{len(names)} supporters, {row[\"share\"]:.0%}')",
        "st.tabs(TABS)",
        "st.info(coverage.METHOD)",
        "st.subheader(label)",
        'st.title(t("My account"))',
        'st.caption(tn("{n} place", "{n} places", len(names), ward=for_markdown(name)))',
        'st.button(tp("verb", "Open"))',
        'st.caption(t("Hello {name}", name=for_markdown(row["name"])))',
        'st.title(tn("{n} place", "{n} places", len(names)))',
        "st.selectbox(LABELS[row], names)",
    ],
)
def test_the_checker_accepts_escaped_or_own_text(line: str) -> None:
    source = (
        "import streamlit as st\n"
        "from geo.council import coverage\n"
        "from geo.escape import for_markdown\n"
        'TABS = ["Map", "Table"]\n'
        'LABELS = Words({"code": N_("Code"), "name": N_("Name")})\n'
        "def page(row, name, names):\n"
        '    label = "Add" if row else "Update"\n'
        f"    {line}\n"
    )
    assert not problems_in(source, "app_pages/example.py")
