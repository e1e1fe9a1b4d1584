"""The socket.io channel (web widget) with the REST channel's promise: no silent turn.

Rasa 3.6's channel emits whatever the turn produced. With the action server down that is
a re-prompt ("could you rephrase?"), which reads as "the bot misunderstood me"; a turn
that produced nothing leaves the widget waiting. This subclass keeps Rasa's URL
(/socket.io), events and session handling and runs each turn through
`channel_turn.run_turn`, which checks the action server first and, when it is down or the
turn said nothing, sends the same clear "please try again" reply the REST channel gives.
The message is still recorded.

A point diagram (an `image` with a `custom` {"type": "diagram", ...}) goes out as one
image attachment whose payload carries the alt text too: Rasa's socket.io output passes a
custom payload's keys to `emit()` as keyword arguments, which fails for ours.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, Sanic

from rasa_server.channel_turn import OnNewMessage, run_turn


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

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            agent = getattr(self._app.ctx, "agent", None) if self._app else None
            await run_turn(on_new_message, message, agent, adapt=diagram_as_attachment)

        webhook = super().blueprint(handle)

        @webhook.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self._app = app  # its ctx holds the agent, whose action endpoint is checked

        return webhook
