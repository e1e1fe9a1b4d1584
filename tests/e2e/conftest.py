"""One Rasa stack with the Telegram, WhatsApp and Slack channels, shared by their tests and
the cross-channel table.

It starts while the (local) Bot API is down, as when Telegram is unreachable, and records
what REST answered meanwhile; then the Bot API comes up on the port the channel was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.bot_api import BOT_USERNAME, FakeBotAPI, TelegramUser
from tests.support.servers import RasaStack, free_port
from tests.support.slack import FakeSlackAPI, SlackUser
from tests.support.twilio import WhatsAppUser

TOKEN = "123456789:TEST-token_for-the-local-bot-api"
SECRET = "local-secret_0123456789"
PUBLIC_SITE = "https://acu.example.org"  # ACU_PUBLIC_URL: where Telegram fetches the diagrams
PUBLIC_URL = "https://bot.example.org/webhooks/telegram/webhook"
TWILIO_TOKEN = "twilio-auth-token-for-tests"
TWILIO_URL = "https://bot.example.org/webhooks/whatsapp/webhook"  # what Twilio signs
SLACK_TOKEN = "xoxb-test-token"
SLACK_SECRET = "slack-signing-secret-for-tests"


@dataclass
class TelegramStack:
    stack: RasaStack
    bot_api: FakeBotAPI
    while_down: dict[str, Any]
    slack_api: FakeSlackAPI

    @property
    def webhook(self) -> str:
        return f"{self.stack.url}/webhooks/telegram/webhook"

    def user(self, user_id: int, group_id: int | None = None) -> TelegramUser:
        return TelegramUser(self.webhook, SECRET, user_id, group_id)

    def slack_user(self, user_id: str, channel: str) -> SlackUser:
        return SlackUser(f"{self.stack.url}/webhooks/slack/webhook", SLACK_SECRET, user_id, channel)

    def whatsapp_user(self, number: str) -> WhatsAppUser:
        return WhatsAppUser(f"{self.stack.url}/webhooks/whatsapp/webhook", TWILIO_URL, TWILIO_TOKEN, number)


@pytest.fixture(scope="session")
def telegram(tmp_path_factory: pytest.TempPathFactory):
    bot_api = FakeBotAPI(TOKEN, free_port())  # not started yet: Telegram unreachable
    slack_api = FakeSlackAPI(SLACK_TOKEN, free_port()).start()
    env = {
        "TELEGRAM_ACCESS_TOKEN": TOKEN,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
        "TELEGRAM_API_BASE_URL": bot_api.url,
        "TELEGRAM_VERIFY": BOT_USERNAME,
        "ACU_PUBLIC_URL": PUBLIC_SITE,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WEBHOOK_URL": TWILIO_URL,
        "SLACK_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_BASE_URL": slack_api.url,
    }
    stack = RasaStack(workdir=Path(tmp_path_factory.mktemp("telegram")), env=env).start()
    try:
        while_down = {
            "rest": stack.say("while-telegram-is-down", "hi"),
            "health": requests.get(f"{stack.url}/webhooks/telegram/", timeout=10).json(),
        }
        bot_api.start()
        yield TelegramStack(stack, bot_api, while_down, slack_api)
    finally:
        stack.stop()
        bot_api.stop()
        slack_api.stop()
