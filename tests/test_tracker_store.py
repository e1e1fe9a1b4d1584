"""The windowed tracker store: bounded loads, same state, nothing lost on save."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.tracker_store import WindowedSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent
MAX_TURNS = 4


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def store(tmp_path: Path, domain: Domain) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), max_turns=MAX_TURNS)


def run(coroutine):
    return asyncio.run(coroutine)


def turn(number: int, *extra: Event) -> list[Event]:
    return [
        UserUttered(f"message {number}", {"name": "describe_symptom", "confidence": 1.0}),
        ActionExecuted("action_recommend_points"),
        *extra,
        BotUttered(f"reply {number}"),
        ActionExecuted("action_listen"),
    ]


def converse(store: WindowedSQLTrackerStore, turns: list[list[Event]]) -> DialogueStateTracker:
    """Play turns the way the server does: retrieve, add one turn, save. Returns the reference tracker."""
    reference = DialogueStateTracker("alice", store.domain.slots)
    opening = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for event in opening:
        reference.update(event)
    run(store.save(reference.copy()))
    for events in turns:
        tracker = run(store.retrieve("alice"))
        for event in events:
            tracker.update(event)
            reference.update(event)
        run(store.save(tracker))
    return reference


def since_session_start(tracker: DialogueStateTracker) -> list[Event]:
    """What Rasa's own SQL store loads: the events from the latest session start on."""
    events = list(tracker.events)
    starts = [index for index, event in enumerate(events) if isinstance(event, SessionStarted)]
    return events[starts[-1] :]


def user_turns(tracker: DialogueStateTracker) -> int:
    return sum(isinstance(event, UserUttered) for event in tracker.events)


def test_short_conversation_loads_whole(store: WindowedSQLTrackerStore) -> None:
    reference = converse(store, [turn(n) for n in range(MAX_TURNS - 1)])
    assert list(run(store.retrieve("alice")).events) == since_session_start(reference)


def test_long_conversation_loads_a_bounded_window_with_the_same_state(store: WindowedSQLTrackerStore) -> None:
    turns = [turn(n) for n in range(40)]
    turns[2] = turn(2, SlotSet("age", 71.0), SlotSet("pregnancy_status", "not_pregnant"))
    turns[5] = turn(5, SlotSet("triage", "urgent"))
    turns[30] = turn(30, SlotSet("triage", "none"), SlotSet("recommended_points", ["BL23", "BL40"]))
    turns[37] = turn(37, SlotSet("severity", 8.0))
    reference = converse(store, turns)

    loaded = run(store.retrieve("alice"))
    assert user_turns(loaded) == MAX_TURNS
    assert loaded.current_slot_values() == reference.current_slot_values()
    assert loaded.latest_message.text == "message 39"
    # The window is the conversation's own tail, unchanged.
    tail = list(reference.events)[-len(turn(0)) * MAX_TURNS - 1 :]
    assert list(loaded.events)[-len(tail) :] == tail


def test_active_form_survives_the_window(store: WindowedSQLTrackerStore) -> None:
    turns = [turn(n) for n in range(20)]
    turns[3] = turn(3, ActiveLoop("pregnancy_form"), SlotSet("requested_slot", "pregnancy_status"))
    converse(store, turns)
    assert run(store.retrieve("alice")).active_loop_name == "pregnancy_form"


def test_slots_reset_before_the_window_stay_reset(store: WindowedSQLTrackerStore) -> None:
    turns = [turn(n) for n in range(20)]
    turns[1] = turn(1, SlotSet("age", 60.0))
    turns[4] = turn(4, AllSlotsReset())
    reference = converse(store, turns)
    assert reference.get_slot("age") is None
    assert run(store.retrieve("alice")).get_slot("age") is None


def test_every_event_is_stored_once(store: WindowedSQLTrackerStore) -> None:
    reference = converse(store, [turn(n, SlotSet("severity", float(n % 10))) for n in range(30)])
    full = run(store.retrieve_full_tracker("alice"))
    assert list(full.events) == list(reference.events)
    # Saving a retrieved tracker again without changes adds nothing.
    again = run(store.retrieve("alice"))
    run(store.save(again))
    run(store.save(again))
    assert len(run(store.retrieve_full_tracker("alice")).events) == len(reference.events)


