"""The window of stored events a turn needs (pure logic, no database)."""

from __future__ import annotations

import random

import pytest

from rasa_server.conversation_window import StoredEvent, window

MAX_TURNS = 3


def conversation(kinds: list[tuple[str, str | None]]) -> list[StoredEvent]:
    return [StoredEvent(number, kind, name, f"event {number}") for number, (kind, name) in enumerate(kinds, start=1)]


def user_turn(*middle: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("user", None), ("action", "action_reply"), *middle, ("bot", None), ("action", "action_listen")]


def ids(rows: list[StoredEvent]) -> list[int]:
    return [row.id for row in rows]


OPENING = [("action", "action_session_start"), ("session_started", None), ("action", "action_listen")]


def test_a_short_session_is_returned_whole_from_its_start() -> None:
    rows = conversation([*OPENING, *user_turn(), *user_turn()])
    # From the session_started event on, as Rasa's own SQL store loads a session.
    assert window(rows, MAX_TURNS) == rows[1:]


def test_only_the_latest_session_counts() -> None:
    rows = conversation([*OPENING, *user_turn(("slot", "age")), *OPENING, *user_turn()])
    assert ids(window(rows, MAX_TURNS)) == ids(rows[len(OPENING) + 5 + 1 :])


def test_a_long_session_keeps_the_last_turns_and_the_latest_state() -> None:
    kinds = [*OPENING, *user_turn(("slot", "age"), ("active_loop", "pregnancy_form"))]
    kinds += user_turn(("slot", "age"), ("slot", "severity"), ("active_loop", None))
    kinds += [kind for _ in range(10) for kind in user_turn()]
    rows = conversation(kinds)
    result = window(rows, MAX_TURNS)

    assert sum(row.type_name == "user" for row in result) == MAX_TURNS
    state = result[:3]
    # The second turn's slots and its form deactivation: the latest of each, in id order.
    assert [(row.type_name, row.action_name) for row in state] == [
        ("slot", "age"),
        ("slot", "severity"),
        ("active_loop", None),
    ]
    assert state[0].id > 9  # the second "age", not the first
    # The window starts at the action_listen before its first user message.
    assert result[3].action_name == "action_listen" and result[4].type_name == "user"
    assert result[3:] == rows[-(MAX_TURNS * 4 + 1) :]


def test_slots_set_before_a_reset_are_left_out() -> None:
    kinds = [*OPENING, *user_turn(("slot", "age")), *user_turn(("reset_slots", None), ("slot", "severity"))]
    kinds += [kind for _ in range(5) for kind in user_turn()]
    state = window(conversation(kinds), MAX_TURNS)[:1]
    assert [(row.type_name, row.action_name) for row in state] == [("slot", "severity")]


def random_conversation(rng: random.Random, turns: int) -> list[tuple[str, str | None]]:
    extras = [("slot", "age"), ("slot", "severity"), ("slot", "triage"), ("active_loop", "pregnancy_form")]
    extras += [("active_loop", None), ("reset_slots", None), ("restart", None)]
    kinds = list(OPENING)
    for _ in range(turns):
        if rng.random() < 0.05:
            kinds += OPENING
        kinds += user_turn(*rng.sample(extras, rng.randint(0, 3)))
    return kinds


@pytest.mark.parametrize("seed", range(30))
def test_a_kept_window_plus_new_rows_equals_the_window_of_everything(seed: int) -> None:
    """What the tracker store's cache relies on: no turn needs a row the last window dropped."""
    rng = random.Random(seed)
    rows = conversation(random_conversation(rng, 40))
    kept: list[StoredEvent] = []
    seen = 0
    while seen < len(rows):
        new = rows[seen : seen + rng.randint(1, 12)]
        seen += len(new)
        kept = window(kept + new, MAX_TURNS)
        assert kept == window(rows[:seen], MAX_TURNS)
    assert window(kept, MAX_TURNS) == kept
