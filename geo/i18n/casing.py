"""A label as it reads inside a sentence, in the reader's language.

A label stands alone with a capital ("Council officer for Riverside", "Read public data");
inside a sentence English, Welsh, French and Spanish write it with a small letter ("Rosa is
now council officer for Riverside"). German capitalises every noun, and its labels mostly
begin with one ("Ratsbedienstete/r für Riverside"): lowering it would misspell the noun, so
German keeps the label as it is.
"""

from __future__ import annotations

from geo.i18n import current

# Languages whose labels keep their first capital inside a sentence.
CAPITALISED = frozenset({"de"})


def in_sentence(label: str) -> str:
    """``label`` with the first letter lowered, unless the reader's language keeps it."""
    if current() in CAPITALISED:
        return label
    return label[:1].lower() + label[1:]
