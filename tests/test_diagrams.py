"""Point diagrams: the placement data against the catalogue, and the generator's output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from actions.core.catalogue import default_catalogue
from actions.core.diagrams import (
    DIAGRAMS_FILE,
    VIEW_HEIGHT,
    VIEW_WIDTH,
    alt_text,
    diagram_file,
    diagram_message,
    diagram_url,
    load_diagrams,
    placement_problems,
)
from actions.core.errors import DataFileError
from scripts import build_diagrams

CATALOGUE = default_catalogue()
DIAGRAMS = load_diagrams(CATALOGUE)
CODES = list(CATALOGUE.points)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def raw_data() -> dict[str, Any]:
    return yaml.safe_load(DIAGRAMS_FILE.read_text(encoding="utf-8"))


def load_changed(tmp_path: Path, change) -> None:
    data = raw_data()
    change(data)
    path = tmp_path / "diagrams.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    load_diagrams(CATALOGUE, path)


# ---------------------------------------------------------------------------- the data


def test_every_catalogue_point_has_a_diagram_and_every_diagram_a_point() -> None:
    assert set(DIAGRAMS.points) == set(CATALOGUE.points)


@pytest.mark.parametrize("code", CODES)
def test_marked_spot_agrees_with_the_catalogues_zones(code: str) -> None:
    assert placement_problems(DIAGRAMS.points[code], CATALOGUE.points[code]) == []


def test_a_spot_moved_into_another_region_is_caught() -> None:
    from dataclasses import replace

    bl23 = DIAGRAMS.points["BL23"]  # lower back; the buttock and the shoulder are not its zones
    for elsewhere in ((242, 400), (266, 148)):
        problems = placement_problems(replace(bl23, spot=elsewhere), CATALOGUE.points["BL23"])
        assert any("not inside the lower_back region" in p for p in problems)
        assert any("points.yml does not name" in p for p in problems)
    off_body = placement_problems(replace(bl23, spot=(20, 20)), CATALOGUE.points["BL23"])
    assert any("off the drawn body" in p for p in off_body)
    stretched = placement_problems(replace(bl23, spot=(260, 312)), CATALOGUE.points["BL23"])
    assert any("measure is drawn" in p for p in stretched)


@pytest.mark.parametrize("code", CODES)
def test_midline_points_sit_on_the_midline_and_pairs_are_marked_twice(code: str) -> None:
    diagram = DIAGRAMS.points[code]
    # Conception and Governor Vessel points and Yintang lie on the body's middle line.
    assert (diagram.side == "midline") == (code[:2] in ("CV", "GV") or code == "EX-HN3")
    if diagram.view.midline is not None:
        assert len(diagram.spots) == (1 if diagram.side == "midline" else 2)
        if diagram.side == "both":
            assert diagram.spots[1][0] == pytest.approx(2 * diagram.view.midline - diagram.spot[0])


@pytest.mark.parametrize("code", CODES)
def test_a_measure_is_drawn_for_the_distance_the_location_gives(code: str) -> None:
    location = CATALOGUE.points[code].location.lower()
    said = {(NUMBERS[n], u) for n, u in re.findall(r"\b(one|two|three|four|five|six) (finger|thumb) widths?", location)}
    measure = DIAGRAMS.points[code].measure
    if measure is None:
        assert not said, f"{code}'s location gives {said}: draw it as a measure"
    else:
        assert (measure.widths, measure.unit) in said, f"{code}'s measure is not in its location text"


def test_every_region_is_a_catalogue_zone_and_on_the_drawn_body() -> None:
    for view in DIAGRAMS.views.values():
        assert set(view.regions) <= set(CATALOGUE.zones)
        for zone, shapes in view.regions.items():
            for shape in shapes:
                for polygon in shape.polygons:
                    centre = (sum(x for x, _ in polygon) / len(polygon), sum(y for _, y in polygon) / len(polygon))
                    assert view.inside_outline(centre), f"{view.name}: region {zone} is off the body"


def test_every_view_is_used() -> None:
    assert {d.view.name for d in DIAGRAMS.points.values()} == set(DIAGRAMS.views)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["points"]["LI4"].update(view="elbow"), "view"),
        (lambda d: d["points"]["LI4"].update(zone="knee"), "zone"),
        (lambda d: d["points"]["LI4"].update(side="left"), "side"),
        (lambda d: d["points"]["LI4"].update(spot=[500, 10]), "spot"),
        (lambda d: d["points"]["LI4"].update(measure={"widths": "two", "unit": "finger"}), "measure"),
        (lambda d: d["points"].update(XX9=d["points"]["LI4"]), "(code)"),
        (
            lambda d: d["views"]["hand_back"]["regions"].update(elbow=[{"polygon": [[1, 1], [2, 2], [3, 1]]}]),
            "regions.elbow",
        ),
        (lambda d: d["views"]["hand_back"]["outline"].append({"star": [1, 2]}), "shape"),
        (lambda d: d["views"]["hand_back"].update(cun=0), "cun"),
        (lambda d: d["views"]["hand_back"]["outline"].append({"half": [[1, 1], [2, 2]]}), "half"),
    ],
)
def test_a_broken_diagrams_file_names_the_field(tmp_path: Path, change, field: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_changed(tmp_path, change)
    assert error.value.field == field and str(tmp_path) in str(error.value)


def test_the_shipped_file_has_no_unknown_keys() -> None:
    known_point = {"view", "spot", "zone", "side", "label", "measure"}
    known_view = {"caption", "cun", "midline", "viewer_left", "outline", "lines", "regions"}
    data = raw_data()
    assert set(data) == {"views", "points"}
    for code, raw in data["points"].items():
        assert set(raw) <= known_point, code
    for name, raw in data["views"].items():
        assert set(raw) <= known_view, name


# ---------------------------------------------------------------------------- serving contract


@pytest.mark.parametrize("code", CODES)
def test_alt_text_is_the_catalogue_location(code: str) -> None:
    point = CATALOGUE.points[code]
    message = diagram_message(point, "https://acu.example/")
    assert message["image"] == f"https://acu.example/diagrams/{code}.png" == message["custom"]["src"]
    assert message["custom"] == {"type": "diagram", "code": code, "src": message["image"], "alt": point.location}
    assert alt_text(point) == point.location


def test_urls_and_files_use_one_definition() -> None:
    assert diagram_url("EX-HN3") == "http://localhost:8080/diagrams/EX-HN3.png"
    assert diagram_url("LI4", "http://h:1", fmt="svg") == "http://h:1/diagrams/LI4.svg"
    assert diagram_file("LI4").parts[-3:] == ("build", "diagrams", "LI4.png")
    with pytest.raises(ValueError):
        diagram_url("LI4", fmt="gif")


# ---------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("diagrams")
    (out / "OLD1.png").write_bytes(b"stale")  # a point no longer in the catalogue
    build_diagrams.build(CATALOGUE, DIAGRAMS, out)
    return out


def pixel_of(xy: tuple[float, float], size: tuple[int, int]) -> tuple[int, int]:
    """A view coordinate's pixel in the PNG (the generator's canvas extends the view)."""
    g = build_diagrams
    return (
        round((xy[0] - g.LEFT) / (g.RIGHT - g.LEFT) * size[0]),
        round((xy[1] - g.TOP) / (g.BOTTOM - g.TOP) * size[1]),
    )


def test_every_point_gets_an_svg_and_a_png_and_stale_files_go(built: Path) -> None:
    assert {p.name for p in built.iterdir()} == {f"{c}.{f}" for c in CODES for f in ("svg", "png")}


@pytest.mark.parametrize("code", CODES)
def test_png_decodes_and_shows_the_mark_where_the_data_puts_it(built: Path, code: str) -> None:
    with Image.open(built / f"{code}.png") as image:
        image.load()
        rgb = image.convert("RGB")
    assert rgb.size[0] > 300 and rgb.size[1] > 400
    assert rgb.size[0] / rgb.size[1] == pytest.approx(
        (build_diagrams.RIGHT - build_diagrams.LEFT) / (build_diagrams.BOTTOM - build_diagrams.TOP), rel=0.01
    )
    for spot in DIAGRAMS.points[code].spots:
        r, g, b = rgb.getpixel(pixel_of(spot, rgb.size))
        assert r > 180 and g < 80 and b < 80, f"{code}: no red mark at {spot}"
    # Away from the body the picture is white, so the mark's red is the mark.
    assert rgb.getpixel(pixel_of((2, VIEW_HEIGHT - 2), rgb.size)) == (255, 255, 255)
    assert rgb.getpixel(pixel_of((VIEW_WIDTH - 2, VIEW_HEIGHT - 2), rgb.size)) == (255, 255, 255)


@pytest.mark.parametrize("code", CODES)
def test_svg_is_valid_and_carries_the_alt_text(built: Path, code: str) -> None:
    root = ET.parse(built / f"{code}.svg").getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("svg:desc", ns).text == CATALOGUE.points[code].location
    assert code in root.find("svg:title", ns).text


def test_the_drawing_is_reproducible(tmp_path: Path, built: Path) -> None:
    build_diagrams.build(CATALOGUE, DIAGRAMS, tmp_path, only=["LI4"])
    assert (tmp_path / "LI4.svg").read_bytes() == (built / "LI4.svg").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LI4.png", "LI4.svg"]
