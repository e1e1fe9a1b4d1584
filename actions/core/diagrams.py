"""Point diagrams: the placement data (`diagrams.yml`), its geometry, and where images live.

Pure Python (no Rasa, no drawing library), shared by the generator
(scripts/build_diagrams.py), the actions that attach a diagram to a point, and the web
server that serves `build/diagrams/` at `/diagrams/`.

The message contract (README "Point diagrams"): every bot message that shows a point is
followed by one message `{"image": <url>, "custom": {"type": "diagram", "code", "src",
"alt"}}`, where `src` is the same URL and `alt` the point's location description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.core.catalogue import Catalogue, Point
from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR, ROOT_DIR
from actions.core.yaml_io import read_mapping

DIAGRAMS_FILE = CATALOGUE_DIR / "diagrams.yml"
DIAGRAM_DIR = ROOT_DIR / "build" / "diagrams"  # written by scripts/build_diagrams.py
URL_PATH = "/diagrams/"  # where the web server serves DIAGRAM_DIR
DEFAULT_PUBLIC_URL = "http://localhost:8080"  # ACU_PUBLIC_URL's default (scripts/server.env)
FORMATS = ("png", "svg")
VIEW_WIDTH, VIEW_HEIGHT = 400, 480
FINGER_CUN = 0.75  # the catalogue's finger width: 4 finger widths = 3 cun (one cun = a thumb width)
SIDES = ("both", "midline")
UNITS = ("finger", "thumb")
LINE_STYLES = ("solid", "dashed", "dotted", "fine")
SHAPE_KINDS = ("polygon", "half", "pair", "ellipse", "capsule")

XY = tuple[float, float]
Polygon = tuple[XY, ...]


@dataclass(frozen=True)
class Shape:
    """A closed shape of a view, as one or two polygons (a `pair` is a shape and its mirror)."""

    kind: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Landmark:
    """A line or outline drawn over the body: spine, bones, creases, tendons."""

    points: Polygon
    style: str
    closed: bool = False


@dataclass(frozen=True)
class View:
    name: str
    caption: str
    cun: float  # view units per cun (one thumb width)
    midline: float | None  # symmetric views only
    viewer_left: str  # what is on the left of the picture (the person's left, the thumb, ...)
    outline: tuple[Shape, ...]
    landmarks: tuple[Landmark, ...]
    regions: dict[str, tuple[Shape, ...]]

    def region_at(self, xy: XY) -> list[str]:
        """Names of the regions the spot lies in."""
        return [name for name, shapes in self.regions.items() if any(contains(s, xy) for s in shapes)]

    def inside_outline(self, xy: XY) -> bool:
        return any(contains(s, xy) for s in self.outline)


@dataclass(frozen=True)
class Measure:
    start: XY
    widths: int
    unit: str

    def length(self, view: View) -> float:
        """The distance the measure stands for, in the view's units."""
        return self.widths * view.cun * (FINGER_CUN if self.unit == "finger" else 1.0)


@dataclass(frozen=True)
class Diagram:
    code: str
    view: View
    spot: XY
    zone: str
    side: str
    label: XY
    measure: Measure | None

    @property
    def spots(self) -> tuple[XY, ...]:
        """Every spot to mark: both-sided points in a symmetric view are marked on both sides."""
        if self.side == "both" and self.view.midline is not None:
            return (self.spot, mirror(self.spot, self.view.midline))
        return (self.spot,)


# ---------------------------------------------------------------------------- geometry


def mirror(xy: XY, midline: float) -> XY:
    return (2 * midline - xy[0], xy[1])


def ellipse_polygon(cx: float, cy: float, rx: float, ry: float, steps: int = 48) -> Polygon:
    return tuple(
        (cx + rx * math.cos(2 * math.pi * i / steps), cy + ry * math.sin(2 * math.pi * i / steps)) for i in range(steps)
    )


