"""The REST channel, hardened: a bad request gets a clear 400, and no turn is silent.

Rasa 3.6's built-in channel answers a JSON list body with HTTP 500, a body without
`message` with an empty 200, and a turn whose action server is down with `[]`.
This subclass keeps its URL (/webhooks/rest/webhook) and reply format and fixes those.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
MAX_BODY_BYTES = 200_000
# How long a successful action-server health check is trusted: an outage in the last
# second before a message can still slip through as Rasa's own fallback reply.
HEALTH_TTL_SECONDS = 1.0
HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=2)
EMPTY_TURN_REPLY = (
    "Sorry, I couldn't put an answer together just now. Please try again in a moment. "
    "If your pain is severe or you feel unwell, don't wait for me: contact a doctor or "
    "your local emergency number."
)


def body_problem(body: Any) -> str | None:
    """Why a request body cannot be a chat message, or None if it can."""
    if not isinstance(body, dict):
        return 'the body must be a JSON object like {"sender": "id", "message": "text"}'
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    if not isinstance(message, str):
        return "'message' must be a string"
    return None


def health_url(action_webhook_url: str) -> str:
    """The rasa-sdk health URL next to its webhook: http://host:5055/webhook -> /health."""
    parts = urlsplit(action_webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


class SafeRestInput(RestInput):
    """REST channel that validates requests and never returns an empty turn.

    If the action server is down, Rasa loses the action's events and answers with
    whatever comes next (a re-prompt), which reads as "the bot misunderstood me". So each
    turn first checks the action server's health (a success is trusted for one second);
    when it is down the message is still recorded, but the reply says what happened.
    """

    _healthy_until = 0.0

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": f"the body is larger than {MAX_BODY_BYTES} bytes"}, status=413)
            try:
                body = request.json
            except InvalidUsage:
                return response.json({"error": "the body is not valid JSON"}, status=400)
            problem = body_problem(body)
            if problem:
                return response.json({"error": problem}, status=400)
            sender = body["sender"]
            actions_up = await self._actions_available(request)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        body["message"],
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )  # fmt: skip
                )
            except Exception:
                logger.exception("REST turn failed for one message")
            if not actions_up:
                return response.json([{"recipient_id": sender, "text": EMPTY_TURN_REPLY}])
            if not collector.messages:
                # An empty list reads as "the bot ignored me"; say something instead.
                collector.messages.append({"recipient_id": sender, "text": EMPTY_TURN_REPLY})
            return response.json(collector.messages)

        return webhook

    async def _actions_available(self, request: Request) -> bool:
        agent = getattr(request.app.ctx, "agent", None)
        endpoint = getattr(agent, "action_endpoint", None)
        if endpoint is None or not getattr(endpoint, "url", None):
            return True  # no action server configured: nothing to check
        if time.monotonic() < SafeRestInput._healthy_until:
            return True
        try:
            url = health_url(endpoint.url)
            async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as session, session.get(url) as reply:
                healthy = reply.status == 200
        except (aiohttp.ClientError, TimeoutError):
            healthy = False
        if healthy:
            SafeRestInput._healthy_until = time.monotonic() + HEALTH_TTL_SECONDS
        else:
            logger.error("Action server health check failed at %s", health_url(endpoint.url))
        return healthy
