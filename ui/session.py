"""Who is using this browser session: kept only in server-side session state.

The signed-in person is an ``Actor`` (role, login, display name, wards; never a password).
Signing out clears it; a session idle for longer than ``SAFEPLAY_IDLE_MINUTES`` (default
30) is signed out on its next interaction.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import streamlit as st

from geo.permissions import VISITOR, Actor, allowed


def utc_now() -> datetime:
    """Naive UTC, the form timestamps take in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def idle_limit() -> timedelta:
    return timedelta(minutes=float(os.environ.get("SAFEPLAY_IDLE_MINUTES", "30")))


def current_actor() -> Actor:
    actor = st.session_state.get("actor")
    now = utc_now()
    last_seen = st.session_state.get("last_seen")
    if actor is not None and last_seen is not None and now - last_seen > idle_limit():
        sign_out()
        st.session_state["notice"] = "You were signed out after a period without activity."
        return VISITOR
    st.session_state["last_seen"] = now
    return actor or VISITOR


def sign_in(actor: Actor) -> None:
    st.session_state["actor"] = actor
    st.session_state["last_seen"] = utc_now()


def sign_out() -> None:
    for key in ("actor", "last_seen"):
        st.session_state.pop(key, None)


def signed_in_or_stop() -> Actor:
    """The signed-in actor; a visitor sees a sign-in prompt and nothing of the page.

    Navigation already leaves such pages out for visitors; this guards the page itself.
    """
    actor = current_actor()
    if actor.role == "visitor":
        st.warning("Please sign in to use this page.")
        st.stop()
    return actor


def allowed_or_stop(action: str) -> Actor:
    """The actor, if their role may do ``action``; anyone else sees only a refusal."""
    actor = current_actor()
    if not allowed(actor, action):
        st.warning("This page is not available to your account.")
        st.stop()
    return actor


def visitor_or_stop() -> None:
    """Sign-in and sign-up pages are for visitors; a signed-in person is told so."""
    if current_actor().role != "visitor":
        st.info("You are signed in. Sign out first to use another account.")
        st.stop()
