"""The socket.io channel (web widget) with the REST channel's promise: no silent turn.

Rasa 3.6's channel emits whatever the turn produced. With the action server down that is
a re-prompt ("could you rephrase?"), which reads as "the bot misunderstood me"; a turn
that produced nothing leaves the widget waiting. This subclass keeps Rasa's URL
(/socket.io), events and session handling, checks the action server before each turn
(`action_health`) and, when it is down or the turn said nothing, sends the same clear
"please try again" reply the REST channel gives. The message is still recorded.

A point diagram (an `image` with a `custom` {"type": "diagram", ...}) goes out as one
image attachment whose payload carries the alt text too: Rasa's socket.io output passes a
custom payload's keys to `emit()` as keyword arguments, which fails for ours.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, Sanic

from rasa_server.action_health import TRY_AGAIN_REPLY, actions_available

logger = logging.getLogger(__name__)


class _TurnReplies(OutputChannel):
    """Passes a turn's replies on to the socket (or holds them back) and counts them."""

    def __init__(self, socket: OutputChannel, hold_back: bool) -> None:
        self.socket = socket
        self.hold_back = hold_back
        self.count = 0

    @classmethod
    def name(cls) -> str:
        return SocketIOInput.name()  # responses written for a channel still apply

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.count += 1
        if not self.hold_back:
            await self.socket.send_response(recipient_id, diagram_as_attachment(message))


def diagram_as_attachment(message: dict[str, Any]) -> dict[str, Any]:
    """A diagram message as a socket.io image attachment with the alt text in its payload:
    {"attachment": {"type": "image", "payload": {"src", "alt", "code"}}}. Other messages
    pass unchanged."""
    custom = message.get("custom")
    if not (isinstance(custom, dict) and custom.get("type") == "diagram" and message.get("image")):
        return message
    rest = {k: v for k, v in message.items() if k not in ("custom", "image")}
    payload = {"src": message["image"], "alt": str(custom.get("alt") or ""), "code": str(custom.get("code") or "")}
    return {**rest, "attachment": {"type": "image", "payload": payload}}


class SafeSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel that says so when it cannot answer."""

    _app: Sanic | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            socket = message.output_channel
            agent = getattr(self._app.ctx, "agent", None) if self._app else None
            replies = _TurnReplies(socket, hold_back=not await actions_available(agent))
            message.output_channel = replies
            try:
                await on_new_message(message)
            except Exception:
                logger.exception("socket.io turn failed for one message")
            if replies.hold_back or not replies.count:
                await socket.send_text_message(message.sender_id, TRY_AGAIN_REPLY)

        webhook = super().blueprint(handle)

        @webhook.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self._app = app  # its ctx holds the agent, whose action endpoint is checked

        return webhook
