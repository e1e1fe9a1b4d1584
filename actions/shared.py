"""What every action module shares: the loaded data and the slot names (the contract).

Loading happens at import, so a broken catalogue stops the action server at start-up
with an error naming the file, the point and the field.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.core.catalogue import default_catalogue
from actions.core.vocabulary import default_vocabulary

VOCABULARY = default_vocabulary()
CATALOGUE = default_catalogue()

# Slots other parts of the system read through Rasa's tracker API (documented in README).
SLOT_RECOMMENDED_POINTS = "recommended_points"  # WHO codes, in the order given
SLOT_TRIAGE = "triage"  # "none" until the safety triage sets it
SLOT_COMPLAINTS = "complaints"  # canonical complaints of the current request
SLOT_SENSATIONS = "sensations"
SLOT_GUIDE_STEP = "guide_step"  # 1-based step of a running guided session, or None
SLOT_PENDING_OFFER = "pending_offer"  # what a "yes" now accepts: guided_session | next_step

BUTTON_GUIDE = {"title": "Guide me step by step", "payload": "/start_guided_session"}
BUTTON_MORE = {"title": "More points", "payload": "/more_points"}
AREA_BUTTONS = [
    {"title": "Lower back", "payload": '/describe_symptom{"body_area":"lower back"}'},
    {"title": "Neck", "payload": '/describe_symptom{"body_area":"neck"}'},
    {"title": "Sciatica", "payload": '/describe_symptom{"body_area":"sciatica"}'},
    {"title": "Headache", "payload": '/describe_symptom{"body_area":"headache"}'},
]


def slot_list(tracker: Tracker, name: str) -> list[str]:
    value: Any = tracker.get_slot(name)
    return [str(v) for v in value] if isinstance(value, list) else []
