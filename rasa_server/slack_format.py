"""Slack's pure half: request signatures, mrkdwn, Block Kit messages, reading events. No Rasa.

- Slack signs each call: X-Slack-Signature = "v0=" + HMAC-SHA256(signing secret,
  "v0:<X-Slack-Request-Timestamp>:<raw body>"); older than 5 minutes is refused (replays).
- **bold** becomes Slack's *bold*; &, < and > are escaped as Slack asks.
- Buttons become an actions block; a diagram an image block with its alt text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Any

MAX_SECTION_CHARS = 3000  # Slack's limit for a section block's text
MAX_AGE_SECONDS = 300
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MENTION = re.compile(r"<@[A-Z0-9]+>")


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, given: str, now: float | None = None) -> bool:
    if not given or not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(slack_signature(secret, timestamp, body), given)


def to_mrkdwn(markdown: str) -> str:
    escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BOLD.sub(r"*\1*", escaped)


def sections(markdown: str) -> list[dict[str, Any]]:
    """Section blocks of at most 3,000 characters, cut at paragraphs, then lines, then spaces."""
    pieces, current = [], ""
    for part in re.split(r"(\n\n|\n| )", to_mrkdwn(markdown).strip()):
        while len(part) > MAX_SECTION_CHARS:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:MAX_SECTION_CHARS])
            part = part[MAX_SECTION_CHARS:]
        if len(current) + len(part) > MAX_SECTION_CHARS:
            pieces.append(current.rstrip())
            current = part.lstrip()
        else:
            current += part
    if current.strip():
        pieces.append(current.rstrip())
    return [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in pieces if p.strip()]


def buttons_block(buttons: list[dict[str, Any]]) -> dict[str, Any]:
    elements = []
    for number, button in enumerate(buttons[:25]):  # Slack's limit per actions block
        title = str(button.get("title") or button.get("payload"))[:75]
        value = str(button.get("payload") or title)[:2000]
        elements.append(
            {
                "type": "button",
                "action_id": f"choice_{number}",
                "text": {"type": "plain_text", "text": title},
                "value": value,
            }
        )
    return {"type": "actions", "elements": elements}


def image_block(url: str, alt: str) -> dict[str, Any]:
    return {"type": "image", "image_url": url, "alt_text": (alt or "Diagram")[:2000]}


@dataclass(frozen=True)
class SlackIncoming:
    text: str
    sender_id: str  # the user in a direct message; channel:user in a channel
    channel: str
    thread_ts: str | None  # in a channel, answers go into the thread of the message


def read_event(body: dict[str, Any]) -> SlackIncoming | str:
    """An Events API callback as a message to the assistant, or why it is not answered."""
    event = body.get("event") or {}
    if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
        return "a bot's message, an edit or another subtype"
    kind, user, channel = event.get("type"), event.get("user"), event.get("channel")
    if not user or not channel:
        return "event without user or channel"
    text = _MENTION.sub("", str(event.get("text") or "")).strip()
    if kind == "message" and event.get("channel_type") == "im":
        return SlackIncoming(text, user, channel, None)
    if kind == "app_mention":
        return SlackIncoming(text, f"{channel}:{user}", channel, event.get("thread_ts") or event.get("ts"))
    return "not a direct message or a mention"


def read_action(payload: dict[str, Any]) -> SlackIncoming | str:
    """A button press (block_actions) as the button's payload said by the person who pressed it."""
    if payload.get("type") != "block_actions" or not payload.get("actions"):
        return "not a button press"
    user = (payload.get("user") or {}).get("id")
    channel = (payload.get("channel") or {}).get("id") or (payload.get("container") or {}).get("channel_id")
    if not user or not channel:
        return "button press without user or channel"
    value = str(payload["actions"][0].get("value") or "")
    thread = (payload.get("container") or {}).get("thread_ts") or (payload.get("message") or {}).get("thread_ts")
    in_dm = str(channel).startswith("D")
    return SlackIncoming(value, user if in_dm else f"{channel}:{user}", channel, None if in_dm else thread)
