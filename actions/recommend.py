"""Actions that recommend points for what the person described."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.advice import Recommendation, needs_pregnancy_check, recommend
from actions.core.guide_answers import wants_guiding
from actions.core.guide_flow import START
from actions.core.request import SymptomRequest, read_request
from actions.core.safety import SafetyState
from actions.core.symptoms import Severity
from actions.guided import guide_running, pause_for_digression, run_session
from actions.shared import (
    AREA_BUTTONS,
    BUTTON_GUIDE,
    BUTTON_MORE,
    CATALOGUE,
    SLOT_AGE,
    SLOT_COMPLAINTS,
    SLOT_PENDING_OFFER,
    SLOT_PREGNANCY_CHECK,
    SLOT_PREGNANCY_STATUS,
    SLOT_RECOMMENDED_POINTS,
    SLOT_SENSATIONS,
    SLOT_SEVERITY,
    VOCABULARY,
    blocked_by_emergency,
    changed_slots_only,
    conversation_facts,
    pregnancy_status,
    safety_state,
    send_diagram,
    slot_list,
)  # fmt: skip

GUIDE_OFFER = "Would you like me to guide you through them step by step?"
# A pain score or a side said outside a guided session describes the complaint too.
SYMPTOM_INTENTS = ("describe_symptom", "rate_pain", "guide_answer")


def send_recommendation(dispatcher: CollectingDispatcher, recommendation: Recommendation, state: SafetyState) -> None:
    """Every bubble, with each point's diagram right after its card."""
    cards = dict(zip(recommendation.card_index, recommendation.codes, strict=True))
    for index, message in enumerate(recommendation.messages):
        dispatcher.utter_message(text=message)
        point = CATALOGUE.get(cards[index]) if index in cards else None
        if point is not None:
            send_diagram(dispatcher, point, state)
    if recommendation.codes:
        buttons = [BUTTON_GUIDE, BUTTON_MORE] if recommendation.has_more else [BUTTON_GUIDE]
        dispatcher.utter_message(text=GUIDE_OFFER, buttons=buttons)


def request_events(request: SymptomRequest) -> list[EventType]:
    """Remember the request, so "more points" or a pregnancy answer can continue it."""
    return [
        SlotSet(SLOT_COMPLAINTS, list(request.complaints)),
        SlotSet(SLOT_SENSATIONS, list(request.sensations)),
        SlotSet(SLOT_SEVERITY, float(request.severity.score) if request.severity else None),
    ]


def stored_request(tracker: Tracker) -> SymptomRequest:
    severity = tracker.get_slot(SLOT_SEVERITY)
    return SymptomRequest(
        complaints=tuple(slot_list(tracker, SLOT_COMPLAINTS)),
        sensations=tuple(slot_list(tracker, SLOT_SENSATIONS)),
        severity=Severity(int(severity), f"{int(severity)}/10") if isinstance(severity, (int, float)) else None,
    )


