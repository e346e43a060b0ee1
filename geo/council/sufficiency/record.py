"""A finalised report kept as it was: the document's blocks as JSON, laid out again later.

A draft's figures are read afresh at every download, which is right while the officer is
still working; but a final assessment is the council's published statutory record, and a
play area imported or a voice published next month must not change what it said. So the
report built at the moment of finalising is stored, and every later download of the DOCX,
PDF or HTML lays out that same report. The map is kept as the wards' shapes and shares
(GeoJSON), not as a picture, so it is drawn the same way as a draft's.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.council.sufficiency.document import Block, Heading, Paragraph, Picture, Report, Table


def to_json(report: Report) -> str:
    return json.dumps(
        {
            "title": report.title,
            "blocks": [_block(b) for b in report.blocks],
            "child_summary": [_block(b) for b in report.child_summary],
        }
    )


def from_json(text: str) -> Report:
    kept = json.loads(text)
    return Report(
        kept["title"],
        [_unblock(b) for b in kept["blocks"]],
        [_unblock(b) for b in kept["child_summary"]],
    )


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"heading": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"paragraph": block.text, "big": block.big}
    if isinstance(block, Table):
        return {"header": block.header, "rows": block.rows}
    return {
        "picture": json.loads(
            block.wards[["name", f"{block.level}_share", "geometry"]].to_json(drop_id=True)
        ),
        "level": block.level,
        "caption": block.caption,
        "places": block.places[["lon", "lat"]].to_dict(orient="list"),
    }


def _unblock(kept: dict[str, Any]) -> Block:
    if "heading" in kept:
        return Heading(kept["heading"], kept["level"])
    if "paragraph" in kept:
        return Paragraph(kept["paragraph"], kept["big"])
    if "header" in kept:
        return Table(kept["header"], kept["rows"])
    wards = gpd.GeoDataFrame.from_features(kept["picture"]["features"], crs="EPSG:4326")
    places = pd.DataFrame(kept["places"], columns=["lon", "lat"], dtype=float)
    return Picture(wards, kept["level"], kept["caption"], places)
