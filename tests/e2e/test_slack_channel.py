"""Slack end to end: the real servers, signed Events API calls, a local Slack Web API.

Slack cannot be reached from here: `tests/support/slack.py` posts what Slack would post
(signed with slack_sdk's own SignatureVerifier) and records the chat.postMessage calls.
"""

from __future__ import annotations

import re
import time

import pytest

from rasa_server.channel_turn import TEXT_ONLY_REPLY
from tests.e2e.conftest import PUBLIC_SITE, TelegramStack
from tests.support.slack import SlackUser

pytestmark = pytest.mark.e2e
CARD = re.compile(r"\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
_ids = iter(range(100_000, 999_999))


def new_user(telegram: TelegramStack, channel: str | None = None) -> SlackUser:
    number = next(_ids)
    return telegram.slack_user(f"U{number}", channel or f"D{number}")


def say(telegram: TelegramStack, user: SlackUser, body: dict) -> list[dict]:
    before = len(telegram.slack_api.posted(user.channel))
    reply = user.post_event(body)
    assert reply.status_code == 200, reply.text[:300]
    return telegram.slack_api.replies_after(user.channel, before)


def texts(posts: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for p in posts for b in p["blocks"] if b["type"] == "section")


def user_texts(telegram: TelegramStack, sender_id: str) -> list[str]:
    return [e["text"] for e in telegram.stack.tracker(sender_id)["events"] if e["event"] == "user"]


def test_url_verification_is_answered(telegram: TelegramStack) -> None:
    reply = new_user(telegram).post_event(
        {"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    )
    assert reply.status_code == 200 and reply.json() == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }


def test_direct_message_then_a_button_gives_points_as_blocks(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    posts = say(telegram, user, user.event("my lower back is stiff"))
    assert "are you pregnant" in texts(posts).lower()
    question = next(p for p in posts if any(b["type"] == "actions" for b in p["blocks"]))
    before = len(telegram.slack_api.posted(user.channel))
    assert user.press(question, "No").status_code == 200
    posts = telegram.slack_api.replies_after(user.channel, before)
    assert CARD.findall(texts(posts))[:2] == ["BL23", "BL52"], texts(posts)[:500]
    assert "**" not in texts(posts)
    images = [b for p in posts for b in p["blocks"] if b["type"] == "image"]
    assert [b["image_url"] for b in images][:2] == [
        f"{PUBLIC_SITE}/diagrams/BL23.png",
        f"{PUBLIC_SITE}/diagrams/BL52.png",
    ]
    assert all(b["alt_text"] for b in images)
    assert user_texts(telegram, user.user_id) == ["my lower back is stiff", "/deny"]


def test_red_flag_gets_emergency_advice_and_no_points(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    posts = say(telegram, user, user.event("my back hurts and I can't feel anything when I wipe"))
    assert "emergency" in texts(posts).lower() and "999" in texts(posts)
    assert not CARD.findall(texts(posts)) and not [b for p in posts for b in p["blocks"] if b["type"] == "image"]


@pytest.mark.parametrize(
    "sign", [{"signature": None}, {"signature": "v0=" + "0" * 64}, {"timestamp": int(time.time()) - 600}]
)
def test_wrong_missing_or_old_signature_is_refused(telegram: TelegramStack, sign: dict) -> None:
    user = new_user(telegram)
    assert user.post_event(user.event("my lower back is stiff"), **sign).status_code == 403
    time.sleep(1)
    assert telegram.slack_api.posted(user.channel) == [] and user_texts(telegram, user.user_id) == []


def test_a_retry_is_not_answered_twice(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    event = user.event("got a crick in my neck")
    first = say(telegram, user, event)
    assert first
    assert user.post_event(event, retry=1).status_code == 200
    time.sleep(2)
    assert len(telegram.slack_api.posted(user.channel)) == len(first)
    assert user_texts(telegram, user.user_id) == ["got a crick in my neck"]


def test_in_a_channel_only_mentions_are_answered_in_their_thread(telegram: TelegramStack) -> None:
    user = new_user(telegram, channel=f"C{next(_ids)}")
    assert user.post_event(user.event("my lower back is stiff")).status_code == 200
    time.sleep(1.5)
    assert telegram.slack_api.posted(user.channel) == []
    event = user.event("<@UBOT> my lower back is stiff", mention=True)
    posts = say(telegram, user, event)
    assert posts and all(p["thread_ts"] == event["event"]["ts"] for p in posts)
    assert user_texts(telegram, f"{user.channel}:{user.user_id}") == ["my lower back is stiff"]


def test_bots_are_ignored_and_a_file_without_words_gets_a_clear_answer(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    assert user.post_event(user.event("hello", bot_id="B1")).status_code == 200
    posts = say(telegram, user, user.event("", subtype="file_share", files=[{"id": "F1"}]))
    assert texts(posts) == TEXT_ONLY_REPLY
