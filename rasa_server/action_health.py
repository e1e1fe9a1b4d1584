"""Is the action server up? Asked by the channels before each turn.

If the action server is down, Rasa loses the action's events and answers with whatever
comes next (a re-prompt), which reads as "the bot misunderstood me". The channels check
first and, when it is down, still record the message but say what happened instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

logger = logging.getLogger(__name__)

# How long a successful health check is trusted: an outage in the last second before a
# message can still slip through as Rasa's own fallback reply.
HEALTH_TTL_SECONDS = 1.0
HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=2)
# What every channel says when the action server (which looks up the points) is down, fails
# or does not answer in time (rasa_server/action_calls.py).
ACTIONS_DOWN_REPLY = (
    "Sorry, I can't look up points right now. Please try again in a few minutes. If your pain "
    "is severe or you feel unwell, don't wait for me: see a clinician, or call your local "
    "emergency number in an emergency."
)
# What every channel says when a turn failed otherwise or produced no reply at all.
TRY_AGAIN_REPLY = (
    "Sorry, I couldn't put an answer together just now. Please try again in a moment. "
    "If your pain is severe or you feel unwell, don't wait for me: contact a doctor or "
    "your local emergency number."
)

_healthy_until = 0.0
_checking: asyncio.Future[bool] | None = None


def health_url(action_webhook_url: str) -> str:
    """The rasa-sdk health URL next to its webhook: http://host:5055/webhook -> /health."""
    parts = urlsplit(action_webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


async def actions_available(agent: Any) -> bool:
    """True unless the agent's action server fails its health check."""
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not getattr(endpoint, "url", None):
        return True  # no action server configured: nothing to check
    if time.monotonic() < _healthy_until:
        return True
    # One check at a time, shared by the turns that arrive meanwhile: under load 50 turns
    # each opened their own connection whenever the TTL ran out (bench/cluster_load.py).
    global _checking
    if _checking is None or _checking.done():
        _checking = asyncio.ensure_future(_check(health_url(endpoint.url)))
    return await asyncio.shield(_checking)


async def _check(url: str) -> bool:
    global _healthy_until
    try:
        async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as session, session.get(url) as reply:
            healthy = reply.status == 200
    # asyncio's TimeoutError is not the builtin one before Python 3.11: a slow check under
    # load escaped as an HTTP 500 (12 of 1,000 turns at 50 users, 2026-12-02).
    except (aiohttp.ClientError, asyncio.TimeoutError):  # noqa: UP041
        healthy = False
    if healthy:
        _healthy_until = time.monotonic() + HEALTH_TTL_SECONDS
    else:
        logger.error("Action server health check failed at %s", url)
    return healthy
