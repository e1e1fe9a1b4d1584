"""The point catalogue: load `points.yml` once, check it against its schema, look points up.

A broken file stops start-up with a `DataFileError` naming the file, the point and the
field, so a typo in the data never reaches a user as a half-filled answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import POINTS_FILE
from actions.core.vocabulary import Vocabulary, load_vocabulary
from actions.core.yaml_io import read_mapping

# WHO 2008 meridian prefixes; extra points are EX-<region><n> (EX-HN3). "LV" and "RN"
# belong to older systems and are refused so the catalogue keeps one key per point.
WHO_CODE = re.compile(r"^(?:(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d{1,2}|EX-[A-Z]{2}\d{1,2})$")
PREGNANCY_VALUES = ("avoid", "caution", "ok")
EVIDENCE_LEVELS = ("traditional", "some_trial_evidence")
CAUTION_KINDS = (
    "pregnancy", "broken_skin", "varicose_veins", "after_meals", "recent_injury",
    "artificial_hip", "blood_thinners", "blood_clot", "spine", "neck", "nerve", "artery",
    "balance", "numb_feet", "gentle", "medical_condition", "over_pressing",
)  # fmt: skip
TEXT_FIELDS = ("pinyin", "english", "region", "location", "find", "press")


@dataclass(frozen=True)
class Caution:
    kind: str
    text: str


@dataclass(frozen=True)
class Evidence:
    level: str
    note: str


@dataclass(frozen=True)
class Point:
    """One acupressure point with everything the bot says about it."""

    code: str
    pinyin: str
    english: str
    aliases: tuple[str, ...]
    region: str
    zones: tuple[str, ...]  # body zones it presses on; see actions/core/safety.py
    location: str
    find: str
    press: str
    used_for: dict[str, int]
    sensations: dict[str, int]
    pregnancy: str
    cautions: tuple[Caution, ...]
    evidence: Evidence
    sources: tuple[str, ...]

    @property
    def title(self) -> str:
        """Name as shown in replies: 'BL23 Shenshu (Kidney Shu)'."""
        return f"{self.code} {self.pinyin} ({self.english})"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a user might type for this point."""
        return (self.code, self.pinyin, self.english, *self.aliases)


@dataclass(frozen=True)
class Catalogue:
    """All points in file order, plus the advice that applies to every point."""

    points: dict[str, Point]
    zones: tuple[str, ...]
    general_pressing: str
    general_cautions: tuple[Caution, ...]
    _names: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, code: str) -> Point | None:
        return self.points.get(code.upper())

    def find(self, text: str) -> Point | None:
        """The point named by a code ('li 4', 'LV3') or any of its names; None if unknown."""
        return self.points.get(self._names.get(_name_key(text), ""))

    @cached_property
    def code_and_chinese_name_keys(self) -> frozenset[str]:
        """The folded codes (current and older spellings) and Chinese names of every point."""
        keys = {_name_key(p.pinyin) for p in self.points.values()}
        keys.update(key for key in self._names if re.fullmatch(r"[a-z]{2,3}\d{1,2}", key))
        return frozenset(k for k in keys if k)

    def names_by_code_or_chinese_name(self, text: str) -> bool:
        """Whether the text names a point by its code ("li 4", "LV3") or Chinese name."""
        padded = f" {_name_key(text)} "
        return any(f" {key} " in padded for key in self.code_and_chinese_name_keys)

    def find_all(self, text: str) -> list[Point]:
        """Every point named anywhere in free text, in the order they appear."""
        key = f" {_name_key(text)} "
        hits: list[tuple[int, str]] = []
        for name, code in self._names.items():
            pos = key.find(f" {name} ")
            if pos >= 0 and code not in {c for _, c in hits}:
                hits.append((pos, code))
        return [self.points[code] for _, code in sorted(hits)]


def _name_key(text: str) -> str:
    """Fold case, punctuation and spaces so 'Li-4', 'li 4' and 'LI4' match."""
    lowered = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    # Join a meridian prefix to its number: "li 4" -> "li4", "bl 23" -> "bl23".
    return re.sub(r"\b([a-z]{2}) (\d{1,2})\b", r"\1\2", lowered)


def _legacy_codes(code: str) -> list[str]:
    """Older spellings people type for the same point (LV3 for LR3, RN6 for CV6)."""
    legacy = {"LR": "LV", "CV": "RN", "GV": "DU", "TE": "SJ"}
    prefix = code[:2]
    return [legacy[prefix] + code[2:]] if prefix in legacy else []


def _require_text(path: Path, code: str, raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, code, name, "must be a non-empty string")
    return " ".join(value.split())


def _text_list(path: Path, code: str, raw: dict[str, Any], name: str, required: bool) -> tuple[str, ...]:
    value = raw.get(name, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, code, name, "must be a list of non-empty strings")
    if required and not value:
        raise DataFileError(path, code, name, "must not be empty")
    return tuple(value)


