"""The catalogues are whole: every word of ours reads in every language, with its {names}
and every plural form; and the check catches each way a catalogue breaks, one at a time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from geo import i18n
from geo.i18n import catalogues

ROOT = Path(__file__).resolve().parents[2]
TRANSLATING = {"t", "tn", "tp", "N_"}


def test_every_message_reads_in_every_language():
    """Fails until every translator's catalogue is merged; the message says what is missing
    where, by source file, so the lead can fix it."""
    problems = catalogues.check(catalogues.extract())
    assert not problems, "\n" + catalogues.report(problems)


def test_no_word_of_ours_hides_from_the_extractor_inside_an_f_string():
    """Before Python 3.12 an f-string is one token: Babel never sees a ``t()`` in it, and the
    word would never reach a translator. Words are translated first, then formatted in."""
    hidden = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if _literal_message(call):
                        hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not hidden, hidden


def _literal_message(node: ast.AST) -> bool:
    """A ``t("…")`` call whose message is written out (a ``t(kind)`` is found elsewhere)."""
    if not (isinstance(node, ast.Call) and _called(node) in TRANSLATING and node.args):
        return False
    message = node.args[1] if _called(node) == "tp" and len(node.args) > 1 else node.args[0]
    return isinstance(message, ast.Constant) and isinstance(message.value, str)


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _sources() -> list[Path]:
    files = [ROOT / name for name in catalogues.SOURCE_FILES]
    for folder in catalogues.SOURCE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


# A broken catalogue, built in tmp_path: each fault alone is caught, and a whole one passes.

TEMPLATE_SOURCE = """
from geo.i18n import t, tn, tp

t("Report a concern")
t("{count} places shown", count=3)
tn("{n} place", "{n} places", 3)
tp("status", "Open")
"""
WHOLE = {
    "Report a concern": "Rhowch wybod am bryder",
    "{count} places shown": "{count} lle yn cael eu dangos",
    ("{n} place", "{n} places"): ("{n} lle",) * 5,
    ("Open", "status"): "Ar agor",
}


@pytest.fixture
def template(tmp_path: Path) -> Catalog:
    code = tmp_path / "code"
    (code / "ui").mkdir(parents=True)
    (code / "ui" / "page.py").write_text(TEMPLATE_SOURCE, encoding="utf-8")
    for folder in catalogues.SOURCE_DIRS:
        (code / folder).mkdir(exist_ok=True)
    for name in catalogues.SOURCE_FILES:
        (code / name).write_text("", encoding="utf-8")
    return catalogues.extract(code)


def write_welsh(locale: Path, words: dict, name: str = "helper.po", fuzzy: str = "") -> None:
    catalogue = catalogues.new_catalogue("cy")
    for key, string in words.items():
        # "msgid", ("msgid", "context"), or ("singular", "plural") with a tuple of forms
        plural_or_plain = isinstance(string, tuple) or isinstance(key, str)
        msgid, context = (key, None) if plural_or_plain else key
        flags = ("fuzzy",) if fuzzy and fuzzy == msgid else ()
        catalogue.add(msgid, string, context=context, flags=flags)
    catalogues.write(catalogue, locale / "cy" / "LC_MESSAGES" / name)


def welsh_problems(template: Catalog, locale: Path) -> list[str]:
    return [f"{p.what}: {p.msgid}" for p in catalogues.check(template, ["cy"], locale)]


def test_a_whole_catalogue_passes(template, tmp_path):
    write_welsh(tmp_path / "locale", WHOLE)
    assert welsh_problems(template, tmp_path / "locale") == []


def test_a_missing_message_is_caught_and_named_with_its_source_file(template, tmp_path):
    words = {key: value for key, value in WHOLE.items() if key != "Report a concern"}
    write_welsh(tmp_path / "locale", words)
    problems = catalogues.check(template, ["cy"], tmp_path / "locale")
    assert [(p.what, p.msgid, p.source) for p in problems] == [
        ("missing", "Report a concern", "ui/page.py")
    ]
    assert "ui/page.py:\n  cy: missing: 'Report a concern'" in catalogues.report(problems)


def test_a_renamed_placeholder_is_caught(template, tmp_path):
    write_welsh(tmp_path / "locale", {**WHOLE, "{count} places shown": "{cyfrif} lle"})
    assert welsh_problems(template, tmp_path / "locale") == [
        "translation: {count} missing, {cyfrif} unknown: {count} places shown"
    ]


def test_a_missing_plural_form_is_caught(template, tmp_path):
    forms = ("{n} lle", "{n} lle", "", "{n} lle", "{n} lle")
    write_welsh(tmp_path / "locale", {**WHOLE, ("{n} place", "{n} places"): forms})
    assert welsh_problems(template, tmp_path / "locale") == [
        "plural forms: 4 of 5 filled: {n} place"
    ]


def test_a_fuzzy_translation_is_not_taken_as_done(template, tmp_path):
    write_welsh(tmp_path / "locale", WHOLE, fuzzy="Report a concern")
    assert welsh_problems(template, tmp_path / "locale") == [
        "fuzzy (a translator has to confirm it): Report a concern"
    ]


def test_merge_makes_one_catalogue_per_language_from_every_translators_file(template, tmp_path):
    locale = tmp_path / "locale"
    first = dict(list(WHOLE.items())[:2])
    write_welsh(locale, first, name="i18n-words.po")
    write_welsh(locale, {**WHOLE, "Report a concern": "Adrodd pryder"}, name="i18n-core.po")
    [merged] = catalogues.merge(locale, ["cy"])
    assert [p.name for p in catalogues.po_files("cy", locale)] == ["messages.po"]
    assert merged.messages == len(WHOLE)
    assert merged.conflicts == ("'Report a concern' (i18n-words.po)",)
    assert welsh_problems(template, locale) == []


def test_update_adds_new_messages_untranslated_once_merged(template, tmp_path):
    locale = tmp_path / "locale"
    write_welsh(locale, {"Report a concern": "Rhowch wybod am bryder"}, name="messages.po")
    for language in catalogues.TRANSLATED:
        (locale / language / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    catalogues.update(template, locale)
    problems = welsh_problems(template, locale)
    assert "missing: Report a concern" not in problems
    assert "missing: {count} places shown" in problems


def test_the_app_reads_every_file_of_a_language_together(monkeypatch, tmp_path):
    locale = tmp_path / "locale"
    write_welsh(locale, {"Report a concern": "Rhowch wybod am bryder"}, name="a.po")
    write_welsh(locale, {"{count} places shown": "{count} lle"}, name="b.po")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.reload()
    try:
        with i18n.speaking("cy"):
            assert i18n.t("Report a concern") == "Rhowch wybod am bryder"
            assert i18n.t("{count} places shown", count=4) == "4 lle"
    finally:
        monkeypatch.undo()
        i18n.reload()
