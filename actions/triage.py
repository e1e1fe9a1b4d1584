"""Safety actions: the red-flag answer, the pregnancy question, the scope statement."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.advice import recommend
from actions.core.request import read_request
from actions.core.safety import PREGNANT, remembered_facts, turn_assessment
from actions.point_info import describe_points
from actions.recommend import fact_events, recommendation_events, send_recommendation
from actions.settings import emergency_contact, urgent_contact
from actions.shared import (
    CATALOGUE,
    SLOT_AGE,
    SLOT_GUIDE_STEP,
    SLOT_PENDING_OFFER,
    SLOT_PREGNANCY_CHECK,
    SLOT_PREGNANCY_STATUS,
    SLOT_RECOMMENDED_POINTS,
    SLOT_TRIAGE,
    VOCABULARY,
)  # fmt: skip

# Slots a new session keeps: what we know about the person, not the state of a dialogue.
CARRIED_OVER = (SLOT_PREGNANCY_STATUS, SLOT_AGE)


def _stop_dialogue(tracker: Tracker) -> list[EventType]:
    """Leave any form or guided session: safety comes before finishing them."""
    events: list[EventType] = [
        SlotSet(SLOT_GUIDE_STEP, None), SlotSet(SLOT_PENDING_OFFER, None), SlotSet(SLOT_PREGNANCY_CHECK, False),
    ]  # fmt: skip
    if tracker.active_loop_name:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


class ActionTriage(Action):
    """Answers a red-flag message: emergency care now, or a doctor today before anything else."""

    def name(self) -> str:
        return "action_triage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        remembered = remembered_facts(tracker.get_slot(SLOT_PREGNANCY_STATUS), tracker.get_slot(SLOT_AGE))
        assessment = turn_assessment(tracker.latest_message, remembered)
        events = [*fact_events(tracker), *_stop_dialogue(tracker)]
        reasons = [hit.reason for hit in assessment.hits if hit.level == assessment.level]

        if assessment.level == "emergency" or tracker.get_slot(SLOT_TRIAGE) == "emergency":
            for message in render.emergency_advice(reasons or [], emergency_contact()):
                dispatcher.utter_message(text=message)
            return [*events, SlotSet(SLOT_TRIAGE, "emergency"), SlotSet(SLOT_RECOMMENDED_POINTS, [])]

        dispatcher.utter_message(text=render.urgent_advice(reasons, urgent_contact()))
        events.append(SlotSet(SLOT_TRIAGE, "urgent"))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "ask_point":
            describe_points(dispatcher, tracker.latest_message)
            return events
        request = read_request(tracker.latest_message, VOCABULARY)
        if request.complaints:
            # Gentle self-care may follow the doctor advice. With pregnancy unknown there is
            # no time to ask first, so points with a pregnancy caution are left out.
            pregnant = assessment.facts.pregnant
            recommendation = recommend(
                CATALOGUE, VOCABULARY, request,
                pregnant=bool(pregnant), exclude_pregnancy_cautions=pregnant is None,
            )  # fmt: skip
            send_recommendation(dispatcher, recommendation)
            events += recommendation_events(request, list(recommendation.codes))
        return events


class ValidatePregnancyForm(FormValidationAction):
    """Reads the answer to "are you pregnant?": yes/no buttons or words like "20 weeks"."""

    def name(self) -> str:
        return "validate_pregnancy_form"

    async def extract_pregnancy_status(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != SLOT_PREGNANCY_STATUS:
            return {}
        facts = turn_assessment(tracker.latest_message, remembered_facts(None, None)).facts
        if facts.pregnant is None:
            return {}
        return {SLOT_PREGNANCY_STATUS: PREGNANT if facts.pregnant else "not_pregnant"}

    def validate_pregnancy_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value in (PREGNANT, "not_pregnant"):
            return {SLOT_PREGNANCY_STATUS: value}
        dispatcher.utter_message(response="utter_invalid_pregnancy_status")
        return {SLOT_PREGNANCY_STATUS: None}


class ActionSessionStart(Action):
    """Starts each conversation with the scope statement; keeps what we know about the person."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        events: list[EventType] = [SessionStarted()]
        events += [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_OVER if tracker.get_slot(name) is not None]
        dispatcher.utter_message(response="utter_scope")
        events.append(ActionExecuted("action_listen"))
        return events
