"""Diagrams on every message that shows a point, and never for a point held back."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.core.safety import SafetyState
from actions.guided import ActionGuide
from actions.point_info import ActionDescribePoint
from actions.recommend import ActionMorePoints, ActionRecommendPoints
from actions.settings import PUBLIC_URL
from actions.shared import CATALOGUE, send_diagram
from actions.triage import ActionTriage
from tests.conftest import entity


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def images(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [m for m in dispatcher.messages if m.get("image")]


def diagram_codes(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["custom"]["code"] for m in images(dispatcher)]


def assert_well_formed(dispatcher: CollectingDispatcher) -> None:
    for message in images(dispatcher):
        code = message["custom"]["code"]
        assert message["image"] == f"{PUBLIC_URL}/diagrams/{code}.png" == message["custom"]["src"]
        assert message["custom"]["type"] == "diagram"
        assert message["custom"]["alt"] == CATALOGUE.points[code].location
        assert not message.get("text")  # its own message: text channels still get the card


def card_then_diagram(dispatcher: CollectingDispatcher) -> None:
    """Each diagram comes right after the text that shows its point."""
    for i, message in enumerate(dispatcher.messages):
        if message.get("image"):
            assert CATALOGUE.points[message["custom"]["code"]].title in dispatcher.messages[i - 1]["text"]


def ready_to_press(*codes: str) -> dict[str, Any]:
    """A guided session at its last question (the safety check): "no" shows the first step."""
    asked = ["ask_side", "ask_severity", "ask_pregnancy"]
    return {"phase": "ask_screen", "points": list(codes), "index": 0, "asked": asked, "side": "left"}


def pregnancy_known(**more: Any) -> dict[str, Any]:
    return {"pregnancy_status": "not_pregnant", **more}


async def test_every_recommended_point_gets_its_diagram_after_its_card(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("my lower back is stiff", entities=[entity("body_area", "lower back")],
                           slots=pregnancy_known())  # fmt: skip
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    given = slots(events)["recommended_points"]
    assert len(given) == 3 and diagram_codes(dispatcher) == given
    assert_well_formed(dispatcher)
    card_then_diagram(dispatcher)


async def test_more_points_carry_diagrams_of_the_new_points_only(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("more", intent="more_points", slots=pregnancy_known(
        complaints=["lower_back"], recommended_points=["BL23", "BL52", "BL40"]))  # fmt: skip
    events = await ActionMorePoints().run(dispatcher, tracker, domain)
    assert diagram_codes(dispatcher) == slots(events)["recommended_points"][3:] != []
    card_then_diagram(dispatcher)


async def test_held_back_points_get_no_diagram(dispatcher, make_tracker, domain) -> None:
    # Pregnant: the lower-back points are left out, and so are their pictures.
    tracker = make_tracker("my lower back", entities=[entity("body_area", "lower back")],
                           slots={"pregnancy_status": "pregnant"})  # fmt: skip
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    given = slots(events)["recommended_points"]
    assert diagram_codes(dispatcher) == given
    assert not set(given) & {"BL23", "BL52", "GV4", "BL25", "CV6"}
    # A swollen red calf rules the leg out: none of the leg points, nor their diagrams.
    calf = {"safety": {"level": "urgent", "reasons": ["A clot."], "ruled_out": ["leg", "calf"], "advice": []},
            "triage": "urgent", **pregnancy_known()}  # fmt: skip
    other = CollectingDispatcher()
    tracker = make_tracker("sciatica", entities=[entity("body_area", "sciatica")], slots=calf)
    events = await ActionRecommendPoints().run(other, tracker, domain)
    leg_points = {c for c, p in CATALOGUE.points.items() if "leg" in p.zones}
    assert not set(diagram_codes(other)) & leg_points
    assert diagram_codes(other) == slots(events).get("recommended_points", [])


async def test_emergency_shows_no_points_and_no_diagrams(dispatcher, make_tracker, domain) -> None:
    emergency = {"triage": "emergency", "safety": {"level": "emergency", "reasons": ["x"], "ruled_out": [],
                                                   "advice": []}}  # fmt: skip
    for action, text, intent in (
        (ActionRecommendPoints(), "my lower back", "describe_symptom"),
        (ActionMorePoints(), "more", "more_points"),
        (ActionDescribePoint(), "where is LI4?", "ask_point"),
        (ActionGuide(), "guide me", "start_guided_session"),
    ):
        given = {**emergency, "complaints": ["lower_back"], "recommended_points": ["LI4"]}
        tracker = make_tracker(text, intent=intent, entities=[entity("body_area", "lower back")], slots=given)
        await action.run(dispatcher, tracker, domain)
    assert images(dispatcher) == [] and dispatcher.messages


async def test_an_emergency_message_itself_gets_no_diagram(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("my back hurts and I can't control my bladder and I'm numb down there")
    tracker.latest_message["triage"] = {
        "level": "emergency",
        "hits": [{"flag": "cauda_equina", "level": "emergency", "reason": "These can be signs of nerve compression."}],
    }
    await ActionTriage().run(dispatcher, tracker, domain)
    assert images(dispatcher) == [] and "emergency" in dispatcher.messages[0]["text"].lower()


async def test_a_point_question_gets_the_diagram_unless_the_point_is_to_be_avoided(
    dispatcher, make_tracker, domain
) -> None:
    tracker = make_tracker("where is LI4?", intent="ask_point", entities=[entity("point", "LI4")])
    await ActionDescribePoint().run(dispatcher, tracker, domain)
    assert diagram_codes(dispatcher) == ["LI4"]
    assert_well_formed(dispatcher)
    card_then_diagram(dispatcher)
    avoided = CollectingDispatcher()
    tracker = make_tracker("is it safe to press hegu when pregnant?", intent="ask_point",
                           entities=[entity("point", "hegu")], slots={"pregnancy_status": "pregnant"})  # fmt: skip
    await ActionDescribePoint().run(avoided, tracker, domain)
    assert images(avoided) == [] and "avoid" in avoided.messages[0]["text"].lower()


async def test_each_guided_step_shows_its_diagram_before_the_step_and_its_buttons(
    dispatcher, make_tracker, domain
) -> None:
    state = {"guide": ready_to_press("BL23", "BL40"), **pregnancy_known()}
    events = await ActionGuide().run(dispatcher, make_tracker("no", intent="deny", slots=state), domain)
    assert diagram_codes(dispatcher) == ["BL23"]
    assert dispatcher.messages[-2].get("image") and dispatcher.messages[-1]["buttons"]
    assert "BL23" in dispatcher.messages[-1]["text"]
    state.update(slots(events))
    step_two = CollectingDispatcher()
    await ActionGuide().run(step_two, make_tracker("next", intent="next_step", slots=state), domain)
    assert diagram_codes(step_two) == ["BL40"]
    assert_well_formed(step_two)


async def test_a_guided_step_no_longer_safe_is_skipped_without_a_diagram(dispatcher, make_tracker, domain) -> None:
    # A hot swollen knee said after the points were given: BL40 (knee) is skipped.
    state = {"guide": ready_to_press("BL40", "LI4"), **pregnancy_known(),
             "safety": {"level": "none", "reasons": [], "ruled_out": ["knee"], "advice": []}}  # fmt: skip
    await ActionGuide().run(dispatcher, make_tracker("no", intent="deny", slots=state), domain)
    assert diagram_codes(dispatcher) == ["LI4"]
    assert any("leaving out BL40" in (m.get("text") or "") for m in dispatcher.messages)


def test_send_diagram_refuses_a_point_the_safety_decision_holds_back() -> None:
    dispatcher = CollectingDispatcher()
    assert not send_diagram(dispatcher, CATALOGUE.points["SP6"], SafetyState(pregnancy="pregnant"))
    assert not send_diagram(dispatcher, CATALOGUE.points["LI4"], SafetyState(level="emergency"))
    assert not send_diagram(dispatcher, CATALOGUE.points["BL40"], SafetyState(ruled_out=("knee",)))
    assert dispatcher.messages == []
    assert send_diagram(dispatcher, CATALOGUE.points["LI4"], SafetyState(pregnancy="not_pregnant"))
    assert [m["custom"]["code"] for m in dispatcher.messages] == ["LI4"]
