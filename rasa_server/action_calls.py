"""Calls to the action server: a timeout well inside the conversation lock, and failures the
channel can see.

Rasa 3.6 waits up to DEFAULT_REQUEST_TIMEOUT (300 s, `rasa/core/constants.py`, not
configurable in endpoints.yml) for an action, while it holds the conversation's lock for
at most TICKET_LOCK_LIFETIME (60 s by default, `rasa/core/lock_store.py`). A hung action
server therefore kept a person waiting five minutes, and after one minute the next message
of the same conversation took the expired lock and ran beside the hung turn. Rasa also
swallows a failed action ("Bot will continue, but the actions events are lost") and goes
on predicting, which ended in a re-prompt or silence.

`install()` (called when the channels are imported, i.e. when the Rasa server starts)
wraps `RemoteAction.run`:
- each call is cut after ACTION_TIMEOUT_SECONDS (default 10); start-up refuses a timeout
  that is not below half the lock lifetime, so one timed-out call plus the rest of the turn
  always ends inside the lock;
- a failure (timeout, connection refused, a 5xx) is noted on the running turn
  (`turn_state()`), later custom actions of that turn fail at once instead of waiting
  again, and the channel answers ACTIONS_DOWN_REPLY (rasa_server/channel_turn.py).
A form's ActionExecutionRejection is Rasa's normal control flow and passes untouched.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from rasa.core import lock_store
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.exceptions import RasaException

from rasa_server.action_connection import kept_alive

logger = logging.getLogger(__name__)

DEFAULT_ACTION_TIMEOUT = 10.0


@dataclass
class TurnState:
    """What happened to the action calls of one turn."""

    action_failed: bool = False


_turn: ContextVar[TurnState | None] = ContextVar("acu_turn", default=None)


def begin_turn() -> TurnState:
    """A fresh state for the turn that runs in this task (the channel calls this)."""
    state = TurnState()
    _turn.set(state)
    return state


def turn_state() -> TurnState | None:
    return _turn.get()


def action_timeout(env: Mapping[str, str] = os.environ, lock_lifetime: float | None = None) -> float:
    """ACTION_TIMEOUT_SECONDS, checked against the lock lifetime; a bad value stops start-up."""
    lifetime = float(lock_lifetime if lock_lifetime is not None else lock_store.LOCK_LIFETIME)
    raw = env.get("ACTION_TIMEOUT_SECONDS", "").strip()
    try:
        timeout = float(raw) if raw else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        raise ValueError(f"ACTION_TIMEOUT_SECONDS must be a number of seconds, not {raw!r}") from None
    if not 0 < timeout < lifetime / 2:
        raise ValueError(
            f"ACTION_TIMEOUT_SECONDS ({timeout:g}) must be above 0 and below half the conversation lock's "
            f"lifetime (TICKET_LOCK_LIFETIME, {lifetime:g} s), so a timed-out turn still ends inside its lock"
        )
    return timeout


_original_run = RemoteAction.run
_timeout: float | None = None


async def _guarded_run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    state = _turn.get()
    if state is not None and state.action_failed:
        raise RasaException(f"'{self.name()}' not called: the action server already failed this turn")
    self.action_endpoint = kept_alive(self.action_endpoint)  # one connection pool, not a connection per call
    try:
        return await asyncio.wait_for(_original_run(self, *args, **kwargs), _timeout)
    except ActionExecutionRejection:
        raise
    except asyncio.TimeoutError:
        if state is not None:
            state.action_failed = True
        logger.error("Action '%s' got no answer within %g s (ACTION_TIMEOUT_SECONDS)", self.name(), _timeout)
        raise RasaException(f"'{self.name()}' timed out after {_timeout:g} s") from None
    except Exception:
        if state is not None:
            state.action_failed = True
        raise


def install(env: Mapping[str, str] = os.environ) -> float:
    """Wrap RemoteAction.run once; returns the timeout in force."""
    global _timeout
    _timeout = action_timeout(env)
    if RemoteAction.run is not _guarded_run:
        RemoteAction.run = _guarded_run  # type: ignore[method-assign]
    return _timeout
