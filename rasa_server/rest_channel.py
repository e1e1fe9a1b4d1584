"""The REST channel, hardened: a bad request gets a clear 400, and no turn is silent.

Rasa 3.6's built-in channel answers a JSON list body with HTTP 500, a body without
`message` with an empty 200, and a turn whose action server is down with `[]`.
This subclass keeps its URL (/webhooks/rest/webhook) and reply format and fixes those.
A sender over its rate limit (rasa_server/rate_limit.py) gets HTTP 429 with Retry-After
and the limiter's reply in the usual reply format.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channel_turn import RATE_LIMITED, agent_of, read_json_body, retry_after, run_turn

MAX_SENDER_CHARS = 128


def body_problem(body: Any) -> str | None:
    """Why a request body cannot be a chat message, or None if it can."""
    if not isinstance(body, dict):
        return 'the body must be a JSON object like {"sender": "id", "message": "text"}'
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    if not sender.isprintable():
        return "'sender' must not contain control characters or line breaks"
    if not isinstance(message, str):
        return "'message' must be a string"
    return None


class SafeRestInput(RestInput):
    """REST channel that validates requests and never returns an empty turn.

    Each turn goes through `channel_turn.run_turn`: the action server's health is checked
    first and, when it is down or the turn said nothing, the reply says "please try again".
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
            body, refusal = read_json_body(request)
            if refusal:
                return refusal
            problem = body_problem(body)
            if problem:
                return response.json({"error": problem}, status=400)
            collector = CollectingOutputChannel()
            metadata = self.get_metadata(request)
            message = UserMessage(
                body["message"], collector, body["sender"], input_channel=self.name(), metadata=metadata
            )
            if await run_turn(on_new_message, message, agent_of(request)) == RATE_LIMITED:
                # The limiter's reply in the usual format, so a page shows it; the status says why.
                headers = {"Retry-After": str(retry_after(message))}
                return response.json(collector.messages, status=429, headers=headers)
            return response.json(collector.messages)

        return webhook
