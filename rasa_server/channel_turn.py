"""What every channel of ours does around a turn, in one place.

Each channel (REST, socket.io, Telegram, ...) only speaks its protocol; this module gives
them all the same promise:
- the action server's health is checked before the turn (`action_health`); when it is
  down the message is still recorded, but the person is told to try again instead of
  getting Rasa's re-prompt, which reads as "the bot misunderstood me";
- a turn that fails or says nothing is answered "please try again", never silence;
- request bodies are size-checked and parsed the same way, with a clear 4xx otherwise;
- logs name the channel and sender, never the message text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.action_health import TRY_AGAIN_REPLY, actions_available
from rasa_server.store_guard import outage_reply

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 200_000
# What the channels say themselves (the assistant's own wording is in actions/core/render.py).
TEXT_ONLY_REPLY = (
    'I can only read text messages. Please tell me in words what hurts, for example "my lower back is stiff".'
)
STOPPED_REPLY = "Done: I've cleared our conversation and start afresh."
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
# A channel's rewrite of a bot message before its output sends it (e.g. socket.io's diagrams).
Adapt = Callable[[dict[str, Any]], dict[str, Any]]


class TurnReplies(OutputChannel):
    """Passes a turn's replies on to the channel's output (or holds them back) and counts them."""

    def __init__(self, output: OutputChannel, channel_name: str, hold_back: bool, adapt: Adapt | None = None) -> None:
        self.output = output
        self.channel_name = channel_name
        self.hold_back = hold_back
        self.adapt = adapt
        self.count = 0

    def name(self) -> str:  # type: ignore[override]
        # Rasa picks channel-specific responses by this name: keep the real channel's.
        return self.channel_name

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.count += 1
        if not self.hold_back:
            await self.output.send_response(recipient_id, self.adapt(message) if self.adapt else message)


def agent_of(request: Request | None) -> Any:
    """The Rasa agent of the app serving this request (its action endpoint is checked)."""
    return getattr(request.app.ctx, "agent", None) if request is not None else None


async def run_turn(on_new_message: OnNewMessage, message: UserMessage, agent: Any, adapt: Adapt | None = None) -> int:
    """Handle one user message through its output channel; returns how many replies it gave.

    Never raises: a failed turn is logged and answered "please try again", as is a turn
    with the action server down or without any reply.
    """
    output = message.output_channel
    healthy = await actions_available(agent)
    replies = TurnReplies(output, message.input_channel or output.name(), not healthy, adapt)
    message.output_channel = replies
    outage = None
    try:
        await on_new_message(message)
    except Exception as error:
        # The tracker store's database or the lock store down: say so (store_guard).
        outage = outage_reply(error)
        if outage:
            logger.error("%s turn for sender %s: storage unavailable (%s)", replies.channel_name, message.sender_id,
                         error)  # fmt: skip
        else:
            logger.exception("%s turn failed for sender %s", replies.channel_name, message.sender_id)
    if outage or replies.hold_back or not replies.count:
        try:
            await output.send_text_message(message.sender_id, outage or TRY_AGAIN_REPLY)
        except Exception:
            logger.exception("%s could not send the try-again reply to %s", replies.channel_name, message.sender_id)
        return 1
    return replies.count


def read_json_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> tuple[Any, HTTPResponse | None]:
    """The request's JSON body, or the 4xx response to give instead."""
    if len(request.body or b"") > max_bytes:
        return None, response.json({"error": f"the body is larger than {max_bytes} bytes"}, status=413)
    try:
        return request.json, None
    except InvalidUsage:
        return None, response.json({"error": "the body is not valid JSON"}, status=400)
