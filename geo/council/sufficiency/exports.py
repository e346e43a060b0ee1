"""The assessment as DOCX (python-docx), PDF (fpdf2) and HTML, from one ``document.Report``.

DOCX and PDF hold text as text: nothing in them is interpreted, so names and evidence are
written as they are. HTML escapes every string. The PDF uses DejaVu Sans, which has the
Welsh letters ŵ and ŷ that fpdf2's built-in fonts lack.

The report's blocks are already in the officer's language; the few words laid out here
(the map's key, "Nothing recorded.") follow it too, through ``export``'s ``language``:
Streamlit builds a download when it is pressed, outside the page's run and its language.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import replace
from datetime import datetime

import pandas as pd
from docx import Document
from docx.shared import Inches, Pt
from fpdf import FPDF

from geo import i18n
from geo.council.sufficiency import assessments, document, record
from geo.council.sufficiency.assessments import Assessment, assessment
from geo.council.sufficiency.document import Heading, Paragraph, Report, Table
from geo.council.sufficiency.figures import Figures, gather
from geo.council.sufficiency.maps import font_file
from geo.i18n import N_, t
from geo.permissions import Actor
from geo.registry import areas
from geo.storage.db import Store

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Format → (its name for a person, English and marked: read it through ``t``; MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "docx": (N_("Word document (DOCX)"), _DOCX),
    "pdf": (N_("PDF"), "application/pdf"),
    "html": (N_("Web page (HTML)"), "text/html"),
}


def prepared(store: Store, actor: Actor, assessment_id: int) -> tuple[Assessment, Figures, Report]:
    """One assessment (``actor`` must be allowed to see it), its figures read now, and its
    report: the page shows the figures beside the ratings and offers the report — for a
    final assessment, the report as it was finalised, whatever the data says since."""
    found = assessment(store, actor, assessment_id)
    figures = gather(
        store, found.scope, found.period_start, found.period_end, found.framework.id == "london"
    )
    if found.final_report is not None:
        return found, figures, record.from_json(found.final_report)
    return found, figures, document.build(found, figures, _ward_names(store))


def finalise(store: Store, actor: Actor, assessment_id: int, reason: str, now: datetime) -> None:
    """Mark the assessment final, keeping its report as it reads at this moment: final,
    with its finalising in the record of changes (``assessments.finalise`` checks)."""
    found = assessment(store, actor, assessment_id)
    figures = gather(
        store, found.scope, found.period_start, found.period_end, found.framework.id == "london"
    )
    finalising = {
        "changed_at": now, "item": "status", "from_value": "draft", "to_value": "final",
        "actor": actor.login or actor.display_name, "reason": reason.strip(),
    }  # fmt: skip
    as_final = replace(
        found,
        status="final",
        changes=pd.concat([found.changes, pd.DataFrame([finalising])], ignore_index=True),
    )
    report = document.build(as_final, figures, _ward_names(store))
    assessments.finalise(store, actor, assessment_id, reason, now, record.to_json(report))


def _ward_names(store: Store) -> dict[int, str]:
    return dict(areas.list_areas(store, "ward")[["id", "name"]].itertuples(index=False))


def _all(made: Report) -> list[document.Block]:
    return [
        *made.blocks,
        Heading(t("Summary for children and young people"), 1),
        *made.child_summary,
    ]


def to_docx(made: Report) -> bytes:
    doc = Document()
    for block in _all(made):
        if isinstance(block, Heading):
            doc.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph()
            run = para.add_run(block.text)
            if block.big:
                run.font.size = Pt(20)
        elif isinstance(block, Table):
            _docx_table(doc, block)
        else:
            doc.add_picture(io.BytesIO(block.png()), width=Inches(6))
            doc.add_paragraph(block.caption)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc: Document, table: Table) -> None:
    if not table.rows:
        doc.add_paragraph(t("Nothing recorded."))
        return
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text


def to_pdf(made: Report) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(font_file()))
    pdf.add_font("DejaVu", "B", str(font_file(bold=True)))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for block in _all(made):
        if isinstance(block, Heading):
            pdf.set_font("DejaVu", "B", {0: 18, 1: 15}.get(block.level, 12))
            pdf.multi_cell(0, 9, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", "", 20 if block.big else 10)
            pdf.multi_cell(0, 10 if block.big else 5.5, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Table):
            pdf.set_font("DejaVu", "", 8)
            if not block.rows:
                pdf.multi_cell(0, 5, t("Nothing recorded."), new_x="LMARGIN", new_y="NEXT")
            else:
                with pdf.table(first_row_as_headings=True) as grid:
                    for row in [block.header, *block.rows]:
                        line = grid.row()
                        for text in row:
                            line.cell(text)
        else:
            pdf.image(io.BytesIO(block.png()), w=180)
            pdf.set_font("DejaVu", "", 9)
            pdf.multi_cell(0, 5, block.caption, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def to_html(made: Report) -> str:
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    parts = [
        f"<!doctype html><html lang='{i18n.html_lang()}'><head><meta charset='utf-8'>",
        f"<title>{esc(made.title)}</title><style>body{{font-family:sans-serif;max-width:60em;"
        "margin:auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em "
        ".5em}.big{font-size:1.8em}</style></head><body>",
    ]
    for block in _all(made):
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            parts.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(
                f"<p class='big'>{esc(block.text)}</p>"
                if block.big
                else f"<p>{esc(block.text)}</p>"
            )
        elif isinstance(block, Table):
            if not block.rows:
                nothing = esc(t("Nothing recorded."))  # outside the f-string, for Babel
                parts.append(f"<p>{nothing}</p>")
                continue
            head = "".join(f"<th>{esc(text)}</th>" for text in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(text)}</td>" for text in row) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            data = base64.b64encode(block.png()).decode("ascii")
            parts.append(
                f"<figure><img src='data:image/png;base64,{data}' alt='{esc(block.caption)}' "
                f"width='800'><figcaption>{esc(block.caption)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    return "".join(parts)


def export(made: Report, kind: str, language: str | None = None) -> bytes:
    """The report in ``kind`` (a key of ``FORMATS``), its laid-out words in ``language``
    (the reader's own when None)."""
    with i18n.speaking(language or i18n.current()):
        if kind == "docx":
            return to_docx(made)
        if kind == "pdf":
            return to_pdf(made)
        return to_html(made).encode("utf-8")
