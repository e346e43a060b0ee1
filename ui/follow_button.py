"""The Follow button beside a proposal, a play area, a ward or the whole council.

Following is one press and so is stopping ("Following ✓ — stop"); what was done is said
after the rerun, next to the button, with where the messages arrive and how to undo it. A
visitor is offered sign-in instead of a button that could only refuse.
"""

from __future__ import annotations

import streamlit as st

from geo.escape import for_markdown
from geo.i18n import t
from geo.notify import follows
from geo.permissions import Actor
from geo.storage.db import Store
from ui.common import user_errors
from ui.notices import Notice
from ui.session import sign_in_button, utc_now


def follow_button(
    db: Store, actor: Actor, target_kind: str, target_id: int | None, what: str, back: str
) -> None:
    """Follow or stop following one thing. ``what`` names it in the confirmation ("Mill
    Lane Playground"); ``back`` is the page address a visitor returns to after signing in."""
    if not actor.signed_in:
        sign_in_button(back, t("Sign in to follow, and be told when it changes"))
        return
    key = f"follow_{target_kind}_{target_id if target_id is not None else 'all'}"
    done = Notice(key)
    with user_errors():
        follow_id = follows.active_follow(db, actor, target_kind, target_id)
        if follow_id is None:
            if st.button(
                "🔔 " + t("Follow"),
                key=key,
                help=t("Be told when {what} changes", what=for_markdown(what)),
            ):
                follows.follow(db, actor, target_kind, utc_now(), target_id)
                done.rerun_with(
                    t(
                        "You follow {what}. News of it arrives in your Inbox (and by e-mail, "
                        "as you choose on My account).",
                        what=what,
                    )
                )
        elif st.button(
            t("Following ✓ — stop"),
            key=key,
            help=t("Stop being told about {what}", what=for_markdown(what)),
        ):
            follows.stop(db, actor, follow_id, utc_now())
            done.rerun_with(
                t(
                    "You no longer follow {what}. Press Follow again to be told once more.",
                    what=what,
                )
            )
    done.show()
