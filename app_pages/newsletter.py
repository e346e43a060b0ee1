"""Newsletter: a readable digest of a ward (or the whole council) for a period, and for a
council officer its schedule by e-mail, a test send and the issues sent."""

import re
from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from geo import i18n
from geo.accountability import digest, newsletters
from geo.escape import for_markdown
from geo.i18n import t, tn
from geo.ids import parse_id
from geo.notify.notices import DIGEST_HOUR
from geo.permissions import allowed
from geo.registry import areas
from ui import links
from ui.common import store, text_table, user_errors
from ui.forms import OnceForm
from ui.notices import Notice
from ui.session import current_actor, utc_now


def linked_day(name: str, fallback: date) -> date:
    """A date given in the address (a notice's link names its issue's period)."""
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return fallback


def every(days: int) -> str:
    """How often an issue goes, in words: the usual cadences by name, any other counted."""
    if days in newsletters.CADENCES:  # English in the table, marked for the catalogue
        return t(newsletters.CADENCES[days])
    return tn("Every {n} day", "Every {n} days", days)


def demoted(markdown: str) -> str:
    """The issue's Markdown with each heading one level down: it sits under this page's
    heading, so its title is not a second h1 (one h1 per page, WCAG 1.3.1)."""
    return re.sub(r"(?m)^(#{1,5}) ", r"#\1 ", markdown)


st.title(t("Newsletter"))
st.caption(
    t(
        "New proposals, decisions with their reasons, progress, completed work, coming events "
        "and the thank-you roll — to paste into an e-mail or print for a community meeting."
    )
)
db = store()
actor = current_actor()
today = utc_now().date()
wards = areas.list_areas(db, "ward")
choices = {None: t("The whole council")} | dict(
    zip(wards["id"].astype(int), wards["name"], strict=True)
)
linked_area = parse_id(st.query_params.get("area"))
columns = st.columns(3)
area_id = columns[0].selectbox(
    t("For"),
    list(choices),
    index=list(choices).index(linked_area) if linked_area in choices else 0,
    format_func=choices.get,
)
start = columns[1].date_input(t("From"), value=linked_day("from", today - timedelta(days=30)))
end = columns[2].date_input(t("To"), value=linked_day("to", today))
feed_of = ("council", None) if area_id is None else ("area", area_id)
feed = links.feed(t("Atom feed"), *feed_of)
st.caption(t("Follow its news in a feed reader: {link}", link=feed))
with user_errors():
    news = digest.build(db, start, end, area_id, utc_now())
    markdown = digest.to_markdown(news)
    downloads = st.columns(2)
    downloads[0].download_button(
        t("Download as HTML (print)"),
        digest.to_html(news),
        file_name="safeplay-news.html",
        mime="text/html",
    )
    downloads[1].download_button(
        t("Download as Markdown (e-mail)"),
        markdown,
        file_name="safeplay-news.md",
        mime="text/markdown",
    )
    st.caption(t("Preview"))
    with st.container(border=True):
        st.markdown(demoted(digest.to_markdown(news, for_markdown)))

if allowed(actor, "send_newsletters"):
    st.header(t("Send by e-mail"))
    name = choices[area_id]
    if not allowed(actor, "send_newsletters", [] if area_id is None else [area_id]):
        st.info(
            for_markdown(
                t(
                    "{name}'s newsletter is set by an officer who covers it; your account "
                    "covers other wards. Choose one of yours above.",
                    name=name,
                )
            )
        )
        st.stop()
    plan = newsletters.schedule(db, actor, area_id)
    st.metric(
        t("Subscribers by e-mail"),
        i18n.number(int(newsletters.subscriber_count(db, actor, area_id))),
    )
    st.caption(
        for_markdown(
            t(
                "People who follow {name} and take its newsletter by e-mail (a number only). "
                "Every follower also finds each issue in their inbox; a period with nothing "
                "new is not sent.",
                name=name,
            )
        )
    )
    switched = Notice(f"newsletter_switch:{area_id}")
    if plan is None:
        st.write(for_markdown(t("No newsletter is scheduled for {name} yet.", name=name)))
    else:
        words = every(plan.every_days)
        when = t("{moment} (UTC)", moment=i18n.date_time(plan.next_at, "full"))
        if plan.active and plan.next_at <= utc_now():
            said = t(
                "{every}; the issue due on {when} goes with the next delivery round.",
                every=words,
                when=when,
            )
        elif plan.active:
            said = t("{every}; the next issue goes out on {when}.", every=words, when=when)
        else:
            said = t("Paused ({every}); nothing is sent until it is resumed.", every=words.lower())
        st.write(for_markdown(said))
        if plan.active and st.button(t("Pause"), key=f"newsletter_pause:{area_id}"):
            with user_errors():
                newsletters.pause(db, actor, area_id, utc_now())
                switched.rerun_with(t("Paused; nothing is lost: resume at any time."))
        if not plan.active and st.button(t("Resume"), key=f"newsletter_resume:{area_id}"):
            with user_errors():
                newsletters.resume(db, actor, area_id, utc_now())
                switched.rerun_with(t("Resumed."))
    switched.show()

    form = OnceForm(f"newsletter_schedule:{area_id}")
    offered = [*newsletters.CADENCES]
    if plan and plan.every_days not in offered:
        offered.append(plan.every_days)
    tomorrow = today + timedelta(days=1)
    upcoming = plan.next_at.date() if plan and plan.next_at.date() >= tomorrow else None
    with st.form(form.key("form")):
        st.write("**" + t("Schedule") + "**")
        every_days = st.selectbox(
            t("How often"),
            offered,
            index=offered.index(plan.every_days) if plan else 0,
            format_func=every,
            key=form.key("every"),
        )
        first = st.date_input(
            t("Next issue on (sent at {hour} UTC)", hour=f"{DIGEST_HOUR:02d}:00"),
            value=upcoming or today + timedelta(days=7),
            min_value=tomorrow,
            max_value=today + timedelta(days=newsletters.MAX_AHEAD_DAYS - 1),
            key=form.key("first"),
        )
        if st.form_submit_button(t("Save schedule"), type="primary"):
            with user_errors():
                newsletters.set_schedule(
                    db,
                    actor,
                    area_id,
                    every_days,
                    datetime.combine(first, time(DIGEST_HOUR)),
                    utc_now(),
                    token=form.token,
                )
                form.done(
                    t(
                        "Saved: {every}, next on {day}.",
                        every=every(every_days).lower(),
                        day=i18n.date(first, "long"),
                    )
                )
    form.notice()

    test = OnceForm(f"newsletter_test:{area_id}")
    if st.button(t("Send a test to me"), key=test.key("send")):
        with user_errors():
            newsletters.send_test(db, actor, area_id, utc_now(), token=test.token)
            test.done(
                t(
                    "A test issue (the next one as it stands today) is on its way to your own "
                    "address; nobody else receives it."
                )
            )
    test.notice()

    st.write("**" + t("Last issues and changes") + "**")
    sent = newsletters.history(db, actor, area_id)
    if sent.empty:
        st.caption(t("Nothing sent or changed yet."))
    else:
        text_table(
            pd.DataFrame(
                {
                    t("When"): [i18n.date_time(at) for at in sent["at"]],
                    t("What"): sent["what"],
                    t("E-mails"): sent["recipients"].astype("Int64"),
                    t("Period"): [
                        t("{start} to {end}", start=i18n.date(a), end=i18n.date(b))
                        if pd.notna(a)
                        else ""
                        for a, b in zip(sent["period_start"], sent["period_end"], strict=True)
                    ],
                    t("By"): sent["by"],
                }
            )
        )
