"""The guided session's actions against the real domain and catalogue: what is said, which
slots and reminders come back, and that every step goes through the safety decision."""

from __future__ import annotations

from typing import Any

from actions.guided import ActionGuide
from actions.point_info import ActionDescribePoint
from actions.recommend import ActionRecommendPoints
from actions.triage import ActionTriage
from tests.conftest import entity
from tests.test_session_start import start_new_session

LOWER_BACK = [entity("body_area", "lower back")]


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


class Conversation:
    """Runs ActionGuide turn by turn, carrying the slots forward as Rasa would."""

    def __init__(self, make_tracker, domain, channel: str = "rest", **slots_: Any) -> None:
        self.make_tracker, self.domain, self.channel = make_tracker, domain, channel
        self.slots: dict[str, Any] = dict(slots_)
        self.events: list[dict[str, Any]] = []

    async def say(self, dispatcher, text: str, intent: str, entities=None, action=None) -> list[str]:
        dispatcher.messages.clear()
        tracker = self.make_tracker(text, intent=intent, entities=entities, slots=self.slots, channel=self.channel)
        self.events = await (action or ActionGuide()).run(dispatcher, tracker, self.domain)
        self.slots.update(slots(self.events))
        return [m.get("text") or "" for m in dispatcher.messages]

    @property
    def phase(self) -> str | None:
        return (self.slots.get("guide") or {}).get("phase")


async def walk_to_first_step(chat: Conversation, dispatcher) -> list[str]:
    said = await chat.say(dispatcher, "guide me, my lower back is stiff", "start_guided_session", LOWER_BACK)
    assert "Which side" in said[0]
    assert "0 to 10" in (await chat.say(dispatcher, "left", "guide_answer"))[0]
    assert "pregnant" in (await chat.say(dispatcher, "6", "rate_pain"))[0]
    assert "safety check" in (await chat.say(dispatcher, "no", "deny"))[0]
    return await chat.say(dispatcher, "no", "deny")


async def test_a_new_user_is_guided_through_three_points_with_before_and_after(
    dispatcher, make_tracker, domain
) -> None:
    chat = Conversation(make_tracker, domain)
    said = await walk_to_first_step(chat, dispatcher)
    assert "Step 1 of 3: BL23" in said[-1] and "3 seconds" in said[-1] and "left side" in said[-1]
    assert chat.slots["pregnancy_status"] == "not_pregnant" and chat.slots["guide_step"] == 1.0
    assert "Step 2 of 3" in (await chat.say(dispatcher, "done", "next_step"))[-1]
    assert "Step 3 of 3: BL40" in (await chat.say(dispatcher, "done", "next_step"))[-1]
    assert "How is the pain now" in (await chat.say(dispatcher, "done", "next_step"))[-1]
    said = await chat.say(dispatcher, "4/10", "rate_pain")
    assert "from 6 to 4" in said[0] and "not a cure" in said[0] and "Did BL23" in said[-1]
    await chat.say(dispatcher, "yes", "point_helped")
    await chat.say(dispatcher, "no", "point_not_helped")
    said = await chat.say(dispatcher, "it didn't", "deny")
    assert "remember" in said[-1] and chat.phase is None
    assert chat.slots["point_results"]["BL23"] == {"helped": 1, "not_helped": 0}
    assert chat.slots["point_results"]["BL40"] == {"helped": 0, "not_helped": 1}

    # Next time the point that helped comes first and the one that did not comes last.
    again = Conversation(make_tracker, domain, pregnancy_status="not_pregnant",
                         point_results=chat.slots["point_results"])  # fmt: skip
    await again.say(dispatcher, "guide me, my lower back is stiff", "start_guided_session", LOWER_BACK)
    assert again.slots["guide"]["points"][0] == "BL23" and again.slots["guide"]["points"][-1] == "BL40"
    await again.say(dispatcher, "both", "guide_answer")
    await again.say(dispatcher, "5", "rate_pain")
    said = await again.say(dispatcher, "no", "deny")
    assert said[0].startswith("Last time BL23") and "Step 1 of 3: BL23" in said[-1]


