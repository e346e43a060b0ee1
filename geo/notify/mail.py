"""An outbox row (or a person's due digest rows) as the e-mail that is sent.

Every e-mail has a plain-text and an HTML part. Other people's words (a title, a reason)
pass ``escape.for_mail_text`` in both parts and ``html.escape`` in the HTML one, so they
never become markup or a link; the e-mail is built with f-strings, never a template
engine, so ``{{ … }}`` stays text. Links to the app are absolute (``links.absolute``).
Notices, digests and newsletters carry a signed one-click unsubscribe link in the body and
in ``List-Unsubscribe`` with ``List-Unsubscribe-Post`` (RFC 8058); the ``Message-ID`` is
made from the outbox row, so a message sent again after a crash is recognisable as the
same one. No body holds an e-mail address: the recipient's is only in ``To``.

An e-mail is written in its recipient's language (``language_of`` their account), whoever
caused it and whatever language the sending process runs in: ``compose`` builds it inside
``i18n.speaking``. A newsletter issue is stored once per language among its subscribers
(``newsletters``), so its row is already in theirs.
"""

from __future__ import annotations

import email.policy
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlencode, urlsplit

from geo import i18n
from geo.accounts.auth import load_actor
from geo.accounts.language import language_of
from geo.errors import NotFound
from geo.escape import for_mail_text
from geo.i18n import N_, Words, t, tn
from geo.notify import links, notices, signing
from geo.notify.addresses import CONFIRM_KIND, TEST_KIND, confirmation_token
from geo.notify.kinds import KINDS
from geo.storage.db import Store

UNSUBSCRIBE_PURPOSE = "unsubscribe"
DIGESTS = Words(
    {"daily": N_("Your daily SafePlay digest"), "weekly": N_("Your weekly SafePlay digest")}
)
# What an unsubscribe link of a digest stops, in words (the footer and the page it opens).
_DIGEST_STOPS = Words({"daily": N_("the daily digest"), "weekly": N_("the weekly digest")})
ACCOUNT_PATH = "account"
# Where a link goes inside a translated sentence (``_linked``): a character no text holds.
_MARK = "\x00"


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to build: its outbox rows (several for a digest), whom and what."""

    outbox_ids: tuple[int, ...]
    user_id: int
    kind: str
    batch: str
    issue_id: int | None = None


@dataclass(frozen=True)
class _Part:
    """A piece of an e-mail in both forms."""

    text: str
    html: str


# RFC 5322's line limit, not the 78 it recommends: a header word longer than the line is
# otherwise folded as RFC 2047 encoded words, and the List-Unsubscribe "<url>" of a long
# public address then reads as no link at all (no unsubscribe button in mail programs).
_POLICY = email.policy.SMTP.clone(max_line_length=998)


def compose(store: Store, outgoing: Outgoing, sender: str, now: datetime) -> EmailMessage:
    """The e-mail for ``outgoing``, addressed to the person's current address and written
    in the language their account chose."""
    address = store.value("SELECT email FROM users WHERE id = ?", [outgoing.user_id])
    if address is None:
        raise NotFound("the person has no e-mail address any more")
    with i18n.speaking(language_of(store, outgoing.user_id)):
        return _compose(store, outgoing, str(address), sender, now)


def _compose(
    store: Store, outgoing: Outgoing, address: str, sender: str, now: datetime
) -> EmailMessage:
    unsubscribe = None
    if outgoing.kind == CONFIRM_KIND:
        subject, parts = _confirmation(store, outgoing.user_id, address, now)
    elif outgoing.kind == TEST_KIND:
        subject, parts = t("SafePlay test e-mail"), [_test()]
    else:
        target = outgoing.batch if outgoing.batch in DIGESTS else outgoing.kind
        if outgoing.batch == "newsletter":
            target = "newsletter"
        unsubscribe = unsubscribe_link(store, outgoing.user_id, target)
        if outgoing.batch == "newsletter":
            subject, parts = _newsletter(store, outgoing.issue_id)
        else:
            subject, parts = _notices(store, outgoing)
        parts.append(_footer(target, unsubscribe))
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = for_mail_text(subject)
    message["From"] = sender
    message["To"] = address
    message["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=UTC))
    message["Message-ID"] = message_id(outgoing)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe is not None:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content("\n\n".join(part.text for part in parts) + "\n")
    message.add_alternative(_html_document(subject, parts), subtype="html")
    return message


def message_id(outgoing: Outgoing) -> str:
    """The same id every time this outbox row (a digest: its first row) is sent."""
    host = urlsplit(links.public_url()).hostname or "safeplay.invalid"
    return f"<outbox-{min(outgoing.outbox_ids)}@{host}>"


def unsubscribe_link(store: Store, user_id: int, target: str) -> str:
    """The signed link that turns ``target`` (a kind, or a digest: ``daily``/``weekly``)
    off for the person, without signing in."""
    token = signing.sign(store, UNSUBSCRIBE_PURPOSE, [user_id, target])
    return links.absolute(f"unsubscribe?{urlencode({'t': token})}")


def unsubscribe_target(store: Store, token: str) -> tuple[int, str]:
    """The person and kind (or digest) a signed unsubscribe link names."""
    shown = signing.verify(store, UNSUBSCRIBE_PURPOSE, token)
    if (
        len(shown) != 2
        or not shown[0].isdigit()
        or (shown[1] not in KINDS and shown[1] not in DIGESTS)
    ):
        raise NotFound(t("this unsubscribe link names nothing we send"))
    return int(shown[0]), shown[1]


def unsubscribe(store: Store, token: str) -> list[str]:
    """Follow a signed unsubscribe link (one click, no sign-in): its kind, or every kind
    sent in its digest, is no longer e-mailed. Returns the kinds' labels; again is fine."""
    user_id, target = unsubscribe_target(store, token)
    person = load_actor(store, user_id)
    choices = notices.email_choices(store, person)
    kinds = (
        [k for k, choice in choices.items() if choice == target] if target in DIGESTS else [target]
    )
    for kind in kinds:
        if choices[kind] != "off":
            notices.set_email_choice(store, person, kind, "off")
    return [KINDS[kind].label for kind in kinds]


