"""What the bench says to each bot: latency turns, the long conversation and the load conversation.

Ours gets a realistic mix that touches every flow (symptom -> pregnancy question or offer,
point questions, more points, a guided session, thanks); the bare `rasa init` moodbot gets
its own happy/sad cycle. Both are sent to the REST channel and, under load, to socket.io.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

_MESSAGES_FILE = Path(__file__).resolve().parent / "symptom_messages.txt"
SYMPTOM_MESSAGES = tuple(line.strip() for line in _MESSAGES_FILE.read_text().splitlines() if line.strip())

# One cycle of our conversation after a symptom; "no" answers the pregnancy question the
# first time and declines the guided-session offer afterwards.
OURS_AFTER_SYMPTOM = (
    "no",
    "where is LI4?",
    "tell me about GB20",
    "more points",
    "start a guided session",
    "left",  # the session's questions: side, pain 0-10, the safety check
    "5",
    "no",
    "next",
    "next",
    "stop",
    "thanks",
)
# The moodbot's own "sad path 1" story, then its goodbye rule. ("great" after "yes" is in
# none of its stories: a fresh training sometimes answers it with silence, which stopped a run.)
MOOD_CYCLE = ("hello", "I am sad", "yes", "bye")


@dataclass(frozen=True)
class Script:
    """The messages one bot is measured with."""

    # Untimed turns that open each latency conversation, then the timed turns (cycled).
    latency_opener: tuple[str, ...]
    latency_messages: tuple[str, ...]
    # One long conversation cycles these (each inner tuple once, in order, then again).
    curve_cycles: tuple[tuple[str, ...], ...]
    # Under load every conversation is this exact script, so each turn's reply count is known.
    load_conversation: tuple[str, ...]

    def curve(self, turns: int, start: int = 0) -> list[str]:
        """Messages `start`..`start + turns - 1` of the long conversation."""
        endless = itertools.chain.from_iterable(itertools.cycle(self.curve_cycles))
        return list(itertools.islice(endless, start, start + turns))


OURS = Script(
    latency_opener=("my lower back is stiff", "no"),
    latency_messages=SYMPTOM_MESSAGES,
    curve_cycles=tuple((symptom, *OURS_AFTER_SYMPTOM) for symptom in SYMPTOM_MESSAGES),
    load_conversation=("my lower back is stiff", *OURS_AFTER_SYMPTOM),
)
BARE = Script(
    latency_opener=("hello",),
    latency_messages=("hello",),
    curve_cycles=(MOOD_CYCLE,),
    load_conversation=MOOD_CYCLE * 2,
)
