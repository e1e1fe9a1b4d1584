"""Reads and deletes a person's rows in the tracker store's `events` table.

SQLAlchemy Core on the table Rasa's SQLTrackerStore writes (and the windowed store, on
SQLite or PostgreSQL), so the same statements run on both dialects. Imported by the action
server ("what do you know about me", "forget me") and by the Rasa server
(rasa_server/privacy.py: the rows of the forget turn itself, retention); imports no Rasa.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parent.parent

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)
# The rows a summary needs: messages (count, sides) and slots (areas, points, answers).
SUMMARY_TYPES = ("user", "slot", "session_started")


def database_url(settings: dict[str, Any]) -> sa.engine.URL:
    """The URL Rasa's SQLTrackerStore builds from endpoints.yml's tracker_store section."""
    values = {k: os.path.expandvars(v) if isinstance(v, str) else v for k, v in settings.items()}
    dialect = values.get("dialect") or "sqlite"
    if dialect.startswith("sqlite"):
        return sa.engine.URL.create(drivername=dialect, database=values.get("db") or "")
    port = values.get("port")
    return sa.engine.URL.create(
        drivername=dialect, username=values.get("username"), password=values.get("password"),
        host=values.get("url"), port=int(port) if port else None, database=values.get("db") or "rasa",
        query=values.get("query") or {},
    )  # fmt: skip


@cache
def engine_from_endpoints(path: str | None = None) -> sa.engine.Engine:
    """An engine on the tracker store named in the endpoints file the Rasa server reads
    ($ENDPOINTS, as scripts/serve.sh and the tests set it; endpoints.yml otherwise)."""
    file = Path(path or os.environ.get("ENDPOINTS") or ROOT / "endpoints.yml")
    # ${VAR} values filled in from the environment, as Rasa does (the cluster profile's file)
    settings = (yaml.safe_load(os.path.expandvars(file.read_text())) or {}).get("tracker_store") or {}
    url = database_url(settings)
    if url.drivername.startswith("sqlite") and url.database and not Path(url.database).is_absolute():
        url = url.set(database=str(ROOT / url.database))  # the servers run from the project root
    return sa.create_engine(url, pool_pre_ping=True)


def stored_events(connection: sa.engine.Connection, sender_id: str) -> list[dict[str, Any]]:
    """The sender's messages, slot values and session starts, oldest first (as event dicts)."""
    query = (
        sa.select(EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(SUMMARY_TYPES))
        .order_by(EVENTS.c.id)
    )
    return [json.loads(row.data) for row in connection.execute(query)]


def delete_sender(connection: sa.engine.Connection, sender_id: str) -> int:
    """Deletes every stored event of the sender (all sessions); returns how many rows."""
    return connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0


def purge_older_than(connection: sa.engine.Connection, cutoff: float) -> tuple[list[str], int]:
    """Retention: removes what was stored before `cutoff` (a timestamp).

    A conversation whose latest event is older goes entirely. Of one still in use, the
    sessions before its latest session start go when older; the current session stays
    whole (the slots a new session carries over are set again at its start).
    Returns (senders removed entirely, rows deleted)."""
    stale = sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    senders = [row.sender_id for row in connection.execute(stale)]
    deleted = 0
    for start in range(0, len(senders), 500):  # bounded IN lists
        chunk = senders[start : start + 500]
        deleted += connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount or 0
    latest = sa.alias(EVENTS, "latest")
    current_session = (
        sa.select(sa.func.max(latest.c.id))
        .where(latest.c.sender_id == EVENTS.c.sender_id, latest.c.type_name == "session_started")
        .scalar_subquery()
    )
    old_sessions = sa.delete(EVENTS).where(EVENTS.c.timestamp < cutoff, EVENTS.c.id < current_session)
    deleted += connection.execute(old_sessions).rowcount or 0
    return senders, deleted
