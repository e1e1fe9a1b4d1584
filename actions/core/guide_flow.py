"""The guided session as one pure state machine: (state, input, context) -> plan.

Every step and transition of a guided session lives here; the Rasa action
(actions/guided.py) only translates a turn into an `Input`, gathers the `Context`
(candidate points, what safety holds back, what is already known) and turns the `Plan`
into messages and slot events. Wording is in actions/core/render.py, keyed by `Say.key`.

Phases, in order: ask_area -> ask_side -> ask_severity -> ask_pregnancy -> ask_screen ->
step (one per point) -> ask_after -> ask_helped (one per pressed point) -> ended.
A question is only asked when the context does not already answer it; `paused` keeps
the phase to resume. Adding a step means one row in TRANSITIONS (and its wording).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from actions.core.guide_answers import read_pain, read_side, read_yes_no
from actions.core.symptoms import SEVERE_THRESHOLD

# Inputs: what a turn means to the session (guided.py maps intents onto these).
START, ANSWER, DONE, REPEAT, BACK, SKIP, STOP = "start", "answer", "done", "repeat", "back", "skip", "stop"
CONTINUE, YES, NO, TIME_UP, PAUSE = "continue", "yes", "no", "time_up", "pause"
INPUTS = (START, ANSWER, DONE, REPEAT, BACK, SKIP, STOP, CONTINUE, YES, NO, TIME_UP, PAUSE)

QUESTIONS = ("ask_area", "ask_side", "ask_severity", "ask_pregnancy", "ask_screen")
PHASES = (*QUESTIONS, "step", "ask_after", "ask_helped", "paused")
MAX_RETRIES = 2  # invalid answers before the person may skip the question
CLINICIAN_SCORE = 8  # a pain score from which the clinician advice is given before pressing
SEVERE_SCORE = SEVERE_THRESHOLD  # a score said when starting: the severe-pain warning first


@dataclass(frozen=True)
class GuideState:
    """A session's progress; stored in the `guide` slot (as_slot / from_slot)."""

    phase: str | None = None  # one of PHASES, None when no session runs
    points: tuple[str, ...] = ()  # WHO codes in the order they are guided
    index: int = 0  # 0-based position in `points` while in `step`
    side: str | None = None  # left | right | both
    before: int | None = None  # pain score at the start
    after: int | None = None  # pain score at the end
    asked: tuple[str, ...] = ()  # questions already settled (answered or skipped)
    retries: int = 0  # invalid answers to the current question
    pressed: tuple[str, ...] = ()  # points the person finished (Done)
    helped: tuple[tuple[str, bool], ...] = ()  # answers to "did it help?"
    resume: str | None = None  # phase to go back to from `paused`

    @property
    def active(self) -> bool:
        return self.phase is not None

    def as_slot(self) -> dict[str, Any] | None:
        if self.phase is None:
            return None
        return {
            "phase": self.phase, "points": list(self.points), "index": self.index, "side": self.side,
            "before": self.before, "after": self.after, "asked": list(self.asked), "retries": self.retries,
            "pressed": list(self.pressed), "helped": [[c, h] for c, h in self.helped], "resume": self.resume,
        }  # fmt: skip

    @staticmethod
    def from_slot(value: Any) -> GuideState:
        """The stored state; anything malformed (an older format, a hand-made event) is no session."""
        if not isinstance(value, dict) or value.get("phase") not in PHASES:
            return GuideState()
        try:
            return GuideState(
                phase=value["phase"],
                points=tuple(str(c) for c in value.get("points") or ()),
                index=int(value.get("index") or 0),
                side=value.get("side") if value.get("side") in ("left", "right", "both") else None,
                before=_score(value.get("before")),
                after=_score(value.get("after")),
                asked=tuple(str(q) for q in value.get("asked") or ()),
                retries=int(value.get("retries") or 0),
                pressed=tuple(str(c) for c in value.get("pressed") or ()),
                helped=tuple((str(c), bool(h)) for c, h in value.get("helped") or ()),
                resume=value.get("resume") if value.get("resume") in PHASES else None,
            )
        except (TypeError, ValueError, KeyError):
            return GuideState()


