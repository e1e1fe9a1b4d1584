"""End to end: the safety issue's examples, each in a new conversation with both real servers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.e2e.test_blind_triage import EMERGENCY_ADVICE, URGENT_ADVICE
from tests.e2e.test_rest_channel import CARD, PREGNANCY_QUESTION, UNSAFE_IN_PREGNANCY, chat
from tests.support.servers import RasaStack

pytestmark = pytest.mark.e2e
LEG_POINTS = {"BL40", "BL57", "GB34", "ST35", "ST36", "SP6", "BL60", "KI3", "LR3", "KI1", "BL36"}
KNEE_POINTS = {"BL40", "ST35", "GB34", "ST36"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    servers = RasaStack(workdir=Path(tmp_path_factory.mktemp("safety"))).start()
    yield servers
    servers.stop()


def conversation(stack: RasaStack, *messages: str, pregnancy_answer: str = "no") -> tuple[str, str]:
    """All replies of a new conversation, answering the pregnancy question if asked."""
    sender, replies = uuid.uuid4().hex, []
    for message in messages:
        text, _ = chat(stack, message, sender)
        replies.append(text)
        if PREGNANCY_QUESTION in text.lower():
            replies.append(chat(stack, pregnancy_answer, sender)[0])
    return "\n".join(replies), sender


@pytest.mark.parametrize(
    "message",
    [
        "I had an accident in bed last night without waking up and my back is agony",
        "I just sort of leak now and my lower back is killing me",
        "haven't passed water since this morning and don't feel the need, back pain too",
        "his face is drooping on one side and his words are coming out wrong",
        "my mum fell in the kitchen and can't get up, she's 84 and her back hurts",
        "back pain, I'm shaking all over, hot then cold, and feel confused",
        "I'm 24 weeks and bleeding heavily with clots, my back aches",
        "my right foot is dragging more every day and my back hurts",
    ],
)
def test_emergencies_told_in_their_own_words_get_no_points(stack: RasaStack, message: str) -> None:
    text, _ = conversation(stack, message)
    assert EMERGENCY_ADVICE.search(text) and not CARD.findall(text), text[:600]


def test_a_swollen_red_warm_calf_gets_clot_advice_and_no_leg_points(stack: RasaStack) -> None:
    text, sender = conversation(stack, "my left calf is swollen, red and warm since the long flight, can you help?")
    assert URGENT_ADVICE.search(text) and not set(CARD.findall(text)) & LEG_POINTS, text[:800]
    text, _ = chat(stack, "I also have a calf cramp, which points?", sender)
    assert not set(CARD.findall(text)) & LEG_POINTS, text[:800]


def test_a_hot_swollen_knee_with_fever_gets_no_knee_points(stack: RasaStack) -> None:
    text, _ = conversation(stack, "my knee is hot and swollen and I've got a fever, any pressure points?")
    assert URGENT_ADVICE.search(text) and not set(CARD.findall(text)) & KNEE_POINTS, text[:800]


def test_a_knee_puffy_after_an_injury_gets_no_points_on_it(stack: RasaStack) -> None:
    text, _ = conversation(stack, "twisted my knee playing football yesterday, it's all puffy, which points help?")
    assert not set(CARD.findall(text)) & KNEE_POINTS, text[:800]


def test_asking_about_hegu_in_pregnancy_answers_avoid_it_first(stack: RasaStack) -> None:
    text, _ = conversation(stack, "is it safe to press hegu when pregnant?")
    answer = text[text.index("avoid LI4") :] if "avoid LI4" in text else ""
    assert answer.startswith("avoid LI4 Hegu") and "pregnan" in answer.split("\n")[0], text[:800]
    assert "How to press" not in text


def test_an_urgent_flag_is_not_forgotten_on_the_next_symptom(stack: RasaStack) -> None:
    text, sender = conversation(stack, "lower back pain and a temperature of 38.9")
    assert URGENT_ADVICE.search(text)
    text, _ = chat(stack, "my neck is stiff too, which points?", sender)
    assert URGENT_ADVICE.search(text), text[:600]
    assert stack.tracker(sender)["slots"]["triage"] == "urgent"


def test_a_flag_split_over_two_turns_counts(stack: RasaStack) -> None:
    text, _ = conversation(stack, "I've got osteoporosis", "slipped on the stairs this morning and my back is sore")
    assert EMERGENCY_ADVICE.search(text) and not CARD.findall(text), text[:800]


@pytest.mark.parametrize("answer", ["maybe", "not sure", "maybe later", "we're trying for a baby"])
def test_a_doubtful_pregnancy_answer_keeps_the_pregnancy_points_out(stack: RasaStack, answer: str) -> None:
    text, sender = conversation(stack, "my lower back is stiff", pregnancy_answer=answer)
    codes = set(CARD.findall(text))
    assert codes and not codes & UNSAFE_IN_PREGNANCY and "midwife" in text, text[:800]
    assert stack.tracker(sender)["slots"]["pregnancy_status"] == "possibly_pregnant"
