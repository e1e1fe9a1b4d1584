"""The body map's areas (body_areas.yml), checked against the catalogue (pure logic).

Whether an area is covered is read from the catalogue: a complaint of vocabulary.yml that
at least one point is used for. An area naming an uncovered area of vocabulary.yml is shown
as not covered; anything else is a schema error at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actions.core.catalogue import Catalogue, default_catalogue
from actions.core.errors import DataFileError
from actions.core.vocabulary import Vocabulary, default_vocabulary
from actions.core.yaml_io import read_mapping

AREAS_FILE = Path(__file__).resolve().parent / "body_areas.yml"
VIEWS = ("front", "back")
WIDTH = 200  # the box the shapes are drawn in is 200 x 420


def _mirror(shape: dict[str, list[float]]) -> dict[str, list[float]]:
    """The other side's shape: reflected across the figure's middle line."""
    if "ellipse" in shape:
        cx, cy, rx, ry = shape["ellipse"]
        return {"ellipse": [WIDTH - cx, cy, rx, ry]}
    x, y, w, h = shape["rect"]
    return {"rect": [WIDTH - x - w, y, w, h]}


def _shape(path: Path, item: str, view: str, raw: Any) -> dict[str, list[float]]:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in ("ellipse", "rect"):
        raise DataFileError(path, item, f"shapes.{view}", "must be {ellipse: [cx, cy, rx, ry]} or {rect: [x, y, w, h]}")
    kind, numbers = next(iter(raw.items()))
    if not (isinstance(numbers, list) and len(numbers) == 4 and all(isinstance(n, (int, float)) for n in numbers)):
        raise DataFileError(path, item, f"shapes.{view}", f"{kind} needs four numbers")
    return {kind: [float(n) for n in numbers]}


def covered_complaints(catalogue: Catalogue) -> set[str]:
    return {name for point in catalogue.points.values() for name, weight in point.used_for.items() if weight > 0}


def load_body_map(
    path: Path = AREAS_FILE, vocabulary: Vocabulary | None = None, catalogue: Catalogue | None = None
) -> dict[str, Any]:
    """The map the widget draws: one entry per area and side, each with its shapes and message."""
    vocabulary = vocabulary or default_vocabulary()
    covered = covered_complaints(catalogue or default_catalogue())
    raw = read_mapping(path)
    areas: list[dict[str, Any]] = []
    for index, item in enumerate(raw.get("areas") or []):
        name = str(item.get("id") or f"#{index}")
        for field in ("id", "label", "complaint", "say", "shapes"):
            if not item.get(field):
                raise DataFileError(path, name, field, "is required")
        complaint = item["complaint"]
        if complaint not in vocabulary.complaints and complaint not in vocabulary.uncovered:
            raise DataFileError(path, name, "complaint", f"{complaint!r} is neither a complaint nor an uncovered area")
        if not isinstance(item["shapes"], dict) or not set(item["shapes"]) <= set(VIEWS):
            raise DataFileError(path, name, "shapes", f"views must be among {VIEWS}")
        shapes = {view: _shape(path, name, view, shape) for view, shape in item["shapes"].items()}
        sided = bool(item.get("sided"))
        if sided != ("{side}" in item["say"]):
            raise DataFileError(path, name, "say", "must contain {side} exactly when the area is sided")
        for side in ("right", "left") if sided else ("",):
            side_shapes = shapes if side != "left" else {view: _mirror(shape) for view, shape in shapes.items()}
            areas.append(
                {
                    "id": f"{item['id']}-{side}" if side else item["id"],
                    "label": f"{side} {item['label']}".strip(),
                    "side": side or None,
                    "complaint": complaint,
                    "covered": complaint in covered,
                    "message": item["say"].replace("{side}", f"{side} " if side else ""),
                    "shapes": side_shapes,
                }
            )
    note = raw.get("uncovered_note")
    if not isinstance(note, str) or "{label}" not in note:
        raise DataFileError(path, "uncovered_note", "uncovered_note", "must be text containing {label}")
    return {"views": list(VIEWS), "areas": areas, "uncovered_note": note}