async def test_a_named_point_is_guided_alone(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    await chat.say(dispatcher, "guide me through LI4", "start_guided_session", [entity("point", "LI4")])
    assert chat.slots["guide"]["points"] == ["LI4"]


async def test_a_pregnant_person_is_never_shown_a_point_avoided_in_pregnancy(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    await chat.say(dispatcher, "guide me, my lower back is stiff", "start_guided_session", LOWER_BACK)
    await chat.say(dispatcher, "left", "guide_answer")
    await chat.say(dispatcher, "6", "rate_pain")
    await chat.say(dispatcher, "yes I'm 20 weeks", "affirm")
    said = await chat.say(dispatcher, "no", "deny")
    assert chat.slots["pregnancy_status"] == "pregnant"
    shown = " ".join(t for t in said if "Step" in t)
    assert "BL23" not in shown and "BL52" not in shown and "Step 3 of 3: BL40" in shown
    assert sum("leaving out" in t for t in said) == 2


async def test_the_timer_is_a_reminder_on_channels_that_can_receive_it(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain, channel="socketio")
    await walk_to_first_step(chat, dispatcher)
    reminders = [e for e in chat.events if e["event"] == "reminder"]
    assert reminders and reminders[0]["intent"] == "guide_time_up" and reminders[0]["name"] == "guide_timer"
    said = await chat.say(dispatcher, "", "guide_time_up")
    assert "switch to the other side" in said[0]
    await chat.say(dispatcher, "stop", "stop_session")
    assert any(e["event"] == "cancel_reminder" for e in chat.events) and chat.phase is None
    rest = Conversation(make_tracker, domain)
    await walk_to_first_step(rest, dispatcher)
    assert not [e for e in rest.events if e["event"] in ("reminder", "cancel_reminder")]


async def test_a_new_complaint_or_a_point_question_pauses_then_continue(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    await walk_to_first_step(chat, dispatcher)
    await chat.say(dispatcher, "done", "next_step")
    said = await chat.say(dispatcher, "actually my neck hurts too", "describe_symptom", [entity("body_area", "neck")],
                          action=ActionRecommendPoints())  # fmt: skip
    assert "paused" in said[0] and chat.phase == "paused" and any("GB20" in t for t in said)
    said = await chat.say(dispatcher, "continue", "guide_continue")
    assert "carry on" in said[0] and "Step 2 of 3: BL52" in said[-1]
    point = [entity("point", "LI4")]
    said = await chat.say(dispatcher, "where is LI4", "ask_point", point, action=ActionDescribePoint())
    assert "paused" in said[0] and chat.phase == "paused"


async def test_a_red_flag_mid_step_interrupts_the_session(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    await walk_to_first_step(chat, dispatcher)
    tracker = make_tracker("I can't feel anything when I wipe", slots={**chat.slots, "triage": "emergency"})
    events = await ActionTriage().run(dispatcher, tracker, domain)
    assert slots(events)["guide"] is None and slots(events)["guide_step"] is None


async def test_after_the_session_expires_the_bot_offers_to_start_again(dispatcher, make_tracker, domain) -> None:
    """The session start runs in the Rasa server (rasa_server/session_start.py) on the slots
    a real guided session left behind."""
    chat = Conversation(make_tracker, domain)
    await walk_to_first_step(chat, dispatcher)
    chat.slots["point_results"] = {"BL23": {"helped": 1, "not_helped": 0}}
    texts, carried = await start_new_session(chat.slots)
    assert texts[0] == domain["responses"]["utter_scope"][0]["text"]
    assert texts[1].startswith("Last time we were in the middle of a guided session") and "start again" in texts[1]
    assert carried["point_results"] == {"BL23": {"helped": 1, "not_helped": 0}}
    assert carried["pending_offer"] == "guided_session" and "guide" not in carried and "complaints" not in carried


async def test_a_pain_score_given_with_the_complaint_is_not_asked_again(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain, recommended_points=["GB20", "GB21"], severity=6.0,
                        pending_offer="guided_session")  # fmt: skip
    await chat.say(dispatcher, "guide me", "start_guided_session")
    await chat.say(dispatcher, "left", "guide_answer")
    assert chat.slots["guide"]["before"] == 6 and chat.phase != "ask_severity"


async def test_guide_me_read_as_a_symptom_still_starts_the_session(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    said = await chat.say(dispatcher, "guide me, my lower back is stiff", "describe_symptom", LOWER_BACK,
                          action=ActionRecommendPoints())  # fmt: skip
    assert "Which side" in said[0] and chat.phase == "ask_side"
    assert chat.slots["pregnancy_check_needed"] is False  # the rules then wait for the answer


async def test_a_pain_score_outside_a_session_is_a_symptom_description(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain, complaints=["lower_back"], pregnancy_status="not_pregnant")
    said = await chat.say(dispatcher, "it's 9/10", "rate_pain", action=ActionRecommendPoints())
    assert "severe" in said[0].lower() and any("BL23" in t for t in said)


async def test_a_severe_score_when_starting_gets_the_severe_pain_warning(dispatcher, make_tracker, domain) -> None:
    chat = Conversation(make_tracker, domain)
    said = await chat.say(dispatcher, "walk me through it, my lower back is 9/10", "start_guided_session",
                          [*LOWER_BACK, entity("severity", "9/10")])  # fmt: skip
    assert said[0].startswith("⚠️ **You describe your pain as severe (9/10).**")
