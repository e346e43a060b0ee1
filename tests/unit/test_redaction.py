"""Redaction measured on a corpus: what personal data is found, and what is left alone."""

import pytest

from geo.redaction import redact
from tests.unit.redaction_corpus import CORPUS

MIN_RECALL = 0.95
MIN_PRECISION = 0.95


def measure():
    items = removed = finds = correct = 0
    for text, personal in CORPUS:
        result = redact(text)
        items += len(personal)
        removed += sum(1 for item in personal if item not in result.text)
        finds += len(result.found)
        correct += sum(
            1 for _kind, taken in result.found
            if any(taken in item or item in taken for item in personal)
        )  # fmt: skip
    return removed / items, correct / finds if finds else 1.0


def test_the_corpus_is_large_and_mixed():
    assert len(CORPUS) >= 50
    with_data = sum(1 for _, personal in CORPUS if personal)
    assert 20 <= with_data <= len(CORPUS) - 20


def test_recall_and_precision_on_the_corpus(capsys):
    recall, precision = measure()
    with capsys.disabled():
        print(f"\nredaction on {len(CORPUS)} texts: recall {recall:.1%}, precision {precision:.1%}")
    assert recall >= MIN_RECALL and precision >= MIN_PRECISION


@pytest.mark.parametrize(("text", "personal"), [c for c in CORPUS if not c[1]])
def test_texts_without_personal_data_are_untouched(text, personal):
    assert redact(text).text == text and not redact(text).changed


def test_each_find_says_what_was_there():
    result = redact("My name is Tom, call 07700 900123 or tom@example.com")
    assert result.text == "My name is [name], call [phone] or [e-mail]"
    assert result.found == (("e-mail", "tom@example.com"), ("phone", "07700 900123"),
                            ("name", "Tom"))  # fmt: skip


def test_the_command_line_redacts_line_by_line(monkeypatch, capsys):
    import io

    from geo.cli import main

    lines = ["My name is Tom", "no personal data here", "", "ring 07700 900123"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["redact"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "My name is [name]", "no personal data here", "", "ring [phone]"]  # fmt: skip
