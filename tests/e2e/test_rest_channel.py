"""End to end: both real servers, chatting over the REST channel as a web page would."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from actions.core.catalogue import default_catalogue
from rasa_server.action_health import ACTIONS_DOWN_REPLY, TRY_AGAIN_REPLY
from tests.support.servers import ROOT, RasaStack

pytestmark = pytest.mark.e2e
CARD = re.compile(r"\*\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
PREGNANCY_QUESTION = "are you pregnant"
UNSAFE_IN_PREGNANCY = {code for code, p in default_catalogue().points.items() if p.pregnancy != "ok"}
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
REPHRASE = RESPONSES["utter_ask_rephrase"][0]["text"]
THANKS = {r["text"] for r in RESPONSES["utter_thank"]}
HELP = RESPONSES["utter_help"][0]["text"]
# What the channels say when they could not answer: never a pass for a test of an answer.
CANNED = {TRY_AGAIN_REPLY, ACTIONS_DOWN_REPLY}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    servers = RasaStack(workdir=Path(tmp_path_factory.mktemp("e2e"))).start()
    yield servers
    servers.stop()


def chat(stack: RasaStack, text: object, sender: str | None = None, canned: bool = False) -> tuple[str, list[dict]]:
    """One turn; unless `canned`, a "try again" or "can't look up points" reply fails the test."""
    response = stack.say(sender or uuid.uuid4().hex, text)
    assert response.status_code == 200, response.text[:500]
    replies = response.json()
    said = [r.get("text", "") for r in replies]
    assert canned or not CANNED & set(said), f"a canned reply to {str(text)[:40]!r}: {said}"
    return "\n".join(said), replies


def ask_for_points(stack: RasaStack, message: str, sender: str, pregnant: bool = False) -> str:
    """Send a symptom; answer the pregnancy question if the bot asks it."""
    text, _ = chat(stack, message, sender)
    if PREGNANCY_QUESTION in text.lower():
        assert not CARD.findall(text), "points must wait for the pregnancy answer"
        text, _ = chat(stack, "yes" if pregnant else "no", sender)
    return text


def test_new_conversation_starts_with_the_scope_statement(stack: RasaStack) -> None:
    text, replies = chat(stack, "hi")
    assert "can't diagnose" in replies[0]["text"] and "emergency" in replies[0]["text"]
    assert "Tell me what hurts" in text


def test_stiff_lower_back_asks_pregnancy_then_gives_back_points(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    text, replies = chat(stack, "my lower back is stiff", sender)
    assert PREGNANCY_QUESTION in text.lower() and not CARD.findall(text)
    text, replies = chat(stack, "no", sender)
    assert CARD.findall(text)[:2] == ["BL23", "BL52"], text[:800]
    assert "Where:" in text and "How to press:" in text and "Careful:" in text and "Evidence:" in text
    assert "doctor or physiotherapist" in text
    assert any(b["payload"] == "/start_guided_session" for r in replies for b in r.get("buttons", []))
    slots = stack.tracker(sender)["slots"]
    assert slots["recommended_points"][:2] == ["BL23", "BL52"]
    assert slots["triage"] == "none" and slots["pregnancy_status"] == "not_pregnant"
    # Remembered: the next complaint is answered without asking again.
    assert CARD.findall(chat(stack, "and my neck is stiff too", sender)[0])


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
    codes = CARD.findall(ask_for_points(stack, message, uuid.uuid4().hex))
    assert codes and codes[0] in expected, codes


INTRO = re.compile(r"For (?P<what>[^,\n]+?), here (?:is|are) \d+ acupressure point")
NO_POINTS_FOR = re.compile(r"no acupressure points for pain in your (?P<area>[\w ]+?)\.")


@pytest.mark.parametrize(
    "message,complaints",
    [
        # issue 10's examples, and kinds of message a development set showed misread (2026-12-03)
        ("Trouble falling asleep, any pressure points?", ["poor sleep"]),
        ("jet lagged and wide awake at 2am", ["poor sleep"]),
        ("stressed, whole back tight", ["stress and tension", "lower back pain"]),
        ("exam stress has my back in knots", ["stress and tension", "lower back pain"]),
        ("cant even look at my phone in the car without wanting to hurl", ["nausea"]),
        ("MY LOW BACK AND HIP ACHE AFTER DIGGING THE ALLOTMENT", ["lower back pain", "hip pain"]),
        ("my husband is so stressed with work he's barely sleeping, what could he press?",
         ["stress and tension", "poor sleep"]),
    ],
)  # fmt: skip
def test_complaints_in_peoples_own_words_get_points_for_each(stack: RasaStack, message: str, complaints) -> None:
    text = ask_for_points(stack, message, uuid.uuid4().hex)
    named = " ".join(m.group("what") for m in INTRO.finditer(text))
    assert all(c in named for c in complaints) and CARD.findall(text), text[:600]
    assert not NO_POINTS_FOR.search(text), "named an area the person did not say"


@pytest.mark.parametrize(
    "message", ["HURTING AGAIN TODAY WHAT SHOULD I PRESS", "I'm sore today, which points should I use?"]
)
def test_pain_with_no_place_is_asked_where_not_read_as_a_shoulder(stack: RasaStack, message: str) -> None:
    text, replies = chat(stack, message)
    assert "Where do you feel it?" in text and not CARD.findall(text), text[:400]
    assert any(b.get("payload") for r in replies for b in r.get("buttons", []))


def test_a_question_naming_a_point_is_answered_about_that_point(stack: RasaStack) -> None:
    text, _ = chat(stack, "is HT7 any good for sleep?")
    assert "HT7 Shenmen" in text and "Where:" in text and not INTRO.search(text), text[:400]


def test_severe_pain_puts_the_clinician_first(stack: RasaStack) -> None:
    text = ask_for_points(stack, "my lower back pain is 9/10, unbearable", uuid.uuid4().hex)
    first_card = text.index("**1.")
    assert "severe" in text[:first_card].lower() and "doctor" in text[:first_card]


def test_pregnant_user_never_gets_contraindicated_points(stack: RasaStack) -> None:
    text, _ = chat(stack, "I'm 30 weeks pregnant and my lower back aches")
    codes = set(CARD.findall(text))
    assert codes and not codes & UNSAFE_IN_PREGNANCY, codes
    assert "midwife" in text


def test_saddle_numbness_gets_emergency_advice_and_stays_safe(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    text, _ = chat(stack, "my back hurts and I can't feel anything when I wipe", sender)
    assert "emergency" in text.lower() and "999" in text and not CARD.findall(text)
    assert stack.tracker(sender)["slots"]["triage"] == "emergency"
    text, _ = chat(stack, "ok but which points help my lower back?", sender)
    assert "emergency" in text.lower() and not CARD.findall(text)


def test_denied_numbness_still_gets_points(stack: RasaStack) -> None:
    text = ask_for_points(stack, "no numbness, just a stiff lower back", uuid.uuid4().hex)
    assert CARD.findall(text)


def test_red_flag_interrupts_the_pregnancy_question(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    text, _ = chat(stack, "my lower back aches", sender)
    assert PREGNANCY_QUESTION in text.lower()
    text, _ = chat(stack, "no, but I've wet myself and can't feel my legs properly", sender)
    assert "emergency" in text.lower() and not CARD.findall(text)
    tracker = stack.tracker(sender)
    assert tracker["slots"]["triage"] == "emergency" and not tracker["active_loop"]


def test_urgent_flag_puts_the_doctor_first_then_gentle_points(stack: RasaStack) -> None:
    text, _ = chat(stack, "I had breast cancer a few years ago and now my neck aches")
    assert "doctor today" in text
    codes = CARD.findall(text)
    assert codes and not set(codes) & UNSAFE_IN_PREGNANCY
    assert text.index("doctor today") < text.index("**1.")


def test_point_question_is_answered_from_the_catalogue(stack: RasaStack) -> None:
    text, _ = chat(stack, "where is LI4?")
    assert "LI4 Hegu" in text and "thumb" in text and "pregnancy" in text


def test_out_of_scope_gets_no_points(stack: RasaStack) -> None:
    text, _ = chat(stack, "can you book me a flight to Madrid")
    assert not CARD.findall(text)
    assert "can't help with that" in text or "didn't quite catch" in text


def test_guided_session_over_rest(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    ask_for_points(stack, "my neck is stiff", sender)
    text, _ = chat(stack, "/start_guided_session", sender)
    assert "Which side" in text  # the session's own questions first (tests/e2e/test_guided_session.py)


@pytest.mark.parametrize(
    "message,expected",
    [
        ("", REPHRASE),
        ("   ", REPHRASE),
        ("?!", REPHRASE),
        ("🙂🙂🙂", REPHRASE),
        ("a" * 50_000, REPHRASE),  # no word in it (rasa_server/input_guard.py NoWordsFallback)
        ("my neck aches. " * 3_400, "Your message was very long (50,999 characters), so I read only the first 1,500."),
    ],
)
def test_bad_input_gets_a_clear_reply_not_an_error(stack: RasaStack, message: str, expected: str) -> None:
    text, _ = chat(stack, message)
    assert expected in text, f"{message[:20]!r}: {text[:300]}"


def test_a_red_flag_at_the_end_of_a_very_long_message_is_still_seen(stack: RasaStack) -> None:
    text, _ = chat(stack, "my back aches. " * 400 + "Also I can't feel the toilet paper when I wipe.")
    assert "emergency" in text.lower() and not CARD.findall(text)


def test_malformed_requests_are_refused_cleanly(stack: RasaStack) -> None:
    url = f"{stack.url}/webhooks/rest/webhook"
    bodies = ("not json", '{"sender": "x"}', "[]", '{"sender": "", "message": "hi"}', '{"sender": "x", "message": 5}')
    for body in bodies:
        response = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code == 400, (body, response.status_code, response.text[:300])
        assert "error" in response.json()
    assert "Tell me what hurts" in chat(stack, "hello")[0]  # the server still answers normally afterwards


def test_action_server_down_gives_a_clear_reply_not_silence(stack: RasaStack) -> None:
    stack.stop("actions")
    time.sleep(1.1)  # past the channel's one-second trust in its last health check
    try:
        text, _ = chat(stack, "my lower back is stiff", canned=True)
        assert text == ACTIONS_DOWN_REPLY
    finally:
        stack.start_actions()
    assert PREGNANCY_QUESTION in chat(stack, "my lower back is stiff")[0].lower()


def test_a_conversation_that_began_while_the_action_server_was_down_recovers(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    stack.stop("actions")
    time.sleep(1.1)
    try:
        assert chat(stack, "my lower back is stiff", sender, canned=True)[0] == ACTIONS_DOWN_REPLY
    finally:
        stack.start_actions()
    # The same person tries again: a real answer, and no run of re-prompts in the history.
    assert PREGNANCY_QUESTION in chat(stack, "my lower back is stiff", sender)[0].lower()
    actions = [e.get("name") for e in stack.tracker(sender)["events"] if e["event"] == "action"]
    assert actions.count("utter_ask_rephrase") <= 1, actions


def loaded_turns() -> int:
    """How many recent user turns the tracker store loads per message (endpoints.yml)."""
    endpoints = yaml.safe_load((Path(__file__).resolve().parents[2] / "endpoints.yml").read_text())
    return int(endpoints["tracker_store"]["max_turns"])


def test_what_was_said_early_still_counts_beyond_the_loaded_turns(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    assert CARD.findall(chat(stack, "I'm 30 weeks pregnant and my lower back aches", sender)[0])
    for turn in range(loaded_turns() + 3):
        text = chat(stack, ["where is GB20?", "thanks", "what can you do?"][turn % 3], sender)[0]
        assert ["GB20 Fengchi" in text, text in THANKS, HELP in text][turn % 3], text[:300]
    text, _ = chat(stack, "my neck is stiff", sender)
    codes = set(CARD.findall(text))
    assert codes and not codes & UNSAFE_IN_PREGNANCY, codes  # still known to be pregnant
    assert PREGNANCY_QUESTION not in text.lower()
    assert "Which side" in chat(stack, "yes", sender)[0]  # the offer just made is accepted: the guided session starts


def test_an_early_emergency_still_blocks_points_beyond_the_loaded_turns(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    assert "emergency" in chat(stack, "my back hurts and I can't feel anything when I wipe", sender)[0].lower()
    for turn in range(loaded_turns() + 2):
        chat(stack, ["where is LI4?", "thanks"][turn % 2], sender)
    text, _ = chat(stack, "my lower back is stiff", sender)
    assert "emergency" in text.lower() and not CARD.findall(text)


def test_conversation_survives_a_server_restart(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    ask_for_points(stack, "my neck is stiff", sender)
    slots = stack.tracker(sender)["slots"]
    before = slots["recommended_points"]
    assert before
    stack.stop("rasa")
    stack.start_rasa()
    assert stack.tracker(sender)["slots"] == slots  # every slot, not only the points
    text, _ = chat(stack, "/more_points", sender)
    assert CARD.findall(text) and not set(CARD.findall(text)) & set(before)


def test_telegram_channel_is_off_without_a_token(stack: RasaStack) -> None:
    # The same credentials.yml as `make run`: no TELEGRAM_ACCESS_TOKEN, no Telegram.
    assert requests.get(f"{stack.url}/webhooks/telegram/", timeout=10).json()["enabled"] is False
    update = {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 5, "type": "private"}, "text": "hi"}}
    assert requests.post(f"{stack.url}/webhooks/telegram/webhook", json=update, timeout=10).status_code == 404
