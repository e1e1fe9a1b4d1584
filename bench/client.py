"""Timed REST turns against any Rasa server's REST channel, and latency percentiles."""

from __future__ import annotations

import uuid
from time import perf_counter
from typing import Any

import requests

Replies = list[dict[str, Any]]


class TurnError(RuntimeError):
    """A turn that did not get a proper answer."""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rest_turn(
    url: str, sender: str, text: str, session: requests.Session | None = None, timeout: float = 120
) -> tuple[float, Replies]:
    """POST one message to /webhooks/rest/webhook; returns (milliseconds, replies).

    Raises TurnError unless the reply is HTTP 200 with at least one message."""
    post = session.post if session else requests.post
    began = perf_counter()
    response = post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout)
    elapsed = (perf_counter() - began) * 1000
    replies = response.json() if response.status_code == 200 else None
    if not replies:
        raise TurnError(f"bad reply to {text!r}: {response.status_code} {response.text[:200]}")
    return elapsed, replies


def latency_samples(url: str, opener: tuple[str, ...], messages: tuple[str, ...], turns: int) -> list[float]:
    """One user; a new conversation every 10 timed turns, each opened by untimed `opener` turns."""

    def new_conversation(prefix: str) -> str:
        sender = f"{prefix}-{uuid.uuid4().hex[:8]}"
        for text in opener:
            rest_turn(url, sender, text)
        return sender

    warmup = new_conversation("warmup")
    for text in messages[:3]:  # first calls load lazy parts of TF
        rest_turn(url, warmup, text)
    samples: list[float] = []
    sender = ""
    for i in range(turns):
        if i % 10 == 0:
            sender = new_conversation("latency")
        samples.append(rest_turn(url, sender, messages[i % len(messages)])[0])
    return samples


def socketio_events(replies: Replies) -> int:
    """How many `bot_uttered` events Rasa 3.6's socket.io channel emits for what the REST
    channel returns as `replies` (rasa/core/channels/socketio.py: text is split on blank
    lines, buttons ride on the last part, images, attachments and custom JSON are one each,
    generic templates one per element). A point diagram, which REST returns as a `custom`
    entry plus an `image` entry, is one event (rasa_server/socketio_channel.py)."""
    count = 0
    for reply in replies:
        if reply.get("text"):
            count += len(reply["text"].strip().split("\n\n"))
        diagram = isinstance(reply.get("custom"), dict) and reply["custom"].get("type") == "diagram"
        count += sum(
            1 for key in ("image", "attachment", "custom") if reply.get(key) and not (diagram and key == "custom")
        )
        count += len(reply.get("elements") or [])
    return count
