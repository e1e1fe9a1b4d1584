"""The first message of a new conversation (issue 15): every turn from a fresh sender id.

Ours and the bare `rasa init` bot are served at the same time and their turns interleaved
(ours a symptom message, rotating bench/symptom_messages.txt; the bare bot "hello"), so both
see the same machine state; which of the two goes first alternates from pair to pair. A turn
is one POST to the REST channel, which answers with every message of the turn at once (for
a new sender: the session start's scope statement and the answer), so the time counted is
the whole reply the visitor gets.
"""

from __future__ import annotations

import statistics
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.client import percentile, rest_turn

WARMUP = 3  # untimed first messages per side: a process loads lazy parts of TensorFlow on its first turns


@dataclass
class Side:
    """One bot's first messages: milliseconds and the number of messages in each reply."""

    ms: list[float] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        if not self.ms:
            return {}
        return {
            "first_turns": len(self.ms),
            "first_p50_ms": statistics.median(self.ms),
            "first_p95_ms": percentile(self.ms, 95),
            "first_replies": statistics.mean(self.replies),
        }


def pair_order(index: int) -> tuple[str, str]:
    """Who sends first in pair `index`: ours on even pairs, the bare bot on odd ones."""
    return ("ours", "bare") if index % 2 == 0 else ("bare", "ours")


def fresh_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def first_turn(url: str, text: str, side: Side | None = None) -> None:
    """One fresh sender's first message; timed into `side` unless it is None (a warm-up)."""
    ms, replies = rest_turn(url, fresh_sender("first"), text)
    if side is not None:
        side.ms.append(ms)
        side.replies.append(len(replies))


def interleaved(
    ours_url: str, bare_url: str, ours_messages: Sequence[str], bare_message: str, pairs: int
) -> tuple[Side, Side]:
    """`pairs` first messages on each side, interleaved; (ours, bare)."""
    for i in range(WARMUP):
        first_turn(ours_url, ours_messages[i % len(ours_messages)])
        first_turn(bare_url, bare_message)
    sides = {"ours": Side(), "bare": Side()}
    for i in range(pairs):
        for who in pair_order(i):
            if who == "ours":
                first_turn(ours_url, ours_messages[i % len(ours_messages)], sides["ours"])
            else:
                first_turn(bare_url, bare_message, sides["bare"])
    return sides["ours"], sides["bare"]


def driver(url: str, messages: Sequence[str]) -> Callable[[threading.Event], int]:
    """A profile driver (bench/spy.py): first messages from fresh senders until stopped."""

    def drive(stop: threading.Event) -> int:
        sent = 0
        while not stop.is_set():
            first_turn(url, messages[sent % len(messages)])
            sent += 1
        return sent

    return drive
