"""Keeping the catalogues whole: extract our words, update, check and merge the ``.po`` files.

``python -m geo i18n extract|update|check|merge`` (``docs/languages.md``). The template is
always extracted afresh from the code, so ``check`` measures the catalogues against what the
code says today, not against a ``messages.pot`` someone forgot to regenerate.

Why a check of our own beside Babel's ``checkers``: Babel checks ``%`` formats and the
number of plural forms of a ``.po`` file read on its own; SafePlay's messages use
``str.format`` names (``{count}``) and a language's words are spread over one file per
translator until they are merged, so the check reads every file of a language together, as
the app does (``geo.i18n.catalogue``), and compares the ``{names}`` of each translation.
"""

from __future__ import annotations

import io
import string
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from geo.errors import InvalidInput
from geo.i18n import DEFAULT, DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[2]
# What is read for words of ours: the core, the app's modules and pages, the entry scripts.
SOURCE_DIRS = ("geo", "ui", "app_pages")
SOURCE_FILES = ("streamlit_app.py", "server.py")
KEYWORDS = {"t": None, "tn": (1, 2), "tp": ((1, "c"), 2), "N_": None}
METHODS = [("**.py", "python")]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MERGED = f"{DOMAIN}.po"
TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT)

Key = str | tuple[str, str]  # a msgid, or (msgid, context) for ``tp``


@dataclass(frozen=True)
class Problem:
    """One message of one language that would not read right, and where the code says it."""

    language: str
    msgid: str
    what: str
    locations: tuple[tuple[str, int], ...]

    @property
    def source(self) -> str:
        return self.locations[0][0] if self.locations else "(no longer in the code)"


