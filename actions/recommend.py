"""Actions that recommend points for what the person described."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.advice import Recommendation, recommend
from actions.core.request import SymptomRequest, read_request
from actions.shared import (
    AREA_BUTTONS,
    BUTTON_GUIDE,
    BUTTON_MORE,
    CATALOGUE,
    SLOT_COMPLAINTS,
    SLOT_GUIDE_STEP,
    SLOT_PENDING_OFFER,
    SLOT_RECOMMENDED_POINTS,
    SLOT_SENSATIONS,
    SLOT_TRIAGE,
    VOCABULARY,
    slot_list,
)  # fmt: skip

GUIDE_OFFER = "Would you like me to guide you through them step by step?"


def _send(dispatcher: CollectingDispatcher, recommendation: Recommendation) -> None:
    for message in recommendation.messages:
        dispatcher.utter_message(text=message)
    if recommendation.codes:
        buttons = [BUTTON_GUIDE, BUTTON_MORE] if recommendation.has_more else [BUTTON_GUIDE]
        dispatcher.utter_message(text=GUIDE_OFFER, buttons=buttons)


def _events(request: SymptomRequest, codes: list[str], offer: str | None) -> list[EventType]:
    return [
        SlotSet(SLOT_RECOMMENDED_POINTS, codes),
        SlotSet(SLOT_COMPLAINTS, list(request.complaints)),
        SlotSet(SLOT_SENSATIONS, list(request.sensations)),
        SlotSet(SLOT_TRIAGE, "none"),
        SlotSet(SLOT_GUIDE_STEP, None),
        SlotSet(SLOT_PENDING_OFFER, offer),
    ]


class ActionRecommendPoints(Action):
    """Answers a symptom description with up to three points and the reminders that apply."""

    def name(self) -> str:
        return "action_recommend_points"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        request = read_request(tracker.latest_message, VOCABULARY)
        truncated_from = tracker.latest_message.get("truncated_from")
        if truncated_from:
            dispatcher.utter_message(text=render.truncated_note(int(truncated_from)))
        previous = slot_list(tracker, SLOT_COMPLAINTS)
        if (
            not request.complaints
            and not request.uncovered
            and previous
            and (request.sensations or request.sides or request.severity)
        ):
            # "it's the left side, quite sharp" refines the complaint already under way.
            request = SymptomRequest(
                complaints=tuple(previous), sensations=request.sensations, sides=request.sides,
                severity=request.severity, duration_days=request.duration_days,
            )  # fmt: skip
        if not request.complaints and not request.uncovered:
            dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
            return [SlotSet(SLOT_TRIAGE, "none")]
        recommendation = recommend(CATALOGUE, VOCABULARY, request)
        _send(dispatcher, recommendation)
        codes = list(recommendation.codes)
        return _events(request, codes, "guided_session" if codes else None)


class ActionMorePoints(Action):
    """Gives the next points for the complaint already under discussion."""

    def name(self) -> str:
        return "action_more_points"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        complaints = slot_list(tracker, SLOT_COMPLAINTS)
        if not complaints:
            dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
            return []
        shown = slot_list(tracker, SLOT_RECOMMENDED_POINTS)
        request = SymptomRequest(
            complaints=tuple(complaints), sensations=tuple(slot_list(tracker, SLOT_SENSATIONS))
        )
        recommendation = recommend(CATALOGUE, VOCABULARY, request, already_shown=tuple(shown))
        _send(dispatcher, recommendation)
        return _events(request, shown + list(recommendation.codes), "guided_session")
