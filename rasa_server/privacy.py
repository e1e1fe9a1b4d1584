"""The Rasa server's side of privacy: a confirmed "forget me" leaves nothing behind, old
conversations are removed (RETENTION_DAYS), and log lines carry no ids or message text.

- Forget: `action_forget_me` (actions/privacy.py) deletes the person's rows and returns
  Restarted. The turn itself (the "yes", the confirmation) is saved by the Rasa server after
  the action, and the windowed store may hold the conversation's window in memory: so when
  a save carries that action and its Restarted, the store deletes every row of the sender
  instead of inserting and drops its cached window (`forget_on_save`, called from
  WindowedSQLTrackerStore.save). The next message then starts a new conversation.
- Retention: run here, in the process that owns the window cache, at start-up and every
  RETENTION_CHECK_MINUTES (default 60): a separate purge job could delete rows this
  process still serves from memory. `scripts/purge_conversations.py` (`make purge`) runs the
  same purge once, for a server that is not running.
- Logs: `install()` registers each message's sender id and text with the redactor as a
  channel receives it, so no log line of this process (Rasa's, Sanic's, the channels') writes them.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from actions import privacy_store
from actions.core.privacy import REDACTOR, forget_confirmed, install_log_redaction, retention_cutoff, retention_days

logger = logging.getLogger(__name__)


def forget_on_save(store: Any, session: Any, sender_id: str, rows: list[dict[str, Any]]) -> bool:
    """Deletes all of the sender's rows (and the cached window) when this save carries a
    confirmed "forget me"; True when it did (the caller then inserts nothing)."""
    if not forget_confirmed([(row["type_name"], row["action_name"]) for row in rows]):
        return False
    deleted = privacy_store.delete_sender(session, sender_id)
    session.commit()
    getattr(store, "_windows", {}).pop(sender_id, None)
    logger.info("Forgot a conversation at the person's request: %d more rows deleted", deleted)
    return True


def purge_once(store: Any, days: float) -> int:
    """Removes what is older than `days` and the cached windows of removed conversations."""
    with store.engine.begin() as connection:
        senders, deleted = privacy_store.purge_older_than(connection, retention_cutoff(days))
    windows = getattr(store, "_windows", {})
    for sender in senders:
        windows.pop(sender, None)
    logger.info("Retention (%g days): %d conversations and %d rows removed", days, len(senders), deleted)
    return deleted


def start_retention(store: Any) -> threading.Thread | None:
    """Purges at start-up and then every RETENTION_CHECK_MINUTES, in a daemon thread."""
    days = retention_days()
    if days is None:
        return None
    minutes = float(os.environ.get("RETENTION_CHECK_MINUTES") or 60)
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                purge_once(store, days)
            except Exception:  # noqa: BLE001 - a failed purge is retried next time, never fatal
                logger.exception("Retention purge failed; retrying in %g minutes", minutes)
            if stop.wait(minutes * 60):
                return

    thread = threading.Thread(target=loop, name="retention", daemon=True)
    thread.start()
    store._retention_stop = stop  # lets tests end the loop
    return thread


def install() -> None:
    """Log redaction for this process, fed with each message as a channel makes it (every
    channel builds a UserMessage before Rasa or our turn code logs anything about it)."""
    from rasa.core.channels.channel import UserMessage

    install_log_redaction(REDACTOR)
    original = UserMessage.__init__
    if getattr(original, "_privacy_wrapped", False):
        return

    def __init__(self: UserMessage, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        REDACTOR.register(self.sender_id, self.text)

    __init__._privacy_wrapped = True  # type: ignore[attr-defined]
    UserMessage.__init__ = __init__  # type: ignore[method-assign]
