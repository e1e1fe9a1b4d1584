"""The point catalogue loads, holds what the product needs, and rejects broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.core.catalogue import WHO_CODE, default_catalogue, load_catalogue
from actions.core.errors import DataFileError
from actions.core.paths import POINTS_FILE
from actions.core.vocabulary import default_vocabulary

SEED_GROUPS = {"CV6", "BL23", "BL52", "BL53", "GB30", "BL40", "LI4", "LR3", "KI1"}
SEED_ALIASES = {
    "Sea of Energy": "CV6",
    "Sea of Vitality": "BL23",
    "Womb and Vitals": "BL53",
    "Commanding Middle": "BL40",
    "Hand Point": "LI4",
    "Foot Points": "LR3",
}


def test_catalogue_has_at_least_22_points_keyed_by_who_code() -> None:
    catalogue = default_catalogue()
    assert len(catalogue.points) >= 22
    assert all(WHO_CODE.match(code) for code in catalogue.points)
    assert "LV3" not in catalogue.points and "LR3" in catalogue.points


def test_seed_groups_and_their_popular_names_are_present() -> None:
    catalogue = default_catalogue()
    assert set(catalogue.points) >= SEED_GROUPS
    for alias, code in SEED_ALIASES.items():
        assert catalogue.find(alias).code == code, alias


def test_every_complaint_the_product_promises_has_at_least_two_points() -> None:
    catalogue = default_catalogue()
    for complaint in default_vocabulary().complaints:
        covering = [p for p in catalogue.points.values() if complaint in p.used_for]
        assert len(covering) >= 2, complaint


@pytest.mark.parametrize(
    "typed,code",
    [
        ("li 4", "LI4"),
        ("Li-4", "LI4"),
        ("lv3", "LR3"),
        ("RN6", "CV6"),
        ("hegu", "LI4"),
        ("bubbling spring", "KI1"),
        ("ex-hn3", "EX-HN3"),
    ],
)
def test_points_are_found_by_code_old_code_and_name(typed: str, code: str) -> None:
    assert default_catalogue().find(typed).code == code


def test_unknown_point_is_not_guessed() -> None:
    assert default_catalogue().find("ZZ99") is None
    assert default_catalogue().find("Dragon Tail") is None


def test_pregnancy_forbidden_points_are_marked_avoid() -> None:
    catalogue = default_catalogue()
    for code in ("LI4", "SP6", "BL60", "GB21", "CV6", "BL23"):
        assert catalogue.points[code].pregnancy == "avoid", code


def test_no_overclaiming_words_in_catalogue_text() -> None:
    text = POINTS_FILE.read_text(encoding="utf-8").lower()
    for claim in ("cure", "eliminate", "no side effect", "no bad effect", "heals", "guaranteed"):
        assert claim not in text, claim


def _write_broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(POINTS_FILE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "points.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate,point,field",
    [
        (lambda d: d["points"]["BL23"].pop("location"), "BL23", "location"),
        (lambda d: d["points"]["LI4"].update(pregnancy="maybe"), "LI4", "pregnancy"),
        (lambda d: d["points"]["GB20"].update(used_for={"elbow": 2}), "GB20", "used_for"),
        (lambda d: d["points"]["KI1"].update(used_for={"head": 7}), "KI1", "used_for"),
        (lambda d: d["points"]["PC6"]["evidence"].update(level="proven"), "PC6", "evidence.level"),
        (
            lambda d: d["points"]["BL40"]["cautions"].append({"kind": "vibes", "text": "x"}),
            "BL40",
            "cautions[2].kind",
        ),
        (lambda d: d["points"].update(LV3=d["points"].pop("LR3")), "LV3", "(key)"),
        (lambda d: d["points"]["SP6"].update(cautions=[]), "SP6", "cautions"),
    ],
)
def test_broken_file_names_the_file_point_and_field(tmp_path: Path, mutate, point: str, field: str) -> None:
    path = _write_broken(tmp_path, mutate)
    with pytest.raises(DataFileError) as error:
        load_catalogue(path)
    assert error.value.path == str(path)
    assert error.value.item == point
    assert error.value.field == field
    assert str(path) in str(error.value) and point in str(error.value)


def test_unreadable_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "points.yml"
    path.write_text("points: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="points.yml"):
        load_catalogue(path)
