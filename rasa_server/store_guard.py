"""Conversation storage that fails loudly instead of silently forgetting.

Rasa 3.6 hides storage failures (Rasa field notes, section D.1):
- a tracker store `type` that cannot be imported becomes an in-memory store, with a warning;
- every store is wrapped in `FailSafeTrackerStore`: a failed read returns no tracker (the
  conversation silently starts over) and a failed save goes to memory on this process only
  (lost at restart, and invisible to the other servers of a cluster).

Here an unloadable store stops the start-up (a clear log line, exit code 1), and our stores
(`fail_loudly = True`) are used without that wrapper, so their `StorageUnavailable` reaches
the channel, which tells the person (`outage_reply`) instead of pretending nothing happened.
The next turn reads the database again: service resumes as soon as it is back.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

# What a person is told when a turn could not be read or stored (the channels send it).
RECORDS_DOWN_REPLY = (
    "I can't reach my records right now, so I can't continue our conversation safely. "
    "Please try again in a few minutes. If your pain is severe or you feel unwell, don't wait "
    "for me: contact a doctor or your local emergency number."
)
LOCKS_DOWN_REPLY = (
    "I can't keep our conversation in order right now (a part of my system is down). "
    "Please try again in a few minutes. If your pain is severe or you feel unwell, don't wait "
    "for me: contact a doctor or your local emergency number."
)


class StorageUnavailable(RasaException):
    """The tracker store's database or the lock store cannot be reached."""

    reply = RECORDS_DOWN_REPLY


class TrackerStoreUnavailable(StorageUnavailable):
    """The tracker store's database cannot be reached (start-up or mid-run)."""


class LockStoreUnavailable(StorageUnavailable):
    """The lock store (Redis) cannot be reached."""

    reply = LOCKS_DOWN_REPLY


class TrackerStoreNotLoaded(RasaException):
    """The configured tracker store class cannot be imported: refuse to start."""


def storage_failure(error: BaseException) -> StorageUnavailable | None:
    """The storage outage behind `error` (Rasa wraps lock errors in its own), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, StorageUnavailable):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def outage_reply(error: BaseException) -> str | None:
    """What to tell the person when a turn failed because storage is down, else None."""
    failure = storage_failure(error)
    return failure.reply if failure else None


def _load_custom_tracker_store(domain: Any, store: Any, event_broker: Any = None) -> Any:
    """Rasa's loader of a custom tracker store type, without its in-memory fallback."""
    import rasa.shared.utils.common

    try:
        store_class = rasa.shared.utils.common.class_from_module_path(store.type)
    except (AttributeError, ImportError) as error:
        message = (
            f"Tracker store type '{store.type}' cannot be loaded ({error}). Not starting: Rasa would "
            "otherwise keep conversations in this process's memory only."
        )
        logger.error(message)
        raise TrackerStoreNotLoaded(message) from error
    return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)


def _create_tracker_store(store: Any, domain: Any) -> Any:
    """`Agent._create_tracker_store`, leaving our loud stores unwrapped."""
    if getattr(store, "fail_loudly", False):
        store.domain = domain
        return store
    return _original_create_tracker_store(store, domain)


_original_create_tracker_store: Any = None


def install() -> None:
    """Patch Rasa's two silent fallbacks (idempotent)."""
    global _original_create_tracker_store
    import rasa.core.tracker_store as rasa_tracker_store
    from rasa.core.agent import Agent

    rasa_tracker_store._load_from_module_name_in_endpoint_config = _load_custom_tracker_store
    current = Agent.__dict__["_create_tracker_store"].__func__
    if current is not _create_tracker_store:
        _original_create_tracker_store = current
        Agent._create_tracker_store = staticmethod(_create_tracker_store)  # type: ignore[method-assign]
