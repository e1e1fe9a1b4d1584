"""One table, every channel: the same conversations read the same on REST, socket.io,
Telegram, WhatsApp and Slack.

Each conversation of channel_conversations.yml is chatted through each channel of one
running stack; every answer is reduced to what a person reads there (texts without
formatting, paragraphs joined, button titles, images), and the channels must agree turn
by turn. Each channel's own format is checked by its own tests; this one checks that the
format is all that differs.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from rasa_server.telegram_format import to_plain
from rasa_server.whatsapp_format import CHOICE_PROMPT
from tests.e2e.conftest import TelegramStack
from tests.support.bot_api import Call
from tests.support.sio_client import SocketIOUser

pytestmark = pytest.mark.e2e
TABLE = yaml.safe_load((Path(__file__).parent / "channel_conversations.yml").read_text())["conversations"]
CARD = re.compile(r"\b\d\. (?:[A-Z]{2}\d{1,2}|EX-HN3) ")
_ids = iter(range(830_000_000, 840_000_000))

Item = tuple[str, Any]  # ("text", words) | ("buttons", titles) | ("image", url)


def merged(items: list[Item]) -> list[Item]:
    """Consecutive texts as one (socket.io sends each paragraph as its own message)."""
    out: list[Item] = []
    for kind, value in items:
        if kind == "text" and not value:
            continue
        if kind == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", f"{out[-1][1]}\n\n{value}")
        else:
            out.append((kind, value))
    return out


def web_reading(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()  # the widget shows **bold** as bold


def rest_conversation(telegram: TelegramStack, turns: list[Any]) -> list[list[Item]]:
    sender, answers, last = uuid.uuid4().hex, [], []
    for turn in turns:
        if isinstance(turn, dict):
            message = next(b["payload"] for r in last for b in r.get("buttons", []) if b["title"] == turn["tap"])
        else:
            message = turn
        reply = telegram.stack.say(sender, message)
        assert reply.status_code == 200
        last = reply.json()
        items: list[Item] = []
        for r in last:
            items.append(("text", web_reading(r.get("text", ""))))
            if r.get("buttons"):
                items.append(("buttons", [b["title"] for b in r["buttons"]]))
            if r.get("image"):
                items.append(("image", r["image"]))
        answers.append(merged(items))
    return answers


def socketio_conversation(telegram: TelegramStack, turns: list[Any]) -> list[list[Item]]:
    async def run() -> list[list[Item]]:
        user = SocketIOUser(telegram.stack.url, uuid.uuid4().hex)
        await user.connect()
        answers, last = [], []
        try:
            for turn in turns:
                if isinstance(turn, dict):
                    replies = [q for r in last for q in r.get("quick_replies", [])]
                    message = next(q["payload"] for q in replies if q["title"] == turn["tap"])
                else:
                    message = turn
                last = await user.say(message)
                items: list[Item] = []
                for r in last:
                    items.append(("text", web_reading(str(r.get("text", "")))))
                    if r.get("quick_replies"):
                        items.append(("buttons", [q["title"] for q in r["quick_replies"]]))
                    if r.get("attachment"):
                        items.append(("image", r["attachment"]["payload"]["src"]))
                answers.append(merged(items))
        finally:
            await user.close(linger=0)
        return answers

    return asyncio.run(run())


def telegram_conversation(telegram: TelegramStack, turns: list[Any]) -> list[list[Item]]:
    user = telegram.user(next(_ids))
    answers, last = [], []
    for turn in turns:
        if isinstance(turn, dict):
            keyboard = next(
                c
                for c in reversed(last)
                if any(
                    b["text"] == turn["tap"]
                    for row in c.params.get("reply_markup", {}).get("inline_keyboard", [])
                    for b in row
                )
            )
            update = user.tap_update(keyboard, turn["tap"])
        else:
            update = user.message_update(turn)
        before = len(telegram.bot_api.sent(user.chat_id))
        assert user.post(update).status_code == 200
        last = [c for c in telegram.bot_api.sent(user.chat_id)[before:] if c.method != "answerCallbackQuery"]
        answers.append(merged([item for call in last for item in telegram_items(call)]))
    return answers


def telegram_items(call: Call) -> list[Item]:
    if call.method == "sendPhoto":
        return [("image", call.params["photo"])]
    items: list[Item] = [("text", to_plain(call.params["text"]).strip())]
    if "reply_markup" in call.params:
        items.append(("buttons", [b["text"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]))
    return items


def first_difference(web: list[Item], other: list[Item]) -> str:
    for index, (a, b) in enumerate(zip(web, other, strict=False)):
        if a != b:
            x, y = str(a[1]), str(b[1])
            at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
            near = slice(max(0, at - 60), at + 60)
            return f"item {index}: rest {a[0]} ...{x[near]!r} vs {b[0]} ...{y[near]!r}"
    return f"rest has {len(web)} items, the other {len(other)}: {web[len(other) :] or other[len(web) :]}"


def whatsapp_conversation(telegram: TelegramStack, turns: list[Any]) -> list[list[Item]]:
    user = telegram.whatsapp_user(f"+1555{next(_ids)}")
    answers, choices = [], []
    for turn in turns:
        message = str(choices.index(turn["tap"]) + 1) if isinstance(turn, dict) else turn
        items: list[Item] = []
        for body, media in user.say(message):
            if media:  # a diagram: the picture, its caption is the alt text
                items.append(("image", media))
                continue
            text, titles = whatsapp_choices(body)
            items.append(("text", re.sub(r"\*(.+?)\*", r"\1", text).strip()))
            if titles:
                items.append(("buttons", titles))
                choices = titles
        answers.append(merged(items))
    return answers


def whatsapp_choices(body: str) -> tuple[str, list[str]]:
    """A body's text and the numbered choices under it (WhatsApp's buttons)."""
    if not body.endswith(CHOICE_PROMPT):
        return body, []
    lines = body[: -len(CHOICE_PROMPT)].rstrip().split("\n")
    titles = []
    while lines and re.match(r"\d+\. ", lines[-1]):  # the choices end the body, after a blank line
        titles.insert(0, lines.pop().split(". ", 1)[1])
    return "\n".join(lines).strip(), titles


def slack_conversation(telegram: TelegramStack, turns: list[Any]) -> list[list[Item]]:
    user = telegram.slack_user(f"U{next(_ids)}", f"D{next(_ids)}")
    answers, last = [], []
    for turn in turns:
        before = len(telegram.slack_api.posted(user.channel))
        if isinstance(turn, dict):
            pressed = next(p for p in reversed(last) if turn["tap"] in slack_titles(p))
            assert user.press(pressed, turn["tap"]).status_code == 200
        else:
            assert user.post_event(user.event(turn)).status_code == 200
        last = telegram.slack_api.replies_after(user.channel, before)
        items: list[Item] = []
        for post in last:
            for block in post["blocks"]:
                if block["type"] == "section":
                    text = block["text"]["text"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    items.append(("text", re.sub(r"\*(.+?)\*", r"\1", text).strip()))
                elif block["type"] == "actions":
                    items.append(("buttons", slack_titles(post)))
                elif block["type"] == "image":
                    items.append(("image", block["image_url"]))
        answers.append(merged(items))
    return answers


def slack_titles(post: dict[str, Any]) -> list[str]:
    return [e["text"]["text"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]


CHANNELS = {
    "rest": rest_conversation,
    "socketio": socketio_conversation,
    "telegram": telegram_conversation,
    "whatsapp": whatsapp_conversation,
    "slack": slack_conversation,
}


def all_text(answers: list[list[Item]]) -> str:
    return "\n".join(value for turn in answers for kind, value in turn if kind == "text")


@pytest.mark.parametrize("conversation", TABLE, ids=[c["name"] for c in TABLE])
def test_every_channel_reads_the_same(telegram: TelegramStack, conversation: dict[str, Any]) -> None:
    readings = {name: chat(telegram, conversation["turns"]) for name, chat in CHANNELS.items()}
    for name, answers in readings.items():
        text = all_text(answers)
        assert bool(CARD.search(text)) == conversation["expect"]["points"], (name, text[:800])
        for words in conversation["expect"].get("says", []):
            assert words in text, (name, words)
    for name in CHANNELS.keys() - {"rest"}:
        for number, (web, other) in enumerate(zip(readings["rest"], readings[name], strict=True), 1):
            web, other = without_timer(web), without_timer(other)
            assert other == web, f"{name}, turn {number}: {first_difference(web, other)}"


# A guided step promises the timer message only where the channel can receive one later
# (socket.io, Telegram); REST and the others press Done instead. Otherwise the same words.
_TIMER_PROMISE = re.compile(r"\n(?:I'll tell you when [^.]+ is up\. )?Press Done when you have finished[^\n]*")


def without_timer(turn: list[Item]) -> list[Item]:
    return [(kind, _TIMER_PROMISE.sub("", value) if kind == "text" else value) for kind, value in turn]
