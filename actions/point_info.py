"""Answers questions about a named point ("where is LI4?"), from the same catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.catalogue import Point
from actions.core.safety import SafetyState, point_verdict
from actions.core.triage import default_checker
from actions.shared import CATALOGUE, VOCABULARY, blocked_by_emergency, safety_state, send_diagram

MAX_POINTS_PER_ANSWER = 3


def points_asked_about(parse_data: dict[str, Any]) -> list[Point]:
    """Points named by the NLU's `point` entities, or anywhere in the text."""
    found: list[Point] = []
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == "point":
            point = CATALOGUE.find(str(entity.get("value", "")))
            if point and point not in found:
                found.append(point)
    for point in CATALOGUE.find_all(str(parse_data.get("text") or "")):
        if point not in found:
            found.append(point)
    return found[:MAX_POINTS_PER_ANSWER]


class ActionDescribePoint(Action):
    """Describes a named point: where it is, how to press it, what it is used for."""

    def name(self) -> str:
        return "action_describe_point"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from actions.guided import pause_for_digression  # guided imports this module

        paused = pause_for_digression(dispatcher, tracker)  # a point question mid-session pauses it
        if blocked_by_emergency(dispatcher, tracker):
            return paused
        describe_points(dispatcher, tracker.latest_message, safety_state(tracker))
        return paused


def describe_points(dispatcher: CollectingDispatcher, parse_data: dict[str, Any], state: SafetyState) -> None:
    """Each point asked about; one this person should not press gets "avoid it" and why,
    instead of how to press it."""
    points = points_asked_about(parse_data)
    if not points and default_checker().facts_in(str(parse_data.get("text") or "")).pregnant:
        # "which points should I avoid while pregnant?" names no point but has an answer
        dispatcher.utter_message(text=pregnancy_overview())
        return
    if not points:
        dispatcher.utter_message(text=render.unknown_point(sorted(CATALOGUE.points)))
        return
    for point in points:
        reason = point_verdict(point, state)
        if reason:
            dispatcher.utter_message(text=render.avoid_point(point, reason))
            continue
        uses = [VOCABULARY.label(c) for c, _ in sorted(point.used_for.items(), key=lambda kv: -kv[1])]
        card, *rest = render.point_details(point, CATALOGUE, uses)
        dispatcher.utter_message(text=card)
        send_diagram(dispatcher, point, state)
        for message in rest:
            dispatcher.utter_message(text=message)


def pregnancy_overview() -> str:
    points = sorted(CATALOGUE.points.values(), key=lambda p: p.code)
    return render.pregnancy_points([p for p in points if p.pregnancy == "avoid"],
                                   [p for p in points if p.pregnancy == "caution"])  # fmt: skip
