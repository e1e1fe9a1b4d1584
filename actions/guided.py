"""The guided session's Rasa glue: turn in, `guide_flow.advance`, messages and slots out.

Every decision is in actions/core/guide_flow.py; this module gathers what it needs
(candidate points, what safety holds back, remembered results), sends the wording from
actions/core/render.py and writes the `guide`, `guide_step` and `point_results` slots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.core import render
from actions.core.advice import recommend
from actions.core.guide_flow import (
    ANSWER,
    PAUSE,
    SKIP,
    START,
    STOP,
    Context,
    GuideState,
    Plan,
    Say,
    advance,
    helped_codes,
    input_for,
    order_by_results,
)
from actions.core.pregnancy import read_pregnancy_answer
from actions.core.request import read_request
from actions.core.safety import SafetyState, point_verdict, turn_assessment
from actions.core.triage import Facts, higher
from actions.point_info import points_asked_about
from actions.settings import GUIDE_PRESS_SECONDS
from actions.shared import (
    AREA_BUTTONS,
    CATALOGUE,
    SLOT_GUIDE_STEP,
    SLOT_PENDING_OFFER,
    SLOT_PREGNANCY_STATUS,
    SLOT_RECOMMENDED_POINTS,
    SLOT_SEVERITY,
    SLOT_TRIAGE,
    VOCABULARY,
    blocked_by_emergency,
    safety_state,
    send_diagram,
    slot_list,
)

SLOT_GUIDE = "guide"  # the session's GuideState (guide_flow.GuideState.as_slot)
SLOT_RESULTS = "point_results"  # {code: {"helped": n, "not_helped": m}}, kept across sessions
TIMER_NAME = "guide_timer"
TIMER_INTENT = "guide_time_up"
# Channels that can receive a message the person did not just ask for (a reminder).
TIMED_CHANNELS = frozenset({"socketio", "telegram"})
MIDLINE_MERIDIANS = ("GV", "CV")  # points on the body's midline have no second side


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def results_of(tracker: Tracker) -> dict[str, Any]:
    value = tracker.get_slot(SLOT_RESULTS)
    return value if isinstance(value, dict) else {}


def _candidates(tracker: Tracker, state: GuideState, event: str) -> tuple[str, ...]:
    """Points for what is known now: a point named, the complaint in this message, the
    points already recommended; ordered by what helped this person before."""
    if event not in (START, ANSWER):
        return state.points
    named = points_asked_about(tracker.latest_message)
    if named and _intent(tracker) == "start_guided_session":
        return tuple(p.code for p in named)
    request = read_request(tracker.latest_message, VOCABULARY)
    if request.complaints:
        codes = recommend(CATALOGUE, VOCABULARY, request, state=safety_state(tracker)).codes
    elif event == START:
        codes = tuple(slot_list(tracker, SLOT_RECOMMENDED_POINTS))[:3]
    else:
        codes = ()
    return order_by_results(tuple(c for c in codes if CATALOGUE.get(c)), results_of(tracker))


def guide_context(tracker: Tracker, state: GuideState, event: str) -> Context:
    text = str(tracker.latest_message.get("text") or "")
    points = _candidates(tracker, state, event)
    request = read_request(tracker.latest_message, VOCABULARY)
    pregnancy_answer = None
    if state.phase == "ask_pregnancy":
        facts = turn_assessment(tracker.latest_message, Facts()).facts
        pregnancy_answer = read_pregnancy_answer(text, _intent(tracker), facts)
        if pregnancy_answer is None and event == SKIP:
            pregnancy_answer = "possibly_pregnant"  # not knowing is read conservatively
    safety = safety_state(tracker)
    if pregnancy_answer:
        safety = replace(safety, pregnancy=pregnancy_answer)
    blocked: dict[str, str] = {}
    for code in {*state.points, *points}:
        point = CATALOGUE.get(code)
        reason = point_verdict(point, safety) if point else "it is no longer in the catalogue"
        if reason:
            blocked[code] = reason  # the one safety decision, at every step
    every = {*state.points, *points}
    return Context(
        points=points,
        text=text,
        side=request.sides[0] if len(request.sides) == 1 and request.sides[0] in ("left", "right") else None,
        severity=_known_severity(tracker, request) if event == START else None,
        pregnancy_known=safety.pregnancy is not None,
        pregnancy_points=frozenset(c for c in every if (p := CATALOGUE.get(c)) and p.pregnancy != "ok"),
        pregnancy_answer=pregnancy_answer,
        blocked=blocked,
        sided=frozenset(c for c in every if not c.startswith(MIDLINE_MERIDIANS)),
        timers=tracker.get_latest_input_channel() in TIMED_CHANNELS,
        helped_before=helped_codes(results_of(tracker)),
    )


def _known_severity(tracker: Tracker, request: Any) -> int | None:
    """A pain score this message or the request under discussion already gave."""
    if request.severity:
        return int(request.severity.score)
    stored = tracker.get_slot(SLOT_SEVERITY)
    return int(stored) if isinstance(stored, (int, float)) and not isinstance(stored, bool) else None


def _titles(plan: Plan) -> dict[str, str]:
    codes = {str(say.args.get("code")) for say in plan.says if say.args.get("code")}
    codes |= {c for say in plan.says for c in say.args.get("helped") or ()}
    return {c: p.title for c in codes if (p := CATALOGUE.get(c))}


def _say(dispatcher: CollectingDispatcher, say: Say, titles: dict[str, str], safety: SafetyState) -> None:
    buttons = [{"title": t, "payload": p} for t, p in render.guide_buttons(say.key, say.args)]
    if say.key == "step":
        point = CATALOGUE.get(say.args["code"])
        assert point is not None  # blocked (context) when missing
        # The diagram first, so the step's buttons stay on the last message.
        send_diagram(dispatcher, point, safety)
        text = render.guided_step(point, say.args["step"], say.args["total"], say.args.get("side"),
                                  GUIDE_PRESS_SECONDS, bool(say.args.get("timed")))  # fmt: skip
    else:
        text = render.guide_text(say.key, say.args, titles, GUIDE_PRESS_SECONDS)
    dispatcher.utter_message(text=text, buttons=buttons or None)


def merged_results(stored: dict[str, Any], answers: tuple[tuple[str, bool], ...]) -> dict[str, Any]:
    merged = {code: dict(record) for code, record in stored.items() if isinstance(record, dict)}
    for code, helped in answers:
        record = merged.setdefault(code, {"helped": 0, "not_helped": 0})
        record["helped" if helped else "not_helped"] = int(record.get("helped" if helped else "not_helped", 0)) + 1
    return merged


def apply_plan(dispatcher: CollectingDispatcher, tracker: Tracker, plan: Plan, timers: bool) -> list[EventType]:
    """Send what the plan says and return the slot and reminder events it implies."""
    titles = _titles(plan)
    safety = safety_state(tracker)
    if plan.pregnancy:
        safety = replace(safety, pregnancy=plan.pregnancy)
    for say in plan.says:
        _say(dispatcher, say, titles, safety)
    state = plan.state
    ended = any(say.key in ("none_pressed", "no_session") for say in plan.says)
    events: list[EventType] = [
        SlotSet(SLOT_GUIDE, state.as_slot()),
        SlotSet(SLOT_GUIDE_STEP, float(state.index + 1) if state.phase == "step" else None),
        SlotSet(SLOT_PENDING_OFFER, "guided_session" if ended else None),
    ]
    if plan.results:
        events.append(SlotSet(SLOT_RESULTS, merged_results(results_of(tracker), plan.results)))
    if plan.pregnancy:
        events.append(SlotSet(SLOT_PREGNANCY_STATUS, plan.pregnancy))
    if plan.urgent:
        events.append(SlotSet(SLOT_TRIAGE, higher(str(tracker.get_slot(SLOT_TRIAGE) or "none"), "urgent")))
    if timers and plan.timer == "start":
        due = dt.datetime.now() + dt.timedelta(seconds=GUIDE_PRESS_SECONDS)
        events.append(ReminderScheduled(TIMER_INTENT, due, name=TIMER_NAME, kill_on_user_message=True))
    elif timers and plan.timer == "cancel":
        events.append(ReminderCancelled(name=TIMER_NAME))
    return events


def run_session(dispatcher: CollectingDispatcher, tracker: Tracker, event: str) -> list[EventType]:
    state = GuideState.from_slot(tracker.get_slot(SLOT_GUIDE))
    if event == START and blocked_by_emergency(dispatcher, tracker):
        return [SlotSet(SLOT_GUIDE, None), SlotSet(SLOT_GUIDE_STEP, None)]
    ctx = guide_context(tracker, state, event)
    return apply_plan(dispatcher, tracker, advance(state, event, ctx), ctx.timers)


def guide_running(tracker: Tracker) -> bool:
    return GuideState.from_slot(tracker.get_slot(SLOT_GUIDE)).active


def pause_for_digression(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A new complaint or a point question while a session runs: pause it, and say so."""
    state = GuideState.from_slot(tracker.get_slot(SLOT_GUIDE))
    if state.phase in (None, "paused"):
        return []
    return run_session(dispatcher, tracker, PAUSE)


