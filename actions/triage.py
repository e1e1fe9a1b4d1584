"""Safety actions: the red-flag answer, the pregnancy question, the scope statement."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.advice import recommend
from actions.core.pregnancy import read_pregnancy_answer
from actions.core.request import read_request
from actions.core.safety import PREGNANCY_VALUES, remembered_facts, turn_assessment
from actions.core.triage import Facts
from actions.guided import interrupt_for_red_flag
from actions.point_info import describe_points
from actions.recommend import fact_events, recommendation_events, send_recommendation
from actions.settings import emergency_contact, urgent_contact
from actions.shared import (
    CATALOGUE,
    SLOT_AGE,
    SLOT_PENDING_OFFER,
    SLOT_PREGNANCY_CHECK,
    SLOT_PREGNANCY_STATUS,
    SLOT_RECOMMENDED_POINTS,
    SLOT_SAFETY,
    SLOT_TRIAGE,
    VOCABULARY,
    pregnancy_status,
    safety_state,
)  # fmt: skip


# Slots a new session keeps: what we know about the person, not the state of a dialogue
# (which points helped them is remembered, a guided session is offered again, not resumed).
def _stop_dialogue(tracker: Tracker, emergency: bool) -> list[EventType]:
    """Leave any form, and end (emergency) or pause (urgent) a guided session: safety
    comes before finishing them."""
    events: list[EventType] = [
        *interrupt_for_red_flag(tracker, emergency), SlotSet(SLOT_PENDING_OFFER, None),
        SlotSet(SLOT_PREGNANCY_CHECK, False),
    ]  # fmt: skip
    if tracker.active_loop_name:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


class ActionTriage(Action):
    """Answers a red-flag message: emergency care now, or a doctor today before anything else."""

    def name(self) -> str:
        return "action_triage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        remembered = remembered_facts(pregnancy_status(tracker), tracker.get_slot(SLOT_AGE))
        assessment = turn_assessment(tracker.latest_message, remembered)
        # The SafetyPolicy has already added this turn (and earlier ones) to the session's
        # state; adding the message again keeps the answer right where it did not run.
        state = safety_state(tracker).including(assessment)
        events = [*fact_events(tracker), *_stop_dialogue(tracker, state.level == "emergency"),
                  SlotSet(SLOT_TRIAGE, state.level), SlotSet(SLOT_SAFETY, state.as_slot())]  # fmt: skip
        reasons = [hit.reason for hit in assessment.hits if hit.level == state.level] or list(state.reasons)

        if state.level == "emergency":
            for message in render.emergency_advice(reasons, emergency_contact()):
                dispatcher.utter_message(text=message)
            return [*events, SlotSet(SLOT_RECOMMENDED_POINTS, [])]

        dispatcher.utter_message(text=render.urgent_advice(reasons, urgent_contact()))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "ask_point":
            describe_points(dispatcher, tracker.latest_message, state)
            return events
        request = read_request(tracker.latest_message, VOCABULARY)
        if request.complaints:
            # Gentle self-care may follow the doctor advice. With pregnancy unknown there is
            # no time to ask first, so points with a pregnancy caution are left out.
            recommendation = recommend(
                CATALOGUE, VOCABULARY, request, state=state, pregnancy_unknown_excludes=True, remind_urgent=False
            )
            send_recommendation(dispatcher, recommendation, state)
            events += recommendation_events(request, list(recommendation.codes))
        elif state.advice:
            for line in state.advice:
                dispatcher.utter_message(text=line)
        return events


class ValidatePregnancyForm(FormValidationAction):
    """Reads the answer to "are you pregnant?", conservatively: only a clear no unlocks the
    points with a pregnancy caution; "maybe", "not sure", "trying for a baby" or "my period
    is late" count as possibly pregnant."""

    def name(self) -> str:
        return "validate_pregnancy_form"

    async def extract_pregnancy_status(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != SLOT_PREGNANCY_STATUS:
            return {}
        text = str(tracker.latest_message.get("text") or "")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        status = read_pregnancy_answer(text, intent, turn_assessment(tracker.latest_message, Facts()).facts)
        return {SLOT_PREGNANCY_STATUS: status} if status else {}

    def validate_pregnancy_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value in PREGNANCY_VALUES:
            return {SLOT_PREGNANCY_STATUS: value}
        dispatcher.utter_message(response="utter_invalid_pregnancy_status")
        return {SLOT_PREGNANCY_STATUS: None}
