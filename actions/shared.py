"""What every action module shares: the loaded data and the slot names (the contract).

Loading happens at import, so a broken catalogue stops the action server at start-up
with an error naming the file, the point and the field.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.core import render
from actions.core.catalogue import Point, default_catalogue
from actions.core.diagrams import default_diagrams, diagram_message
from actions.core.safety import (
    SafetyState,
    merged_pregnancy,
    point_verdict,
    pregnancy_slot_value,
    remembered_facts,
    turn_assessment,
)
from actions.core.triage import Facts
from actions.core.vocabulary import default_vocabulary
from actions.settings import PUBLIC_URL, emergency_contact

VOCABULARY = default_vocabulary()
CATALOGUE = default_catalogue()
DIAGRAMS = default_diagrams()  # checked against the catalogue: every point has one

# Slots other parts of the system read through Rasa's tracker API (documented in README).
SLOT_RECOMMENDED_POINTS = "recommended_points"  # WHO codes, in the order given
SLOT_TRIAGE = "triage"  # none | urgent | emergency: the most serious level this session; never goes down
SLOT_SAFETY = "safety"  # the session's SafetyState (reasons, ruled-out zones), set by SafetyPolicy
SLOT_COMPLAINTS = "complaints"  # canonical complaints of the current request
SLOT_SENSATIONS = "sensations"
SLOT_GUIDE_STEP = "guide_step"  # 1-based step of a running guided session, or None
SLOT_PENDING_OFFER = "pending_offer"  # what a "yes" now accepts: guided_session | next_step
SLOT_PREGNANCY_STATUS = "pregnancy_status"  # pregnant | possibly_pregnant | not_pregnant | None
SLOT_PREGNANCY_CHECK = "pregnancy_check_needed"  # true: ask before recommending (rules)
SLOT_AGE = "age"
SLOT_SEVERITY = "severity"  # 0-10 of the request under discussion

BUTTON_GUIDE = {"title": "Guide me step by step", "payload": "/start_guided_session"}
BUTTON_MORE = {"title": "More points", "payload": "/more_points"}
AREA_BUTTONS = [
    {"title": "Lower back", "payload": '/describe_symptom{"body_area":"lower back"}'},
    {"title": "Neck", "payload": '/describe_symptom{"body_area":"neck"}'},
    {"title": "Sciatica", "payload": '/describe_symptom{"body_area":"sciatica"}'},
    {"title": "Headache", "payload": '/describe_symptom{"body_area":"headache"}'},
]


# Set on every recommendation even when unchanged: the rules match on this event.
ALWAYS_SET = frozenset({SLOT_PREGNANCY_CHECK})


def changed_slots_only(tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out slot events that would not change the slot's value.

    Rasa validates, stores and reloads every event an action returns; on a symptom turn
    about half of ours repeated the value the slot already had.
    """
    values = dict(tracker.slots)
    kept = []
    for event in events:
        name = event.get("name")
        if event.get("event") == "slot" and name not in ALWAYS_SET and name in values:
            if values[name] == event.get("value"):
                continue
            values[name] = event.get("value")
        kept.append(event)
    return kept


def slot_list(tracker: Tracker, name: str) -> list[str]:
    value: Any = tracker.get_slot(name)
    return [str(v) for v in value] if isinstance(value, list) else []


def conversation_facts(tracker: Tracker) -> Facts:
    """Pregnancy and age: remembered in slots, updated by the latest message."""
    remembered = remembered_facts(tracker.get_slot(SLOT_PREGNANCY_STATUS), tracker.get_slot(SLOT_AGE))
    return turn_assessment(tracker.latest_message, remembered).facts


def pregnancy_status(tracker: Tracker) -> str | None:
    """The stored pregnancy status, updated by what the latest message says."""
    said = pregnancy_slot_value(turn_assessment(tracker.latest_message, Facts()).facts)
    return merged_pregnancy(tracker.get_slot(SLOT_PREGNANCY_STATUS), said)


def safety_state(tracker: Tracker) -> SafetyState:
    """What the session has established: the input of every decision about points."""
    return SafetyState.from_slots(
        tracker.get_slot(SLOT_SAFETY), tracker.get_slot(SLOT_TRIAGE), pregnancy_status(tracker)
    )


def blocked_by_emergency(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """After an emergency flag this session, every request for points gets the warning again."""
    if tracker.get_slot(SLOT_TRIAGE) != "emergency":
        return False
    dispatcher.utter_message(text=render.emergency_reminder(emergency_contact()))
    return True


def send_diagram(dispatcher: CollectingDispatcher, point: Point, state: SafetyState) -> bool:
    """The point's diagram as its own message: `image` for every channel, and `custom` with
    the alt text (the location) for channels that show it. Callers pass only points the
    safety decision allows; the verdict is checked again so no held-back point (and
    nothing after an emergency) ever gets a picture. True when one was sent."""
    if point_verdict(point, state) is not None:
        return False
    message = diagram_message(point, PUBLIC_URL)
    dispatcher.utter_message(image=message["image"], json_message=message["custom"])
    return True
