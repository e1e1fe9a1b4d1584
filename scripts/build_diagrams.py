"""Draw one diagram per catalogue point: build/diagrams/<CODE>.svg and <CODE>.png.

Usage: python scripts/build_diagrams.py [--out DIR] [--only CODE ...]

Reads actions/catalogue/points.yml and diagrams.yml (checked by actions/core/diagrams.py),
draws each point's body view with matplotlib (installed with Rasa; no system tools), and
removes files of points no longer in the catalogue. `make install` runs it whenever the
catalogue, the placement data or this script changed.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")  # no display; must come before pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.catalogue import Catalogue, Point, default_catalogue  # noqa: E402
from actions.core.diagrams import (  # noqa: E402
    DIAGRAM_DIR,
    FINGER_CUN,
    VIEW_HEIGHT,
    VIEW_WIDTH,
    Diagram,
    Diagrams,
    alt_text,
    load_diagrams,
    smoothed,
)

SKIN, EDGE, LANDMARK = "#f4dcc9", "#7a4b35", "#9c6b55"
MARK, MARK_EDGE, MEASURE, INK, MUTED = "#d7191c", "#5a0000", "#1f5fa8", "#222222", "#666666"
# Canvas in view units: the view (400 x 480) plus a title band above and a legend below.
LEFT, RIGHT, TOP, BOTTOM = -20, VIEW_WIDTH + 20, -78, VIEW_HEIGHT + 92
DPI = 120
STYLES = {"solid": ("-", 1.4, 0.9), "dashed": ((0, (6, 4)), 1.1, 0.8), "dotted": ((0, (1, 3)), 1.2, 0.8),
          "fine": ("-", 0.9, 0.7)}  # fmt: skip
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}

plt.rcParams.update({"svg.hashsalt": "acupressure-diagrams", "font.family": "DejaVu Sans"})


def side_note(diagram: Diagram) -> str:
    if diagram.side == "midline":
        return "One point, on the middle line of the body."
    if diagram.view.midline is not None:
        return "A pair: press the point on both sides (both marked)."
    return "A pair: press the same point on the other side too (one side shown)."


def measure_label(widths: int, unit: str) -> str:
    return f"{NUMBER_WORDS.get(widths, str(widths))} {unit} width{'s' if widths != 1 else ''}"


def draw_body(ax: plt.Axes, diagram: Diagram) -> None:
    view = diagram.view
    outlines = []
    for shape in view.outline:
        for polygon in shape.polygons:
            outlines.append(smoothed(polygon) if shape.kind in ("polygon", "half", "pair") else polygon)
    # Edges first, fills on top: one silhouette without lines where shapes overlap.
    for polygon in outlines:
        ax.add_patch(Polygon(polygon, closed=True, facecolor=EDGE, edgecolor=EDGE, linewidth=3.4, zorder=1))
    for polygon in outlines:
        ax.add_patch(Polygon(polygon, closed=True, facecolor=SKIN, edgecolor="none", zorder=2))
    for landmark in view.landmarks:
        style, width, alpha = STYLES[landmark.style]
        xs = [p[0] for p in landmark.points] + ([landmark.points[0][0]] if landmark.closed else [])
        ys = [p[1] for p in landmark.points] + ([landmark.points[0][1]] if landmark.closed else [])
        ax.plot(xs, ys, color=LANDMARK, linestyle=style, linewidth=width, alpha=alpha, zorder=3,
                solid_capstyle="round")  # fmt: skip


def draw_measure(ax: plt.Axes, diagram: Diagram) -> None:
    m = diagram.measure
    if m is None:
        return
    (x1, y1), (x2, y2) = m.start, diagram.spot
    ax.plot([x1, x2], [y1, y2], color=MEASURE, linewidth=2.2, zorder=5, solid_capstyle="butt")
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-6)
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length  # unit normal
    for x, y in ((x1, y1), (x2, y2)):
        ax.plot([x - 7 * nx, x + 7 * nx], [y - 7 * ny, y + 7 * ny], color=MEASURE, linewidth=2.2, zorder=5)
    ax.plot([x1], [y1], marker="o", markersize=5, markerfacecolor="white", markeredgecolor=MEASURE, zorder=6)
    # The label sits beside the bar, away from the body's midline when the bar is horizontal.
    offset = 16
    lx, ly = (x1 + x2) / 2 + offset * nx, (y1 + y2) / 2 + offset * ny
    if abs(y2 - y1) < abs(x2 - x1):
        lx, ly = (x1 + x2) / 2, min(y1, y2) - offset
    ax.text(lx, ly, measure_label(m.widths, m.unit), color=MEASURE, fontsize=8.5, fontweight="bold",
            ha="center", va="center", zorder=7,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})  # fmt: skip


def draw_mark(ax: plt.Axes, diagram: Diagram) -> None:
    lx, ly = diagram.label
    for x, y in diagram.spots:
        ax.plot([lx, x], [ly, y], color=MARK_EDGE, linewidth=1.2, zorder=8)
    for x, y in diagram.spots:
        ax.plot([x], [y], marker="o", markersize=17, markerfacecolor="white", markeredgecolor=MARK_EDGE,
                markeredgewidth=1.2, zorder=9)  # fmt: skip
        ax.plot([x], [y], marker="o", markersize=11, markerfacecolor=MARK, markeredgecolor=MARK, zorder=10)
    ax.text(lx, ly, diagram.code, fontsize=13, fontweight="bold", color="white", ha="center", va="center", zorder=11,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": MARK, "edgecolor": MARK_EDGE})  # fmt: skip


def draw_frame(ax: plt.Axes, diagram: Diagram, point: Point) -> None:
    view = diagram.view
    ax.text(LEFT + 14, TOP + 22, f"{point.code} {point.pinyin}", fontsize=15, fontweight="bold", color=INK,
            va="center")  # fmt: skip
    ax.text(LEFT + 14, TOP + 48, f"{point.english} · {view.caption}", fontsize=9.5, color=MUTED, va="center")
    ax.text(4, 10, f"← {view.viewer_left}", fontsize=8.5, color=MUTED, va="center", style="italic")
    # A scale bar: four finger widths (3 cun) at this view's scale, one tick per finger.
    finger = view.cun * FINGER_CUN
    x0, y0 = 14, VIEW_HEIGHT + 26
    ax.add_patch(FancyBboxPatch((x0, y0 - 5), 4 * finger, 10, boxstyle="square,pad=0", facecolor="white",
                                edgecolor=INK, linewidth=1.0, zorder=4))  # fmt: skip
    for i in range(4):
        if i % 2 == 0:
            ax.add_patch(FancyBboxPatch((x0 + i * finger, y0 - 5), finger, 10, boxstyle="square,pad=0",
                                        facecolor=INK, edgecolor=INK, linewidth=1.0, zorder=5))  # fmt: skip
    ax.text(x0 + 4 * finger + 10, y0, "4 finger widths = 3 cun (1 cun = your thumb's width)", fontsize=8.5,
            color=INK, va="center")  # fmt: skip
    ax.text(x0, y0 + 30, side_note(diagram), fontsize=9, color=INK, va="center")
    ax.text(x0, y0 + 52, "Find it on yourself with the text; the picture is a guide.", fontsize=8, color=MUTED,
            va="center")  # fmt: skip


def figure_for(diagram: Diagram, point: Point) -> plt.Figure:
    width, height = RIGHT - LEFT, BOTTOM - TOP
    fig = plt.figure(figsize=(width / 100, height / 100), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(LEFT, RIGHT)
    ax.set_ylim(BOTTOM, TOP)  # y grows downwards, as in the data
    ax.set_aspect("equal")
    ax.axis("off")
    fig.patch.set_facecolor("white")
    draw_body(ax, diagram)
    draw_measure(ax, diagram)
    draw_mark(ax, diagram)
    draw_frame(ax, diagram, point)
    return fig


def accessible_svg(svg: str, point: Point) -> str:
    """Give the SVG a title and description (the alt text) for screen readers."""
    title = escape(f"Diagram of {point.title}")
    desc = escape(alt_text(point))
    svg = re.sub(r"<svg ", '<svg role="img" aria-labelledby="title desc" ', svg, count=1)
    return re.sub(r"(<svg[^>]*>)", rf'\1<title id="title">{title}</title><desc id="desc">{desc}</desc>', svg, count=1)


def build(catalogue: Catalogue, diagrams: Diagrams, out: Path, only: Sequence[str] = ()) -> list[Path]:
    """Write the SVG and PNG of every point (or of `only`); returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for code, point in catalogue.points.items():
        if only and code not in only:
            continue
        diagram = diagrams.get(code)
        if diagram is None:
            raise SystemExit(f"{code} has no diagram in diagrams.yml")
        fig = figure_for(diagram, point)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        (out / f"{code}.svg").write_text(accessible_svg(buffer.getvalue(), point), encoding="utf-8")
        fig.savefig(out / f"{code}.png", format="png", dpi=DPI, metadata={"Software": None})
        plt.close(fig)
        written += [out / f"{code}.svg", out / f"{code}.png"]
    if not only:
        for stale in out.glob("*.*"):
            if stale.suffix in (".svg", ".png") and stale.stem not in catalogue.points:
                stale.unlink()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DIAGRAM_DIR)
    parser.add_argument("--only", nargs="*", default=[], help="point codes (default: all)")
    args = parser.parse_args(argv)
    catalogue = default_catalogue()
    written = build(catalogue, load_diagrams(catalogue), args.out, args.only)
    print(f"{len(written) // 2} diagrams written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
