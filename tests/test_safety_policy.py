"""SafetyPolicy: the session's safety state only goes up, and a flag split over turns counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.safety import SafetyPolicy, _earlier_messages

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def tracker(domain: Domain, *texts: str, slots: dict | None = None) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for name, value in (slots or {}).items():
        events.append(SlotSet(name, value))
    for text in texts:
        events += [UserUttered(text, {"name": "describe_symptom", "confidence": 1.0}), ActionExecuted("action_listen")]
    events.pop()  # the latest message is still being answered
    return DialogueStateTracker.from_events("someone", events, domain.slots)


def test_earlier_messages_are_this_sessions_before_the_latest(domain: Domain) -> None:
    t = tracker(domain, "one", "/affirm", "two", "three", "four", "latest")
    assert _earlier_messages(t) == ["two", "three", "four"]  # button payloads carry no symptoms


def test_a_flag_split_over_two_turns_raises_the_session(domain: Domain) -> None:
    before, after, raised = SafetyPolicy._session_state(
        tracker(domain, "I've had osteoporosis for years", "slipped on the stairs and my back is sore")
    )
    assert before.level == "none" and after.level == "emergency" and raised


def test_an_earlier_flag_is_remembered_but_not_answered_again(domain: Domain) -> None:
    state = {"level": "urgent", "reasons": ["A fever needs a doctor today."], "ruled_out": [], "advice": []}
    t = tracker(domain, "my back hurts and I have a fever of 39", "my neck is stiff too",
                slots={"safety": state, "triage": "urgent"})  # fmt: skip
    before, after, raised = SafetyPolicy._session_state(t)
    assert after.level == "urgent" and not raised


def test_the_level_never_goes_down_within_a_session(domain: Domain) -> None:
    state = {"level": "emergency", "reasons": ["x"], "ruled_out": [], "advice": []}
    t = tracker(domain, "just a stiff neck today", slots={"safety": state, "triage": "emergency"})
    assert SafetyPolicy._session_state(t)[1].level == "emergency"


def test_a_button_payload_raises_no_flag(domain: Domain) -> None:
    # the guided session's side button after the complaint: no weakness in both legs
    t = tracker(domain, "my lower back is stiff", "/start_guided_session", '/guide_answer{"side":"both"}')
    before, after, raised = SafetyPolicy._session_state(t)
    assert after.level == "none" and not raised


@pytest.mark.parametrize("said,complaint", [("my lower back is stiff", "lower_back"), ("my neck hurts", "neck"),
                                             ("my shoulders ache", "shoulder")])  # fmt: skip
def test_a_typed_side_answer_about_the_back_raises_no_flag(domain: Domain, said: str, complaint: str) -> None:
    # "Which side hurts more?" straight after the complaint: "both" means both sides of it
    # (read together with the complaint, the classifier took it for both legs)
    t = tracker(domain, said, "both", slots={"complaints": [complaint]})
    before, after, raised = SafetyPolicy._session_state(t)
    assert after.level == "none" and not raised


def test_both_after_sciatica_is_read_as_both_legs(domain: Domain) -> None:
    t = tracker(domain, "sciatica down my leg, numb and tingling", "both", slots={"complaints": ["sciatica"]})
    before, after, raised = SafetyPolicy._session_state(t)
    assert after.level == "emergency" and raised
