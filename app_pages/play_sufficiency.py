"""Play sufficiency: the statutory assessment — create, rate with evidence, plan, finalise,
download as DOCX, PDF or HTML."""

import functools
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from geo import i18n
from geo.council.sufficiency import assessments, document, exports, frameworks, maps
from geo.council.sufficiency.frameworks import FRAMEWORKS
from geo.escape import for_markdown
from geo.i18n import t
from geo.registry import areas
from geo.wording import day, moment
from ui import confirm
from ui.common import store, text_table, user_errors
from ui.forms import OnceForm, section
from ui.session import allowed_or_stop, utc_now

st.title(t("Play sufficiency"))
actor = allowed_or_stop(assessments.ACTION)
db = store()
st.caption(
    t(
        "Produce the council's play sufficiency assessment from SafePlay's data: Wales's nine "
        "Matters, Scotland's assessment or the London Plan S4 audit. SafePlay suggests a "
        "rating where its data can, with the rule in words; you confirm or change every "
        "rating with evidence, add the action plan and mark the assessment final. Method and "
        "limits: docs/play-sufficiency.md."
    )
)
wards = areas.list_areas(db, "ward")
ward_names = dict(zip(wards["id"].astype(int), wards["name"], strict=True))
if actor.ward_ids:
    ward_names = {k: v for k, v in ward_names.items() if k in actor.ward_ids}

new = OnceForm("sufficiency_new")
with section(t("New assessment"), "sufficiency_new_open", new):
    with st.form(new.key("form")):
        framework = st.selectbox(
            t("Framework"), list(FRAMEWORKS), format_func=lambda k: t(FRAMEWORKS[k].name),
            key=new.key("framework"),
        )  # fmt: skip
        today = utc_now().date()
        start = st.date_input(
            t("Period starts"), value=date(today.year, 1, 1), key=new.key("start")
        )
        end = st.date_input(
            t("Period ends"), value=date(today.year + 2, 12, 31), key=new.key("end")
        )
        picked = st.multiselect(
            t("Wards (you cover only these)") if actor.ward_ids
            else t("Wards (none: whole council)"),
            list(ward_names), format_func=ward_names.get, key=new.key("wards"),
        )  # fmt: skip
        if st.form_submit_button(t("Create assessment"), type="primary"):
            with user_errors():
                assessments.create_assessment(
                    db, actor, framework, start, end, picked, utc_now(), token=new.token
                )
                new.done(t("Assessment created; it is chosen below."))
    new.notice()

listed = assessments.assessments(db, actor)
if listed.empty:
    st.info(t("No assessment yet: create one above."))
    st.stop()


def _label(assessment_id: int) -> str:
    """Its number (the one in the downloaded file's name), framework, period, wards and when
    it was made: two drafts of the same framework and period (a second try a minute
    later) must not read the same in the picker."""
    row = listed.loc[listed["id"] == assessment_id].iloc[0]
    covers = [ward_names.get(int(w), t("a ward")) for w in row["ward_ids"]]
    framework = FRAMEWORKS[row["framework"]]
    return t(
        "No. {number}: {framework}, {start} to {end}, {area} ({status}; created {created})",
        number=assessment_id,
        framework=t(framework.name),
        start=day(row["period_start"]),
        end=day(row["period_end"]),
        area=", ".join(covers) if covers else t("whole council"),
        status=assessments.STATUSES[row["status"]],
        created=moment(row["created_at"]),
    )


chosen = st.selectbox(t("Assessment"), list(listed["id"].astype(int)), format_func=_label)
prepared = None
with user_errors():
    prepared = exports.prepared(db, actor, chosen)
if prepared is None:
    st.stop()
found, figures, made = prepared
draft = found.status == "draft"
st.markdown(
    for_markdown(
        t(
            "Status: {status}. Reach measured by {method}.",
            status=found.status_words(),
            method=t(figures.method),
        )
    )
)

with user_errors():
    maps.font_file()  # a missing font is said here, not as a download that fails
    downloads = st.columns(len(exports.FORMATS))
    for column, kind in zip(downloads, exports.FORMATS, strict=True):
        # Laid out when pressed: a PDF takes a second or two, too slow for every rerun.
        column.download_button(
            t("Download: {format}", format=t(exports.FORMATS[kind][0])),
            functools.partial(exports.export, made, kind, i18n.current()),
            file_name=f"play-sufficiency-{chosen}.{kind}", mime=exports.FORMATS[kind][1],
            key=f"download_{kind}",
            on_click="ignore",
        )  # fmt: skip

