"""The Telegram channel: Rasa's connector rebuilt where it falls short (field notes, B.1-B.4).

- Every webhook call must carry `X-Telegram-Bot-Api-Secret-Token` (registered with
  setWebhook); wrong or missing: 403 and nothing is processed. Rasa's checked nothing.
- Start-up never waits for Telegram: setWebhook runs in the background with back-off, so
  the other channels serve meanwhile (Rasa's died when Telegram was unreachable).
- No getMe per update; the bot's username (for group mentions) is TELEGRAM_VERIFY or one
  getMe at start-up.
- A failing update is answered 200 with a log line, so Telegram does not redeliver it;
  the person gets "please try again" (`channel_turn.run_turn`), and a redelivered
  `update_id` is processed once.
- Groups: answered only when addressed (mention, reply, command), one tracker per person.
Wording and formatting (HTML, 4,096-character pieces, inline keyboards) are in
`telegram_format`, the HTTP calls in `telegram_api`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channel_turn import (
    STOPPED_REPLY,
    TEXT_ONLY_REPLY,
    OnNewMessage,
    agent_of,
    read_json_body,
    run_turn,
)
from rasa_server.telegram_api import DEFAULT_BASE_URL, BotAPI, BotAPIError
from rasa_server.telegram_format import (
    ButtonPayloads,
    Incoming,
    RecentIds,
    button_title,
    inline_keyboard,
    read_update,
    split_message,
    to_plain,
    units,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_CAPTION = 1024  # Telegram's limit for a photo caption
_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class TelegramSettings:
    """From credentials.yml if given there, else the environment (README, "Telegram")."""

    token: str
    username: str | None
    webhook_url: str | None
    secret_token: str
    api_base_url: str

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @classmethod
    def read(cls, credentials: dict[str, Any] | None) -> TelegramSettings:
        given = credentials or {}

        def setting(key: str, variable: str) -> str:
            return str(given.get(key) or os.environ.get(variable) or "").strip()

        token = setting("access_token", "TELEGRAM_ACCESS_TOKEN")
        # Unset: derived from the token, so the header is checked in every set-up.
        secret = setting("secret_token", "TELEGRAM_SECRET_TOKEN") or (
            hashlib.sha256(f"webhook:{token}".encode()).hexdigest() if token else ""
        )
        if token and not _SECRET_FORMAT.fullmatch(secret):
            raise ValueError("TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return cls(
            token=token,
            username=setting("verify", "TELEGRAM_VERIFY").lstrip("@") or None,
            webhook_url=setting("webhook_url", "TELEGRAM_WEBHOOK_URL") or None,
            secret_token=secret,
            api_base_url=setting("api_base_url", "TELEGRAM_API_BASE_URL") or DEFAULT_BASE_URL,
        )


class TelegramReplies(OutputChannel):
    """Sends one turn's replies to one chat; a failed send is logged, never raised into Rasa."""

    def __init__(self, api: BotAPI, payloads: ButtonPayloads, chat_id: int, reply_to: int | None = None) -> None:
        self.api = api
        self.payloads = payloads
        self.chat_id = chat_id
        self.reply_to = reply_to  # in a group: the message answered, so it is clear for whom

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def _base(self) -> dict[str, Any]:
        params: dict[str, Any] = {"chat_id": self.chat_id}
        if self.reply_to is not None:
            params["reply_parameters"] = {"message_id": self.reply_to, "allow_sending_without_reply": True}
        return params

    async def _send_html(self, piece: str, markup: dict[str, Any] | None = None) -> bool:
        params = {**self._base(), "text": piece, "parse_mode": "HTML"}
        if markup:
            params["reply_markup"] = markup
        try:
            await self.api.call("sendMessage", params)
            return True
        except BotAPIError as error:
            if error.status != 400 or "parse" not in error.description.lower():
                logger.error("Telegram sendMessage to chat %s failed: %s", self.chat_id, error)
                return False
        except Exception as error:
            logger.error("Telegram sendMessage to chat %s failed: %r", self.chat_id, error)
            return False
        # Telegram could not read our HTML: the same words as plain text.
        logger.warning("Telegram rejected the HTML of a reply to chat %s; sent as plain text", self.chat_id)
        params.pop("parse_mode")
        params["text"] = to_plain(piece)
        try:
            await self.api.call("sendMessage", params)
            return True
        except Exception as error:
            logger.error("Telegram sendMessage (plain) to chat %s failed: %r", self.chat_id, error)
            return False

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_message(text):
            await self._send_html(piece)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        pieces = split_message(text or "Choose one:")
        for piece in pieces[:-1]:
            await self._send_html(piece)
        await self._send_html(pieces[-1], inline_keyboard(buttons, self.payloads))

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A point diagram (`image` + custom {"type": "diagram", "alt"}) is one photo, its
        alt text (where the point is) the caption; Rasa would post the custom JSON as text."""
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "diagram" and message.get("image"):
            rest = {k: v for k, v in message.items() if k not in ("custom", "image")}
            await super().send_response(recipient_id, rest)
            await self.send_image_url(recipient_id, message["image"], caption=str(custom.get("alt") or ""))
            return
        await super().send_response(recipient_id, message)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        logger.debug("Telegram: a custom payload without a Telegram form is not sent")

    async def send_image_url(self, recipient_id: str, image: str, caption: str = "", **kwargs: Any) -> None:
        params = {**self._base(), "photo": image}
        if caption:
            params["caption"] = caption if units(caption) <= MAX_CAPTION else caption[: MAX_CAPTION // 2] + "…"
        try:
            await self.api.call("sendPhoto", params)
        except Exception as error:
            # Telegram could not fetch the picture: the link still gets there.
            logger.error("Telegram sendPhoto to chat %s failed: %r; sending the link", self.chat_id, error)
            await self._send_html(f'<a href="{html.escape(image)}">Diagram</a>')

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, attachment)


class TelegramInput(InputChannel):
    """Telegram webhook at /webhooks/telegram/webhook; off unless a bot token is set."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(TelegramSettings.read(credentials))

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings
        self.api = BotAPI(settings.token, settings.api_base_url)
        self.payloads = ButtonPayloads()
        self.seen = RecentIds()
        self.username = settings.username
        self.webhook_set = False
        self._startup: asyncio.Task | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """For messages Rasa's HTTP API sends outside a turn: the recipient is chat[:user]."""
        return _RecipientReplies(self.api, self.payloads) if self.settings.enabled else None

    async def _start(self) -> None:
        settings = self.settings
        if settings.webhook_url:
            self.webhook_set = await self.api.keep_setting_webhook(settings.webhook_url, settings.secret_token)
        else:
            logger.warning("TELEGRAM_WEBHOOK_URL is not set: Telegram will not be told where to send updates")
        if self.username is None:
            try:
                me = await self.api.call("getMe", {})
                self.username = me.get("username")
            except Exception as error:
                logger.warning("Telegram getMe failed (%r): group messages are answered only for commands", error)

    async def _handle(self, update: dict[str, Any], on_new_message: OnNewMessage, agent: Any) -> None:
        incoming = read_update(update, self.username)
        if isinstance(incoming, str):
            logger.info("Telegram update %s not answered: %s", update["update_id"], incoming)
            return
        text = incoming.text
        if incoming.callback_id is not None:
            await self._answer_callback(incoming.callback_id)
            data = text or ""
            message = update["callback_query"].get("message")
            text = self.payloads.payload_for(data) or button_title(message, data)
        output = TelegramReplies(self.api, self.payloads, incoming.chat_id, _reply_to(incoming))
        if text is None:
            await output.send_text_message(incoming.sender_id, TEXT_ONLY_REPLY)
            return
        if text == "/restart":  # /stop: said first, then the new session's scope statement
            await output.send_text_message(incoming.sender_id, STOPPED_REPLY)
        message = UserMessage(text, output, incoming.sender_id, input_channel=self.name())
        await run_turn(on_new_message, message, agent)

    async def _answer_callback(self, callback_id: str) -> None:
        try:  # stops the button's spinner; the answer itself comes as a message
            await self.api.call("answerCallbackQuery", {"callback_query_id": callback_id})
        except Exception as error:
            logger.warning("Telegram answerCallbackQuery failed: %r", error)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)
        settings = self.settings

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": settings.enabled, "webhook_set": self.webhook_set})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not settings.enabled:
                return response.json({"error": "the Telegram channel is off (no TELEGRAM_ACCESS_TOKEN)"}, status=404)
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), settings.secret_token.encode()):
                logger.warning("Telegram webhook call refused: wrong or missing %s", SECRET_HEADER)
                return response.json({"error": "forbidden"}, status=403)
            update, refusal = read_json_body(request)
            if refusal:
                return refusal
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return response.json({"error": "not a Telegram update (no update_id)"}, status=400)
            if not self.seen.first_time(update["update_id"]):
                logger.info("Telegram update %s received again; already handled", update["update_id"])
                return response.json({"status": "duplicate"})
            try:
                await self._handle(update, on_new_message, agent_of(request))
            except Exception:
                # 200 all the same: an error status would make Telegram redeliver it.
                logger.exception("Telegram update %s failed", update["update_id"])
            return response.json({"status": "ok"})

        @webhook.listener("before_server_start")
        async def start(app: Sanic, _loop: Any) -> None:
            if settings.enabled:
                await self.api.open()  # in the server's loop, which it stays bound to
                self._startup = asyncio.get_running_loop().create_task(self._start())
            else:
                logger.info("Telegram channel off: TELEGRAM_ACCESS_TOKEN is not set")

        @webhook.listener("after_server_stop")
        async def stop(app: Sanic, _loop: Any) -> None:
            if self._startup is not None:
                self._startup.cancel()
            await self.api.close()

        return webhook


def _reply_to(incoming: Incoming) -> int | None:
    return incoming.message_id if incoming.in_group and incoming.callback_id is None else None


class _RecipientReplies(TelegramReplies):
    """Replies addressed by Rasa's recipient id ("chat" or "chat:user") instead of one chat."""

    def __init__(self, api: BotAPI, payloads: ButtonPayloads) -> None:
        super().__init__(api, payloads, chat_id=0)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.chat_id = int(str(recipient_id).split(":")[0])
        await super().send_response(recipient_id, message)
