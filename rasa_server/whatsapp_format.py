"""WhatsApp through Twilio, the pure half: signatures, numbered choices, TwiML. No Rasa.

- Twilio signs each webhook call: X-Twilio-Signature is base64(HMAC-SHA1(auth token, the
  URL Twilio called + every POST parameter as key+value, sorted by key)).
- WhatsApp shows no buttons to a plain message, so buttons become numbered choices under
  the text, and a reply "2" picks the second.
- Replies travel in the webhook's answer (TwiML), not one API call per message; WhatsApp
  bodies are cut under 1,600 characters; **bold** becomes WhatsApp's *bold*.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

MAX_BODY_CHARS = 1600  # Twilio's limit for one WhatsApp message body
CHOICE_PROMPT = "Reply with the number of your choice."
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


def twilio_signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """The X-Twilio-Signature Twilio computes for a form POST to `url`."""
    data = url + "".join(key + value for key in sorted(params) for value in params[key])
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(auth_token: str, url: str, params: Mapping[str, Sequence[str]], given: str) -> bool:
    return bool(given) and hmac.compare_digest(twilio_signature(auth_token, url, params), given)


def to_whatsapp(markdown: str) -> str:
    return _BOLD.sub(r"*\1*", markdown)


def choices_text(titles: Sequence[str]) -> str:
    return "\n".join(f"{number}. {title}" for number, title in enumerate(titles, 1)) + f"\n\n{CHOICE_PROMPT}"


def picked(text: str, choices: Sequence[Any]) -> tuple[bool, Any]:
    """(True, choice) when the text is just a number; the choice is None when out of range."""
    match = _NUMBER.fullmatch(text)
    if not match:
        return False, None
    number = int(match.group(1))
    return True, choices[number - 1] if 1 <= number <= len(choices) else None


def split_body(text: str, limit: int = MAX_BODY_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraphs, lines, then spaces."""
    pieces: list[str] = []
    current = ""
    for block in re.split(r"(\n\n|\n| )", text.strip()):
        while len(block) > limit:  # one giant word
            if current:
                pieces.append(current)
                current = ""
            pieces.append(block[:limit])
            block = block[limit:]
        if len(current) + len(block) > limit:
            pieces.append(current.rstrip())
            current = block.lstrip()
        else:
            current += block
    if current.strip():
        pieces.append(current.rstrip())
    return [p for p in pieces if p.strip()] or [""]


def twiml(messages: Sequence[tuple[str, str | None]]) -> str:
    """A TwiML answer: one <Message> per (body, media URL or None)."""
    parts = ["<?xml version='1.0' encoding='UTF-8'?>", "<Response>"]
    for body, media in messages:
        inner = f"<Body>{escape(body)}</Body>" if body else ""
        if media:
            inner += f"<Media>{escape(media)}</Media>"
        parts.append(f"<Message>{inner}</Message>")
    parts.append("</Response>")
    return "".join(parts)
