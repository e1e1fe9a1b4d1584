"""Turn one parsed user message (Rasa's parse data as a plain dict) into a symptom request."""

from __future__ import annotations

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


def read_request(parse_data: Mapping[str, Any], vocabulary: Vocabulary) -> SymptomRequest:
    """Build the request from entities, falling back to the raw text for what they missed."""
    entities = parse_data.get("entities") or []
    text = str(parse_data.get("text") or "")
    area_values = _values(entities, *COMPLAINT_ENTITIES)

    complaints = _unique(vocabulary.complaint(v) for v in area_values)
    # An uncovered area is named back only from the person's own words: the entity's span
    # of the text (a synonym mapping may have changed its value), matched word for word.
    spans = _spans(entities, text, *COMPLAINT_ENTITIES)
    uncovered = _unique(vocabulary.uncovered_area(s) for s in spans if not vocabulary.complaint(s))
    if not complaints:
        # The NLU can miss an area it has not seen; the vocabulary still knows the word.
        complaints = tuple(vocabulary.complaints_in_text(text))
    if not complaints and not uncovered:
        uncovered = tuple(vocabulary.uncovered_in_text(text))

    sensation_values = _values(entities, "sensation") or text.split()
    return SymptomRequest(
        complaints=complaints,
        sensations=_unique(vocabulary.sensation(v) for v in sensation_values if len(v) > 2),
        sides=_unique(vocabulary.side(v) for v in _values(entities, "side")),
        severity=severity_of([*_values(entities, "severity"), text]),
        duration_days=duration_days([*_values(entities, "duration"), text]),
        uncovered=uncovered,
    )