def capsule_polygon(x1: float, y1: float, x2: float, y2: float, r: float, steps: int = 12) -> Polygon:
    """A bar of radius r from (x1, y1) to (x2, y2) with round ends (a finger, a toe)."""
    angle = math.atan2(y2 - y1, x2 - x1)
    points: list[XY] = []
    for cx, cy, start in ((x2, y2, angle - math.pi / 2), (x1, y1, angle + math.pi / 2)):
        points += [
            (cx + r * math.cos(start + math.pi * i / steps), cy + r * math.sin(start + math.pi * i / steps))
            for i in range(steps + 1)
        ]
    return tuple(points)


def point_in_polygon(xy: XY, polygon: Polygon) -> bool:
    """Even-odd ray casting; a point on an edge may fall either way."""
    x, y = xy
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(shape: Shape, xy: XY) -> bool:
    return any(point_in_polygon(xy, polygon) for polygon in shape.polygons)


def smoothed(polygon: Polygon, rounds: int = 3) -> Polygon:
    """Chaikin corner cutting: the drawn outline of a body part, without sharp corners."""
    for _ in range(rounds):
        points: list[XY] = []
        for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            points += [(0.75 * x1 + 0.25 * x2, 0.75 * y1 + 0.25 * y2), (0.25 * x1 + 0.75 * x2, 0.25 * y1 + 0.75 * y2)]
        polygon = tuple(points)
    return polygon


# ---------------------------------------------------------------------------- loading


def _xy(path: Path, item: str, name: str, value: Any) -> XY:
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
    if not ok or not (0 <= value[0] <= VIEW_WIDTH and 0 <= value[1] <= VIEW_HEIGHT):
        raise DataFileError(path, item, name, f"must be [x, y] inside the {VIEW_WIDTH} x {VIEW_HEIGHT} view")
    return (float(value[0]), float(value[1]))


def _numbers(path: Path, item: str, name: str, value: Any, count: int) -> list[float]:
    if not (isinstance(value, list) and len(value) == count and all(isinstance(v, (int, float)) for v in value)):
        raise DataFileError(path, item, name, f"must be a list of {count} numbers")
    return [float(v) for v in value]


def _points(path: Path, item: str, name: str, value: Any, minimum: int) -> Polygon:
    if not isinstance(value, list) or len(value) < minimum:
        raise DataFileError(path, item, name, f"must be a list of at least {minimum} [x, y] points")
    return tuple(_xy(path, item, name, v) for v in value)


def _shape(path: Path, item: str, raw: Any, midline: float | None) -> Shape:
    if not isinstance(raw, dict) or len([k for k in raw if k in SHAPE_KINDS]) != 1:
        raise DataFileError(path, item, "shape", f"must have exactly one of {', '.join(SHAPE_KINDS)}")
    kind = next(k for k in raw if k in SHAPE_KINDS)
    value = raw[kind]
    if kind in ("half", "pair") and midline is None:
        raise DataFileError(path, item, kind, "needs the view's `midline`")
    if kind == "ellipse":
        return Shape(kind, (ellipse_polygon(*_numbers(path, item, kind, value, 4)),))
    if kind == "capsule":
        return Shape(kind, (capsule_polygon(*_numbers(path, item, kind, value, 5)),))
    polygon = _points(path, item, kind, value, 3 if kind != "half" else 2)
    if kind == "half":
        assert midline is not None
        back = tuple(mirror(p, midline) for p in reversed(polygon))
        return Shape(kind, (polygon + back,))
    if kind == "pair":
        assert midline is not None
        return Shape(kind, (polygon, tuple(mirror(p, midline) for p in polygon)))
    return Shape(kind, (polygon,))


def _landmarks(path: Path, item: str, raw: Any, midline: float | None) -> list[Landmark]:
    if not isinstance(raw, dict):
        raise DataFileError(path, item, "lines", "each landmark must be a mapping")
    style = raw.get("style", "fine")
    if style not in LINE_STYLES:
        raise DataFileError(path, item, "style", f"must be one of {', '.join(LINE_STYLES)}")
    if "line" in raw:
        found = [Landmark(_points(path, item, "line", raw["line"], 2), style)]
    elif "circle" in raw:
        cx, cy, r = _numbers(path, item, "circle", raw["circle"], 3)
        found = [Landmark(ellipse_polygon(cx, cy, r, r), style, closed=True)]
    elif "ellipse" in raw:
        found = [Landmark(ellipse_polygon(*_numbers(path, item, "ellipse", raw["ellipse"], 4)), style, closed=True)]
    else:
        raise DataFileError(path, item, "lines", "a landmark needs `line`, `circle` or `ellipse`")
    if raw.get("pair"):
        if midline is None:
            raise DataFileError(path, item, "pair", "needs the view's `midline`")
        found.append(Landmark(tuple(mirror(p, midline) for p in found[0].points), style, found[0].closed))
    return found


