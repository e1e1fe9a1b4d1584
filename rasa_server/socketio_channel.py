"""The socket.io channel (web widget) with the REST channel's promise: no silent turn.

Rasa 3.6's channel emits whatever the turn produced. With the action server down that is
a re-prompt ("could you rephrase?"), which reads as "the bot misunderstood me"; a turn
that produced nothing leaves the widget waiting. This subclass keeps Rasa's URL
(/socket.io), events and session handling, checks the action server before each turn
and, when it is down or the turn said nothing, sends the same clear "please try again"
reply as every channel (rasa_server/channel_turn.py). The message is still recorded.

It also closes gaps of Rasa's channel for a browser widget:
- Bad events: a session_request that is not an object or has a session id over 128
  characters, a user_uttered event that is not an object, has no session id, a session id over 128
  characters, a `message` that is not text or unreadable metadata gets UNREADABLE_REPLY on
  the client's own socket instead of an exception or a silent drop.
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

import json
import logging
import uuid
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic

from rasa_server.channel_turn import OnNewMessage, run_turn
from rasa_server.rest_channel import MAX_SENDER_CHARS
from webwidget.settings import allowed_origins

logger = logging.getLogger(__name__)
# What a client that sends an event we cannot read is told (on its own socket): Rasa's
# handler raised, or ignored the message with a warning, and the widget waited forever.
UNREADABLE_REPLY = "Sorry, I couldn't read that message ({problem}). Please reload the page and try again."


def event_problem(data: Any, session_persistence: bool) -> str | None:
    """Why a user_uttered event cannot be a chat message, or None if it can."""
    if not isinstance(data, dict):
        return 'the event must be an object like {"message": "text", "session_id": "id"}'
    session_id = data.get("session_id")
    if session_persistence:
        if not isinstance(session_id, str) or not session_id.strip():
            return "no session id: send session_request first"
        if len(session_id) > MAX_SENDER_CHARS or not session_id.isprintable():
            return f"the session id must be at most {MAX_SENDER_CHARS} printable characters"
    if not isinstance(data.get("message", ""), str):
        return "'message' must be text"
    return None


def session_problem(data: Any) -> str | None:
    """Why a session_request cannot start a session, or None if it can."""
    if data is None:
        return None
    if not isinstance(data, dict):
        return 'a session_request must be an object like {"session_id": "id"} or empty'
    session_id = data.get("session_id")
    if session_id is not None and (
        not isinstance(session_id, str) or len(session_id) > MAX_SENDER_CHARS or not session_id.isprintable()
    ):
        return f"the session id must be at most {MAX_SENDER_CHARS} printable characters"
    return None


def event_metadata(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The event's metadata as Rasa reads it (an object, or JSON text of one); None if unreadable."""
    metadata = data.get(key) or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    return metadata if isinstance(metadata, dict) else None


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
        sio = self.sio
        if sio is not None:
            sio.eio.cors_allowed_origins = allowed_origins()

            # Replaces Rasa's session_request handler (same behaviour), which raised on a
            # non-object and accepted any session id.
            @sio.on("session_request", namespace=self.namespace)
            async def session_request(sid: str, data: Any = None, *_extra: Any) -> None:
                problem = session_problem(data)
                if problem is not None:
                    logger.warning("socket.io session_request refused from %s: %s", sid, problem)
                    await sio.emit(self.bot_message_evt, {"text": UNREADABLE_REPLY.format(problem=problem)}, room=sid)
                    return
                session_id = (data or {}).get("session_id") or uuid.uuid4().hex
                if self.session_persistence:
                    sio.enter_room(sid, session_id)  # synchronous in the pinned python-socketio 5.9.0
                await sio.emit("session_confirm", session_id, room=sid)

            # Replaces Rasa's user_uttered handler (same reading of the event), which raised on
            # a non-object event or bad metadata and dropped a message without session id.
            @sio.on(self.user_message_evt, namespace=self.namespace)
            async def user_uttered(sid: str, data: Any = None, *_extra: Any) -> None:
                problem = event_problem(data, self.session_persistence)
                metadata = event_metadata(data, self.metadata_key) if problem is None else None
                if problem is None and metadata is None:
                    problem = "the metadata must be an object"
                if problem is not None:
                    logger.warning("socket.io event refused from %s: %s", sid, problem)
                    await sio.emit(self.bot_message_evt, {"text": UNREADABLE_REPLY.format(problem=problem)}, room=sid)
                    return
                sender_id = data["session_id"] if self.session_persistence else sid
                output = SocketIOOutput(sio, self.bot_message_evt)
                message = UserMessage(
                    data.get("message") or "", output, sender_id, input_channel=self.name(), metadata=metadata
                )
                await handle(message)

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
