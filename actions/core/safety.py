"""The safety decision both processes share: how serious is this turn, given the past?

The Rasa server's RedFlagDetector puts the message's triage in the parse data; the
SafetyPolicy and the actions combine it with what earlier turns established (stored in
slots) through these functions, so both always reach the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actions.core.triage import Assessment, Facts

TRIAGE_KEY = "triage"  # key of the assessment in Rasa's parse data
PREGNANT, NOT_PREGNANT = "pregnant", "not_pregnant"


def remembered_facts(pregnancy_status: Any, age: Any) -> Facts:
    """Facts from slot values (None when a slot is empty or malformed)."""
    pregnant = (
        {PREGNANT: True, NOT_PREGNANT: False}.get(pregnancy_status) if isinstance(pregnancy_status, str) else None
    )
    return Facts(pregnant=pregnant, age=int(age) if isinstance(age, (int, float)) else None)


def turn_assessment(parse_data: Mapping[str, Any], remembered: Facts) -> Assessment:
    """The latest message's triage, resolved against remembered facts."""
    return Assessment.from_dict(parse_data.get(TRIAGE_KEY)).resolved(remembered)


def pregnancy_slot_value(facts: Facts) -> str | None:
    if facts.pregnant is None:
        return None
    return PREGNANT if facts.pregnant else NOT_PREGNANT
