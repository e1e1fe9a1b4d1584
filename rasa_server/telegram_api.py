"""A small Telegram Bot API client on aiohttp, made in the server's own event loop.

Rasa 3.6's connector uses aiogram 2.15, whose session stays bound to the short-lived loop
Rasa sets the webhook in, so every update after start-up fails with "Event loop is
closed" (see ../shared/reference/rasa-3.6-field-notes.md, B.1). Five methods are all the
assistant needs, called as JSON POSTs to `<base>/bot<token>/<method>`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org"
TIMEOUT = aiohttp.ClientTimeout(total=15)
SEND_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.5
# setWebhook at start-up: 1 s, 2 s, 4 s ... then every 30 s until Telegram answers.
WEBHOOK_FIRST_PAUSE = 1.0
WEBHOOK_MAX_PAUSE = 30.0
UPDATES_WANTED = ["message", "callback_query"]


class BotAPIError(Exception):
    """Telegram answered, but refused the call (`ok: false`)."""

    def __init__(self, method: str, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{method}: HTTP {status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after


class BotAPI:
    """Calls Bot API methods; retries what may succeed later (network, 429, 5xx)."""

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def _url(self, method: str) -> str:
        return f"{self.base_url}/bot{self.token}/{method}"

    async def open(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call_once(self, method: str, params: dict[str, Any]) -> Any:
        """One call; raises BotAPIError on a refusal and aiohttp/timeout errors on the network."""
        await self.open()
        assert self._session is not None
        async with self._session.post(self._url(method), json=params) as reply:
            try:
                body = await reply.json(content_type=None)
            except ValueError:
                body = {"ok": False, "description": (await reply.text())[:200]}
        if isinstance(body, dict) and body.get("ok"):
            return body.get("result")
        body = body if isinstance(body, dict) else {}
        retry_after = (body.get("parameters") or {}).get("retry_after")
        raise BotAPIError(method, reply.status, str(body.get("description", "no description")), retry_after)

    async def call(self, method: str, params: dict[str, Any], attempts: int = SEND_ATTEMPTS) -> Any:
        """A call retried on network errors, rate limits and server errors; a 4xx is final."""
        for attempt in range(1, attempts + 1):
            try:
                return await self.call_once(method, params)
            except BotAPIError as error:
                final = error.status < 500 and error.status != 429
                if final or attempt == attempts:
                    raise
                pause = float(error.retry_after or RETRY_PAUSE_SECONDS * attempt)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if attempt == attempts:
                    raise
                pause = RETRY_PAUSE_SECONDS * attempt
            logger.warning("Bot API %s failed (attempt %d of %d); retrying", method, attempt, attempts)
            await asyncio.sleep(min(pause, 5.0))
        raise AssertionError("unreachable")

    async def keep_setting_webhook(self, url: str, secret_token: str) -> bool:
        """setWebhook until Telegram takes it, backing off; False if the token is refused."""
        pause = WEBHOOK_FIRST_PAUSE
        params = {"url": url, "secret_token": secret_token, "allowed_updates": UPDATES_WANTED}
        while True:
            try:
                await self.call_once("setWebhook", params)
                logger.info("Telegram webhook set to %s", url)
                return True
            except BotAPIError as error:
                if error.status in (401, 404):
                    logger.error("Telegram refused the bot token (%s); the Telegram channel stays off", error)
                    return False
                logger.warning("Telegram refused setWebhook (%s); retrying in %.0f s", error, pause)
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.warning("Telegram unreachable for setWebhook (%r); retrying in %.0f s", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, WEBHOOK_MAX_PAUSE)
