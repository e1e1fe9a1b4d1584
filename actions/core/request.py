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


def read_request(parse_data: Mapping[str, Any], vocabulary: Vocabulary) -> SymptomRequest:
    """Build the request from entities, falling back to the raw text for what they missed."""
    entities = parse_data.get("entities") or []
    text = str(parse_data.get("text") or "")
    area_values = _values(entities, *COMPLAINT_ENTITIES)

    complaints = _unique(vocabulary.complaint(v) for v in area_values)
    uncovered = _unique(vocabulary.uncovered_area(v) for v in area_values if not vocabulary.complaint(v))
    if not complaints:
        # The NLU can miss an area it has not seen; the vocabulary still knows the word.
        complaints = tuple(vocabulary.complaints_in_text(text))
    if not complaints and not uncovered:
        uncovered = _unique(vocabulary.uncovered_area(word) for word in text.split())

    sensation_values = _values(entities, "sensation") or text.split()
    return SymptomRequest(
        complaints=complaints,
        sensations=_unique(vocabulary.sensation(v) for v in sensation_values if len(v) > 2),
        sides=_unique(vocabulary.side(v) for v in _values(entities, "side")),
        severity=severity_of([*_values(entities, "severity"), text]),
        duration_days=duration_days([*_values(entities, "duration"), text]),
        uncovered=uncovered,
    )
