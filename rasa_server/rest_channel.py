"""The REST channel, hardened: a bad request gets a clear 400, and no turn is silent.

Rasa 3.6's built-in channel answers a JSON list body with HTTP 500, a body without
`message` with an empty 200, and a turn whose action server is down with `[]`.
This subclass keeps its URL (/webhooks/rest/webhook) and reply format and fixes those.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.action_health import TRY_AGAIN_REPLY, actions_available

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
MAX_BODY_BYTES = 200_000


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


class SafeRestInput(RestInput):
    """REST channel that validates requests and never returns an empty turn.

    Each turn first checks the action server's health (`action_health`); when it is down
    the message is still recorded, but the reply says what happened.
    """

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
            actions_up = await actions_available(getattr(request.app.ctx, "agent", None))
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
                return response.json([{"recipient_id": sender, "text": TRY_AGAIN_REPLY}])
            if not collector.messages:
                # An empty list reads as "the bot ignored me"; say something instead.
                collector.messages.append({"recipient_id": sender, "text": TRY_AGAIN_REPLY})
            return response.json(collector.messages)

        return webhook
