"""An account keeps the language its owner chose, for screens on any device and for mail."""

from __future__ import annotations

import pytest

from geo.accounts.auth import create_user, load_actor
from geo.accounts.language import language_of, set_language
from geo.errors import InvalidInput, PermissionDenied
from geo.permissions import COMMAND_LINE, Actor

GOOD = "correct horse battery staple 42"


def test_a_person_keeps_the_language_they_chose(store):
    user_id = create_user(store, COMMAND_LINE, "mair@example.org", "Mair", "resident", GOOD)
    assert language_of(store, user_id) is None
    set_language(store, load_actor(store, user_id), "cy")
    assert language_of(store, user_id) == "cy"


def test_a_language_safeplay_does_not_speak_is_refused_and_nothing_changes(store):
    user_id = create_user(store, COMMAND_LINE, "ana@example.org", "Ana", "resident", GOOD)
    with pytest.raises(InvalidInput):
        set_language(store, load_actor(store, user_id), "pt")
    assert language_of(store, user_id) is None


def test_a_visitor_cannot_keep_a_language_on_an_account(store):
    with pytest.raises(PermissionDenied):
        set_language(store, Actor(role="resident"), "de")
    assert language_of(store, None) is None
