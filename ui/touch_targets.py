"""Touch targets a finger can hit: every button, select box and
text box at least 44 px high on a phone, and the
children's picture buttons 64 px on any screen (Streamlit draws 40 px buttons).

Injected once per run by the entry script; the picture rule comes last and is more specific,
so the phone rule cannot shrink it back; a ``<style>``-only ``st.html`` takes no room on
the page. The picture buttons are found by the keys of their containers
(``picture_idea_…``), which Streamlit turns into ``st-key-…`` classes.
"""

from __future__ import annotations

import streamlit as st

PHONE_WIDTH_PX = 640
MIN_TOUCH_PX = 44
PICTURE_BUTTON_PX = 64

STYLE = f"""<style>
@media (max-width: {PHONE_WIDTH_PX}px) {{
  [data-testid^="stBaseButton"], .stButton button, .stFormSubmitButton button,
  .stDownloadButton button, .stLinkButton a, [data-testid="stPageLink"] a,
  .stSelectbox [role="group"], .stMultiSelect [role="group"], .stTextInput input,
  .stNumberInput input, .stDateInput input, .stTimeInput input {{
    min-height: {MIN_TOUCH_PX}px;
  }}
  .stRadio label, .stCheckbox label {{
    min-height: {MIN_TOUCH_PX}px;
    align-items: center;
  }}
}}
[class*="st-key-picture_idea_"] .stButton button {{
  min-height: {PICTURE_BUTTON_PX}px;
  font-size: 1.25rem;
}}
</style>"""


def touch_targets() -> None:
    """Make buttons big enough to tap (call once per run, before the page)."""
    st.html(STYLE)
