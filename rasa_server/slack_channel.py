"""Slack, at /webhooks/slack/webhook (events and button presses); off unless SLACK_TOKEN and
SLACK_SIGNING_SECRET are set.

Every call must carry a valid X-Slack-Signature no older than five minutes (403
otherwise, nothing processed). Slack wants an answer within 3 seconds, so the call is
acknowledged at once and the turn runs after it; a retry (X-Slack-Retry-Num) or an
event_id seen before is acknowledged and not answered twice. Direct messages are answered,
in channels only mentions (in the message's thread, one conversation per person).
Replies go out with chat.postMessage as Block Kit: buttons as an actions block, a diagram
as an image block. The pure half is `slack_format`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channel_turn import MAX_BODY_BYTES, TEXT_ONLY_REPLY, OnNewMessage, agent_of, run_turn
from rasa_server.slack_format import (
    SlackIncoming,
    buttons_block,
    image_block,
    read_action,
    read_event,
    sections,
    signature_valid,
)

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api"
TIMEOUT = aiohttp.ClientTimeout(total=15)
REMEMBERED = 10_000


@dataclass(frozen=True)
class SlackSettings:
    token: str
    signing_secret: str
    api_base_url: str

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.signing_secret)

    @classmethod
    def read(cls, credentials: dict[str, Any] | None) -> SlackSettings:
        given = credentials or {}

        def setting(key: str, variable: str) -> str:
            return str(given.get(key) or os.environ.get(variable) or "").strip()

        return cls(
            setting("slack_token", "SLACK_TOKEN"),
            setting("slack_signing_secret", "SLACK_SIGNING_SECRET"),
            (setting("api_base_url", "SLACK_API_BASE_URL") or DEFAULT_API_URL).rstrip("/"),
        )


class SlackAPI:
    """chat.postMessage and friends; retried on network errors, 429 and 5xx."""

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, method: str, params: dict[str, Any], attempts: int = 3) -> dict[str, Any] | None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        for attempt in range(1, attempts + 1):
            pause = 0.5 * attempt
            try:
                url = f"{self.settings.api_base_url}/{method}"
                async with self._session.post(url, json=params, headers=headers) as reply:
                    if reply.status == 429 or reply.status >= 500:
                        pause = float(reply.headers.get("Retry-After", pause))
                        raise aiohttp.ClientResponseError(reply.request_info, (), status=reply.status)
                    body = await reply.json(content_type=None)
                if body.get("ok"):
                    return body
                logger.error("Slack %s refused: %s", method, body.get("error"))
                return None
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                if attempt == attempts:
                    logger.error("Slack %s failed: %r", method, error)
                    return None
                await asyncio.sleep(min(pause, 5.0))
        return None


class SlackReplies(OutputChannel):
    """Posts one turn's replies into a channel (and thread)."""

    def __init__(self, api: SlackAPI, channel: str, thread_ts: str | None) -> None:
        self.api = api
        self.channel = channel
        self.thread_ts = thread_ts

    @classmethod
    def name(cls) -> str:
        return "slack"

    async def _post(self, text: str, blocks: list[dict[str, Any]]) -> None:
        params: dict[str, Any] = {"channel": self.channel, "text": text[:3000], "blocks": blocks}
        if self.thread_ts:
            params["thread_ts"] = self.thread_ts
        await self.api.call("chat.postMessage", params)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._post(text, sections(text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._post(text, [*sections(text), buttons_block(buttons)])

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "diagram" and message.get("image"):
            rest = {k: v for k, v in message.items() if k not in ("custom", "image")}
            await super().send_response(recipient_id, rest)
            await self.send_image_url(recipient_id, message["image"], alt=str(custom.get("alt") or ""))
            return
        await super().send_response(recipient_id, message)

    async def send_image_url(self, recipient_id: str, image: str, alt: str = "", **kwargs: Any) -> None:
        await self._post(alt or "Diagram", [image_block(image, alt)])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        logger.debug("Slack: a custom payload is not sent")


class SlackInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(SlackSettings.read(credentials))

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self.api = SlackAPI(settings)
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.turns: set[asyncio.Task] = set()

    def _first_time(self, key: str) -> bool:
        if key in self.seen:
            return False
        self.seen[key] = None
        while len(self.seen) > REMEMBERED:
            self.seen.popitem(last=False)
        return True

    def get_output_channel(self) -> OutputChannel | None:
        return None  # a recipient id does not say which channel or thread to post into

    async def _turn(self, incoming: SlackIncoming, on_new_message: OnNewMessage, agent: Any) -> None:
        output = SlackReplies(self.api, incoming.channel, incoming.thread_ts)
        if not incoming.text:  # a file or picture without words
            await output.send_text_message(incoming.sender_id, TEXT_ONLY_REPLY)
            return
        message = UserMessage(incoming.text, output, incoming.sender_id, input_channel=self.name())
        await run_turn(on_new_message, message, agent)

    def _start_turn(self, incoming: SlackIncoming, on_new_message: OnNewMessage, agent: Any) -> None:
        task = asyncio.get_running_loop().create_task(self._turn(incoming, on_new_message, agent))
        self.turns.add(task)  # kept until done, so it is not collected mid-turn
        task.add_done_callback(self.turns.discard)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("slack_webhook", __name__)
        settings = self.settings

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": settings.enabled})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not settings.enabled:
                return response.json(
                    {"error": "the Slack channel is off (no SLACK_TOKEN / SLACK_SIGNING_SECRET)"}, status=404
                )
            raw = request.body or b""
            if len(raw) > MAX_BODY_BYTES:
                return response.json({"error": "the body is too large"}, status=413)
            timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
            if not signature_valid(
                settings.signing_secret, timestamp, raw, request.headers.get("X-Slack-Signature", "")
            ):
                logger.warning("Slack call refused: wrong, missing or old X-Slack-Signature")
                return response.json({"error": "forbidden"}, status=403)
            try:
                if request.content_type.startswith("application/x-www-form-urlencoded"):
                    payload = json.loads(parse_qs(raw.decode())["payload"][0])
                    incoming = read_action(payload)
                    action = (payload.get("actions") or [{}])[0]
                    key = f"action:{action.get('action_ts')}:{(payload.get('user') or {}).get('id')}"
                else:
                    body = json.loads(raw)
                    if body.get("type") == "url_verification":
                        return response.json({"challenge": body.get("challenge")})
                    incoming = read_event(body)
                    key = f"event:{body.get('event_id')}"
            except (ValueError, KeyError, IndexError, AttributeError):
                return response.json({"error": "not a Slack event or interaction"}, status=400)
            if not self._first_time(key):
                # Slack retries (X-Slack-Retry-Num) when an answer was slow; it is being answered.
                logger.info(
                    "Slack event %s again (retry %s); not answered twice", key, request.headers.get("X-Slack-Retry-Num")
                )
                return response.empty(status=200)
            if isinstance(incoming, str):
                logger.info("Slack call not answered: %s", incoming)
            else:
                self._start_turn(incoming, on_new_message, agent_of(request))
            return response.empty(status=200)

        @webhook.listener("after_server_stop")
        async def stop(app: Sanic, _loop: Any) -> None:
            await self.api.close()

        return webhook
