"""An SQL tracker store whose per-turn cost does not grow with the conversation.

Rasa's `SQLTrackerStore` loads and deserialises every event of the current session on
every turn, and the policies then build states for that whole history before cutting it
to `max_history`. A 400-turn guided session cost ~10x its first turn that way (see the
Rasa field notes). This store loads only the last `max_turns` user turns, preceded by the
state the conversation was in when that window began: the latest value of every slot and
the active form. Policies, rules (none of ours spans more than three turns) and actions see
the same state as before; only old, already-applied events are left out.

Everything is still stored: `retrieve_full_tracker` (the HTTP API's tracker and export)
returns the whole history. Rows are deleted only when the person confirms "forget me" or
by the retention setting (rasa_server/privacy.py).

With SQLite, the window each turn loaded is also kept in memory for the most recent
`cached_senders` conversations, so the next turn reads only the rows stored since (one
indexed query) instead of working the window out again. Working it out costs more as the
history grows: a returning user's 450-turn conversation took 4.7 ms of SQL per turn, a
new one 2.4 ms (2026-11-26). Any writer's rows are seen, as they have higher ids. That
holds for SQLite, which writes one transaction at a time; other databases can commit ids
out of order, so for them every turn reads from SQL (the cache is off: safe for several
Rasa servers sharing one PostgreSQL, whose turns of one conversation the Redis lock orders).

Failures are loud (rasa_server/store_guard.py): Rasa uses this store without its in-memory
fallback; a database that cannot be reached raises `TrackerStoreUnavailable`, which the
channels answer with "I can't reach my records right now". At start-up a server database
(PostgreSQL) is waited for TRACKER_DB_STARTUP_WAIT_SECONDS (30), then the server exits with
a clear error instead of Rasa's endless retry. Pooled connections are checked before use,
so the first turn after the database returns works.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
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

from rasa_server import privacy
from rasa_server.conversation_window import StoredEvent, window
from rasa_server.store_guard import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

DEFAULT_MAX_TURNS = 4
# 20-45 kB each for our conversations (measured on the bench database): 500 take under 25 MB.
DEFAULT_CACHED_SENDERS = 500

# How many events of a tracker are already in the database. Set on trackers this store
# returns, so `save` appends exactly the new ones (Rasa counts rows, which a window breaks).
_STORED_COUNT = "_windowed_store_event_count"
# How long a server database may take to come up at start-up before the server gives up.
STARTUP_WAIT_ENV = "TRACKER_DB_STARTUP_WAIT_SECONDS"
DEFAULT_STARTUP_WAIT_SECONDS = 30.0
# Errors that mean "the database cannot be reached", not a bug in a query.
UNREACHABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError, sa.exc.TimeoutError)


def _first_line(error: BaseException) -> str:
    return (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]


def wait_for_database(url: Any, wait_seconds: float) -> None:
    """Return once `url` accepts a connection; raise `TrackerStoreUnavailable` after `wait_seconds`."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 5})
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                with engine.connect():
                    return
            except UNREACHABLE as error:
                if time.monotonic() >= deadline:
                    message = (
                        f"Cannot reach the tracker store database {engine.url!r} after {wait_seconds:.0f} s "
                        f"({_first_line(error)}). Not starting: without it conversations would be kept in "
                        "this process's memory only."
                    )
                    logger.error(message)
                    raise TrackerStoreUnavailable(message) from error
                logger.warning("Waiting for the tracker store database %r: %s", engine.url, _first_line(error))
                time.sleep(1)
    finally:
        engine.dispose()


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


EVENTS_INDEX = "ix_events_sender_type_id"


class WindowedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that hands Rasa a bounded window of the latest session."""

    # Used by Rasa without its in-memory fallback (rasa_server/store_guard.py).
    fail_loudly = True

    def __init__(
        self,
        *args: Any,
        max_turns: int = DEFAULT_MAX_TURNS,
        cached_senders: int = DEFAULT_CACHED_SENDERS,
        **kwargs: Any,
    ) -> None:
        if int(max_turns) < 1:
            raise ValueError(f"tracker_store max_turns must be at least 1, got {max_turns!r}")
        if int(cached_senders) < 0:
            raise ValueError(f"tracker_store cached_senders must be 0 or more, got {cached_senders!r}")
        if kwargs.get("dialect", "sqlite") != "sqlite":
            # Rasa's constructor retries a database that is down every 5 s, forever.
            url = self.get_db_url(
                kwargs["dialect"], kwargs.get("host"), validate_port(kwargs.get("port")), kwargs.get("db", "rasa.db"),
                kwargs.get("username"), kwargs.get("password"), None, kwargs.get("query"),
            )  # fmt: skip
            wait_for_database(url, float(os.environ.get(STARTUP_WAIT_ENV, DEFAULT_STARTUP_WAIT_SECONDS)))
        super().__init__(*args, **kwargs)
        self.max_turns = int(max_turns)
        # Latest window per sender, least recently used first.
        self._windows: OrderedDict[str, list[StoredEvent]] = OrderedDict()
        self.cached_senders = 0  # other databases can commit ids out of order: always read SQL
        if self.engine.dialect.name == "sqlite":
            self.cached_senders = int(cached_senders)
            # Rasa's engine opens the file for every query (SQLAlchemy's NullPool for SQLite
            # files); keep one open connection per thread instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        else:
            # A connection the database dropped (a restart) is replaced before use, not
            # handed to a turn; an unreachable database fails within connect_timeout.
            url = self.engine.url
            self.engine.dispose()
            options = create_engine_kwargs(url)
            options["connect_args"] = {**options.get("connect_args", {}), "connect_timeout": 5}
            self.engine = sa.create_engine(url, pool_pre_ping=True, **options)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._create_index()
        privacy.start_retention(self)  # RETENTION_DAYS: old conversations removed (rasa_server/privacy.py)

    def _create_index(self) -> None:
        """Index the window queries' lookups (sender, type, id), so they stay cheap however long
        the conversation is. Servers starting together may race to create it: one wins."""
        # One Index object for Rasa's shared events table: each new one attaches to the table's
        # metadata too, and Rasa's create_all for the next store (another database) then
        # created the index twice, failed, and left that database without an events table.
        table = self.SQLEvent.__table__
        index = next((i for i in table.indexes if i.name == EVENTS_INDEX), None) or sa.Index(
            EVENTS_INDEX, table.c.sender_id, table.c.type_name, table.c.id
        )
        try:
            index.create(self.engine, checkfirst=True)
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError):
            names = {found["name"] for found in sa.inspect(self.engine).get_indexes(self.SQLEvent.__tablename__)}
            if index.name not in names:
                raise

    @contextlib.contextmanager
    def _reachable(self, doing: str) -> Iterator[None]:
        """Turn "cannot reach the database" into `TrackerStoreUnavailable` for the channel."""
        try:
            yield
        except UNREACHABLE as error:
            logger.error("Tracker store unavailable while %s: %s", doing, _first_line(error))
            raise TrackerStoreUnavailable(f"tracker store unavailable while {doing}") from error

    async def keys(self) -> Any:
        with self._reachable("listing conversations"):
            return await super().keys()

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        with self._reachable("reading a whole conversation"):
            return await super().retrieve_full_tracker(conversation_id)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._windows.get(sender_id)
        with self._reachable("reading a conversation"), self.session_scope() as session:
            if cached:
                rows = window(cached + self._rows_after(session, sender_id, cached[-1].id), self.max_turns)
            else:
                rows = window(self._windowed_rows(session, sender_id), self.max_turns)
        self._remember(sender_id, rows)
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        setattr(tracker, _STORED_COUNT, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with one multi-row INSERT instead of an ORM object per event."""
        await self.stream_events(tracker)
        with self._reachable("saving a turn"), self.session_scope() as session:
            rows = [_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if privacy.forget_on_save(self, session, tracker.sender_id, rows):
                rows = []  # "forget me" confirmed: every row of the sender deleted, this turn's too
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        setattr(tracker, _STORED_COUNT, len(tracker.events))

    def _remember(self, sender_id: str, rows: list[StoredEvent]) -> None:
        if not self.cached_senders or not rows:
            return
        self._windows[sender_id] = rows
        self._windows.move_to_end(sender_id)
        while len(self._windows) > self.cached_senders:
            self._windows.popitem(last=False)

    def _columns(self, session: Any) -> Any:
        event = self.SQLEvent
        return session.query(event.id, event.type_name, event.action_name, event.data)

    def _rows_after(self, session: Any, sender_id: str, last_id: int) -> list[StoredEvent]:
        event = self.SQLEvent
        query = self._columns(session).filter(event.sender_id == sender_id, event.id > last_id).order_by(event.id)
        return [StoredEvent(*row) for row in query]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, _STORED_COUNT, None)
        if stored is None:
            # A tracker this store did not window (new, or replaced through the API).
            return super()._additional_events(session, tracker)
        return iter(list(tracker.events)[stored:])

    def _windowed_rows(self, session: Any, sender_id: str) -> list[StoredEvent]:
        """The window read straight from SQL: only the rows it needs, however long the history."""
        event = self.SQLEvent
        of_sender = self._columns(session).filter(event.sender_id == sender_id)

        def last_id(*type_names: str, below: int | None = None) -> int | None:
            query = session.query(sa.func.max(event.id)).filter(
                event.sender_id == sender_id, event.type_name.in_(type_names)
            )
            if below is not None:
                query = query.filter(event.id < below)
            return query.scalar()

        def rows(query: Any) -> list[StoredEvent]:
            return [StoredEvent(*row) for row in query.order_by(event.id)]

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
            return rows(of_sender.filter(event.id >= session_start))

        # Start at the action_listen before that message, as a real turn does.
        window_start = last_id(ActionExecuted.type_name, below=window_user) or window_user
        # Slots and forms set before the window, after anything that reset them.
        last_reset = last_id(Restarted.type_name, AllSlotsReset.type_name, below=window_start)
        state_from = max(session_start, last_reset or 0)
        before_window = (event.id >= state_from, event.id < window_start)
        latest_slot_ids = (
            session.query(sa.func.max(event.id))
            .filter(event.sender_id == sender_id, event.type_name == SlotSet.type_name, *before_window)
            .group_by(event.action_name)
        )
        latest_loop_id = session.query(sa.func.max(event.id)).filter(
            event.sender_id == sender_id, event.type_name == ActiveLoop.type_name, *before_window
        )
        state_ids = latest_slot_ids.union(latest_loop_id).scalar_subquery()
        return rows(of_sender.filter(event.id.in_(state_ids))) + rows(of_sender.filter(event.id >= window_start))
