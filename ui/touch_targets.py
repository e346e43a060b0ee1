"""Touch targets a finger can hit: every button, select box and
text box at least 44 px high on a phone, and the
children's picture buttons 64 px on any screen (Streamlit draws 40 px buttons).

The same style sheet fixes what the theme (``.streamlit/config.toml``) cannot reach, for
WCAG 2.2 AA (docs/accessibility.md): captions are drawn in the text colour at 60 % opacity,
which fades a link inside one to 2.8:1, so they get a solid grey of 7:1 instead; and the
"Link to heading" anchors Streamlit adds to every heading are 16 px targets (2.5.8 asks
for 24) and one more Tab stop per heading for a keyboard user, so they are not drawn;
the day, month and year of a date box are 18 px targets, so they are made 24 px.

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

CAPTION_GREY = "#505a5f"  # 7:1 on white, 6.3:1 on the sidebar's grey
# A chosen button of a row (the language picker's ``st.pills``) is the primary red on a pale
# tint of it, 4.4:1; this darker red reads 6.6:1 on that tint.
CHOSEN_RED = "#922b21"

STYLE = f"""<style>
[data-testid="stButtonGroup"] button[data-selected="true"] [data-testid="stMarkdownContainer"] p {{
  color: {CHOSEN_RED};
}}
[data-testid="stCaptionContainer"] {{
  opacity: 1;
  color: {CAPTION_GREY};
}}
[data-testid="stHeaderActionElements"] {{
  display: none;
}}
.react-aria-DateField [role="spinbutton"] {{
  display: inline-block;
  min-width: 24px;
  min-height: 24px;
  text-align: center;
}}
@media (max-width: {PHONE_WIDTH_PX}px) {{
  [data-testid^="stBaseButton"], .stButton button, .stFormSubmitButton button,
  .stDownloadButton button, .stLinkButton a, [data-testid="stPageLink"] a,
  .stSelectbox [role="group"], .stMultiSelect [role="group"], .stTextInput input,
  .stNumberInput input, .stDateInput input, .stTimeInput input, .stTextArea textarea,
  [data-testid="stExpander"] summary, [data-testid="stTab"], [data-testid="stPopoverButton"],
  [data-testid="stDateInputField"] {{
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
