"""An SQL tracker store whose per-turn cost does not grow with the conversation.

Rasa's `SQLTrackerStore` loads and deserialises every event of the current session on
every turn, and the policies then build states for that whole history before cutting it
to `max_history`. A 400-turn guided session cost ~10x its first turn that way (see the
Rasa field notes). This store loads only the last `max_turns` user turns, preceded by the
state the conversation was in when that window began: the latest value of every slot and
the active form. Policies, rules (none of ours spans more than three turns) and actions see
the same state as before; only old, already-applied events are left out.

Everything is still stored: `retrieve_full_tracker` (the HTTP API's tracker and export)
returns the whole history, and nothing is ever deleted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_MAX_TURNS = 4

# How many events of a tracker are already in the database. Set on trackers this store
# returns, so `save` appends exactly the new ones (Rasa counts rows, which a window breaks).
_STORED_COUNT = "_windowed_store_event_count"


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    """Commit without waiting for a disk sync on every turn (a third of a save's time).

    With a write-ahead log and synchronous=NORMAL, a crash of the server loses nothing; only
    a power cut or OS crash can lose the last turns (SQLite docs, "WAL mode").
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The columns Rasa's SQLTrackerStore writes for an event, computed the same way."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class WindowedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that hands Rasa a bounded window of the latest session."""

    def __init__(self, *args: Any, max_turns: int = DEFAULT_MAX_TURNS, **kwargs: Any) -> None:
        if int(max_turns) < 1:
            raise ValueError(f"tracker_store max_turns must be at least 1, got {max_turns!r}")
        super().__init__(*args, **kwargs)
        self.max_turns = int(max_turns)
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens the file for every query (SQLAlchemy's NullPool for SQLite
            # files); keep one open connection per thread instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # The window queries look events up by sender, type and id: index them so the
        # lookups stay cheap however long the conversation is.
        sa.Index("ix_events_sender_type_id", self.SQLEvent.sender_id, self.SQLEvent.type_name, self.SQLEvent.id).create(
            self.engine, checkfirst=True
        )

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._windowed_rows(session, sender_id)
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        setattr(tracker, _STORED_COUNT, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with one multi-row INSERT instead of an ORM object per event."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        setattr(tracker, _STORED_COUNT, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, _STORED_COUNT, None)
        if stored is None:
            # A tracker this store did not window (new, or replaced through the API).
            return super()._additional_events(session, tracker)
        return iter(list(tracker.events)[stored:])

    def _windowed_rows(self, session: Any, sender_id: str) -> list[Any]:
        event = self.SQLEvent
        of_sender = session.query(event).filter(event.sender_id == sender_id)

        def last_id(*type_names: str, below: int | None = None) -> int | None:
            query = session.query(sa.func.max(event.id)).filter(
                event.sender_id == sender_id, event.type_name.in_(type_names)
            )
            if below is not None:
                query = query.filter(event.id < below)
            return query.scalar()

        session_start = last_id(SessionStarted.type_name) or 0
        # The user message that opens the window: the max_turns-th latest of this session.
        window_user = (
            session.query(event.id)
            .filter(event.sender_id == sender_id, event.type_name == UserUttered.type_name, event.id >= session_start)
            .order_by(event.id.desc())
            .offset(self.max_turns - 1)
            .limit(1)
            .scalar()
        )
        if window_user is None:
            return of_sender.filter(event.id >= session_start).order_by(event.id).all()

        # Start at the action_listen before that message, as a real turn does.
        window_start = last_id(ActionExecuted.type_name, below=window_user) or window_user
        # Slots and forms set before the window, after anything that reset them.
        last_reset = last_id(Restarted.type_name, AllSlotsReset.type_name, below=window_start)
        state_from = max(session_start, last_reset or 0)
        before_window = of_sender.filter(event.id >= state_from, event.id < window_start)
        latest_slot_ids = (
            session.query(sa.func.max(event.id))
            .filter(
                event.sender_id == sender_id,
                event.type_name == SlotSet.type_name,
                event.id >= state_from,
                event.id < window_start,
            )
            .group_by(event.action_name)
        )
        state = before_window.filter(event.id.in_(latest_slot_ids.scalar_subquery())).order_by(event.id).all()
        active_loop = (
            before_window.filter(event.type_name == ActiveLoop.type_name).order_by(event.id.desc()).limit(1).all()
        )
        window = of_sender.filter(event.id >= window_start).order_by(event.id).all()
        return state + active_loop + window
