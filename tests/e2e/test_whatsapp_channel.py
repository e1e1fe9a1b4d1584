"""WhatsApp through Twilio, end to end: the real servers, the calls Twilio would make.

Twilio cannot be reached from here; the tests post Twilio's signed form
(`tests/support/twilio.py`) and read the TwiML answer, which carries every reply: the
channel makes no outgoing call at all.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from rasa_server.channel_turn import TEXT_ONLY_REPLY
from rasa_server.whatsapp_channel import OUT_OF_RANGE
from rasa_server.whatsapp_format import CHOICE_PROMPT
from tests.e2e.conftest import PUBLIC_SITE, TelegramStack
from tests.support.twilio import WhatsAppUser, read_twiml, sign

pytestmark = pytest.mark.e2e
CARD = re.compile(r"\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
_numbers = iter(range(7_700_900_000, 7_700_999_999))


def new_user(telegram: TelegramStack) -> WhatsAppUser:
    return telegram.whatsapp_user(f"+44{next(_numbers)}")


def bodies(messages: list[tuple[str, str | None]]) -> str:
    return "\n".join(body for body, _ in messages)


def user_texts(telegram: TelegramStack, user: WhatsAppUser) -> list[str]:
    return [e["text"] for e in telegram.stack.tracker(user.sender_id)["events"] if e["event"] == "user"]


def test_symptom_then_a_number_picks_the_choice_and_gives_points_with_diagrams(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    question = bodies(user.say("my lower back is stiff"))
    assert "are you pregnant" in question.lower() and CHOICE_PROMPT in question
    assert "1. Yes, I am or might be\n2. No\n3. Not applicable to me" in question
    answer = user.say("2")
    text = bodies(answer)
    assert CARD.findall(text)[:2] == ["BL23", "BL52"], text[:500]
    assert "**" not in text and all(len(body) <= 1600 for body, _ in answer)
    media = [url for _, url in answer if url]
    assert media[:2] == [f"{PUBLIC_SITE}/diagrams/BL23.png", f"{PUBLIC_SITE}/diagrams/BL52.png"]
    assert user_texts(telegram, user) == ["my lower back is stiff", "/deny"]


def test_a_number_out_of_range_asks_again(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    user.say("my lower back is stiff")
    again = bodies(user.say("7"))
    assert again.startswith(OUT_OF_RANGE) and "2. No" in again
    assert user_texts(telegram, user) == ["my lower back is stiff"]


def test_red_flag_gets_emergency_advice_and_no_points(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    answer = user.say("my back hurts and I can't feel anything when I wipe")
    assert "emergency" in bodies(answer).lower() and "999" in bodies(answer)
    assert not CARD.findall(bodies(answer)) and not [url for _, url in answer if url]


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl"])
def test_wrong_or_missing_signature_is_refused_and_nothing_stored(
    telegram: TelegramStack, signature: str | None
) -> None:
    user = new_user(telegram)
    assert user.post(user.form("my lower back is stiff"), signature=signature).status_code == 403
    assert user_texts(telegram, user) == []


def test_a_signature_for_another_url_or_other_words_is_refused(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    form = user.form("my lower back is stiff")
    other_url = WhatsAppUser(user.webhook_url, user.webhook_url, user.auth_token, user.number)
    assert other_url.post(form).status_code == 403
    signed = user.form("hi")
    tampered = {**signed, "Body": "my lower back is stiff"}
    headers = {"X-Twilio-Signature": sign(user.auth_token, user.signed_url, signed)}
    assert requests.post(user.webhook_url, data=tampered, headers=headers, timeout=30).status_code == 403
    assert user_texts(telegram, user) == []


def test_a_photo_without_words_gets_a_clear_answer(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    media = {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/media/ME1", "MediaContentType0": "image/jpeg"}
    assert bodies(user.say("", **media)) == TEXT_ONLY_REPLY


def test_a_message_twilio_sends_again_is_answered_once(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    form = user.form("got a crick in my neck")
    first = user.post(form)
    again = user.post(form)
    assert first.status_code == again.status_code == 200 and first.text == again.text
    assert read_twiml(first.text) and user_texts(telegram, user) == ["got a crick in my neck"]
    with ThreadPoolExecutor(3) as pool:  # and at the same time
        form = user.form("and my lower back")
        list(pool.map(lambda _: user.post(form), range(3)))
    assert user_texts(telegram, user).count("and my lower back") == 1


def test_sms_senders_are_not_answered(telegram: TelegramStack) -> None:
    user = new_user(telegram)
    reply = user.post({**user.form("hi"), "From": user.number})
    assert reply.status_code == 200 and read_twiml(reply.text) == []
