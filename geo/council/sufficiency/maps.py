"""A picture of the wards coloured by coverage, drawn with Pillow for the exported reports.

The documents need a map that prints and opens offline; matplotlib is not installed and a
web map cannot go into a DOCX or PDF, so the wards are projected into metres and painted
directly, with the legend in words beside the colours (colour alone tells nothing to a
reader who cannot tell red from green). The legend is in the reader's language, wrapped
to its column: a German or Welsh line is longer than the English.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from PIL import Image, ImageDraw, ImageFont

from geo.errors import ExportFailed
from geo.geometry import LocalFrame
from geo.i18n import N_, t

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
WIDTH, HEIGHT, MARGIN, LEGEND = 1100, 700, 20, 320
BANDS = (
    ((46, 160, 67), N_("80% or more in reach")),
    ((230, 160, 30), N_("50% to 80% in reach")),
    ((205, 50, 50), N_("under 50% in reach")),
    ((180, 180, 180), N_("not known")),
)
# The level a map shows, in the legend's words ("in reach of local play").
PLAY_WORDS: dict[str, str] = {
    "doorstep": N_("doorstep play"),
    "local": N_("local play"),
    "neighbourhood": N_("neighbourhood play"),
}
DOT = (20, 60, 160)  # play spaces: dark blue, apart from every band's colour


def font_file(bold: bool = False) -> Path:
    """DejaVu Sans (it has Welsh ŵ and ŷ); scripts/setup.sh installs fonts-dejavu-core."""
    path = BOLD if bold else FONT
    if not path.exists():
        raise ExportFailed(
            t(
                "the font {path} is missing, so the report cannot be drawn; install the "
                "Debian package fonts-dejavu-core (scripts/setup.sh does) and try again",
                path=path,
            )
        )
    return path


def _wrapped(
    draw: ImageDraw.ImageDraw, words: str, font: ImageFont.FreeTypeFont, room: float
) -> str:
    """``words`` broken into lines no wider than ``room`` pixels (two lines in English)."""
    lines: list[str] = []
    for word in words.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _key_font(
    draw: ImageDraw.ImageDraw,
    rows: list[str],
    fonts: tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont],
    room: float,
) -> ImageFont.FreeTypeFont:
    """The key's type where every row fits beside its swatch, else the smaller one (a row
    has the height of one line, and the rows read best in one size)."""
    fits = all(draw.textlength(words, font=fonts[0]) <= room for words in rows)
    return fonts[0] if fits else fonts[1]


def _colour(share: float | None) -> tuple[int, int, int]:
    if share is None or share != share:
        return BANDS[3][0]
    return BANDS[0][0] if share >= 0.8 else BANDS[1][0] if share >= 0.5 else BANDS[2][0]


def coverage_map(wards: gpd.GeoDataFrame, level: str, places: pd.DataFrame | None = None) -> bytes:
    """A PNG of ``wards`` coloured by their ``{level}_share`` with each of ``places``
    (``lon``, ``lat``) as a dot, and a legend in words."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    text = ImageFont.truetype(str(font_file()), 18)
    small = ImageFont.truetype(str(font_file()), 13)
    bold = ImageFont.truetype(str(font_file(bold=True)), 18)
    if not wards.empty:
        frame = LocalFrame(shapely.union_all(wards.geometry.to_numpy()).centroid)
        shapes = frame.to_metres(wards.geometry.to_numpy())
        xmin, ymin, xmax, ymax = shapely.total_bounds(shapes)
        room = (WIDTH - LEGEND - 2 * MARGIN, HEIGHT - 2 * MARGIN)
        scale = min(room[0] / max(xmax - xmin, 1.0), room[1] / max(ymax - ymin, 1.0))

        def pixel(x: float, y: float) -> tuple[float, float]:
            return MARGIN + (x - xmin) * scale, HEIGHT - MARGIN - (y - ymin) * scale

        for shape, share in zip(shapes, wards[f"{level}_share"], strict=True):
            for part in getattr(shape, "geoms", [shape]):
                ring = [pixel(x, y) for x, y in part.exterior.coords]
                draw.polygon(ring, fill=_colour(share), outline="black")
        if places is not None and len(places):
            dots = frame.to_metres(shapely.points(places["lon"], places["lat"]))
            for x, y in shapely.get_coordinates(dots):
                px, py = pixel(x, y)
                draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=DOT, outline="white")
        # Names after every fill, so no ward paints over its neighbour's name.
        for shape, name in zip(shapes, wards["name"], strict=True):
            spot = shapely.point_on_surface(shape)
            draw.text(pixel(spot.x, spot.y), str(name)[:30], fill="black", font=small, anchor="mm")
    left = WIDTH - LEGEND + MARGIN
    room = LEGEND - 2 * MARGIN
    title = t("Share of each ward in reach of {level}", level=t(PLAY_WORDS[level]))
    title = _wrapped(draw, title, bold, room)
    draw.multiline_text((left, MARGIN), title, fill="black", font=bold)
    # The key starts below the title, however many lines it took in this language.
    first = max(MARGIN + 60, draw.multiline_textbbox((left, MARGIN), title, font=bold)[3] + 14)
    rows = [t(words) for _, words in BANDS] + [t("a play space")]
    font = _key_font(draw, rows, (text, small), room - 34)
    for row, (colour, _) in enumerate(BANDS):
        top = first + row * 34
        draw.rectangle([left, top, left + 24, top + 24], fill=colour, outline="black")
        draw.text((left + 34, top + 2), rows[row], fill="black", font=font)
    top = first + len(BANDS) * 34
    draw.ellipse([left + 8, top + 8, left + 16, top + 16], fill=DOT, outline="black")
    draw.text((left + 34, top + 2), rows[-1], fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
