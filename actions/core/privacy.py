"""Privacy logic shared by both servers: what is stored about a person, when a "forget me"
was confirmed, how old a conversation may get, and log lines without ids or message text.

Pure code over plain data (stored events as dicts, strings): no database, no Rasa, so the
Rasa server and the action server both import it and its tests run in milliseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

# The action that deletes a conversation once the person said yes, and the event it returns:
# the tracker store deletes the sender's rows when a turn saves both (rasa_server/privacy.py).
ACTION_FORGET = "action_forget_me"
RESET = "reset_slots"  # Rasa's type_name of the AllSlotsReset event the action returns

# --- what is stored about a person --------------------------------------------------------


@dataclass
class StoredSummary:
    """What the tracker store holds about one person, in facts (never their messages' text)."""

    messages: int = 0  # messages the person sent, all sessions
    since: float | None = None  # timestamp of the first stored event
    complaints: list[str] = field(default_factory=list)  # canonical complaints, first mention first
    sides: list[str] = field(default_factory=list)  # left | right | both
    pregnancy: str | None = None  # latest pregnancy_status
    points: list[str] = field(default_factory=list)  # WHO codes shown, first shown first
    results: dict[str, dict[str, int]] = field(default_factory=dict)  # point_results slot
    safety: str | None = None  # urgent | emergency when a red flag was answered

    @property
    def empty(self) -> bool:
        return self.messages == 0 and self.since is None


_SAFETY_ORDER = {"none": 0, "urgent": 1, "emergency": 2}


def _add(items: list[str], values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, str) and value and value not in items:
            items.append(value)


def summarise(events: Sequence[dict[str, Any]], side_of: Callable[[str], str | None] = lambda v: v) -> StoredSummary:
    """The facts in a person's stored events (Rasa event dicts, oldest first).

    `side_of` turns a `side` entity's words into left/right/both (the vocabulary's reading).
    """
    summary = StoredSummary()
    for event in events:
        kind = event.get("event")
        if summary.since is None and isinstance(event.get("timestamp"), (int, float)):
            summary.since = float(event["timestamp"])
        if kind == "user":
            text = str(event.get("text") or "")
            if not text.startswith("/"):  # a button's payload is not a message the person wrote
                summary.messages += 1
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                if entity.get("entity") == "side" and isinstance(entity.get("value"), str):
                    _add(summary.sides, [side_of(entity["value"])])
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "complaints" and isinstance(value, list):
                _add(summary.complaints, value)
            elif name == "recommended_points" and isinstance(value, list):
                _add(summary.points, value)
            elif name == "pregnancy_status":
                summary.pregnancy = value if isinstance(value, str) else None
            elif name == "point_results" and isinstance(value, dict):
                summary.results = value
            elif name == "guide" and isinstance(value, dict):
                _add(summary.sides, [value.get("side")])
            elif name == "triage" and _SAFETY_ORDER.get(value, 0) > _SAFETY_ORDER.get(summary.safety or "none", 0):
                summary.safety = value
    return summary


# --- "forget me" confirmed ------------------------------------------------------------------


def forget_confirmed(rows: Sequence[tuple[str, str | None]]) -> bool:
    """True when these newly stored events, as (type_name, action_name) pairs, hold the
    forget action followed (before the next action) by the AllSlotsReset it returns only
    after deleting: the action ran to its end (a failed action call returns no events)."""
    forgetting = False
    for type_name, action_name in rows:
        if type_name == "action":
            forgetting = action_name == ACTION_FORGET
        elif forgetting and type_name == RESET:
            return True
    return False


# --- retention ------------------------------------------------------------------------------


def retention_days(environ: dict[str, str] | os._Environ = os.environ) -> float | None:
    """RETENTION_DAYS from the environment: None (keep everything) when unset or empty.

    Raises ValueError for anything but a positive number, so a typo stops the server
    instead of silently keeping (or deleting) everything."""
    raw = (environ.get("RETENTION_DAYS") or "").strip()
    if not raw:
        return None
    days = float(raw)
    if not days > 0:
        raise ValueError(f"RETENTION_DAYS must be a positive number of days, got {raw!r}")
    return days


def retention_cutoff(days: float, now: datetime | None = None) -> float:
    """The timestamp before which stored conversations are removed."""
    now = now or datetime.now(timezone.utc)
    return (now - timedelta(days=days)).timestamp()


# --- logs without ids or message text -------------------------------------------------------

_KEY = (os.environ.get("LOG_HASH_KEY") or "").encode() or secrets.token_bytes(32)


def sender_ref(sender_id: str, key: bytes | None = None) -> str:
    """A keyed hash of a sender id for logs: the same id gives the same reference (with
    one LOG_HASH_KEY), and nobody without the key can tell which id it was."""
    digest = hmac.new(key or _KEY, sender_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return f"sender#{digest[:12]}"


# An id in the HTTP API's paths (/conversations/<id>/...) as access logs write them.
_CONVERSATION_PATH = re.compile(r"(/conversations/)(?!sender#)([^/\s?\"']+)")
MIN_TEXT = 4  # shorter texts ("no", "yes") are common words: replacing them would garble logs


class Redactor:
    """Replaces the sender ids and message texts of recent turns in log lines.

    The servers register each turn's sender id and text as it arrives; any log line that
    contains them (Rasa's, Sanic's, a channel's) is written with a keyed hash instead of the
    id and "<message>" instead of the text. Bounded: the latest `size` of each."""

    def __init__(self, size: int = 2000, key: bytes | None = None) -> None:
        self.size, self.key = size, key
        self._senders: OrderedDict[str, str] = OrderedDict()
        self._texts: OrderedDict[str, None] = OrderedDict()

    def register(self, sender_id: str | None, text: str | None = None) -> None:
        if sender_id:
            self._remember(self._senders, sender_id, sender_ref(sender_id, self.key))
        if text and len(text.strip()) >= MIN_TEXT:
            self._remember(self._texts, text.strip(), None)

    def _remember(self, table: OrderedDict, item: str, value: Any) -> None:
        table[item] = value
        table.move_to_end(item)
        while len(table) > self.size:
            table.popitem(last=False)

    def redact(self, line: str) -> str:
        line = _CONVERSATION_PATH.sub(lambda m: m.group(1) + sender_ref(m.group(2), self.key), line)
        # Longest first, so an id that contains another is replaced whole.
        for text in sorted((t for t in list(self._texts) if t in line), key=len, reverse=True):
            line = line.replace(text, "<message>")
        for sender in sorted((s for s in list(self._senders) if s in line), key=len, reverse=True):
            line = line.replace(sender, self._senders.get(sender) or sender_ref(sender, self.key))
        return line


def install_log_redaction(redactor: Redactor) -> None:
    """Every log record of this process is redacted once, when it is made (after the level
    check, so lines below the level cost nothing), whichever handler writes it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_privacy_redactor", None) is redactor:
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's to report, not ours
            return record
        redacted = redactor.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return record

    factory._privacy_redactor = redactor  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


REDACTOR = Redactor()
