"""Each custom action against the real domain: what it says and which events it returns."""

from __future__ import annotations

from actions.guided import ActionAnswerNo, ActionAnswerYes
from actions.point_info import ActionDescribePoint
from actions.recommend import ActionMorePoints, ActionRecommendPoints
from actions.shared import CATALOGUE
from tests.conftest import entity


def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def slots_after(tracker, events):
    """Slot values once Rasa applied the events (actions leave out unchanged slots)."""
    return {**tracker.slots, **slots(events)}


def texts(dispatcher):
    return [m.get("text") or "" for m in dispatcher.messages if not m.get("image")]  # text bubbles, not diagrams


def test_every_action_and_slot_it_sets_is_declared_in_the_domain(domain) -> None:
    from actions import guided, point_info, recommend

    classes = [
        c
        for m in (guided, point_info, recommend)
        for c in vars(m).values()
        if isinstance(c, type) and c.__module__ == m.__name__ and hasattr(c, "name")
    ]
    names = {c().name() for c in classes}
    assert names <= set(domain["actions"])
    assert {"recommended_points", "triage"} <= set(domain["slots"])


NOT_PREGNANT = {"pregnancy_status": "not_pregnant"}


async def test_unknown_pregnancy_is_asked_before_points_with_a_pregnancy_caution(
    dispatcher, make_tracker, domain
) -> None:
    tracker = make_tracker("my lower back is stiff", entities=[entity("body_area", "lower back")])
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    assert slots(events)["pregnancy_check_needed"] is True
    assert slots(events)["complaints"] == ["lower_back"]
    assert dispatcher.messages == []  # the pregnancy form asks the question


async def test_after_the_pregnancy_answer_the_stored_request_is_answered(dispatcher, make_tracker, domain) -> None:
    state = {"complaints": ["lower_back"], "pregnancy_status": "not_pregnant"}
    events = await ActionRecommendPoints().run(dispatcher, make_tracker("no", intent="deny", slots=state), domain)
    assert slots(events)["recommended_points"][:2] == ["BL23", "BL52"]
    assert slots(events)["pregnancy_check_needed"] is False


async def test_pregnant_user_never_gets_contraindicated_points(dispatcher, make_tracker, domain) -> None:
    for area in ("lower back", "headache", "neck", "sciatica", "shoulder", "sleep"):
        tracker = make_tracker(
            f"my {area}", entities=[entity("body_area", area)], slots={"pregnancy_status": "pregnant"}
        )
        events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
        given = set(slots(events)["recommended_points"])
        assert not given & {"LI4", "SP6", "BL60", "BL67", "GB21", "CV6", "BL23", "BL52", "BL53", "GB30", "BL36"}, area
    assert any("midwife" in t for t in texts(dispatcher))


