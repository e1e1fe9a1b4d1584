"""Telegram's side of the wording: pure functions, no Rasa, no network.

- Our replies use **bold** only (actions/core/render.py); Telegram gets them as HTML
  (`parse_mode=HTML`), with everything else escaped, so "A&E" or "<3 days" arrive intact.
- A message may hold at most 4,096 characters: longer answers are split at paragraph,
  then line, then word boundaries, never inside a tag or an escape.
- Inline buttons carry at most 64 bytes of callback data: longer payloads are replaced by
  a short key (`ButtonPayloads`), and a key that is no longer known falls back to the
  button's title as typed text.
- Updates are read into one `Incoming` shape (text, sender, chat), or a reason to ignore.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_UNITS = 4096  # Telegram's limit, counted here in UTF-16 units, tags included
MAX_CALLBACK_BYTES = 64
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TAG = re.compile(r"<[^>]+>")
# Telegram commands and what the assistant hears for them (its intents).
COMMANDS = {"start": "/greet", "help": "/help", "stop": "/restart"}


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji counts two."""
    return len(text.encode("utf-16-le")) // 2


def to_html(markdown: str) -> str:
    """Our markdown (**bold** only) as Telegram HTML, everything else escaped."""
    return _BOLD.sub(r"<b>\1</b>", _escape(markdown))