def current_request(tracker: Tracker) -> SymptomRequest:
    """The request in the latest message, or the stored one when the message only answered
    a question (after the pregnancy question) or only refined the complaint."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    request = read_request(tracker.latest_message, VOCABULARY)
    if intent not in SYMPTOM_INTENTS:
        return stored_request(tracker) if slot_list(tracker, SLOT_COMPLAINTS) else request
    previous = slot_list(tracker, SLOT_COMPLAINTS)
    if (
        not request.complaints
        and not request.uncovered
        and previous
        and not (request.sensations or request.sides or request.severity)
    ):
        # Nothing about the complaint at all: an answer to the pregnancy question that the
        # NLU read as a symptom ("we're trying for a baby") goes on with the stored request.
        return stored_request(tracker)
    if (
        not request.complaints
        and not request.uncovered
        and previous
        and (request.sensations or request.sides or request.severity)
    ):
        # "it's the left side, quite sharp" refines the complaint already under way.
        return SymptomRequest(
            complaints=tuple(previous), sensations=request.sensations, sides=request.sides,
            severity=request.severity, duration_days=request.duration_days,
        )  # fmt: skip
    return request


def recommendation_events(request: SymptomRequest, codes: list[str]) -> list[EventType]:
    return [
        SlotSet(SLOT_RECOMMENDED_POINTS, codes),
        *request_events(request),
        SlotSet(SLOT_PENDING_OFFER, "guided_session" if codes else None),
        SlotSet(SLOT_PREGNANCY_CHECK, False),
    ]


def fact_events(tracker: Tracker) -> list[EventType]:
    """Store pregnancy and age stated in the latest message for the rest of the conversation."""
    facts = conversation_facts(tracker)
    events: list[EventType] = []
    status = pregnancy_status(tracker)
    if status and status != tracker.get_slot(SLOT_PREGNANCY_STATUS):
        events.append(SlotSet(SLOT_PREGNANCY_STATUS, status))
    if facts.age is not None and facts.age != tracker.get_slot(SLOT_AGE):
        events.append(SlotSet(SLOT_AGE, float(facts.age)))
    return events


class ActionRecommendPoints(Action):
    """Answers a symptom description with up to three points and the reminders that apply.

    When a point it is about to give carries a pregnancy caution and the conversation does
    not know yet whether the person is pregnant, it sets `pregnancy_check_needed` instead,
    and the pregnancy form asks first; the rules then run this action again.
    """

    def name(self) -> str:
        return "action_recommend_points"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if wants_guiding(str(tracker.latest_message.get("text") or "")) and not guide_running(tracker):
            # "guide me, my lower back is stiff" read as a symptom: the guided session answers it.
            return [*run_session(dispatcher, tracker, START), SlotSet(SLOT_PREGNANCY_CHECK, False)]
        paused = pause_for_digression(dispatcher, tracker)  # a new complaint mid-session pauses it
        return [*paused, *changed_slots_only(tracker, self.answer(dispatcher, tracker))]

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        events = fact_events(tracker)
        done = [*events, SlotSet(SLOT_PREGNANCY_CHECK, False)]
        if blocked_by_emergency(dispatcher, tracker):
            return done
        truncated_from = tracker.latest_message.get("truncated_from")
        if truncated_from:
            dispatcher.utter_message(text=render.truncated_note(int(truncated_from)))
        request = current_request(tracker)
        if not request.complaints and not request.uncovered:
            if request.severity and request.severity.is_severe:
                # Severe pain hears about the clinician first, even before we know where.
                dispatcher.utter_message(text=render.severe_pain_warning(request.severity))
            else:
                # A complaint without a place still hears when to see a clinician.
                dispatcher.utter_message(text=render.CLINICIAN_REMINDER)
            dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
            return done

        state = safety_state(tracker)
        # After an urgent flag the doctor comes first: no question before the gentle points,
        # and those with a pregnancy caution are left out while pregnancy is unknown.
        urgent = state.level == "urgent"
        if state.pregnancy_unknown and not urgent and request.complaints and needs_pregnancy_check(CATALOGUE, request):
            return [*events, *request_events(request), SlotSet(SLOT_PREGNANCY_CHECK, True)]
        recommendation = recommend(CATALOGUE, VOCABULARY, request, state=state, pregnancy_unknown_excludes=urgent)
        send_recommendation(dispatcher, recommendation, state)
        return [*events, *recommendation_events(request, list(recommendation.codes))]


class ActionMorePoints(Action):
    """Gives the next points for the complaint already under discussion."""

    def name(self) -> str:
        return "action_more_points"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        paused = pause_for_digression(dispatcher, tracker)
        return [*paused, *self.answer(dispatcher, tracker)]

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if blocked_by_emergency(dispatcher, tracker):
            return []
        complaints = slot_list(tracker, SLOT_COMPLAINTS)
        if not complaints:
            dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
            return []
        shown = slot_list(tracker, SLOT_RECOMMENDED_POINTS)
        request = SymptomRequest(complaints=tuple(complaints), sensations=tuple(slot_list(tracker, SLOT_SENSATIONS)))
        state = safety_state(tracker)
        recommendation = recommend(
            CATALOGUE, VOCABULARY, request, state=state, already_shown=tuple(shown), pregnancy_unknown_excludes=True,
        )  # fmt: skip
        send_recommendation(dispatcher, recommendation, state)
        return recommendation_events(request, shown + list(recommendation.codes))