def _weights(
    path: Path, code: str, raw: dict[str, Any], name: str, allowed: Iterable[str], required: bool
) -> dict[str, int]:
    value = raw.get(name, None if required else {})
    allowed = set(allowed)
    if not isinstance(value, dict) or (required and not value):
        raise DataFileError(path, code, name, "must be a non-empty mapping of name to weight")
    for key, weight in value.items():
        if key not in allowed:
            raise DataFileError(path, code, name, f"unknown value '{key}' (known: {', '.join(sorted(allowed))})")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 3:
            raise DataFileError(path, code, name, f"weight of '{key}' must be a whole number from 1 to 3")
    return dict(value)


def _cautions(path: Path, item: str, value: Any, name: str = "cautions") -> tuple[Caution, ...]:
    if not isinstance(value, list):
        raise DataFileError(path, item, name, "must be a list of {kind, text}")
    cautions = []
    for index, entry in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict):
            raise DataFileError(path, item, where, "must be a mapping with kind and text")
        kind = entry.get("kind")
        if kind not in CAUTION_KINDS:
            raise DataFileError(path, item, f"{where}.kind", f"'{kind}' is not one of {', '.join(CAUTION_KINDS)}")
        cautions.append(Caution(kind=kind, text=_require_text(path, item, entry, "text")))
    return tuple(cautions)


def _point(path: Path, code: str, raw: Any, vocabulary: Vocabulary, zones: tuple[str, ...]) -> Point:
    if not WHO_CODE.match(code):
        raise DataFileError(path, code, "(key)", "is not a WHO 2008 point code such as LI4, LR3 or EX-HN3")
    if not isinstance(raw, dict):
        raise DataFileError(path, code, "(point)", "must be a mapping of fields")
    texts = {name: _require_text(path, code, raw, name) for name in TEXT_FIELDS}
    pregnancy = raw.get("pregnancy")
    if pregnancy not in PREGNANCY_VALUES:
        raise DataFileError(path, code, "pregnancy", f"must be one of {', '.join(PREGNANCY_VALUES)}")
    cautions = _cautions(path, code, raw.get("cautions", []))
    if pregnancy == "avoid" and not any(c.kind == "pregnancy" for c in cautions):
        raise DataFileError(path, code, "cautions", "a point to avoid in pregnancy needs a pregnancy caution")
    point_zones = _text_list(path, code, raw, "zones", required=True)
    unknown = [z for z in point_zones if z not in zones]
    if unknown:
        raise DataFileError(path, code, "zones", f"unknown zone '{unknown[0]}' (known: {', '.join(zones)})")
    evidence = raw.get("evidence")
    if not isinstance(evidence, dict) or evidence.get("level") not in EVIDENCE_LEVELS:
        raise DataFileError(path, code, "evidence.level", f"must be one of {', '.join(EVIDENCE_LEVELS)}")
    return Point(
        code=code,
        aliases=_text_list(path, code, raw, "aliases", required=False),
        used_for=_weights(path, code, raw, "used_for", vocabulary.complaints, required=True),
        sensations=_weights(path, code, raw, "sensations", vocabulary.sensations, required=False),
        pregnancy=pregnancy,
        zones=point_zones,
        cautions=cautions,
        evidence=Evidence(level=evidence["level"], note=_require_text(path, code, evidence, "note")),
        sources=_text_list(path, code, raw, "sources", required=True),
        **texts,
    )


def load_catalogue(path: Path = POINTS_FILE, vocabulary: Vocabulary | None = None) -> Catalogue:
    """Read and validate the catalogue; raises DataFileError on the first problem."""
    vocabulary = vocabulary or load_vocabulary()
    data = read_mapping(path)
    general = data.get("general")
    if not isinstance(general, dict):
        raise DataFileError(path, "general", "(section)", "must be a mapping with pressing and cautions")
    raw_points = data.get("points")
    if not isinstance(raw_points, dict) or not raw_points:
        raise DataFileError(path, "points", "(section)", "must be a non-empty mapping of code to point")
    zones = data.get("zones")
    if not isinstance(zones, list) or not zones or not all(isinstance(z, str) and z for z in zones):
        raise DataFileError(path, "zones", "(section)", "must list the body zone names")
    zones = tuple(zones)
    points = {str(code): _point(path, str(code), raw, vocabulary, zones) for code, raw in raw_points.items()}

    names: dict[str, str] = {}
    for point in points.values():
        for name in (*point.names, *_legacy_codes(point.code)):
            key = _name_key(name)
            owner = names.get(key)
            # A shared alias ("Sea of Vitality" is BL23 + BL52) resolves to the first point.
            if owner is None:
                names[key] = point.code
            elif name == point.code:
                raise DataFileError(path, point.code, "(key)", f"code clashes with a name of {owner}")
    return Catalogue(
        points=points,
        zones=zones,
        general_pressing=_require_text(path, "general", general, "pressing"),
        general_cautions=_cautions(path, "general", general.get("cautions"), "cautions"),
        _names=names,
    )


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The project's catalogue, loaded and validated once per process."""
    return load_catalogue()
