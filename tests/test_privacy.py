"""Privacy: the stored-data summary, "forget me" in the tracker store, retention, and log
lines without sender ids or message text (real SQLite, the real windowed store)."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    AllSlotsReset,
    BotUttered,
    ReminderCancelled,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from actions import privacy_store
from actions.core import render
from actions.core.privacy import (
    Redactor,
    forget_confirmed,
    install_log_redaction,
    retention_cutoff,
    retention_days,
    sender_ref,
    summarise,
)
from actions.privacy import summary_text
from rasa_server import privacy
from rasa_server.tracker_store import WindowedSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent
DAY = 24 * 3600


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture
def store(tmp_path: Path, domain: Domain) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), max_turns=4)


def stored_events() -> list[dict]:
    """A conversation as the store keeps it: lower back, left side, not pregnant, points."""
    return [
        {"event": "session_started", "timestamp": 1764633600.0},  # 2 December 2025, 00:00 UTC
        {"event": "user", "timestamp": 1764633601.0, "text": "my lower back aches on the left",
         "parse_data": {"entities": [{"entity": "body_area", "value": "lower back"},
                                     {"entity": "side", "value": "left side"}]}},
        {"event": "slot", "name": "complaints", "value": ["lower_back"]},
        {"event": "user", "timestamp": 1764633610.0, "text": "/deny"},  # a button: not counted
        {"event": "slot", "name": "pregnancy_status", "value": "not_pregnant"},
        {"event": "slot", "name": "recommended_points", "value": ["BL23", "BL52"]},
        {"event": "user", "timestamp": 1764633620.0, "text": "more please"},
        {"event": "slot", "name": "recommended_points", "value": ["BL23", "BL52", "BL40"]},
        {"event": "slot", "name": "point_results", "value": {"BL23": {"helped": 1, "not_helped": 0}}},
        {"event": "slot", "name": "triage", "value": "none"},
    ]  # fmt: skip


def test_summary_lists_the_facts_not_the_messages() -> None:
    summary = summarise(stored_events(), side_of=lambda words: words.split()[0])
    assert (summary.messages, summary.complaints, summary.sides) == (2, ["lower_back"], ["left"])
    assert (summary.pregnancy, summary.points, summary.safety) == ("not_pregnant", ["BL23", "BL52", "BL40"], None)
    text = summary_text(summary)
    assert text.splitlines() == [
        "Here is what I have stored about you: 2 messages from you, since 2 December 2025.",
        "- Where it hurts: lower back pain",
        "- Side: left",
        "- Pregnancy: you told me you are not pregnant",
        "- Points I showed you: BL23 Shenshu (Kidney Shu), BL52 Zhishi (Will Chamber) and BL40 Weizhong "
        "(Commanding Middle)",
        "- BL23 Shenshu (Kidney Shu): you said it helped once",
        "I also keep the messages themselves, so I can follow our conversation. "
        'Say "forget me" and I will delete all of it.',
    ]
    assert "aches on the left" not in text and "more please" not in text


def test_summary_of_nothing_and_of_a_red_flag() -> None:
    assert summary_text(summarise([])).startswith("I haven't stored anything about you yet")
    flagged = summarise([{"event": "user", "timestamp": 1.0, "text": "x"}, {"event": "slot", "name": "triage",
                                                                           "value": "emergency"}])  # fmt: skip
    assert "- Safety: I advised you to get emergency help because of something you described" in summary_text(flagged)


def test_forget_is_confirmed_only_by_the_action_that_ran_to_its_end() -> None:
    done = [("user", None), ("action", "action_forget_me"), ("bot", None), ("reminder_cancelled", None),
            ("reset_slots", None), ("action", "action_listen")]  # fmt: skip
    assert forget_confirmed(done)
    assert not forget_confirmed([("user", None), ("action", "action_forget_me"), ("action", "action_listen")])
    assert not forget_confirmed([("action", "action_guide"), ("reset_slots", None)])


def test_retention_setting() -> None:
    assert retention_days({}) is None and retention_days({"RETENTION_DAYS": " "}) is None
    assert retention_days({"RETENTION_DAYS": "30"}) == 30
    for wrong in ("0", "-3", "thirty"):
        with pytest.raises(ValueError):
            retention_days({"RETENTION_DAYS": wrong})
    assert abs(retention_cutoff(2) - (time.time() - 2 * DAY)) < 5


def test_sender_refs_are_keyed_hashes() -> None:
    assert sender_ref("alice", b"k1") == sender_ref("alice", b"k1") != sender_ref("alice", b"k2")
    assert sender_ref("alice", b"k1").startswith("sender#") and "alice" not in sender_ref("alice", b"k1")


def test_log_lines_carry_neither_the_id_nor_the_text(caplog: pytest.LogCaptureFixture) -> None:
    redactor, before = Redactor(key=b"test"), logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)  # this one alone (not the process's own)
    install_log_redaction(redactor)
    try:
        redactor.register("user-7f3a", "my lower back hurts since Monday")
        with caplog.at_level(logging.INFO):
            logging.getLogger("any.module").info("turn for %s: %r", "user-7f3a", "my lower back hurts since Monday")
            logging.getLogger("sanic.access").info("GET /conversations/bob-1/tracker?token=x 200")
        lines = [record.getMessage() for record in caplog.records]
        assert lines == [
            f"turn for {sender_ref('user-7f3a', b'test')}: '<message>'",
            f"GET /conversations/{sender_ref('bob-1', b'test')}/tracker?token=x 200",
        ]
    finally:
        logging.setLogRecordFactory(before)


# --- the tracker store: forget and retention, on a real SQLite database -------------------


def play(store: WindowedSQLTrackerStore, sender: str, turns: int, at: float | None = None) -> None:
    """A new session of `turns` turns (after any stored ones), every event stamped `at`."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, store.domain.slots)
    new_from = len(tracker.events)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    for number in range(turns):
        tracker.update(UserUttered(f"message {number}", {"name": "describe_symptom", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_recommend_points"))
        tracker.update(SlotSet("pregnancy_status", "not_pregnant"))
        tracker.update(BotUttered(f"reply {number}"))
        tracker.update(ActionExecuted("action_listen"))
    if at is not None:
        for event in list(tracker.events)[new_from:]:
            event.timestamp = at
    asyncio.run(store.save(tracker))


def rows(store: WindowedSQLTrackerStore, sender: str) -> int:
    with store.engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(privacy_store.EVENTS)
        return connection.execute(query.where(privacy_store.EVENTS.c.sender_id == sender)).scalar()


def test_a_confirmed_forget_leaves_no_row_and_no_cached_window(store: WindowedSQLTrackerStore) -> None:
    play(store, "alice", 6)
    play(store, "bob", 2)
    tracker = asyncio.run(store.retrieve("alice"))  # caches alice's window
    assert "alice" in store._windows and tracker.get_slot("pregnancy_status") == "not_pregnant"
    tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_forget_me"))
    for event in [BotUttered(render.forgotten()), ReminderCancelled(), AllSlotsReset()]:
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    assert rows(store, "alice") == 0 and "alice" not in store._windows
    assert asyncio.run(store.retrieve("alice")) is None  # the next message starts a new conversation
    assert rows(store, "bob") == 2 * 5 + 3  # nobody else's rows


def test_a_failed_forget_action_deletes_nothing(store: WindowedSQLTrackerStore) -> None:
    play(store, "alice", 2)
    tracker = asyncio.run(store.retrieve("alice"))
    tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_forget_me"))  # the action server was down: no events
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    assert rows(store, "alice") == 2 * 5 + 3 + 3


def test_retention_removes_old_conversations_and_old_sessions(store: WindowedSQLTrackerStore) -> None:
    now = time.time()
    play(store, "gone", 3, at=now - 40 * DAY)  # last seen 40 days ago
    play(store, "recent", 3, at=now - 2 * DAY)
    play(store, "returning", 2, at=now - 40 * DAY)  # an old session, then a new one today
    play(store, "returning", 1, at=now)
    assert rows(store, "returning") == 13 + 8
    asyncio.run(store.retrieve("gone"))  # a cached window must not outlive its rows
    deleted = privacy.purge_once(store, days=30)
    assert deleted == 18 + 13
    assert (rows(store, "gone"), rows(store, "recent"), rows(store, "returning")) == (0, 18, 8)
    assert "gone" not in store._windows and asyncio.run(store.retrieve("gone")) is None
    tracker = asyncio.run(store.retrieve("returning"))  # the current session is whole
    assert tracker.get_slot("pregnancy_status") == "not_pregnant"


def test_retention_runs_at_start_up(tmp_path: Path, domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    first = WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "r.db"))
    play(first, "old", 2, at=time.time() - 10 * DAY)
    play(first, "new", 2)
    monkeypatch.setenv("RETENTION_DAYS", "7")
    second = WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "r.db"))
    try:
        deadline = time.monotonic() + 10
        while rows(second, "old") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (rows(second, "old"), rows(second, "new")) == (0, 13)
    finally:
        second._retention_stop.set()


def test_database_url_follows_the_endpoints_settings() -> None:
    assert str(privacy_store.database_url({"dialect": "sqlite", "db": "var/t.db"})) == "sqlite:///var/t.db"
    url = privacy_store.database_url({"dialect": "postgresql", "url": "db.local", "port": 5432, "db": "rasa",
                                      "username": "rasa", "password": "pw"})  # fmt: skip
    assert url.render_as_string(hide_password=False) == "postgresql://rasa:pw@db.local:5432/rasa"


def test_the_red_flag_screening_flags_no_privacy_request() -> None:
    """The privacy examples are left out of the classifier's negatives
    (scripts/train_triage_classifier.py): none of them may raise a flag."""
    import yaml

    from actions.core.screening import default_screener
    from actions.core.triage import Facts

    screener = default_screener()
    data = yaml.safe_load((ROOT / "data" / "nlu" / "privacy.yml").read_text())["nlu"]
    messages = [line[2:] for block in data for line in block["examples"].splitlines() if line.startswith("- ")]
    assert len(messages) > 100
    flagged = [m for m in messages if screener.candidates(m).resolved(Facts()).level != "none"]
    assert flagged == []