def _score(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10 else None


@dataclass(frozen=True)
class Context:
    """What the conversation knows this turn (gathered by the action, all plain data)."""

    points: tuple[str, ...] = ()  # candidate points for what is known now, best first
    text: str = ""  # the message
    side: str | None = None  # a side the message or the request named
    severity: int | None = None  # a pain score the request already gave
    pregnancy_known: bool = True
    pregnancy_points: frozenset[str] = frozenset()  # codes with a pregnancy caution
    pregnancy_answer: str | None = None  # the message read as an answer to the pregnancy question
    blocked: Mapping[str, str] = field(default_factory=dict)  # code -> why safety holds it back now
    sided: frozenset[str] = frozenset()  # codes pressed on both sides of the body
    timers: bool = False  # the channel can receive a message later (a reminder)
    helped_before: tuple[str, ...] = ()  # codes that helped this person last time


@dataclass(frozen=True)
class Say:
    key: str  # a wording in render.guide_text
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    state: GuideState
    says: tuple[Say, ...] = ()
    timer: str | None = None  # start | cancel
    results: tuple[tuple[str, bool], ...] = ()  # "did it help?" answers to remember
    pregnancy: str | None = None  # a pregnancy status to store
    urgent: bool = False  # the screening question was answered yes


def _plan(state: GuideState, *says: Say, **kw: Any) -> Plan:
    return Plan(state=state, says=says, **kw)


def order_by_results(codes: tuple[str, ...], results: Mapping[str, Any]) -> tuple[str, ...]:
    """Points that helped this person first, those that did not last; otherwise as ranked."""

    def balance(code: str) -> int:
        record = results.get(code)
        if not isinstance(record, dict):
            return 0
        return int(record.get("helped", 0)) - int(record.get("not_helped", 0))

    helped = [c for c in codes if balance(c) > 0]
    unknown = [c for c in codes if balance(c) == 0]
    not_helped = [c for c in codes if balance(c) < 0]
    return (*sorted(helped, key=lambda c: -balance(c)), *unknown, *not_helped)


def helped_codes(results: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(c for c, r in results.items() if isinstance(r, dict) and r.get("helped", 0) > r.get("not_helped", 0))


# --- moving through the questions and steps ---------------------------------------------


def _next(state: GuideState, ctx: Context, *says: Say) -> Plan:
    """Ask the first question the context does not answer, else show the first step."""
    state = replace(state, retries=0)
    if not state.points:
        return _plan(replace(state, phase="ask_area"), *says, Say("ask_area"))
    if "ask_side" not in state.asked:
        side = state.side or ctx.side
        if side or not any(c in ctx.sided for c in state.points):
            state = replace(state, side=side, asked=(*state.asked, "ask_side"))
        else:
            return _plan(replace(state, phase="ask_side"), *says, Say("ask_side"))
    if "ask_severity" not in state.asked:
        score = state.before if state.before is not None else ctx.severity
        if score is None:
            return _plan(replace(state, phase="ask_severity"), *says, Say("ask_severity"))
        state = replace(state, before=score, asked=(*state.asked, "ask_severity"))
    if "ask_pregnancy" not in state.asked:
        if not ctx.pregnancy_known and any(c in ctx.pregnancy_points for c in state.points):
            return _plan(replace(state, phase="ask_pregnancy"), *says, Say("ask_pregnancy"))
        state = replace(state, asked=(*state.asked, "ask_pregnancy"))
    if "ask_screen" not in state.asked:
        return _plan(replace(state, phase="ask_screen"), *says, Say("ask_screen"))
    opening = list(says)
    if state.before is not None and state.before >= CLINICIAN_SCORE and not any(s.key == "severe_first" for s in says):
        opening.append(Say("clinician_first", {"score": state.before}))
    if state.points[0] in ctx.helped_before:
        opening.append(Say("helped_before", {"code": state.points[0]}))
    opening.append(Say("intro", {"total": len(state.points)}))
    return _show(replace(state, phase="step"), ctx, 0, *opening)


def _show(state: GuideState, ctx: Context, index: int, *says: Say) -> Plan:
    """Step `index`, or the first later one safety lets through; the end after the last."""
    out = list(says)
    while index < len(state.points) and state.points[index] in ctx.blocked:
        code = state.points[index]
        out.append(Say("held_back", {"code": code, "reason": ctx.blocked[code]}))
        index += 1
    if index >= len(state.points):
        return _finish_steps(state, *out)
    code = state.points[index]
    out.append(Say("step", {"code": code, "step": index + 1, "total": len(state.points), "side": state.side,
                            "timed": ctx.timers}))  # fmt: skip
    return _plan(replace(state, phase="step", index=index, retries=0), *out, timer="start" if ctx.timers else "cancel")


def _finish_steps(state: GuideState, *says: Say) -> Plan:
    if not state.pressed:
        return _plan(GuideState(), *says, Say("none_pressed"), timer="cancel")
    return _plan(replace(state, phase="ask_after", retries=0), *says, Say("ask_after"), timer="cancel")


def _reprompt(state: GuideState, ctx: Context, *says: Say) -> Plan:
    """Say again what the session is waiting for (after continue, or an unclear answer)."""
    if state.phase == "step":
        return _show(state, ctx, state.index, *says)
    if state.phase == "ask_helped":
        return _plan(state, *says, Say("ask_helped", {"code": _helped_pending(state)}))
    return _plan(state, *says, Say(str(state.phase)))


def _invalid(state: GuideState, key: str) -> Plan:
    retries = state.retries + 1
    return _plan(replace(state, retries=retries), Say(key, {"may_skip": retries >= MAX_RETRIES}))


def _settle(state: GuideState, question: str, **changes: Any) -> GuideState:
    return replace(state, asked=(*state.asked, question), **changes)


def _helped_pending(state: GuideState) -> str | None:
    answered = {c for c, _ in state.helped}
    return next((c for c in state.pressed if c not in answered), None)


# --- the transitions ---------------------------------------------------------------------


def _start(state: GuideState, ctx: Context) -> Plan:
    # What the starting message (or the request under way) said is kept for later questions.
    state = GuideState(phase="ask_area", points=ctx.points, side=ctx.side, before=ctx.severity)
    if ctx.severity is not None and ctx.severity >= SEVERE_SCORE:
        # Severe pain hears the clinician warning first, as with a recommendation.
        return _next(state, ctx, Say("severe_first", {"score": ctx.severity}))
    return _next(state, ctx)


def _stop(state: GuideState, ctx: Context) -> Plan:
    return _plan(GuideState(), Say("stopped", {"was_running": state.active}), timer="cancel")


def _pause(state: GuideState, ctx: Context) -> Plan:
    if state.phase == "paused":
        return _plan(state, Say("paused"))
    return _plan(replace(state, phase="paused", resume=state.phase), Say("paused"), timer="cancel")


def _continue(state: GuideState, ctx: Context) -> Plan:
    if state.phase == "paused" and state.resume:
        return _reprompt(replace(state, phase=state.resume, resume=None), ctx, Say("resumed"))
    return _reprompt(state, ctx)


def _no_session(state: GuideState, ctx: Context) -> Plan:
    return _plan(GuideState(), Say("no_session"))


def _answer_area(state: GuideState, ctx: Context) -> Plan:
    if ctx.points:
        return _next(replace(state, points=ctx.points), ctx)
    return _invalid(state, "ask_area_again")


def _answer_side(state: GuideState, ctx: Context) -> Plan:
    side = read_side(ctx.text) or ctx.side
    if side:
        return _next(_settle(state, "ask_side", side=side), ctx)
    if state.retries + 1 > MAX_RETRIES:
        return _next(_settle(state, "ask_side", side="both"), ctx)
    return _invalid(state, "invalid_side")


def _skip_question(state: GuideState, ctx: Context) -> Plan:
    """Skip is offered after two unclear answers; the screening question cannot be skipped."""
    if state.phase == "ask_screen":
        return _plan(state, Say("screen_required"))
    if state.phase == "ask_pregnancy":
        # Not knowing counts as possibly pregnant: only a clear no unlocks those points.
        plan = _next(_settle(state, "ask_pregnancy"), replace(ctx, pregnancy_known=True))
        return replace(plan, pregnancy="possibly_pregnant")
    if state.phase == "ask_after":
        return _ask_helped(state)
    return _next(_settle(state, str(state.phase)), ctx)


def _answer_severity(state: GuideState, ctx: Context) -> Plan:
    pain = read_pain(ctx.text)
    if pain.score is not None:
        return _next(_settle(state, "ask_severity", before=pain.score), ctx)
    return _invalid(state, "invalid_range" if pain.out_of_range else "invalid_severity")


def _answer_pregnancy(state: GuideState, ctx: Context) -> Plan:
    if ctx.pregnancy_answer:
        plan = _next(_settle(state, "ask_pregnancy"), replace(ctx, pregnancy_known=True))
        return replace(plan, pregnancy=ctx.pregnancy_answer)
    return _invalid(state, "invalid_pregnancy")


def _answer_screen(state: GuideState, ctx: Context, said: bool | None = None) -> Plan:
    said = read_yes_no(ctx.text) if said is None else said
    if said is None:
        return _plan(replace(state, retries=state.retries + 1), Say("invalid_screen"))
    if said:
        return _plan(GuideState(), Say("screen_positive"), timer="cancel", urgent=True)
    return _next(_settle(state, "ask_screen"), ctx)


def _done(state: GuideState, ctx: Context) -> Plan:
    code = state.points[state.index]
    pressed = state.pressed if code in state.pressed else (*state.pressed, code)
    return _show(replace(state, pressed=pressed), ctx, state.index + 1)


def _skip_step(state: GuideState, ctx: Context) -> Plan:
    return _show(state, ctx, state.index + 1)


def _repeat(state: GuideState, ctx: Context) -> Plan:
    return _show(state, ctx, state.index)


def _back(state: GuideState, ctx: Context) -> Plan:
    earlier = [i for i in range(state.index) if state.points[i] not in ctx.blocked]
    if not earlier:
        return _show(state, ctx, state.index, Say("first_step"))
    return _show(state, ctx, earlier[-1])


def _time_up(state: GuideState, ctx: Context) -> Plan:
    return _plan(state, Say("time_up", {"code": state.points[state.index], "side": state.side}))


def _ignore(state: GuideState, ctx: Context) -> Plan:
    return _plan(state)  # a reminder that fires after the person moved on says nothing


def _step_options(state: GuideState, ctx: Context) -> Plan:
    return _plan(state, Say("step_options"))


def _answer_after(state: GuideState, ctx: Context) -> Plan:
    pain = read_pain(ctx.text)
    if pain.score is None:
        return _invalid(state, "invalid_range" if pain.out_of_range else "invalid_after")
    state = replace(state, after=pain.score)
    says = [Say("compare", {"before": state.before, "after": pain.score})]
    if pain.score >= CLINICIAN_SCORE or (state.before is not None and pain.score > state.before):
        says.append(Say("clinician", {"score": pain.score}))
    return _ask_helped(state, *says)


def _ask_helped(state: GuideState, *says: Say) -> Plan:
    state = replace(state, phase="ask_helped", retries=0)
    code = _helped_pending(state)
    if code is None:
        return _plan(GuideState(), *says, Say("summary", {"helped": [c for c, h in state.helped if h]}),
                     results=state.helped)  # fmt: skip
    return _plan(state, *says, Say("ask_helped", {"code": code}))


def _helped(answer: bool | None) -> Callable[[GuideState, Context], Plan]:
    def handle(state: GuideState, ctx: Context) -> Plan:
        said = read_yes_no(ctx.text) if answer is None else answer
        code = _helped_pending(state)
        if said is None or code is None:
            return _plan(state, Say("invalid_helped", {"code": code}))
        return _ask_helped(replace(state, helped=(*state.helped, (code, said))))

    return handle


def _skip_helped(state: GuideState, ctx: Context) -> Plan:
    code = _helped_pending(state)
    # A skipped point counts neither way: leave it out of the answers.
    return _ask_helped(replace(state, pressed=tuple(c for c in state.pressed if c != code)))


Handler = Callable[[GuideState, Context], Plan]
# (phase, input) -> handler. None as the phase: no session running. A pair not listed
# falls back to FALLBACK[phase] (repeat what the session waits for).
TRANSITIONS: dict[tuple[str | None, str], Handler] = {
    (None, START): _start,
    (None, CONTINUE): _no_session,
    (None, STOP): _stop,
    **{(None, i): _no_session for i in (DONE, REPEAT, BACK, SKIP, YES, NO, ANSWER)},
    (None, TIME_UP): _ignore,
    (None, PAUSE): _ignore,
    ("ask_area", ANSWER): _answer_area,
    ("ask_side", ANSWER): _answer_side,
    ("ask_severity", ANSWER): _answer_severity,
    ("ask_pregnancy", ANSWER): _answer_pregnancy,
    ("ask_pregnancy", YES): _answer_pregnancy,
    ("ask_pregnancy", NO): _answer_pregnancy,
    ("ask_screen", ANSWER): _answer_screen,
    ("ask_screen", YES): lambda s, c: _answer_screen(s, c, True),
    ("ask_screen", NO): lambda s, c: _answer_screen(s, c, False),
    ("step", DONE): _done,
    ("step", YES): _done,
    ("step", SKIP): _skip_step,
    ("step", REPEAT): _repeat,
    ("step", BACK): _back,
    ("step", TIME_UP): _time_up,
    ("step", ANSWER): _step_options,
    ("ask_after", ANSWER): _answer_after,
    ("ask_after", SKIP): _skip_question,
    ("ask_helped", YES): _helped(True),
    ("ask_helped", NO): _helped(False),
    ("ask_helped", ANSWER): _helped(None),
    ("ask_helped", SKIP): _skip_helped,
    ("paused", ANSWER): lambda s, c: _plan(s, Say("paused")),
}
for _phase in PHASES:
    TRANSITIONS.setdefault((_phase, START), _start)
    TRANSITIONS.setdefault((_phase, STOP), _stop)
    TRANSITIONS.setdefault((_phase, PAUSE), _pause)
    TRANSITIONS.setdefault((_phase, CONTINUE), _continue)
    TRANSITIONS.setdefault((_phase, TIME_UP), _ignore)
for _question in ("ask_side", "ask_severity", "ask_pregnancy", "ask_screen"):
    TRANSITIONS.setdefault((_question, SKIP), _skip_question)
# Yes or no to an open question ("yes" to "how bad is it?") is read as an answer.
for _phase in ("ask_area", "ask_side", "ask_severity", "ask_after"):
    TRANSITIONS.setdefault((_phase, YES), TRANSITIONS[(_phase, ANSWER)])
    TRANSITIONS.setdefault((_phase, NO), TRANSITIONS[(_phase, ANSWER)])


def advance(state: GuideState, event: str, ctx: Context) -> Plan:
    """The one entry point: where the session goes on this input, and what to say."""
    if event not in INPUTS:
        raise ValueError(f"unknown guided-session input {event!r}")
    handler = TRANSITIONS.get((state.phase, event))
    if handler is None:
        if state.phase == "ask_helped" or state.phase in QUESTIONS or state.phase == "ask_after":
            return _reprompt(state, ctx)
        if state.phase == "step":
            return _step_options(state, ctx)
        return _continue(state, ctx)
    return handler(state, ctx)


# --- which turns the session answers (read by rasa_server.guide_policy and actions.guided) --

# Intents that always mean a session input; the rules send them to action_guide too.
INTENT_INPUTS: dict[str, str] = {
    "start_guided_session": START, "next_step": DONE, "guide_repeat": REPEAT, "guide_back": BACK,
    "guide_skip": SKIP, "stop_session": STOP, "guide_continue": CONTINUE, "guide_time_up": TIME_UP,
}  # fmt: skip
# Intents that answer the session's question only while one runs.
ANSWER_INTENTS: dict[str, str] = {
    "affirm": YES, "deny": NO, "point_helped": YES, "point_not_helped": NO, "guide_answer": ANSWER,
    "rate_pain": ANSWER,
}  # fmt: skip
# A new complaint or a point question while a session runs: its own action answers, and
# the session pauses ("continue" resumes it).
DIGRESSIONS = frozenset({"describe_symptom", "ask_point", "more_points"})
# Left to their rules in every phase.
CHAT = frozenset({"greet", "goodbye", "thank", "help", "bot_challenge"})
# "Forget me" and "what do you know about me" are never read as a session's answer.
PRIVACY = frozenset({"forget_me", "ask_stored_data"})


def input_for(phase: str | None, intent: str | None, text: str) -> str | None:
    """The session input this turn means, or None when the rules answer it."""
    intent = intent or ""
    if intent in INTENT_INPUTS:
        return INTENT_INPUTS[intent]
    if phase is None or phase == "paused":
        return None
    if intent in ANSWER_INTENTS:
        return ANSWER_INTENTS[intent]
    if intent == "describe_symptom":
        # "my neck" answers "where does it hurt?"; "really bad" may read as a symptom too.
        if phase == "ask_area" or (phase in ("ask_severity", "ask_after") and read_pain(text).score is not None):
            return ANSWER
        return None
    if intent in DIGRESSIONS or intent in CHAT or intent in PRIVACY:
        return None
    return ANSWER  # anything else (a number, "dunno", a fallback) is read as an answer
