"""Is the action server up? Asked by the channels before each turn.

If the action server is down, Rasa loses the action's events and answers with whatever
comes next (a re-prompt), which reads as "the bot misunderstood me". The channels check
first and, when it is down, still record the message but say what happened instead.
"""

from __future__ import annotations

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


def health_url(action_webhook_url: str) -> str:
    """The rasa-sdk health URL next to its webhook: http://host:5055/webhook -> /health."""
    parts = urlsplit(action_webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


async def actions_available(agent: Any) -> bool:
    """True unless the agent's action server fails its health check."""
    global _healthy_until
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not getattr(endpoint, "url", None):
        return True  # no action server configured: nothing to check
    if time.monotonic() < _healthy_until:
        return True
    url = health_url(endpoint.url)
    try:
        async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as session, session.get(url) as reply:
            healthy = reply.status == 200
    except (aiohttp.ClientError, TimeoutError):
        healthy = False
    if healthy:
        _healthy_until = time.monotonic() + HEALTH_TTL_SECONDS
    else:
        logger.error("Action server health check failed at %s", url)
    return healthy
