"""End to end: both real servers, chatting over the REST channel as a web page would."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import requests

from tests.support.servers import RasaStack

pytestmark = pytest.mark.e2e
CARD = re.compile(r"\*\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    servers = RasaStack(workdir=Path(tmp_path_factory.mktemp("e2e"))).start()
    yield servers
    servers.stop()


def chat(stack: RasaStack, text: object, sender: str | None = None) -> tuple[str, list[dict]]:
    response = stack.say(sender or uuid.uuid4().hex, text)
    assert response.status_code == 200, response.text[:500]
    replies = response.json()
    return "\n".join(r.get("text", "") for r in replies), replies


def test_stiff_lower_back_gets_back_points_with_instructions_and_reminder(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    text, replies = chat(stack, "my lower back is stiff", sender)
    codes = CARD.findall(text)
    assert codes[:2] == ["BL23", "BL52"], text[:800]
    assert "Where:" in text and "How to press:" in text and "Careful:" in text
    assert "doctor or physiotherapist" in text
    assert any(b["payload"] == "/start_guided_session" for r in replies for b in r.get("buttons", []))
    slots = stack.tracker(sender)["slots"]
    assert slots["recommended_points"][:2] == ["BL23", "BL52"]
    assert slots["triage"] == "none"


@pytest.mark.parametrize(
    "message,expected",
    [
        ("sciatica down my left leg", {"GB30", "BL36", "BL53", "BL40"}),
        ("got a crick in my neck", {"GB20", "GB21"}),
        ("pounding headache since this morning", {"LI4", "GB20", "LR3", "EX-HN3"}),
        ("my knees ache when I climb stairs", {"GB34", "ST35", "BL40"}),
    ],
)
def test_other_complaints_get_their_own_points(stack: RasaStack, message: str, expected: set[str]) -> None:
    text, _ = chat(stack, message)
    codes = CARD.findall(text)
    assert codes and codes[0] in expected, text[:600]


def test_severe_pain_puts_the_clinician_first(stack: RasaStack) -> None:
    _, replies = chat(stack, "my lower back pain is 9/10, unbearable")
    assert "severe" in replies[0]["text"].lower() and "doctor" in replies[0]["text"]


def test_point_question_is_answered_from_the_catalogue(stack: RasaStack) -> None:
    text, _ = chat(stack, "where is LI4?")
    assert "LI4 Hegu" in text and "thumb" in text and "pregnancy" in text


def test_out_of_scope_gets_no_points(stack: RasaStack) -> None:
    text, _ = chat(stack, "can you book me a flight to Madrid")
    assert not CARD.findall(text)
    assert "can't help with that" in text or "didn't quite catch" in text


def test_guided_session_over_rest(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    chat(stack, "my neck is stiff", sender)
    text, _ = chat(stack, "/start_guided_session", sender)
    assert "Step 1 of" in text
    text, _ = chat(stack, "next", sender)
    assert "Step 2 of" in text


@pytest.mark.parametrize("message", ["", "   ", "?!", "a" * 50_000, "back " * 10_000, "🙂🙂🙂"])
def test_bad_input_gets_a_clear_reply_not_an_error(stack: RasaStack, message: str) -> None:
    text, replies = chat(stack, message)
    assert replies and text.strip(), f"no reply for {message[:20]!r}"


def test_malformed_requests_are_refused_cleanly(stack: RasaStack) -> None:
    url = f"{stack.url}/webhooks/rest/webhook"
    for body in ("not json", '{"sender": "x"}', "[]"):
        response = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code < 500, (body, response.status_code, response.text[:300])
    # The server still answers normally afterwards.
    assert CARD.findall(chat(stack, "my lower back is stiff")[0])


def test_action_server_down_gives_a_clear_reply_not_silence(stack: RasaStack) -> None:
    stack.stop("actions")
    try:
        text, _ = chat(stack, "my lower back is stiff")
        assert "try again" in text
    finally:
        stack.start_actions()
    assert CARD.findall(chat(stack, "my lower back is stiff")[0])


def test_conversation_survives_a_server_restart(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    chat(stack, "my neck is stiff", sender)
    before = stack.tracker(sender)["slots"]["recommended_points"]
    stack.stop("rasa")
    stack.start_rasa()
    assert stack.tracker(sender)["slots"]["recommended_points"] == before
    text, _ = chat(stack, "/more_points", sender)
    assert CARD.findall(text) and not set(CARD.findall(text)) & set(before)
