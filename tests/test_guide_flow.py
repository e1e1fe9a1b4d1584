"""The guided session's state machine (actions/core/guide_flow.py), one test per transition."""

from __future__ import annotations

from dataclasses import replace

import pytest

from actions.core import guide_flow as flow
from actions.core.guide_answers import (
    names_only_a_side,
    read_pain,
    read_side,
    read_yes_no,
    side_answer_without_symptoms,
)
from actions.core.guide_flow import Context, GuideState, advance, input_for, order_by_results

POINTS = ("BL23", "BL52", "BL40")
# What a fresh start knows: three back points, both-sided, pregnancy unknown, BL23 and
# BL52 carry a pregnancy caution.
CTX = Context(points=POINTS, sided=frozenset(POINTS), pregnancy_known=False,
              pregnancy_points=frozenset({"BL23", "BL52"}))  # fmt: skip
ALL_ASKED = ("ask_side", "ask_severity", "ask_pregnancy", "ask_screen")
AT_STEP = GuideState(phase="step", points=POINTS, index=0, side="left", before=6, asked=ALL_ASKED)


def keys(plan: flow.Plan) -> list[str]:
    return [say.key for say in plan.says]


def step_of(plan: flow.Plan) -> int:
    return next(say.args["step"] for say in plan.says if say.key == "step")


def test_start_asks_only_what_the_context_does_not_know() -> None:
    assert keys(advance(GuideState(), flow.START, CTX)) == ["ask_side"]
    known = replace(CTX, side="left", severity=5, pregnancy_known=True)
    plan = advance(GuideState(), flow.START, known)
    assert keys(plan) == ["ask_screen"] and plan.state.before == 5 and plan.state.side == "left"


def test_start_without_points_asks_where_it_hurts_then_takes_the_answer() -> None:
    plan = advance(GuideState(), flow.START, Context())
    assert plan.state.phase == "ask_area" and keys(plan) == ["ask_area"]
    again = advance(plan.state, flow.ANSWER, Context(text="banana"))
    assert keys(again) == ["ask_area_again"] and again.state.phase == "ask_area"
    answered = advance(plan.state, flow.ANSWER, replace(CTX, text="my lower back"))
    assert answered.state.points == POINTS and answered.state.phase == "ask_side"


def test_midline_points_need_no_side() -> None:
    plan = advance(GuideState(), flow.START, Context(points=("GV20",), pregnancy_known=True))
    assert plan.state.phase == "ask_severity"


def test_side_answer_unclear_twice_then_both() -> None:
    state = advance(GuideState(), flow.START, CTX).state
    first = advance(state, flow.ANSWER, replace(CTX, text="hmm"))
    assert keys(first) == ["invalid_side"] and not first.says[0].args["may_skip"]
    second = advance(first.state, flow.ANSWER, replace(CTX, text="dunno really"))
    assert second.says[0].args["may_skip"]
    third = advance(second.state, flow.ANSWER, replace(CTX, text="what"))
    assert third.state.side == "both" and third.state.phase == "ask_severity"
    assert advance(state, flow.ANSWER, replace(CTX, text="the right one")).state.side == "right"


@pytest.mark.parametrize("text,score", [("7", 7), ("7/10", 7), ("seven", 7), ("really bad", 7), ("9 from 10", 9),
                                        ("about a 4", 4), ("6 out of 10", 6), ("0", 0), ("no pain now", 0),
                                        ("ten", 10), ("mild", 2)])  # fmt: skip
def test_severity_answers_are_understood(text: str, score: int) -> None:
    assert read_pain(text).score == score


@pytest.mark.parametrize("text", ["15", "-2", "11/10", "100"])
def test_numbers_off_the_scale_are_out_of_range(text: str) -> None:
    answer = read_pain(text)
    assert answer.score is None and answer.out_of_range


def test_invalid_severity_is_re_asked_with_an_explanation_then_may_be_skipped() -> None:
    state = GuideState(phase="ask_severity", points=POINTS, asked=("ask_side",))
    first = advance(state, flow.ANSWER, replace(CTX, text="banana"))
    assert keys(first) == ["invalid_severity"] and not first.says[0].args["may_skip"]
    second = advance(first.state, flow.ANSWER, replace(CTX, text="15"))
    assert keys(second) == ["invalid_range"] and second.says[0].args["may_skip"]
    skipped = advance(second.state, flow.SKIP, CTX)
    assert skipped.state.before is None and skipped.state.phase == "ask_pregnancy"
    answered = advance(first.state, flow.ANSWER, replace(CTX, text="9 from 10"))
    assert answered.state.before == 9 and answered.state.retries == 0


