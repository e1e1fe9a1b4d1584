"""A question naming a point by code or Chinese name is ask_point (rasa_server/point_question.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.core.catalogue import default_catalogue
from actions.core.point_question import is_point_question
from rasa_server.point_question import PointQuestionIntent

CATALOGUE = default_catalogue()


@pytest.mark.parametrize(
    "text",
    [
        "is HT7 any good for sleep?",
        "how many times a day can I do BL40",
        "where is li 4",
        "Zusanli safe for a sore knee",
        "is LV3 the same as LR3?",
    ],
)
def test_questions_about_a_point_by_code_or_chinese_name(text: str) -> None:
    assert is_point_question(text, CATALOGUE)


@pytest.mark.parametrize(
    "text",
    [
        "is there a lower back point?",  # asks for points; a popular English name only
        "my neck is stiff, what can I press?",
        "I pressed LI4 yesterday and my hand aches",  # no question: a report
        "what is good for a headache",
    ],
)
def test_not_a_question_about_a_named_point(text: str) -> None:
    assert not is_point_question(text, CATALOGUE)


def _parsed(text: str, intent: str, confidence: float) -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": "ask_point", "confidence": 0.2}]
    return Message(data={TEXT: text, INTENT: {"name": intent, "confidence": confidence}, INTENT_RANKING_KEY: ranking})


def test_the_component_turns_a_misread_point_question_into_ask_point() -> None:
    message = PointQuestionIntent({}).process([_parsed("is HT7 any good for sleep?", "describe_symptom", 0.9)])[0]
    assert message.get(INTENT) == {"name": "ask_point", "confidence": 0.9}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_point", "describe_symptom"]


@pytest.mark.parametrize(
    "text,intent",
    [("any other points besides LI4?", "more_points"), ("my back is stiff, what can I press?", "describe_symptom")],
)
def test_the_component_leaves_other_readings_alone(text: str, intent: str) -> None:
    message = PointQuestionIntent({}).process([_parsed(text, intent, 0.8)])[0]
    assert message.get(INTENT)["name"] == intent
