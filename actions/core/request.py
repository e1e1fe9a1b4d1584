"""Turn one parsed user message (Rasa's parse data as a plain dict) into a symptom request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from actions.core.symptoms import Severity, duration_days, severity_of
from actions.core.vocabulary import COMPLAINT_ENTITIES, Vocabulary


@dataclass(frozen=True)
class SymptomRequest:
    """What the person asked about, normalised to catalogue terms."""

    complaints: tuple[str, ...] = ()
    sensations: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    severity: Severity | None = None
    duration_days: int | None = None
    uncovered: tuple[str, ...] = field(default=())  # areas named that we have no points for


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _values(entities: Iterable[Mapping[str, Any]], *names: str) -> list[str]:
    return [str(e.get("value")) for e in entities if e.get("entity") in names and e.get("value") is not None]


def _spans(entities: Iterable[Mapping[str, Any]], text: str, *names: str) -> list[str]:
    """The words of the text each entity was found in (its value when it has no span)."""
    spans = []
    for e in entities:
        if e.get("entity") not in names:
            continue
        start, end = e.get("start"), e.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append(text[start:end])
        elif e.get("value") is not None and str(e["value"]).lower() in text.lower():
            spans.append(str(e["value"]))
    return spans


# How people say which of several complaints matters most ("the stress is the main thing,
# the neck is just a side effect"): a clause with a cue of the first kind goes first, one
# with a cue of the second kind last; otherwise the order they were named in.
_CLAUSE = re.compile(r"[,.;:!?()]+|\s(?:but|though|although|while|whereas)\s", re.IGNORECASE)
_MAIN = re.compile(
    r"\b(?:main(?:ly)?|mostly|most of all|above all|especially|primarily|biggest|worst (?:of it|part|thing)|"
    r"number one|more than anything|really (?:need|want) help with)\b",
    re.IGNORECASE,
)
_MINOR = re.compile(
    r"\b(?:a (?:little )?bit|a little|slightly|as well|too|also|side effect|minor|less|not so much|secondary)\b",
    re.IGNORECASE,
)


def _by_emphasis(complaints: tuple[str, ...], text: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    if len(complaints) < 2:
        return complaints
    rank = dict.fromkeys(complaints, 1)
    for clause in _CLAUSE.split(text):
        weight = 0 if _MAIN.search(clause) else 2 if _MINOR.search(clause) else None
        if weight is None:
            continue
        for name in vocabulary.complaints_in_text(clause):
            if name in rank and rank[name] == 1:
                rank[name] = weight
    return tuple(sorted(complaints, key=lambda name: rank[name]))  # stable: named order within a rank


def _entity_complaints(
    entity: Mapping[str, Any], text: str, in_text: list[tuple[int, int, str]], vocabulary: Vocabulary
) -> list[str]:
    """The complaints one entity names. Where its span overlaps the vocabulary's words in
    the text, those words decide: the NLU's "back" inside "upper back", or "shoulder" inside
    "between my shoulder blades", is the upper back; "neck and shoulders" is both."""
    if entity.get("entity") not in COMPLAINT_ENTITIES or entity.get("value") is None:
        return []
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        overlapping = [name for s, e, name in in_text if s < end and start < e]
        if overlapping:
            return overlapping
    name = vocabulary.complaint(str(entity["value"]))
    return [name] if name else []


def _inside(entity: Mapping[str, Any], spans: list[tuple[int, int]]) -> bool:
    start, end = entity.get("start"), entity.get("end")
    return isinstance(start, int) and isinstance(end, int) and any(s <= start and end <= e for s, e in spans)


def _starts(entities: Iterable[Mapping[str, Any]], vocabulary: Vocabulary) -> dict[str, int]:
    starts: dict[str, int] = {}
    for e in entities:
        if e.get("entity") in COMPLAINT_ENTITIES and e.get("value") is not None:
            name = vocabulary.complaint(str(e["value"]))
            if name and isinstance(e.get("start"), int):
                starts.setdefault(name, e["start"])
    return starts


def read_request(parse_data: Mapping[str, Any], vocabulary: Vocabulary) -> SymptomRequest:
    """Build the request from entities, falling back to the raw text for what they missed."""
    text = str(parse_data.get("text") or "")
    # an entity inside a phrase that names no complaint is dropped: the "back" of "can't get
    # back to sleep", the "arm" of "a point on the arm"
    decoys = vocabulary.decoy_spans(text)
    entities = [e for e in parse_data.get("entities") or [] if not _inside(e, decoys)]
    in_text = vocabulary.complaint_spans(text)
    complaints = _unique(name for e in entities for name in _entity_complaints(e, text, in_text, vocabulary))
    # An uncovered area is named back only from the person's own words: the entity's span
    # of the text (a synonym mapping may have changed its value), matched word for word.
    spans = _spans(entities, text, *COMPLAINT_ENTITIES)
    uncovered = _unique(vocabulary.uncovered_area(s) for s in spans if not vocabulary.complaint(s))
    positions = vocabulary.complaint_positions(text)
    if not complaints:
        # The NLU can miss an area it has not seen; the vocabulary still knows the word.
        complaints = tuple(positions)
    else:
        # "stressed, whole back tight": the NLU found one kind of complaint (a body area or a
        # concern) and missed the other; the vocabulary's words for the other kind count too,
        # and of the same kind a concern ("stressed ... barely sleeping") or an area of
        # several words ("MY LOW BACK AND HIP"): a lone "back" or "head" of the same kind
        # is too often no complaint ("lean back", "head home").
        found_kinds = {vocabulary.complaints[c].entity for c in complaints}
        complaints = _unique(
            [*complaints, *(name for start, end, name in in_text
                            if vocabulary.complaints[name].entity not in found_kinds
                            or vocabulary.complaints[name].entity == "concern" or " " in text[start:end])]
        )  # fmt: skip
        # In the order the person named them (an entity's start where the words are not listed).
        starts = _starts(entities, vocabulary)
        complaints = tuple(sorted(complaints, key=lambda c: positions.get(c, starts.get(c, len(text)))))
    complaints = _by_emphasis(complaints, text, vocabulary)
    if "nausea" in complaints:
        # "my stomach feels sickly": the sickness is felt there, it is no stomach pain
        uncovered = tuple(u for u in uncovered if u != "abdomen")
    if not complaints and not uncovered:
        uncovered = tuple(vocabulary.uncovered_in_text(text))
    if not complaints and not uncovered:
        complaints = tuple(vocabulary.complaints_misspelt_in_text(text))

    sensation_values = _values(entities, "sensation") or text.split()
    return SymptomRequest(
        complaints=complaints,
        sensations=_unique(vocabulary.sensation(v) for v in sensation_values if len(v) > 2),
        sides=_unique(vocabulary.side(v) for v in _values(entities, "side")),
        severity=severity_of([*_values(entities, "severity"), text]),
        duration_days=duration_days([*_values(entities, "duration"), text]),
        uncovered=uncovered,
    )