st.header(t("Ratings"))
for criterion in found.framework.criteria:
    suggestion = criterion.suggest(figures)
    rated = found.ratings.get(criterion.id)
    heading = t(
        "{criterion}: {rating}",
        criterion=t(criterion.title),
        rating=frameworks.RATINGS[rated.rating] if rated else t("not yet rated"),
    )
    form = OnceForm(f"sufficiency_rate_{chosen}_{criterion.id}")
    with section(heading, f"sufficiency_open_{chosen}_{criterion.id}", form):
        st.markdown(for_markdown(t(criterion.asks)))
        st.markdown(
            for_markdown(
                t(
                    "SafePlay suggests: {rating} — {because}. Rule: {rule}.",
                    rating=document.suggested(suggestion),
                    because=suggestion.because,
                    rule=t(criterion.rule),
                )
            )
        )
        if rated:
            st.markdown(
                for_markdown(
                    t(
                        "Confirmed by {person} on {day}: {evidence}",
                        person=rated.rated_by,
                        day=day(rated.rated_at),
                        evidence=rated.evidence,
                    )
                )
            )
        if draft:
            start_with = rated.rating if rated else suggestion.rating or "amber"
            with st.form(form.key("form")):
                rating = st.radio(
                    t("Rating"), list(frameworks.RATINGS), format_func=frameworks.RATINGS.get,
                    horizontal=True,
                    index=list(frameworks.RATINGS).index(start_with), key=form.key("rating"),
                )  # fmt: skip
                evidence = st.text_area(
                    t("Evidence (always needed)"), max_chars=assessments.MAX_EVIDENCE,
                    key=form.key("evidence"),
                )  # fmt: skip
                if st.form_submit_button(t("Save rating")):
                    with user_errors():
                        assessments.rate(
                            db, actor, chosen, criterion.id, rating, evidence, utc_now()
                        )
                        form.done(t("Rating saved."))
        form.notice()

st.header(t("Action plan"))
titles = {c.id: t(c.title) for c in found.framework.criteria}
if found.actions.empty:
    st.info(t("No actions yet."))
else:
    text_table(
        pd.DataFrame(
            {
                t("Criterion"): found.actions["criterion"].map(titles),
                t("What"): found.actions["what"],
                t("Who"): found.actions["who"],
                t("By when"): found.actions["due"].map(day),
            }
        )
    )
if draft:
    plan = OnceForm(f"sufficiency_action_{chosen}")
    with section(t("Add an action"), f"sufficiency_action_open_{chosen}", plan):
        with st.form(plan.key("form")):
            criterion_id = st.selectbox(
                t("Criterion"), list(titles), format_func=titles.get, key=plan.key("criterion")
            )
            what = st.text_input(t("What will be done"), max_chars=assessments.MAX_WHAT,
                                 key=plan.key("what"))  # fmt: skip
            who = st.text_input(t("Who"), max_chars=assessments.MAX_WHO, key=plan.key("who"))
            due = st.date_input(
                t("By when"), value=utc_now().date() + timedelta(days=365), key=plan.key("due")
            )
            if st.form_submit_button(t("Add action")):
                with user_errors():
                    assessments.add_action(
                        db, actor, chosen, criterion_id, what, who, due, utc_now(),
                        token=plan.token,
                    )  # fmt: skip
                    plan.done(t("Action added to the plan."))
        plan.notice()

    st.header(t("Finalise"))
    reason = st.text_input(t("Why it is final (e.g. approved by cabinet on …)"), key="final_reason")
    if st.button(t("Mark final…")):
        with user_errors():
            if missing := found.unrated():
                st.error(
                    for_markdown(
                        t("Confirm a rating first for: {criteria}", criteria="; ".join(missing))
                    )
                )
            elif not reason.strip():
                st.error(t("Write why the assessment is final."))
            else:
                confirm.arm("sufficiency_final", (chosen, reason))
    if confirm.confirmed(
        "sufficiency_final",
        (chosen, reason),
        t("Once final, nothing in this assessment can change; a new period needs a new one."),
        t("Confirm: mark final"),
    ):
        with user_errors():
            exports.finalise(db, actor, chosen, reason, utc_now())
            st.rerun()

st.header(t("Record of changes"))
history = document.changes_table(found)
text_table(pd.DataFrame(history.rows, columns=history.header))