def extract(root: Path = ROOT) -> Catalog:
    """Every message of ours in the code, with the files and lines that say it."""
    template = Catalog(project="SafePlay", domain=DOMAIN, fuzzy=False)
    found: list[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = []
    for folder in SOURCE_DIRS:
        for filename, line, message, comments, context in extract_from_dir(
            root / folder, METHODS, keywords=KEYWORDS, comment_tags=("i18n:",)
        ):
            found.append((f"{folder}/{filename}", line, message, comments, context))
    for filename in SOURCE_FILES:
        for line, message, comments, context in extract_from_file(
            "python", root / filename, keywords=KEYWORDS, comment_tags=("i18n:",)
        ):
            found.append((filename, line, message, comments, context))
    for filename, line, message, comments, context in found:
        if isinstance(message, tuple) and len(message) == 1:
            message = message[0]
        template.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return template


def write_template(root: Path = ROOT, target: Path = TEMPLATE) -> int:
    """Write ``messages.pot``; the number of messages in it."""
    template = extract(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, template, width=100, sort_by_file=True)
    return len(template)


def po_files(language: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` files of ``language``: ``messages.po`` first, then by name."""
    folder = locale_dir / language / "LC_MESSAGES"
    return sorted(folder.glob("*.po"), key=lambda path: (path.name != MERGED, path.name))


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def new_catalogue(language: str) -> Catalog:
    """An empty catalogue of ``language`` whose header carries Babel's plural rule."""
    return Catalog(locale=language, domain=DOMAIN, project="SafePlay", fuzzy=False)


def write(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def translations(language: str, locale_dir: Path = LOCALE_DIR) -> dict[Key, Message]:
    """Every message of ``language`` over all its files: a translated, not fuzzy one is
    preferred to an empty or fuzzy one, whichever file holds it (as the app reads them)."""
    found: dict[Key, Message] = {}
    for path in po_files(language, locale_dir):
        for message in read(path, language):
            if not message.id:
                continue
            key = _key(message)
            if key not in found or (_usable(message) and not _usable(found[key])):
                found[key] = message
    return found


def check(
    template: Catalog,
    languages: Iterable[str] = TRANSLATED,
    locale_dir: Path = LOCALE_DIR,
) -> list[Problem]:
    """What keeps each language from reading whole: a message missing or fuzzy, ``{names}``
    that differ from the English, a plural form left empty."""
    problems: list[Problem] = []
    for language in languages:
        forms = new_catalogue(language).num_plurals
        found = translations(language, locale_dir)
        for wanted in template:
            if not wanted.id:
                continue
            where = tuple(wanted.locations)
            shown = wanted.id[0] if isinstance(wanted.id, tuple) else wanted.id
            for what in _faults(wanted, found.get(_key(wanted)), forms):
                problems.append(Problem(language, shown, what, where))
    return problems


def report(problems: list[Problem]) -> str:
    """The problems by source file, then language: what the lead fixes where."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.source].append(problem)
    lines = []
    for source in sorted(by_file):
        lines.append(f"{source}:")
        for problem in sorted(by_file[source], key=lambda p: (p.language, p.msgid)):
            lines.append(f"  {problem.language}: {problem.what}: {problem.msgid!r}")
    return "\n".join(lines)


def update(template: Catalog, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Merge the template into each language's ``messages.po``: new messages are added
    untranslated, changed ones become fuzzy (for a translator to confirm), gone ones are
    dropped. Only once each language is one file (``merge``): updating one translator's
    file would add every other translator's messages to it untranslated."""
    written = []
    for language in TRANSLATED:
        files = po_files(language, locale_dir)
        if len(files) > 1:
            raise InvalidInput(
                f"{language} has {len(files)} catalogues ({', '.join(p.name for p in files)}): "
                "run `python -m geo i18n merge` first"
            )
        path = locale_dir / language / "LC_MESSAGES" / MERGED
        catalogue = read(path, language) if path.exists() else new_catalogue(language)
        catalogue.update(template, update_header_comment=False)
        write(catalogue, path)
        written.append(path)
    return written


@dataclass(frozen=True)
class Merged:
    """What ``merge`` did to one language."""

    language: str
    files: tuple[str, ...]
    messages: int
    conflicts: tuple[str, ...]  # msgids two files translated differently (the first kept)


def merge(locale_dir: Path = LOCALE_DIR, languages: Iterable[str] = TRANSLATED) -> list[Merged]:
    """Each language's files into its one ``messages.po`` (the others removed): the lead's
    step after the translators' branches are merged. ``messages.po`` comes first, then the
    files by name; a message two files translate differently keeps the first and is reported."""
    done = []
    for language in languages:
        files = po_files(language, locale_dir)
        if not files:
            continue
        merged = new_catalogue(language)
        conflicts: list[str] = []
        for path in files:
            for message in read(path, language):
                if not message.id:
                    continue
                kept = merged.get(message.id, message.context)
                if kept is None or (_usable(message) and not _usable(kept)):
                    merged[message.id] = message
                elif _usable(message) and kept.string != message.string:
                    conflicts.append(f"{_shown(message)} ({path.name})")
        target = locale_dir / language / "LC_MESSAGES" / MERGED
        write(merged, target)
        for path in files:
            if path != target:
                path.unlink()
        done.append(Merged(language, tuple(p.name for p in files), len(merged), tuple(conflicts)))
    return done


def names(text: str) -> set[str]:
    """The ``{names}`` ``str.format`` fills in ``text`` (``{place.name}`` counts as place)."""
    found = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            found.add(field.split(".")[0].split("[")[0])
    return found


def _faults(wanted: Message, found: Message | None, forms: int) -> Iterator[str]:
    if found is None or not _filled(found):
        yield "missing"
        return
    if found.fuzzy:
        yield "fuzzy (a translator has to confirm it)"
        return
    if isinstance(wanted.id, tuple):
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if len(strings) < forms or not all(strings[:forms]):
            yield f"plural forms: {sum(1 for s in strings[:forms] if s)} of {forms} filled"
        expected = names(wanted.id[1]) | names(wanted.id[0])
        for index, form in enumerate(strings[:forms]):
            yield from _named(form, expected, optional={"n"}, label=f"form {index}")
        return
    string_ = found.string[0] if isinstance(found.string, tuple) else found.string
    yield from _named(string_, names(wanted.id), optional=set(), label="translation")


def _named(text: str, expected: set[str], optional: set[str], label: str) -> Iterator[str]:
    try:
        used = names(text)
    except ValueError:
        yield f"{label} has a broken {{ }}"
        return
    missing, unknown = expected - optional - used, used - expected
    if missing or unknown:
        said = ", ".join(
            [*(f"{{{name}}} missing" for name in sorted(missing))]
            + [f"{{{name}}} unknown" for name in sorted(unknown)]
        )
        yield f"{label}: {said}"


def _filled(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return any(strings)


def _usable(message: Message) -> bool:
    return _filled(message) and not message.fuzzy


def _key(message: Message) -> Key:
    singular = message.id[0] if isinstance(message.id, tuple) else message.id
    return (singular, message.context) if message.context else singular


def _shown(message: Message) -> str:
    return repr(message.id[0] if isinstance(message.id, tuple) else message.id)