def test_max_turns_must_be_positive(tmp_path: Path, domain: Domain) -> None:
    with pytest.raises(ValueError, match="max_turns"):
        WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "x.db"), max_turns=0)


def test_sqlite_uses_a_write_ahead_log(store: WindowedSQLTrackerStore) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_rows_are_written_as_rasas_own_store_writes_them(tmp_path: Path, domain: Domain) -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    tracker = DialogueStateTracker("bob", domain.slots)
    for event in [ActionExecuted("action_listen"), *turn(1, SlotSet("age", 40.0), ActiveLoop("pregnancy_form"))]:
        tracker.update(event)
    columns = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")

    def rows(store: SQLTrackerStore) -> list[tuple]:
        run(store.save(tracker))
        with store.session_scope() as session:
            events = session.query(store.SQLEvent).order_by(store.SQLEvent.id).all()
            return [tuple(getattr(row, column) for column in columns) for row in events]

    ours = WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    assert rows(ours) == rows(rasas)
    assert len(rows(ours)) == len(tracker.events)  # saved twice, stored once


def cold_store(store: WindowedSQLTrackerStore) -> WindowedSQLTrackerStore:
    """Another store on the same database that keeps nothing in memory: every read from SQL."""
    database = store.engine.url.database
    return WindowedSQLTrackerStore(domain=store.domain, dialect="sqlite", db=database, cached_senders=0)


def random_turn(rng: random.Random, number: int) -> list[Event]:
    extras = [
        SlotSet("age", float(number)),
        SlotSet("severity", float(number % 10)),
        SlotSet("triage", rng.choice(["none", "urgent"])),
        ActiveLoop("pregnancy_form"),
        ActiveLoop(None),
        AllSlotsReset(),
        Restarted(),
    ]
    events = turn(number, *rng.sample(extras, rng.randint(0, 3)))
    if rng.random() < 0.05:  # a new session, as Rasa starts one after a long pause
        events += [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    return events


@pytest.mark.parametrize("seed", range(5))
def test_the_kept_window_gives_what_a_read_from_sql_gives(store: WindowedSQLTrackerStore, seed: int) -> None:
    rng = random.Random(seed)
    cold = cold_store(store)
    converse(store, [])
    for number in range(30):
        tracker = run(store.retrieve("alice"))
        assert list(tracker.events) == list(run(cold.retrieve("alice")).events)
        assert "alice" in store._windows and not cold._windows
        for event in random_turn(rng, number):
            tracker.update(event)
        run(store.save(tracker))


def test_turns_saved_by_another_server_are_seen(store: WindowedSQLTrackerStore) -> None:
    other = WindowedSQLTrackerStore(domain=store.domain, dialect="sqlite", db=store.engine.url.database)
    converse(store, [])
    for number in range(12):
        server = (store, other)[number % 2]
        tracker = run(server.retrieve("alice"))
        assert list(tracker.events) == list(run(cold_store(store).retrieve("alice")).events)
        for event in turn(number, SlotSet("severity", float(number % 10))):
            tracker.update(event)
        run(server.save(tracker))
    assert run(store.retrieve("alice")).get_slot("severity") == 1.0  # set by `other` in turn 11


def test_only_the_most_recent_conversations_are_kept(tmp_path: Path, domain: Domain) -> None:
    store = WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), cached_senders=2)
    for sender in ("ann", "bob", "cy", "bob"):
        tracker = run(store.get_or_create_tracker(sender))
        tracker.update(UserUttered("hello"))
        run(store.save(tracker))
        run(store.retrieve(sender))
    assert list(store._windows) == ["cy", "bob"]
    assert run(store.retrieve("ann")).latest_message.text == "hello"  # read from SQL again


def test_cached_senders_must_not_be_negative(tmp_path: Path, domain: Domain) -> None:
    with pytest.raises(ValueError, match="cached_senders"):
        WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "x.db"), cached_senders=-1)
