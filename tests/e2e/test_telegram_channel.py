"""Telegram end to end: the real Rasa and action servers, a local server speaking the Bot API.

Telegram's own servers cannot be reached from here; `tests/support/bot_api.py` answers
the Bot API calls and records them, and the tests post the updates Telegram would post.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from rasa_server.channel_turn import STOPPED_REPLY, TEXT_ONLY_REPLY
from rasa_server.telegram_format import to_plain, units
from tests.e2e.conftest import PUBLIC_SITE, PUBLIC_URL, SECRET, TelegramStack
from tests.support.bot_api import BOT_USERNAME, Call, TelegramUser

pytestmark = pytest.mark.e2e
CARD = re.compile(r"<b>\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
_ids = iter(range(810_000_000, 820_000_000))


def new_user(telegram: TelegramStack, group_id: int | None = None) -> TelegramUser:
    return telegram.user(next(_ids), group_id)


def turn(telegram: TelegramStack, user: TelegramUser, update: dict) -> list[Call]:
    """Post one update; the Bot API calls it caused for this chat (sent before the 200)."""
    before = len(telegram.bot_api.sent(user.chat_id))
    reply = user.post(update)
    assert reply.status_code == 200, reply.text[:300]
    return telegram.bot_api.sent(user.chat_id)[before:]


def texts(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text", "") for c in calls if c.method == "sendMessage")


def last_keyboard(calls: list[Call]) -> Call:
    return [c for c in calls if "reply_markup" in c.params][-1]


def test_startup_survives_telegram_being_down_and_sets_the_webhook_once_it_is_back(telegram: TelegramStack) -> None:
    rest = telegram.while_down["rest"]
    assert rest.status_code == 200 and "Tell me what hurts" in " ".join(r.get("text", "") for r in rest.json())
    assert telegram.while_down["health"] == {"status": "ok", "enabled": True, "webhook_set": False}
    hooks = telegram.bot_api.wait_for(lambda: telegram.bot_api.sent(method="setWebhook"), timeout=120)
    assert hooks[0].params == {
        "url": PUBLIC_URL,
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"],
    }
    health = telegram.bot_api.wait_for(
        lambda: requests.get(f"{telegram.stack.url}/webhooks/telegram/", timeout=10).json()["webhook_set"]
    )
    assert health is True and len(telegram.bot_api.sent(method="setWebhook")) == 1


def test_symptom_then_button_tap_gives_points_as_html(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    calls = turn(telegram, user, user.message_update("my lower back is stiff"))
    assert "are you pregnant" in to_plain(texts(calls)).lower() and not CARD.findall(texts(calls))
    question = last_keyboard(calls)
    titles = [b["text"] for row in question.params["reply_markup"]["inline_keyboard"] for b in row]
    assert titles == ["Yes, I am or might be", "No", "Not applicable to me"]
    tap = user.tap_update(question, "No")
    calls = turn(telegram, user, tap)
    answered = telegram.bot_api.sent(method="answerCallbackQuery")
    assert {"callback_query_id": tap["callback_query"]["id"]} in [c.params for c in answered]
    assert CARD.findall(texts(calls))[:2] == ["BL23", "BL52"], texts(calls)[:600]
    for call in calls:
        if call.method == "sendMessage":
            assert call.params["parse_mode"] == "HTML" and "**" not in call.params["text"]
            assert units(call.params["text"]) <= 4096 and call.params["chat_id"] == user.chat_id
    photos = [c.params for c in calls if c.method == "sendPhoto"]
    assert [p["photo"] for p in photos][:2] == [f"{PUBLIC_SITE}/diagrams/BL23.png", f"{PUBLIC_SITE}/diagrams/BL52.png"]
    assert all(p["caption"] and p["chat_id"] == user.chat_id for p in photos)
    # Each point's photo right after its card.
    first_photo = calls.index(next(c for c in calls if c.method == "sendPhoto"))
    assert "BL23" in calls[first_photo - 1].params["text"]
    buttons = [
        b["callback_data"] for row in last_keyboard(calls).params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "/start_guided_session" in buttons
    assert telegram.stack.tracker(user.sender_id)["slots"]["recommended_points"][:2] == ["BL23", "BL52"]


def test_red_flag_gets_emergency_advice_and_no_points(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    calls = turn(telegram, user, user.message_update("my back hurts and I can't feel anything when I wipe"))
    text = to_plain(texts(calls))
    assert "emergency" in text.lower() and "999" in text
    assert not CARD.findall(texts(calls)) and not [c for c in calls if c.method == "sendPhoto"]  # no diagrams
    assert telegram.stack.tracker(user.sender_id)["slots"]["triage"] == "emergency"


@pytest.mark.parametrize("secret", [None, "wrong-secret", SECRET + "x", ""])
def test_wrong_or_missing_secret_is_refused_and_nothing_is_stored(telegram: TelegramStack, secret: str | None) -> None:
    user = new_user(telegram)
    reply = user.post(user.message_update("my lower back is stiff"), secret=secret)
    assert reply.status_code == 403
    assert telegram.bot_api.sent(user.chat_id) == []
    events = telegram.stack.tracker(user.sender_id)["events"]
    assert not [e for e in events if e["event"] == "user"]


def test_a_redelivered_update_gets_one_reply(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    update = user.message_update("got a crick in my neck")
    with ThreadPoolExecutor(3) as pool:  # Telegram redelivers while the first is still running
        replies = list(pool.map(lambda _: user.post(update), range(3)))
    assert [r.status_code for r in replies] == [200, 200, 200]
    once = texts(telegram.bot_api.sent(user.chat_id))
    assert once and turn(telegram, user, update) == []
    user_events = [e for e in telegram.stack.tracker(user.sender_id)["events"] if e["event"] == "user"]
    assert len(user_events) == 1


def test_a_failing_send_is_answered_200_and_the_chat_keeps_working(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    telegram.bot_api.failures[("sendMessage", user.chat_id)] = (500, "Internal Server Error")
    calls = turn(telegram, user, user.message_update("got a crick in my neck"))
    assert calls and all(c.method == "sendMessage" for c in calls)  # tried (and retried), no 500 back
    del telegram.bot_api.failures[("sendMessage", user.chat_id)]
    assert texts(turn(telegram, user, user.message_update("thanks")))


def test_commands_start_help_and_stop(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    start = to_plain(texts(turn(telegram, user, user.message_update("/start"))))
    assert "can't diagnose" in start and "Tell me what hurts" in start
    assert "in your own words" in to_plain(texts(turn(telegram, user, user.message_update("/help"))))
    turn(telegram, user, user.message_update("my lower back is stiff"))
    stopped = [c.params["text"] for c in turn(telegram, user, user.message_update("/stop"))]
    assert stopped[0] == STOPPED_REPLY and "can't diagnose" in stopped[1]  # a new conversation
    # Rasa's tracker API shows the conversation since the restart: a fresh session.
    events = [e["event"] for e in telegram.stack.tracker(user.sender_id)["events"]]
    assert "session_started" in events and "user" not in events


def test_a_sticker_gets_a_clear_answer(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    calls = turn(telegram, user, user.message_update(None, sticker={"file_id": "abc"}))
    assert texts(calls) == TEXT_ONLY_REPLY


def test_group_answers_only_when_addressed_one_tracker_per_person(telegram: TelegramStack) -> None:
    group = -1_000_000_000_000 - next(_ids)
    sam, alex = new_user(telegram, group), new_user(telegram, group)
    assert turn(telegram, sam, sam.message_update("my lower back is stiff")) == []
    calls = turn(telegram, sam, sam.message_update(f"@{BOT_USERNAME} my lower back is stiff"))
    assert "are you pregnant" in texts(calls).lower()
    assert all(c.params.get("reply_parameters", {}).get("message_id") for c in calls)
    calls = turn(telegram, alex, alex.message_update(f"@{BOT_USERNAME} got a crick in my neck"))
    assert texts(calls)
    assert [e["text"] for e in telegram.stack.tracker(sam.sender_id)["events"] if e["event"] == "user"] == [
        "my lower back is stiff"
    ]
    assert telegram.stack.tracker(alex.sender_id)["events"] != []


def test_no_getme_per_update(telegram: TelegramStack) -> None:
    assert telegram.bot_api.sent(method="getMe") == []  # the username comes from TELEGRAM_VERIFY


def test_rasa_http_api_can_send_to_a_telegram_chat(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    turn(telegram, user, user.message_update("hi"))
    before = len(telegram.bot_api.sent(user.chat_id))
    reply = requests.post(
        f"{telegram.stack.url}/conversations/{user.sender_id}/execute",
        params={"token": telegram.stack.api_token, "output_channel": "telegram"},
        json={"name": "utter_help"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text[:300]
    assert "in your own words" in texts(telegram.bot_api.sent(user.chat_id)[before:])