def test_pregnancy_is_asked_only_when_a_point_needs_it() -> None:
    state = GuideState(phase="ask_severity", points=("GB20",), asked=("ask_side",))
    no_caution = replace(CTX, points=("GB20",), pregnancy_points=frozenset())
    assert advance(state, flow.ANSWER, replace(no_caution, text="5")).state.phase == "ask_screen"
    with_caution = advance(replace(state, points=POINTS), flow.ANSWER, replace(CTX, text="5"))
    assert with_caution.state.phase == "ask_pregnancy"


def test_pregnancy_answer_is_stored_and_unclear_answers_are_re_asked() -> None:
    state = GuideState(phase="ask_pregnancy", points=POINTS, asked=("ask_side", "ask_severity"))
    plan = advance(state, flow.NO, replace(CTX, pregnancy_answer="not_pregnant"))
    assert plan.pregnancy == "not_pregnant" and plan.state.phase == "ask_screen"
    unclear = advance(state, flow.ANSWER, replace(CTX, text="hmm"))
    assert keys(unclear) == ["invalid_pregnancy"] and unclear.state.phase == "ask_pregnancy"
    skipped = advance(unclear.state, flow.SKIP, CTX)
    assert skipped.pregnancy == "possibly_pregnant"  # only a clear no unlocks those points


def test_screening_yes_ends_the_session_with_urgent_advice() -> None:
    state = GuideState(phase="ask_screen", points=POINTS, asked=ALL_ASKED[:3])
    plan = advance(state, flow.YES, CTX)
    assert plan.urgent and keys(plan) == ["screen_positive"] and not plan.state.active
    assert advance(state, flow.ANSWER, replace(CTX, text="yes I do")).urgent


def test_screening_cannot_be_skipped_and_no_starts_the_steps() -> None:
    state = GuideState(phase="ask_screen", points=POINTS, asked=ALL_ASKED[:3], before=6)
    assert keys(advance(state, flow.SKIP, CTX)) == ["screen_required"]
    assert keys(advance(state, flow.ANSWER, replace(CTX, text="what?"))) == ["invalid_screen"]
    plan = advance(state, flow.NO, CTX)
    assert keys(plan) == ["intro", "step"] and plan.state.phase == "step" and step_of(plan) == 1


def test_strong_pain_at_the_start_gets_the_clinician_advice_first() -> None:
    state = GuideState(phase="ask_screen", points=POINTS, asked=ALL_ASKED[:3], before=8)
    assert keys(advance(state, flow.NO, CTX))[0] == "clinician_first"


def test_a_point_that_helped_last_time_is_named_at_the_start() -> None:
    state = GuideState(phase="ask_screen", points=("BL40", "BL23"), asked=ALL_ASKED[:3])
    plan = advance(state, flow.NO, replace(CTX, helped_before=("BL40",)))
    assert plan.says[0].key == "helped_before" and plan.says[0].args["code"] == "BL40"


def test_step_shows_one_point_with_position_side_and_timer() -> None:
    plan = advance(AT_STEP, flow.REPEAT, replace(CTX, timers=True))
    step = plan.says[-1]
    assert step.args == {"code": "BL23", "step": 1, "total": 3, "side": "left", "timed": True}
    assert plan.timer == "start"
    assert advance(AT_STEP, flow.REPEAT, CTX).timer == "cancel"  # REST: the Done button serves


def test_done_moves_on_and_remembers_the_point_as_pressed() -> None:
    plan = advance(AT_STEP, flow.DONE, CTX)
    assert step_of(plan) == 2 and plan.state.pressed == ("BL23",)
    assert advance(AT_STEP, flow.YES, CTX).state.pressed == ("BL23",)


def test_skip_moves_on_without_pressing() -> None:
    plan = advance(AT_STEP, flow.SKIP, CTX)
    assert step_of(plan) == 2 and plan.state.pressed == ()


def test_back_goes_to_the_previous_point_and_stays_at_the_first() -> None:
    at_two = replace(AT_STEP, index=1)
    assert step_of(advance(at_two, flow.BACK, CTX)) == 1
    first = advance(AT_STEP, flow.BACK, CTX)
    assert keys(first) == ["first_step", "step"] and step_of(first) == 1


def test_next_after_the_last_step_asks_about_the_pain_never_step_one() -> None:
    last = replace(AT_STEP, index=2, pressed=("BL23",))
    plan = advance(last, flow.DONE, CTX)
    assert keys(plan) == ["ask_after"] and plan.state.phase == "ask_after" and plan.timer == "cancel"
    assert plan.state.pressed == ("BL23", "BL40")


