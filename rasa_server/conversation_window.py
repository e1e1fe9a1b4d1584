"""Which stored events a turn needs: the last few user turns and the state they start from.

Pure logic over stored rows (no database, no Rasa objects), shared by the tracker store's
cold read from SQL and its in-process cache, so both hand Rasa the same events.

The window is the last `max_turns` user turns of the latest session, starting at the
`action_listen` before the first of them, preceded by the state the conversation was in
there: the latest value of every slot and the latest form (de)activation since the last
session start, restart or slot reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

# Event type names as Rasa stores them (rasa.shared.core.events, `type_name`).
SESSION_STARTED = "session_started"
USER = "user"
ACTION = "action"
SLOT = "slot"
ACTIVE_LOOP = "active_loop"
RESETS = ("restart", "reset_slots")


class StoredEvent(NamedTuple):
    """One row of Rasa's SQL `events` table, the columns the window needs."""

    id: int
    type_name: str
    action_name: str | None  # for a slot event: the slot's name
    data: str  # the event as JSON


def _last(rows: Sequence[StoredEvent], type_names: tuple[str, ...], start: int, stop: int) -> int | None:
    """Index of the last row in rows[start:stop] with one of these types."""
    for index in range(stop - 1, start - 1, -1):
        if rows[index].type_name in type_names:
            return index
    return None


def window(rows: Sequence[StoredEvent], max_turns: int) -> list[StoredEvent]:
    """The events a turn needs, in id order. `rows` are one sender's events in id order.

    Idempotent, and window(window(a) + b) == window(a + b): a cached window plus the rows
    stored since gives what a read of the whole history would.
    """
    session_start = _last(rows, (SESSION_STARTED,), 0, len(rows)) or 0
    user_turns = [index for index in range(session_start, len(rows)) if rows[index].type_name == USER]
    if len(user_turns) < max_turns:
        return list(rows[session_start:])
    window_user = user_turns[-max_turns]
    window_start = _last(rows, (ACTION,), session_start, window_user)
    if window_start is None:
        window_start = window_user
    last_reset = _last(rows, RESETS, session_start, window_start)
    state_from = session_start if last_reset is None else last_reset

    latest_slot: dict[str | None, int] = {}
    latest_loop: int | None = None
    for index in range(state_from, window_start):
        if rows[index].type_name == SLOT:
            latest_slot[rows[index].action_name] = index
        elif rows[index].type_name == ACTIVE_LOOP:
            latest_loop = index
    state = sorted([*latest_slot.values(), *([] if latest_loop is None else [latest_loop])])
    return [rows[index] for index in state] + list(rows[window_start:])
