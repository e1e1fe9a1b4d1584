"""The socket.io channel (web widget) with the REST channel's promise: no silent turn.

Rasa 3.6's channel emits whatever the turn produced. With the action server down that is
a re-prompt ("could you rephrase?"), which reads as "the bot misunderstood me"; a turn
that produced nothing leaves the widget waiting. This subclass keeps Rasa's URL
(/socket.io), events and session handling, checks the action server before each turn
and, when it is down or the turn said nothing, sends the same clear "please try again"
reply as every channel (rasa_server/channel_turn.py). The message is still recorded.

It also closes gaps of Rasa's channel for a browser widget:
- Origins: Rasa creates the socket.io server with `cors_allowed_origins=[]`, which turns
  engine.io's origin check off, so any site could open a socket to the bot. Here only the
  pages in ALLOWED_ORIGINS (webwidget/settings.py) may; clients that send no Origin header
  (the bench, the tests) are not browsers and are let through, as engine.io does.
- Custom payloads: Rasa emits a custom message with `sio.emit(event, **payload)`, which
  fails for a payload such as {"type": "diagram", ...}. A point diagram (an `image` with a
  `custom` {"type": "diagram", ...}) goes out as one image attachment whose payload carries
  the alt text too; any other custom payload reaches the client as {"custom": payload}. Both
  on a turn and on a message pushed later (trigger_intent, reminders).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic

from rasa_server.channel_turn import OnNewMessage, run_turn
from webwidget.settings import allowed_origins


class WidgetSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output: diagrams as image attachments, other custom payloads as {"custom": payload}."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await super().send_response(recipient_id, diagram_as_attachment(message))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


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
            raw = message.output_channel
            if isinstance(raw, SocketIOOutput):
                message.output_channel = WidgetSocketIOOutput(raw.sio, raw.bot_message_evt)
            agent = getattr(self._app.ctx, "agent", None) if self._app else None
            # channel_turn: the action server checked first, "please try again" instead of silence
            await run_turn(on_new_message, message, agent)

        webhook = super().blueprint(handle)
        if self.sio is not None:
            self.sio.eio.cors_allowed_origins = allowed_origins()

        @webhook.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self._app = app  # its ctx holds the agent, whose action endpoint is checked

        return webhook

    def get_output_channel(self) -> OutputChannel | None:
        """The channel messages pushed without a user turn go out on (trigger_intent, reminders)."""
        output = super().get_output_channel()
        return (
            WidgetSocketIOOutput(output.sio, output.bot_message_evt) if isinstance(output, SocketIOOutput) else output
        )
