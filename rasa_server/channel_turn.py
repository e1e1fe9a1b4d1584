"""What every channel of ours does around a turn, in one place.

Each channel (REST, socket.io, Telegram, ...) only speaks its protocol; this module gives
them all the same promise:
- the text is cleaned (control characters, lone surrogates: `text_limits.clean_text`);
- a sender over its rate limit gets RATE_LIMITED_REPLY instead of a turn (`rate_limit`);
- the action server's health is checked before the turn (`action_health`); when it is
  down, or an action call of the turn fails or times out (`action_calls`), the message is
  still recorded, but the person gets ACTIONS_DOWN_REPLY instead of Rasa's re-prompt,
  which reads as "the bot misunderstood me";
- a turn that fails otherwise or says nothing is answered "please try again", never silence;
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

from actions.core import render
from actions.core.screening import default_screener
from actions.core.text_limits import clean_text
from actions.settings import emergency_contact, urgent_contact
from rasa_server import action_calls
from rasa_server.action_health import ACTIONS_DOWN_REPLY, TRY_AGAIN_REPLY, actions_available
from rasa_server.rate_limit import RATE_LIMITED_REPLY, limiter
from rasa_server.store_guard import outage_reply

logger = logging.getLogger(__name__)
action_calls.install()  # the action timeout and failure tracking, in every Rasa server with our channels

MAX_BODY_BYTES = 200_000
# What the channels say themselves (the assistant's own wording is in actions/core/render.py).
TEXT_ONLY_REPLY = (
    'I can only read text messages. Please tell me in words what hurts, for example "my lower back is stiff".'
)
STOPPED_REPLY = "Done: I've cleared our conversation and start afresh."
# run_turn's count when the sender was over its rate limit (it got RATE_LIMITED_REPLY instead)
RATE_LIMITED = 0
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
# A channel's rewrite of a bot message before its output sends it (e.g. socket.io's diagrams).
Adapt = Callable[[dict[str, Any]], dict[str, Any]]


class TurnReplies(OutputChannel):
    """Passes a turn's replies on to the channel's output (or holds them back) and counts them."""

    def __init__(
        self,
        output: OutputChannel,
        channel_name: str,
        hold_back: bool,
        adapt: Adapt | None = None,
        turn: action_calls.TurnState | None = None,
    ) -> None:
        self.output = output
        self.channel_name = channel_name
        self.hold_back = hold_back
        self.adapt = adapt
        self.turn = turn
        self.count = 0

    @property
    def actions_failed(self) -> bool:
        return self.turn is not None and self.turn.action_failed

    def name(self) -> str:  # type: ignore[override]
        # Rasa picks channel-specific responses by this name: keep the real channel's.
        return self.channel_name

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.count += 1
        # After a failed action call, what Rasa says next is a guess made without its events.
        if not self.hold_back and not self.actions_failed:
            await self.output.send_response(recipient_id, self.adapt(message) if self.adapt else message)


def agent_of(request: Request | None) -> Any:
    """The Rasa agent of the app serving this request (its action endpoint is checked)."""
    return getattr(request.app.ctx, "agent", None) if request is not None else None


async def run_turn(on_new_message: OnNewMessage, message: UserMessage, agent: Any, adapt: Adapt | None = None) -> int:
    """Handle one user message through its output channel; returns how many replies it gave.

    Never raises: a turn with the action server down, or whose action call failed, is
    answered ACTIONS_DOWN_REPLY; a turn that failed otherwise or gave no reply, "please try
    again"; either after the emergency or urgent advice when the message raises a red flag
    (`fault_replies`). A sender over its rate limit gets RATE_LIMITED_REPLY and no turn: returns
    RATE_LIMITED.
    """
    output = message.output_channel
    channel = message.input_channel or output.name()
    if isinstance(message.text, str):
        message.text = clean_text(message.text)
    if not limiter().allow(f"{channel}:{message.sender_id}"):
        logger.warning("%s sender %s is over its rate limit", channel, message.sender_id)
        await _say(output, message.sender_id, RATE_LIMITED_REPLY, channel)
        return RATE_LIMITED
    healthy = await actions_available(agent)
    turn = action_calls.begin_turn()
    replies = TurnReplies(output, channel, not healthy, adapt, turn)
    message.output_channel = replies
    outage = None
    try:
        await on_new_message(message)
    except Exception as error:
        # The tracker store's database or the lock store down: say so (store_guard).
        outage = outage_reply(error)
        if outage:
            logger.error("%s turn for sender %s: storage unavailable (%s)", channel, message.sender_id, error)
        else:
            logger.exception("%s turn failed for sender %s", channel, message.sender_id)
    if outage or replies.hold_back or replies.actions_failed or not replies.count:
        actions_down = replies.hold_back or replies.actions_failed
        text = message.text if isinstance(message.text, str) else ""
        lines = fault_replies(text, outage or (ACTIONS_DOWN_REPLY if actions_down else TRY_AGAIN_REPLY))
        for line in lines:
            await _say(output, message.sender_id, line, channel)
        return len(lines)
    return replies.count


def fault_replies(text: str, fallback: str) -> list[str]:
    """What to say when the turn could not be answered: safety first, from the message alone.

    The triage answer comes from the action server; without it a red flag would get only
    the generic reply. The screener (already loaded by RedFlagDetector) reads the message
    here: an emergency gets the emergency advice and nothing else, an urgent flag the
    doctor advice before the fallback."""
    try:
        assessment = default_screener().assess(text)
    except Exception:
        logger.exception("red-flag screening of a failed turn failed")
        return [fallback]
    reasons = [hit.reason for hit in assessment.hits if hit.level == assessment.level]
    if assessment.level == "emergency":
        return render.emergency_advice(reasons, emergency_contact())
    if assessment.level == "urgent":
        return [render.urgent_advice(reasons, urgent_contact()), fallback]
    return [fallback]


def retry_after(message: UserMessage) -> int:
    """Seconds until a rate-limited sender may send again (REST's Retry-After header)."""
    return limiter().retry_after(f"{message.input_channel}:{message.sender_id}")


async def _say(output: OutputChannel, sender_id: str, text: str, channel: str) -> None:
    try:
        await output.send_text_message(sender_id, text)
    except Exception:
        logger.exception("%s could not send its own reply to %s", channel, sender_id)


def read_json_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> tuple[Any, HTTPResponse | None]:
    """The request's JSON body, or the 4xx response to give instead."""
    if len(request.body or b"") > max_bytes:
        return None, response.json({"error": f"the body is larger than {max_bytes} bytes"}, status=413)
    try:
        return request.json, None
    except InvalidUsage:
        return None, response.json({"error": "the body is not valid JSON"}, status=400)