def _view(path: Path, name: str, raw: Any, zones: tuple[str, ...]) -> View:
    item = f"view {name}"
    if not isinstance(raw, dict):
        raise DataFileError(path, item, "(view)", "must be a mapping")
    caption, viewer_left = raw.get("caption"), raw.get("viewer_left")
    if not isinstance(caption, str) or not caption.strip():
        raise DataFileError(path, item, "caption", "must be a non-empty string")
    if not isinstance(viewer_left, str) or not viewer_left.strip():
        raise DataFileError(path, item, "viewer_left", "must say what is on the left of the picture")
    cun = raw.get("cun")
    if not isinstance(cun, (int, float)) or not 4 <= cun <= 60:
        raise DataFileError(path, item, "cun", "must be a number of view units per cun, 4 to 60")
    midline = raw.get("midline")
    if midline is not None and not (isinstance(midline, (int, float)) and 0 < midline < VIEW_WIDTH):
        raise DataFileError(path, item, "midline", "must be an x coordinate inside the view")
    mid = float(midline) if midline is not None else None
    for name_ in ("outline", "regions"):
        if not raw.get(name_):
            raise DataFileError(path, item, name_, "must not be empty")
    if not isinstance(raw["outline"], list):
        raise DataFileError(path, item, "outline", "must be a list of shapes")
    if not isinstance(raw["regions"], dict):
        raise DataFileError(path, item, "regions", "must map zone names to lists of shapes")
    regions: dict[str, tuple[Shape, ...]] = {}
    for zone, shapes in raw["regions"].items():
        if zone not in zones:
            raise DataFileError(path, item, f"regions.{zone}", f"is not a zone of points.yml ({', '.join(zones)})")
        if not isinstance(shapes, list) or not shapes:
            raise DataFileError(path, item, f"regions.{zone}", "must be a non-empty list of shapes")
        regions[zone] = tuple(_shape(path, item, s, mid) for s in shapes)
    landmarks = [lm for raw_lm in raw.get("lines") or [] for lm in _landmarks(path, item, raw_lm, mid)]
    return View(
        name=name, caption=caption.strip(), cun=float(cun), midline=mid, viewer_left=viewer_left.strip(),
        outline=tuple(_shape(path, item, s, mid) for s in raw["outline"]), landmarks=tuple(landmarks),
        regions=regions,
    )  # fmt: skip


def _diagram(path: Path, code: str, raw: Any, views: dict[str, View], point: Point) -> Diagram:
    if not isinstance(raw, dict):
        raise DataFileError(path, code, "(point)", "must be a mapping")
    view = views.get(raw.get("view"))  # type: ignore[arg-type]
    if view is None:
        raise DataFileError(path, code, "view", f"must be one of {', '.join(views)}")
    zone, side = raw.get("zone"), raw.get("side")
    if zone not in point.zones:
        raise DataFileError(path, code, "zone", f"must be one of the point's zones in points.yml: {point.zones}")
    if zone not in view.regions:
        raise DataFileError(path, code, "zone", f"view {view.name} has no region {zone}")
    if side not in SIDES:
        raise DataFileError(path, code, "side", f"must be one of {', '.join(SIDES)}")
    measure = None
    if raw.get("measure") is not None:
        m = raw["measure"]
        if not isinstance(m, dict) or not isinstance(m.get("widths"), int) or m.get("unit") not in UNITS:
            raise DataFileError(path, code, "measure", "must be {from: [x, y], widths: n, unit: finger | thumb}")
        measure = Measure(_xy(path, code, "measure.from", m.get("from")), m["widths"], m["unit"])
    return Diagram(
        code=code, view=view, spot=_xy(path, code, "spot", raw.get("spot")), zone=str(zone), side=str(side),
        label=_xy(path, code, "label", raw.get("label")), measure=measure,
    )  # fmt: skip


