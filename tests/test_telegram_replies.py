"""Telegram's output channel against the local Bot API server, without Rasa: what goes out."""

from __future__ import annotations

import pytest

from rasa_server.telegram_api import BotAPI
from rasa_server.telegram_channel import TelegramReplies
from rasa_server.telegram_format import ButtonPayloads, units
from tests.support.bot_api import FakeBotAPI
from tests.support.servers import free_port

TOKEN = "42:unit-token"
CHAT = 1234


@pytest.fixture
def bot_api():
    server = FakeBotAPI(TOKEN, free_port()).start()
    yield server
    server.stop()


@pytest.fixture
async def replies(bot_api: FakeBotAPI):
    api = BotAPI(TOKEN, bot_api.url)
    yield TelegramReplies(api, ButtonPayloads(), CHAT)
    await api.close()


async def test_a_diagram_is_one_photo_with_its_alt_text(bot_api: FakeBotAPI, replies: TelegramReplies) -> None:
    url = "https://acu.example.org/diagrams/LI4.png"
    custom = {"type": "diagram", "code": "LI4", "src": url, "alt": "On the back of the hand, between thumb and index."}
    await replies.send_response(str(CHAT), {"image": url, "custom": custom})
    (photo,) = bot_api.sent(CHAT)
    assert photo.method == "sendPhoto" and photo.params["photo"] == url
    assert photo.params["caption"] == custom["alt"]


async def test_a_photo_telegram_cannot_fetch_arrives_as_a_link(bot_api: FakeBotAPI, replies: TelegramReplies) -> None:
    bot_api.failures[("sendPhoto", CHAT)] = (400, "Bad Request: wrong file identifier/HTTP URL specified")
    await replies.send_response(str(CHAT), {"image": "http://localhost:8080/diagrams/GB20.png"})
    photo, link = bot_api.sent(CHAT)
    assert photo.method == "sendPhoto" and link.method == "sendMessage"
    assert 'href="http://localhost:8080/diagrams/GB20.png"' in link.params["text"]


async def test_html_telegram_cannot_parse_is_resent_as_plain_text(
    bot_api: FakeBotAPI, replies: TelegramReplies
) -> None:
    bot_api.refuse_html_for.add(CHAT)
    await replies.send_response(str(CHAT), {"text": "**1. LI4** press & hold"})
    html, plain = bot_api.sent(CHAT)
    assert html.params["text"] == "<b>1. LI4</b> press &amp; hold"
    assert plain.params["text"] == "1. LI4 press & hold" and "parse_mode" not in plain.params


async def test_a_long_answer_with_buttons_keeps_them_on_its_last_piece(
    bot_api: FakeBotAPI, replies: TelegramReplies
) -> None:
    text = "\n\n".join(f"**{i}.** " + "Press slowly and breathe. " * 30 for i in range(20))
    buttons = [{"title": "More points", "payload": "/more_points"}]
    await replies.send_response(str(CHAT), {"text": text, "buttons": buttons})
    sent = bot_api.sent(CHAT)
    assert len(sent) > 1 and all(units(c.params["text"]) <= 4096 for c in sent)
    assert [("reply_markup" in c.params) for c in sent] == [False] * (len(sent) - 1) + [True]


async def test_server_errors_are_retried_and_a_refusal_is_not(bot_api: FakeBotAPI, replies: TelegramReplies) -> None:
    bot_api.failures[("sendMessage", CHAT)] = (502, "Bad Gateway")
    await replies.send_response(str(CHAT), {"text": "hello"})  # logged, not raised into Rasa
    assert len(bot_api.sent(CHAT)) == 3
    bot_api.failures[("sendMessage", CHAT)] = (403, "Forbidden: bot was blocked by the user")
    await replies.send_response(str(CHAT), {"text": "hello"})
    assert len(bot_api.sent(CHAT)) == 4


async def test_a_group_reply_quotes_the_message_it_answers(bot_api: FakeBotAPI) -> None:
    api = BotAPI(TOKEN, bot_api.url)
    try:
        await TelegramReplies(api, ButtonPayloads(), -100, reply_to=77).send_response("-100:5", {"text": "hi"})
    finally:
        await api.close()
    (sent,) = bot_api.sent(-100)
    assert sent.params["reply_parameters"] == {"message_id": 77, "allow_sending_without_reply": True}
