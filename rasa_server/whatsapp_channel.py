"""WhatsApp through Twilio, at /webhooks/whatsapp/webhook; off unless TWILIO_AUTH_TOKEN is set.

Rasa 3.6's twilio.py checks no X-Twilio-Signature, tests `message is not None` where it
means the text, crashes on a media message with an empty Body and calls Twilio's API for
every reply. Here: the signature is checked on every call (403 otherwise, nothing
processed); only `whatsapp:` senders are answered; a photo or voice note gets a clear
answer; buttons are numbered choices that a reply "2" selects; the whole turn goes back
in the webhook's TwiML answer, so no API call per message; a MessageSid seen before gets
the same answer again instead of a second turn. The pure half is `whatsapp_format`.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.action_health import TRY_AGAIN_REPLY
from rasa_server.channel_turn import MAX_BODY_BYTES, TEXT_ONLY_REPLY, OnNewMessage, agent_of, run_turn
from rasa_server.whatsapp_format import choices_text, picked, signature_valid, split_body, to_whatsapp, twiml

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
REMEMBERED = 10_000  # senders' pending choices and answered MessageSids kept in memory
OUT_OF_RANGE = "Please reply with one of the numbers shown, or write your answer in words."


@dataclass(frozen=True)
class WhatsAppSettings:
    auth_token: str
    webhook_url: str | None  # the public URL Twilio calls (signed); unset: the request's URL

    @classmethod
    def read(cls, credentials: dict[str, Any] | None) -> WhatsAppSettings:
        given = credentials or {}
        token = str(given.get("auth_token") or os.environ.get("TWILIO_AUTH_TOKEN") or "").strip()
        url = str(given.get("webhook_url") or os.environ.get("TWILIO_WEBHOOK_URL") or "").strip()
        return cls(token, url or None)


class _Bounded(OrderedDict):
    def remember(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > REMEMBERED:
            self.popitem(last=False)


class WhatsAppReplies(OutputChannel):
    """Collects a turn's replies as WhatsApp messages (body, media) for the TwiML answer."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str | None]] = []
        self.choices: list[str] = []  # payloads of the last message with buttons
        self.choice_titles: list[str] = []

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.extend((piece, None) for piece in split_body(to_whatsapp(text)))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        titles = [str(b.get("title") or b.get("payload")) for b in buttons]
        self.choices = [str(b.get("payload") or b.get("title")) for b in buttons]
        self.choice_titles = titles
        await self.send_text_message(
            recipient_id, f"{text}\n\n{choices_text(titles)}" if text else choices_text(titles)
        )

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "diagram" and message.get("image"):
            # A diagram: one message with the picture, its alt text (where the point is) as caption.
            rest = {k: v for k, v in message.items() if k not in ("custom", "image")}
            await super().send_response(recipient_id, rest)
            self.messages.append((str(custom.get("alt") or "")[:MAX_BODY_BYTES], message["image"]))
            return
        await super().send_response(recipient_id, message)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        self.messages.append(("", image))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        logger.debug("WhatsApp: a custom payload is not sent")


class WhatsAppInput(InputChannel):
    """Twilio's WhatsApp webhook (form POST), answered with TwiML."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(WhatsAppSettings.read(credentials))

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings
        self.pending = _Bounded()  # sender -> (payloads, titles) of the numbered choices last shown
        self.answered = _Bounded()  # MessageSid -> the TwiML it was answered with

    def _signed_url(self, request: Request) -> str:
        return self.settings.webhook_url or request.url

    async def _answer(self, form: dict[str, list[str]], on_new_message: OnNewMessage, agent: Any) -> str:
        sender = (form.get("From") or [""])[0]
        if not sender.startswith("whatsapp:"):
            logger.info("Twilio message from a non-WhatsApp sender not answered")
            return twiml([])
        text = (form.get("Body") or [""])[0].strip()
        replies = WhatsAppReplies()
        if not text:  # a photo, voice note or location: Rasa's connector crashed here
            return twiml([(TEXT_ONLY_REPLY, None)])
        payloads, titles = self.pending.get(sender, ([], []))
        is_number, choice = picked(text, payloads)
        if is_number and payloads:
            if choice is None:
                return twiml([(f"{OUT_OF_RANGE}\n\n{choices_text(titles)}", None)])
            text = choice
        message = UserMessage(text, replies, sender, input_channel=self.name())
        await run_turn(on_new_message, message, agent)
        if replies.choices:
            self.pending.remember(sender, (replies.choices, replies.choice_titles))
        else:
            self.pending.pop(sender, None)
        return twiml(replies.messages)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("whatsapp_webhook", __name__)
        settings = self.settings

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": bool(settings.auth_token)})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not settings.auth_token:
                return response.json({"error": "the WhatsApp channel is off (no TWILIO_AUTH_TOKEN)"}, status=404)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "the body is too large"}, status=413)
            # Parsed here, not by Sanic, which drops blank values such as a media message's
            # empty Body, and Twilio signs those too.
            form = parse_qs((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True)
            given = request.headers.get(SIGNATURE_HEADER, "")
            if not signature_valid(settings.auth_token, self._signed_url(request), form, given):
                logger.warning("Twilio webhook call refused: wrong or missing %s", SIGNATURE_HEADER)
                return response.json({"error": "forbidden"}, status=403)
            sid = (form.get("MessageSid") or [""])[0]
            if sid and sid in self.answered:
                # Answered (or being answered: None) already; a second turn would double it.
                logger.info("Twilio message %s received again; answered as before", sid)
                return response.text(self.answered[sid] or twiml([]), content_type="application/xml")
            if sid:
                self.answered.remember(sid, None)
            try:
                answer = await self._answer(form, on_new_message, agent_of(request))
            except Exception:
                logger.exception("WhatsApp message %s failed", sid)
                answer = twiml([(TRY_AGAIN_REPLY, None)])
            if sid:
                self.answered.remember(sid, answer)
            return response.text(answer, content_type="application/xml")

        return webhook
