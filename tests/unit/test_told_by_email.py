"""The issue's two promises, end to end through a real SMTP server: a proposer who never
comes back still learns the council's decision and its reason, and a resident who follows a
ward receives its newsletter. Each person sets an address and confirms it with the link
from the e-mail they get, as they would; every step runs through ``run_round``, the one
round the app's thread and ``python -m geo send`` run."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from geo.accountability import newsletters
from geo.delivery.worker import run_round
from geo.notify import addresses, follows
from geo.proposals import workflow
from tests.mailbox import text_part
from tests.unit.conftest import NOW
from tests.unit.test_proposals import submitted

_LINK = re.compile(r"https?://\S+")


def link_in(message, path: str) -> str:
    return next(url for url in _LINK.findall(text_part(message)) if f"/{path}?" in url)


def confirmed(town, smtp, actor, address: str, now) -> None:
    """Set the address on My account, then open the link from the confirmation e-mail."""
    addresses.set_email(town.store, actor, address, now)
    run_round(town.store, now, smtp.transport)
    (confirmation,) = smtp.mailbox.to(address)
    token = parse_qs(urlsplit(link_in(confirmation, "confirm-email")).query)["t"][0]
    addresses.confirm_email(town.store, token, now)


def test_a_proposer_who_never_comes_back_learns_the_decision_and_its_reason(town, smtp):
    confirmed(town, smtp, town.leader, "lee@example.org", NOW)
    proposal_id = submitted(town)
    reason = "Please move the swings 20 m from the road and say who locks the gate."
    later = NOW + timedelta(hours=2)
    workflow.review(town.store, town.council, proposal_id, "changes_requested", reason, later)
    run_round(town.store, later, smtp.transport)
    decision = [
        m for m in smtp.mailbox.to("lee@example.org") if "confirm" not in m["Subject"].lower()
    ]
    assert len(decision) == 1
    body = text_part(decision[0])
    assert reason in body
    assert f"proposals?id={proposal_id}" in body or f"id={proposal_id}" in body
    assert decision[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    run_round(town.store, later + timedelta(minutes=5), smtp.transport)
    assert len(smtp.mailbox.to("lee@example.org")) == 2  # the confirmation and the decision


def test_a_resident_who_follows_a_ward_receives_its_newsletter(town, smtp):
    confirmed(town, smtp, town.resident, "rita@example.org", NOW)
    follows.follow(town.store, town.resident, "area", NOW, town.west_id)
    first = NOW + timedelta(days=7)
    newsletters.set_schedule(town.store, town.council, town.west_id, 7, first, NOW)
    submitted(town)  # news in West during the period
    run_round(town.store, first + timedelta(minutes=1), smtp.transport)
    news = [m for m in smtp.mailbox.to("rita@example.org") if "West" in m["Subject"]]
    assert len(news) == 1
    assert "West" in text_part(news[0])
    assert news[0].get_body(("html",)) is not None
    # Nobody else follows West: the newsletter went to its one subscriber only.
    assert [r for r in smtp.mailbox.recipients if r != ["rita@example.org"]] == []
    run_round(town.store, first + timedelta(minutes=2), smtp.transport)
    assert len([m for m in smtp.mailbox.to("rita@example.org") if "West" in m["Subject"]]) == 1
