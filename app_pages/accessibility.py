"""Accessibility statement: what works, what does not yet, how to tell us, and how it was tested.

Laid out as the UK public-sector model statement (the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018): compliance status,
non-accessible content, feedback, enforcement, how it was tested and when. The known
problems are the maps (whose frames the axe gate in tests/e2e/test_accessibility.py leaves
out) and Streamlit's own markup we cannot replace; docs/accessibility.md keeps the list.
The council that runs SafePlay names where problems go with ``SAFEPLAY_ACCESSIBILITY_CONTACT``
(an e-mail address or a web address); unset, the page sends people to the council's website.
"""

import os
from datetime import date

import streamlit as st

from geo import i18n
from geo.escape import for_markdown
from geo.i18n import t

# When the gate and the keyboard journeys were last run over every page and role, and this
# statement reviewed: move both dates when the statement is checked again.
PREPARED = date(2026, 12, 3)
TESTED = date(2026, 12, 3)


def contact() -> str:
    """Where the council that runs SafePlay wants accessibility problems sent (plain text)."""
    address = os.environ.get("SAFEPLAY_ACCESSIBILITY_CONTACT", "").strip()
    if not address:
        return t(
            "contact the council that runs this website through the accessibility "
            "contact on its own website."
        )
    return t("write to {address}.", address=address)


# Each with the success criterion it fails, and the upstream issue where there is one;
# shown twice, as the model statement has it (a summary, then under its legal heading).
NOT_ACCESSIBLE = t(
    "- The maps themselves (moving, zooming, choosing a marker, drawing an area) are hard to "
    "use with a keyboard or a screen reader (WCAG 2.1.1 Keyboard, 1.1.1 Non-text content). "
    "Every map page lists the same places in words, and a \u201cSkip the map\u201d link "
    "passes each map.\n"
    "- The menu of each column of Streamlit's data tables (sorting, hiding a column) cannot "
    "be reached with the keyboard (WCAG 2.1.1 Keyboard; streamlit/streamlit issue 13332). "
    "The rows themselves can be read and moved through with the keyboard."
)

st.title(t("Accessibility statement"))
st.markdown(
    t(
        "This statement applies to SafePlay, where residents, community leaders and the "
        "council plan play areas together. The council that runs it wants as many people "
        "as possible to be able to use it. You should be able to:"
    )
)
st.markdown(
    t(
        "- change colours, contrast levels and fonts using your browser or device settings\n"
        "- zoom in up to 200 % without the text spilling off the screen\n"
        "- move through every page using just a keyboard, skipping the menu and each map\n"
        "- read what each map shows as a list on the same page\n"
        "- use the website with a screen reader"
    )
)

st.header(t("How accessible this website is"))
st.markdown(t("We know some parts of this website are not fully accessible:"))
st.markdown(NOT_ACCESSIBLE)

st.header(t("Feedback and contact information"))
st.markdown(
    for_markdown(
        t(
            "If you find a problem not listed on this page, or need something on SafePlay in "
            "a different format, {contact} We aim to reply within 10 working days.",
            contact=contact(),
        )
    )
)

st.header(t("Enforcement procedure"))
st.markdown(
    t(
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the "
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018 (the \u2018accessibility regulations\u2019). If you are not "
        "happy with how we respond to your complaint, contact the Equality Advisory and "
        "Support Service (EASS). In Northern Ireland, contact the Equality Commission for "
        "Northern Ireland."
    )
)

st.header(t("Technical information about this website's accessibility"))
st.markdown(
    t(
        "The council is committed to making this website accessible, in accordance with "
        "the accessibility regulations."
    )
)
st.header(t("Compliance status"))
st.markdown(
    t(
        "This website is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard, due to the non-compliances listed below."
    )
)
st.header(t("Non-accessible content"))
st.markdown(t("The content listed below is non-accessible for the following reasons."))
st.markdown(NOT_ACCESSIBLE)

st.header(t("How we tested this website"))
st.markdown(
    t(
        "- every page, for every kind of account (visitor, resident, community leader, "
        "council officer, administrator), checked with axe-core in the Chromium browser on "
        "each change, against WCAG 2.2 A and AA\n"
        "- signing in, having your say, reporting a concern, commenting on a proposal and a "
        "council review decision with its reason done with the keyboard alone\n"
        "- pages checked at the size of a phone (390 × 844) and at 200 % zoom"
    )
)
st.markdown(
    for_markdown(
        t(
            "This statement was prepared on {prepared}. The website was last tested on {tested}.",
            prepared=i18n.date(PREPARED, "long"),
            tested=i18n.date(TESTED, "long"),
        )
    )
)