def _notices(store: Store, outgoing: Outgoing) -> tuple[str, list[_Part]]:
    rows = store.rows(
        "SELECT n.kind, n.subject, n.body, n.link FROM outbox o "
        "JOIN notices n ON n.id = o.notice_id "
        "WHERE list_contains(CAST(? AS INTEGER[]), o.id) ORDER BY n.created_at, n.id",
        [list(outgoing.outbox_ids)],
    )
    if not rows:
        raise NotFound("the notices of this e-mail are gone")
    parts = [_notice(kind, subject, body, link) for kind, subject, body, link in rows]
    if outgoing.batch in DIGESTS:
        count = tn("{n} notice", "{n} notices", len(rows))
        return t("{digest}: {count}", digest=DIGESTS[outgoing.batch], count=count), parts
    return str(rows[0][1]), parts


def _notice(kind: str, subject: str, body: str, link: str | None) -> _Part:
    label = KINDS[kind].label if kind in KINDS else t("Notice")
    title, words = for_mail_text(subject), for_mail_text(body)
    heading = t("{kind}: {title}", kind=label, title=title)
    text = f"{heading}\n{words}"
    markup = f"<h2 style='font-size:1.1em'>{html.escape(heading)}</h2><p>{html.escape(words)}</p>"
    if link:
        url = links.absolute(link)
        text += "\n" + t("Open it in SafePlay: {url}", url=url)
        markup += "<p>" + _linked(_MARK, url, t("Open it in SafePlay")) + "</p>"
    return _Part(text, markup)


def _newsletter(store: Store, issue_id: int | None) -> tuple[str, list[_Part]]:
    row = store.row(
        "SELECT subject, text_body, html_body FROM newsletter_issues WHERE id = ?", [issue_id]
    )
    if row is None:
        raise NotFound("this newsletter issue is gone")
    # The newsletter's own builder made both bodies safe, once for every subscriber.
    return str(row[0]), [_Part(str(row[1]), str(row[2]))]


def _confirmation(
    store: Store, user_id: int, address: str, now: datetime
) -> tuple[str, list[_Part]]:
    token = confirmation_token(store, user_id, address, now)
    url = links.absolute(f"confirm-email?{urlencode({'t': token})}")
    asked = t("Someone (we hope you) asked SafePlay to send notices to this address.")
    ignore = t("If it was not you, ignore this e-mail: nothing more will be sent.")
    return t("Confirm your e-mail address for SafePlay"), [
        _Part(
            f"{asked} "
            + t("To confirm it, open this link within a week and press the button:")
            + f"\n{url}\n\n{ignore}",
            f"<p>{html.escape(asked)} "
            + _linked(
                t("To confirm it, {link} within a week and press the button.", link=_MARK),
                url,
                t("open this link"),
            )
            + f"</p><p>{html.escape(ignore)}</p>",
        )
    ]


def _test() -> _Part:
    url = links.absolute(ACCOUNT_PATH)
    reached = t("This is the test e-mail you asked for. E-mail from SafePlay reaches you.")
    return _Part(
        f"{reached}\n" + t("Choose what you are sent on My account: {url}", url=url),
        f"<p>{html.escape(reached)}</p><p>"
        + _linked(t("Choose what you are sent on {link}.", link=_MARK), url, t("My account"))
        + "</p>",
    )


def stop_words(target: str) -> str:
    """What an unsubscribe link of ``target`` stops, in words: the e-mail's footer and the
    page the link opens say the same ("“Decisions” by e-mail", "the daily digest")."""
    if target in DIGESTS:
        return _DIGEST_STOPS[target]
    return t("“{kind}” by e-mail", kind=KINDS[target].label)


def _footer(target: str, unsubscribe: str) -> _Part:
    what = stop_words(target)
    account = links.absolute(ACCOUNT_PATH)
    return _Part(
        "--\n"
        + t("You get this because of your choices on My account: {url}", url=account)
        + "\n"
        + t("Stop {what}: {url}", what=what, url=unsubscribe),
        "<hr><p style='font-size:.9em;color:#555'>"
        + _linked(
            t("You get this because of your choices on {link}.", link=_MARK),
            account,
            t("My account"),
        )
        + " "
        + _linked(_MARK + ".", unsubscribe, t("Stop {what}", what=what))
        + "</p>",
    )


def _linked(sentence: str, url: str, words: str) -> str:
    """``sentence`` as HTML with a link of ``words`` where ``_MARK`` stands: the translator
    places the link within the sentence, so each language keeps its own word order."""
    anchor = f'<a href="{html.escape(url)}">{html.escape(words)}</a>'
    return html.escape(sentence).replace(_MARK, anchor)


def _html_document(subject: str, parts: Sequence[_Part]) -> str:
    """One HTML page of the parts; a part that is a page already (a newsletter issue,
    printable on its own) keeps its head and gets the other parts before its end."""
    if "</body>" in parts[0].html:
        page, _, end = parts[0].html.rpartition("</body>")
        return page + "".join(part.html for part in parts[1:]) + "</body>" + end
    body = "\n".join(part.html for part in parts)
    return (
        f"<!doctype html><html lang='{i18n.html_lang()}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(for_mail_text(subject))}</title></head>"
        "<body style='font-family:system-ui,sans-serif;color:#31333f;max-width:40em'>"
        f"{body}</body></html>"
    )