def interrupt_for_red_flag(tracker: Tracker, emergency: bool) -> list[EventType]:
    """A red flag during a session: it ends (emergency) or pauses (urgent), silently,
    because the triage answer is what the person must read."""
    state = GuideState.from_slot(tracker.get_slot(SLOT_GUIDE))
    if not state.active:
        return []
    timers = tracker.get_latest_input_channel() in TIMED_CHANNELS
    plan = advance(state, STOP if emergency else PAUSE, Context())
    events: list[EventType] = [SlotSet(SLOT_GUIDE, plan.state.as_slot()), SlotSet(SLOT_GUIDE_STEP, None)]
    return [*events, ReminderCancelled(name=TIMER_NAME)] if timers else events


class ActionGuide(Action):
    """Moves the guided session on by one turn (start, answers, Done/Repeat/Back/Skip/Stop, timer)."""

    def name(self) -> str:
        return "action_guide"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        state = GuideState.from_slot(tracker.get_slot(SLOT_GUIDE))
        event = input_for(state.phase, _intent(tracker), str(tracker.latest_message.get("text") or ""))
        return run_session(dispatcher, tracker, event or ANSWER)


class ActionAnswerYes(Action):
    """Acts on a plain "yes": accepts whatever the bot last offered."""

    def name(self) -> str:
        return "action_answer_yes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot(SLOT_PENDING_OFFER) == "guided_session":
            return run_session(dispatcher, tracker, START)
        dispatcher.utter_message(text=render.ask_for_area(), buttons=AREA_BUTTONS)
        return []


class ActionAnswerNo(Action):
    """Acts on a plain "no": declines whatever the bot last offered."""

    def name(self) -> str:
        return "action_answer_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=render.declined())
        return [SlotSet(SLOT_PENDING_OFFER, None)]