def test_nothing_pressed_ends_without_questions() -> None:
    plan = advance(replace(AT_STEP, index=2), flow.SKIP, CTX)
    assert keys(plan) == ["none_pressed"] and not plan.state.active


def test_points_safety_holds_back_are_skipped_saying_why() -> None:
    blocked = replace(CTX, blocked={"BL52": "it is traditionally avoided in pregnancy"})
    plan = advance(AT_STEP, flow.DONE, blocked)
    assert keys(plan) == ["held_back", "step"] and step_of(plan) == 3
    assert plan.says[0].args["code"] == "BL52"
    back = advance(replace(AT_STEP, index=2), flow.BACK, blocked)
    assert step_of(back) == 1  # back never lands on a held-back point
    first = advance(replace(AT_STEP, phase="ask_screen", asked=ALL_ASKED[:3]), flow.NO,
                    replace(CTX, blocked={"BL23": "no"}))  # fmt: skip
    assert step_of(first) == 2


def test_time_up_says_switch_sides_only_during_a_step() -> None:
    plan = advance(AT_STEP, flow.TIME_UP, CTX)
    assert keys(plan) == ["time_up"] and plan.state == AT_STEP
    after = GuideState(phase="ask_after", points=POINTS, pressed=("BL23",))
    assert keys(advance(after, flow.TIME_UP, CTX)) == []
    assert keys(advance(GuideState(), flow.TIME_UP, CTX)) == []


def test_an_unclear_message_during_a_step_lists_the_options() -> None:
    assert keys(advance(AT_STEP, flow.ANSWER, replace(CTX, text="huh"))) == ["step_options"]
    assert keys(advance(AT_STEP, flow.NO, CTX)) == ["step_options"]


@pytest.mark.parametrize("after,expected", [(4, ["compare"]), (6, ["compare"]), (7, ["compare", "clinician"]),
                                            (9, ["compare", "clinician"])])  # fmt: skip
def test_pain_after_is_compared_and_worse_or_eight_gets_the_clinician(after: int, expected: list[str]) -> None:
    state = GuideState(phase="ask_after", points=POINTS, before=6, pressed=("BL23",))
    plan = advance(state, flow.ANSWER, replace(CTX, text=str(after)))
    assert keys(plan) == [*expected, "ask_helped"] and plan.state.after == after


def test_pain_after_can_be_skipped_after_unclear_answers() -> None:
    state = GuideState(phase="ask_after", points=POINTS, before=6, pressed=("BL23",))
    unclear = advance(state, flow.ANSWER, replace(CTX, text="dunno"))
    assert keys(unclear) == ["invalid_after"]
    assert keys(advance(unclear.state, flow.SKIP, CTX)) == ["ask_helped"]


def test_helped_is_asked_per_pressed_point_and_returned_to_be_remembered() -> None:
    state = GuideState(phase="ask_helped", points=POINTS, pressed=("BL23", "BL40"))
    first = advance(state, flow.YES, CTX)
    assert first.says[-1].args["code"] == "BL40"
    unclear = advance(first.state, flow.ANSWER, replace(CTX, text="hmm"))
    assert keys(unclear) == ["invalid_helped"]
    done = advance(first.state, flow.ANSWER, replace(CTX, text="no it didn't"))
    assert done.results == (("BL23", True), ("BL40", False)) and not done.state.active
    assert done.says[-1].key == "summary" and done.says[-1].args["helped"] == ["BL23"]
    skipped = advance(state, flow.SKIP, CTX)
    assert skipped.says[-1].args["code"] == "BL40"


def test_stop_ends_from_any_phase_and_cancels_the_timer() -> None:
    for phase in flow.PHASES:
        plan = advance(replace(AT_STEP, phase=phase), flow.STOP, CTX)
        assert not plan.state.active and keys(plan) == ["stopped"] and plan.timer == "cancel"
    assert advance(GuideState(), flow.STOP, CTX).says[0].args["was_running"] is False


def test_pause_and_continue_resume_where_it_stopped() -> None:
    paused = advance(replace(AT_STEP, index=1), flow.PAUSE, CTX)
    assert paused.state.phase == "paused" and paused.state.resume == "step" and paused.timer == "cancel"
    assert keys(advance(paused.state, flow.PAUSE, CTX)) == ["paused"]
    resumed = advance(paused.state, flow.CONTINUE, CTX)
    assert keys(resumed) == ["resumed", "step"] and step_of(resumed) == 2
    assert step_of(advance(paused.state, flow.DONE, CTX)) == 2  # "next" resumes too
    question = advance(GuideState(phase="ask_severity", points=POINTS), flow.PAUSE, CTX)
    assert keys(advance(question.state, flow.CONTINUE, CTX)) == ["resumed", "ask_severity"]