@dataclass(frozen=True)
class Diagrams:
    views: dict[str, View]
    points: dict[str, Diagram]

    def get(self, code: str) -> Diagram | None:
        return self.points.get(code)


def load_diagrams(catalogue: Catalogue, path: Path = DIAGRAMS_FILE) -> Diagrams:
    """Read and check diagrams.yml against the catalogue (names the file, item and field)."""
    data = read_mapping(path)
    raw_views, raw_points = data.get("views"), data.get("points")
    if not isinstance(raw_views, dict) or not raw_views:
        raise DataFileError(path, "(file)", "views", "must map view names to views")
    if not isinstance(raw_points, dict):
        raise DataFileError(path, "(file)", "points", "must map point codes to diagrams")
    views = {name: _view(path, name, raw, catalogue.zones) for name, raw in raw_views.items()}
    points: dict[str, Diagram] = {}
    for code, raw in raw_points.items():
        point = catalogue.get(str(code))
        if point is None or point.code != code:
            raise DataFileError(path, str(code), "(code)", "is not a point code of points.yml")
        points[code] = _diagram(path, code, raw, views, point)
    return Diagrams(views, points)


@lru_cache(maxsize=1)
def default_diagrams() -> Diagrams:
    from actions.core.catalogue import default_catalogue

    return load_diagrams(default_catalogue())


def placement_problems(diagram: Diagram, point: Point) -> list[str]:
    """Where the marked spot contradicts the catalogue (empty when it agrees): the spot must
    lie on the drawn body, inside the view's region for a zone the point names in
    points.yml, and inside no region of a zone the point does not name."""
    problems: list[str] = []
    view = diagram.view
    if diagram.zone not in point.zones:
        problems.append(f"zone {diagram.zone} is not one of the point's zones {point.zones}")
    for spot in diagram.spots:
        if not view.inside_outline(spot):
            problems.append(f"spot {spot} is off the drawn body of view {view.name}")
        regions = view.region_at(spot)
        if diagram.zone not in regions:
            problems.append(f"spot {spot} is not inside the {diagram.zone} region of view {view.name} (in: {regions})")
        foreign = [r for r in regions if r not in point.zones]
        if foreign:
            problems.append(f"spot {spot} lies in {foreign}, which points.yml does not name for {point.code}")
    if diagram.side == "midline" and view.midline is not None and abs(diagram.spot[0] - view.midline) > 0.5:
        problems.append(f"a midline point must sit on the view's midline x={view.midline}")
    if diagram.measure is not None:
        m = diagram.measure
        drawn = math.dist(m.start, diagram.spot)
        if abs(drawn - m.length(view)) > 0.1 * m.length(view):
            problems.append(f"the measure is drawn {drawn:.0f} units long; {m.widths} {m.unit} widths are "
                            f"{m.length(view):.0f} in view {view.name}")  # fmt: skip
    return problems


# ---------------------------------------------------------------------------- serving


def diagram_file(code: str, fmt: str = "png", directory: Path = DIAGRAM_DIR) -> Path:
    """The generated file of a point's diagram."""
    if fmt not in FORMATS:
        raise ValueError(f"diagram format must be one of {FORMATS}")
    return directory / f"{code}.{fmt}"


def diagram_url(code: str, public_url: str = DEFAULT_PUBLIC_URL, fmt: str = "png") -> str:
    """Where the project's web server serves a point's diagram."""
    if fmt not in FORMATS:
        raise ValueError(f"diagram format must be one of {FORMATS}")
    return f"{public_url.rstrip('/')}{URL_PATH}{code}.{fmt}"


def alt_text(point: Point) -> str:
    """The image's text alternative: the catalogue's own location description."""
    return point.location


def diagram_message(point: Point, public_url: str = DEFAULT_PUBLIC_URL) -> dict[str, Any]:
    """The bot message that carries a point's diagram: an image plus its alt text for channels."""
    src = diagram_url(point.code, public_url)
    return {"image": src, "custom": {"type": "diagram", "code": point.code, "src": src, "alt": alt_text(point)}}
