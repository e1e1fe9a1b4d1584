"""The guided session: walks the person through the recommended points one at a time."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.safety import SafetyState, point_verdict
from actions.shared import (
    AREA_BUTTONS,
    CATALOGUE,
    SLOT_GUIDE_STEP,
    SLOT_PENDING_OFFER,
    SLOT_RECOMMENDED_POINTS,
    blocked_by_emergency,
    safety_state,
    send_diagram,
    slot_list,
)

BUTTONS_IN_SESSION = [
    {"title": "Next point", "payload": "/next_step"},
    {"title": "Stop", "payload": "/stop_session"},
]


def _show_step(dispatcher: CollectingDispatcher, codes: list[str], step: int, state: SafetyState) -> list[EventType]:
    point = CATALOGUE.get(codes[step - 1])
    # A code from an older catalogue version is skipped rather than failing; a point that
    # is no longer safe for this person (a flag raised since it was given) is skipped, saying why.
    reason = point_verdict(point, state) if point else None
    if point is None or reason:
        if point is not None and reason:
            dispatcher.utter_message(text=render.avoid_point(point, reason))
        return _finish(dispatcher) if step >= len(codes) else _show_step(dispatcher, codes, step + 1, state)
    # The diagram comes first here, so the step's buttons stay on the last message.
    send_diagram(dispatcher, point, state)
    dispatcher.utter_message(text=render.guided_step(point, step, len(codes)), buttons=BUTTONS_IN_SESSION)
    return [SlotSet(SLOT_GUIDE_STEP, float(step)), SlotSet(SLOT_PENDING_OFFER, "next_step")]


def _finish(dispatcher: CollectingDispatcher) -> list[EventType]:
    dispatcher.utter_message(text=render.guided_done())
    return [SlotSet(SLOT_GUIDE_STEP, None), SlotSet(SLOT_PENDING_OFFER, None)]


def start_session(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    if blocked_by_emergency(dispatcher, tracker):
        return []
    codes = slot_list(tracker, SLOT_RECOMMENDED_POINTS)
    if not codes:
        dispatcher.utter_message(text=render.guide_needs_points(), buttons=AREA_BUTTONS)
        return []
    dispatcher.utter_message(text=render.guided_intro(len(codes)))
    return _show_step(dispatcher, codes, 1, safety_state(tracker))


def next_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    step = tracker.get_slot(SLOT_GUIDE_STEP)
    codes = slot_list(tracker, SLOT_RECOMMENDED_POINTS)
    if step is None or not codes:
        return start_session(dispatcher, tracker)
    if int(step) >= len(codes):
        return _finish(dispatcher)
    return _show_step(dispatcher, codes, int(step) + 1, safety_state(tracker))


def stop_session(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    dispatcher.utter_message(text=render.guided_stopped(tracker.get_slot(SLOT_GUIDE_STEP) is not None))
    return [SlotSet(SLOT_GUIDE_STEP, None), SlotSet(SLOT_PENDING_OFFER, None)]


class ActionStartGuidedSession(Action):
    """Starts a step-by-step session over the points recommended so far."""

    def name(self) -> str:
        return "action_start_guided_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return start_session(dispatcher, tracker)


class ActionGuideNextStep(Action):
    """Moves a guided session on to the next point, or finishes it."""

    def name(self) -> str:
        return "action_guide_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return next_step(dispatcher, tracker)


class ActionStopGuidedSession(Action):
    """Ends a guided session early."""

    def name(self) -> str:
        return "action_stop_guided_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return stop_session(dispatcher, tracker)


class ActionAnswerYes(Action):
    """Acts on a plain "yes": accepts whatever the bot last offered."""

    def name(self) -> str:
        return "action_answer_yes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        offer = tracker.get_slot(SLOT_PENDING_OFFER)
        if offer == "guided_session":
            return start_session(dispatcher, tracker)
        if offer == "next_step":
            return next_step(dispatcher, tracker)
        dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
        return []


class ActionAnswerNo(Action):
    """Acts on a plain "no": declines whatever the bot last offered."""

    def name(self) -> str:
        return "action_answer_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot(SLOT_PENDING_OFFER) == "next_step":
            return stop_session(dispatcher, tracker)
        dispatcher.utter_message(text=render.declined())
        return [SlotSet(SLOT_PENDING_OFFER, None)]