async def test_stiff_lower_back_gets_bl23_and_bl52_with_instructions(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker(
        "my lower back is stiff",
        entities=[entity("body_area", "lower back"), entity("sensation", "stiff")],
        slots=NOT_PREGNANT,
    )
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert slots(events)["recommended_points"][:2] == ["BL23", "BL52"]
    assert slots_after(tracker, events)["triage"] == "none"
    assert any("BL23 Shenshu" in t and "How to press:" in t for t in said)
    assert "clinician" not in said[0].lower() or "severe" in said[0].lower()
    assert any("doctor or physiotherapist" in t for t in said)
    buttons = dispatcher.messages[-1]["buttons"]
    assert {b["payload"] for b in buttons} == {"/start_guided_session", "/more_points"}


async def test_severe_pain_reminder_comes_first(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("neck pain, unbearable 9/10", entities=[entity("body_area", "neck")], slots=NOT_PREGNANT)
    await ActionRecommendPoints().run(dispatcher, tracker, domain)
    assert texts(dispatcher)[0].startswith("⚠️ **You describe your pain as severe")


async def test_area_without_points_gets_an_honest_answer(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("my elbow hurts", entities=[entity("body_area", "elbow")])
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    assert slots(events)["recommended_points"] == []
    assert "no acupressure points for pain in your elbow" in texts(dispatcher)[0]


async def test_no_area_at_all_asks_where_with_buttons(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker("it hurts")
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    assert "doctor or physiotherapist" in texts(dispatcher)[0]  # when to see a clinician, first
    assert "Where do you feel it?" in texts(dispatcher)[1]
    assert dispatcher.messages[1]["buttons"]
    assert slots(events) == {"pregnancy_check_needed": False}  # the rules match on this event
    assert slots_after(tracker, events)["triage"] == "none"


async def test_severe_pain_without_an_area_hears_about_the_clinician_before_the_question(
    dispatcher, make_tracker, domain
) -> None:
    await ActionRecommendPoints().run(dispatcher, make_tracker("it hurts so bad I'm literally crying"), domain)
    first, question = texts(dispatcher)[:2]
    assert "You describe your pain as severe" in first and "Where do you feel it?" in question


async def test_a_repeat_answer_leaves_out_slots_that_did_not_change(dispatcher, make_tracker, domain) -> None:
    message = {
        "text": "my lower back is stiff",
        "entities": [entity("body_area", "lower back"), entity("sensation", "stiff")],
    }
    first = await ActionRecommendPoints().run(dispatcher, make_tracker(**message, slots=NOT_PREGNANT), domain)
    after_first = slots_after(make_tracker(**message, slots=NOT_PREGNANT), first)
    assert after_first["recommended_points"][:2] == ["BL23", "BL52"]
    again = await ActionRecommendPoints().run(dispatcher, make_tracker(**message, slots=after_first), domain)
    assert slots(again) == {"pregnancy_check_needed": False}
    assert slots_after(make_tracker(**message, slots=after_first), again) == after_first


async def test_follow_up_detail_refines_the_previous_complaint(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker(
        "it's more of a cramp really", entities=[entity("sensation", "cramp")], slots={"complaints": ["calf"]}
    )
    events = await ActionRecommendPoints().run(dispatcher, tracker, domain)
    assert slots(events)["recommended_points"][0] == "BL57"


async def test_more_points_continue_the_list(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker(
        "more",
        intent="more_points",
        slots={"complaints": ["lower_back"], "recommended_points": ["BL23", "BL52", "BL40"]},
    )
    events = await ActionMorePoints().run(dispatcher, tracker, domain)
    given = slots(events)["recommended_points"]
    assert given[:3] == ["BL23", "BL52", "BL40"] and len(given) == 6
    assert any(t.startswith("**4.") for t in texts(dispatcher))


async def test_point_question_answered_from_catalogue(dispatcher, make_tracker, domain) -> None:
    tracker = make_tracker(
        "where is the commanding middle?", intent="ask_point", entities=[entity("point", "Commanding Middle")]
    )
    await ActionDescribePoint().run(dispatcher, tracker, domain)
    said = "\n".join(texts(dispatcher))
    assert "BL40 Weizhong" in said and "back of your knee" in said
    assert "traditionally used for lower back pain" in said


async def test_unknown_point_is_not_invented(dispatcher, make_tracker, domain) -> None:
    await ActionDescribePoint().run(dispatcher, make_tracker("where is XY12?", intent="ask_point"), domain)
    assert texts(dispatcher)[0].startswith("I don't know that point")


async def test_which_points_to_avoid_in_pregnancy_is_answered_from_the_catalogue(
    dispatcher, make_tracker, domain
) -> None:
    tracker = make_tracker("are there any points I should avoid while pregnant?", intent="ask_point")
    await ActionDescribePoint().run(dispatcher, tracker, domain)
    said = texts(dispatcher)[0]
    assert said.startswith("In pregnancy these points are traditionally avoided")
    avoided = [p.code for p in CATALOGUE.points.values() if p.pregnancy == "avoid"]
    assert avoided and all(code in said for code in avoided)
    assert "midwife" in said and "**1." not in said  # no point card, no pressing instructions


async def test_yes_and_no_follow_the_last_offer(dispatcher, make_tracker, domain) -> None:
    offered = {"recommended_points": ["GB20"], "pending_offer": "guided_session"}
    events = await ActionAnswerYes().run(dispatcher, make_tracker("yes", slots=offered), domain)
    assert slots(events)["guide"]["phase"] == "ask_side"  # the guided session starts with its questions
    events = await ActionAnswerNo().run(dispatcher, make_tracker("no", slots=offered), domain)
    assert slots(events)["pending_offer"] is None and "anything else" in texts(dispatcher)[-1]