def to_plain(telegram_html: str) -> str:
    """What a person reads of a Telegram HTML message (used to compare channels)."""
    return html.unescape(_TAG.sub("", telegram_html))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _hard_split(text: str, limit: int) -> list[str]:
    """Cut one over-long line into escaped pieces (bold dropped), at spaces where possible."""
    pieces, current = [], ""
    step = max(1, limit // 6)  # an escaped character takes at most 5 units ("&amp;")
    for word in re.split(r"(?<= )", text.replace("**", "")):
        chunks = [word[i : i + step] for i in range(0, len(word), step)] if units(_escape(word)) > limit else [word]
        for chunk in chunks:
            if current and units(_escape(current + chunk)) > limit:
                pieces.append(_escape(current))
                current = chunk
            else:
                current += chunk
    if current.strip():
        pieces.append(_escape(current))
    return pieces


def split_message(markdown: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """The message as Telegram HTML pieces of at most `limit` units each."""
    pieces: list[str] = []
    current = ""

    def add(block: str, joiner: str) -> None:
        nonlocal current
        candidate = f"{current}{joiner}{block}" if current else block
        if units(candidate) <= limit:
            current = candidate
            return
        if current:
            pieces.append(current)
        current = block

    for paragraph in markdown.strip().split("\n\n"):
        rendered = to_html(paragraph)
        if units(rendered) <= limit:
            add(rendered, "\n\n")
            continue
        for line in paragraph.split("\n"):
            rendered = to_html(line)
            if units(rendered) <= limit:
                add(rendered, "\n")
            else:
                for piece in _hard_split(line, limit):
                    add(piece, "\n")
    if current:
        pieces.append(current)
    return pieces or [""]


class ButtonPayloads:
    """Callback data for inline buttons: the payload itself when it fits in 64 bytes."""

    def __init__(self, remembered: int = 10_000) -> None:
        self._by_key: OrderedDict[str, str] = OrderedDict()
        self.remembered = remembered

    def data_for(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_CALLBACK_BYTES:
            return payload
        key = "#" + hashlib.sha256(payload.encode()).hexdigest()[:32]
        self._by_key[key] = payload
        self._by_key.move_to_end(key)
        while len(self._by_key) > self.remembered:
            self._by_key.popitem(last=False)
        return key

    def payload_for(self, data: str) -> str | None:
        """The payload behind callback data; None for a key no longer remembered."""
        if data.startswith("#") and len(data) == 33:
            return self._by_key.get(data)
        return data


def inline_keyboard(buttons: list[dict[str, Any]], payloads: ButtonPayloads) -> dict[str, Any]:
    """One button per row: our titles are sentences, which a row of three would truncate."""
    rows = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "")
        payload = str(button.get("payload") or title)
        rows.append([{"text": title[:64], "callback_data": payloads.data_for(payload)}])
    return {"inline_keyboard": rows}


def button_title(callback_message: dict[str, Any] | None, data: str) -> str | None:
    """The title of the tapped button, read from the keyboard Telegram sends back."""
    keyboard = ((callback_message or {}).get("reply_markup") or {}).get("inline_keyboard") or []
    for row in keyboard:
        for button in row:
            if button.get("callback_data") == data:
                return button.get("text")
    return None


class RecentIds:
    """Update ids already taken, so a redelivered update is processed once."""

    def __init__(self, remembered: int = 10_000) -> None:
        self._ids: OrderedDict[int, None] = OrderedDict()
        self.remembered = remembered

    def first_time(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        while len(self._ids) > self.remembered:
            self._ids.popitem(last=False)
        return True


@dataclass(frozen=True)
class Incoming:
    """One update read as something to say to the assistant (text is None: not text)."""

    text: str | None
    sender_id: str  # the chat id in a private chat; chat:user in a group (one tracker each)
    chat_id: int
    message_id: int | None = None
    callback_id: str | None = None
    in_group: bool = False


def _sender(chat: dict[str, Any], user: dict[str, Any] | None) -> tuple[str, bool]:
    in_group = chat.get("type") in ("group", "supergroup")
    if in_group and user and "id" in user:
        return f"{chat['id']}:{user['id']}", True
    return str(chat["id"]), in_group


def _command(text: str, username: str | None) -> str | None:
    """What a /command means to the assistant; "" for another bot's, None if not a command."""
    match = re.fullmatch(r"/([A-Za-z0-9_]+)(?:@(\w+))?(\s+.*)?", text.strip(), flags=re.S)
    if not match:
        return None  # e.g. a Rasa intent typed with entities, left as the web would get it
    name, addressee, rest = match.group(1).lower(), match.group(2), (match.group(3) or "").strip()
    if addressee and username and addressee.lower() != username.lower():
        return ""
    if name in COMMANDS:
        return COMMANDS[name]
    return f"{name.replace('_', ' ')} {rest}".strip()  # other commands read as words


def _addressed(message: dict[str, Any], text: str, username: str | None) -> tuple[bool, str]:
    """In a group: is this message for us (a mention, a reply to us, a command)? And its text."""
    if text.startswith("/"):
        return True, text
    replied = (message.get("reply_to_message") or {}).get("from") or {}
    if username:
        mention = re.compile(rf"@{re.escape(username)}\b", re.I)
        if mention.search(text):
            return True, mention.sub("", text).strip()
        if replied.get("is_bot") and str(replied.get("username", "")).lower() == username.lower():
            return True, text
    return False, text


def read_update(update: dict[str, Any], username: str | None) -> Incoming | str:
    """The update as an `Incoming`, or why it is ignored (a short reason for the log)."""
    if "callback_query" in update:
        query = update["callback_query"]
        message = query.get("message") or {}
        if "chat" not in message or "from" not in query:
            return "callback without its message"
        sender, in_group = _sender(message["chat"], query["from"])
        return Incoming(
            query.get("data"), sender, message["chat"]["id"], message.get("message_id"), query.get("id"), in_group
        )
    message = update.get("message")
    if message is None:
        return "not a new message (edits, channel posts and member updates are not answered)"
    if "chat" not in message:
        return "message without a chat"
    sender, in_group = _sender(message["chat"], message.get("from"))
    text = message.get("text")
    if isinstance(text, str) and in_group:
        addressed, text = _addressed(message, text, username)
        if not addressed:
            return "group message not addressed to the bot"
    elif in_group:
        return "group message without text"
    if isinstance(text, str) and text.startswith("/"):
        meaning = _command(text, username)
        if meaning == "":
            return "command for another bot"
        text = meaning if meaning is not None else text
    if isinstance(text, str) and not text.strip():
        text = None
    text = text if isinstance(text, str) else None
    return Incoming(text, sender, message["chat"]["id"], message.get("message_id"), None, in_group)