def test_inputs_without_a_session() -> None:
    for event in (flow.DONE, flow.REPEAT, flow.BACK, flow.SKIP, flow.CONTINUE, flow.ANSWER):
        assert keys(advance(GuideState(), event, CTX)) == ["no_session"]
    assert keys(advance(GuideState(), flow.PAUSE, CTX)) == []
    with pytest.raises(ValueError):
        advance(GuideState(), "dance", CTX)


def test_start_during_a_session_starts_again() -> None:
    plan = advance(replace(AT_STEP, index=2), flow.START, replace(CTX, side="left", severity=3))
    assert plan.state.index == 0 and plan.state.before == 3


def test_every_phase_and_input_has_an_answer() -> None:
    for phase in (None, *flow.PHASES):
        for event in flow.INPUTS:
            state = replace(AT_STEP, phase=phase, resume="step") if phase else GuideState()
            plan = advance(state, event, replace(CTX, text="x"))
            assert isinstance(plan, flow.Plan)


def test_state_survives_the_slot_and_malformed_slots_are_no_session() -> None:
    state = replace(AT_STEP, pressed=("BL23",), helped=(("BL23", True),), resume="step")
    assert GuideState.from_slot(state.as_slot()) == state
    assert GuideState().as_slot() is None
    for bad in (None, "step", {"phase": "dancing"}, {"phase": "step", "index": "x"}, []):
        assert not GuideState.from_slot(bad).active


def test_results_order_the_points() -> None:
    results = {"BL40": {"helped": 2, "not_helped": 0}, "BL23": {"helped": 0, "not_helped": 1}, "X": "bad"}
    assert order_by_results(POINTS, results) == ("BL40", "BL52", "BL23")
    assert order_by_results(POINTS, {}) == POINTS
    assert flow.helped_codes(results) == ("BL40",)


def test_routing_of_turns_to_the_session() -> None:
    assert input_for(None, "start_guided_session", "") == flow.START
    assert input_for(None, "affirm", "yes") is None  # no session: the yes/no rules answer
    assert input_for("ask_severity", "affirm", "yes") == flow.YES
    assert input_for("ask_severity", "nlu_fallback", "seven-ish") == flow.ANSWER
    assert input_for("ask_severity", "describe_symptom", "really bad") == flow.ANSWER
    assert input_for("ask_area", "describe_symptom", "my neck") == flow.ANSWER
    assert input_for("step", "describe_symptom", "actually my neck hurts too") is None
    assert input_for("step", "ask_point", "where is LI4") is None
    assert input_for("step", "thank", "thanks") is None
    assert input_for("paused", "rate_pain", "5") is None
    assert input_for("paused", "guide_continue", "continue") == flow.CONTINUE
    assert input_for("step", "guide_time_up", "") == flow.TIME_UP


@pytest.mark.parametrize("text,side", [("left", "left"), ("my right side", "right"), ("both", "both"),
                                       ("left and right", "both"), ("not sure", "both"), ("hmm", None)])  # fmt: skip
def test_side_answers(text: str, side: str | None) -> None:
    assert read_side(text) == side


@pytest.mark.parametrize("text,said", [("yes", True), ("yeah a bit", True), ("no", False), ("not really", False),
                                       ("it didn't", False), ("maybe", None)])  # fmt: skip
def test_yes_no_answers(text: str, said: bool | None) -> None:
    assert read_yes_no(text) is said


def test_severe_pain_said_at_the_start_hears_the_warning_first() -> None:
    plan = advance(GuideState(), flow.START, replace(CTX, severity=9))
    assert keys(plan)[0] == "severe_first" and plan.state.before == 9
    assert "severe_first" not in keys(advance(GuideState(), flow.START, replace(CTX, severity=5)))


@pytest.mark.parametrize(
    "text", ["both", "Both", "the left one", "right side mostly", "both sides I think", "left, please", "not sure"]
)
def test_bare_side_answers_carry_no_symptom(text: str) -> None:
    assert names_only_a_side(text)
    assert side_answer_without_symptoms(text, ["lower_back"])


@pytest.mark.parametrize(
    "text", ["both legs", "both legs are numb", "left leg is weak", "right, and I can't pee", "both feet tingle", "yes"]
)
def test_side_answers_with_symptoms_are_read(text: str) -> None:
    assert not names_only_a_side(text)


def test_both_about_sciatica_still_counts_as_both_legs() -> None:
    # "Which side hurts more?" about sciatica: "both" is sciatica in both legs, a red flag.
    assert names_only_a_side("both")
    assert not side_answer_without_symptoms("both", ["sciatica"])
