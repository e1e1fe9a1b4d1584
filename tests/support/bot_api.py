"""A local server that speaks Telegram's Bot API and records what the assistant sends.

Telegram's servers cannot be reached from the test machine, so the Rasa server is pointed
at this one (TELEGRAM_API_BASE_URL). It answers `POST /bot<token>/<method>` with
`{"ok": true, "result": ...}` like Telegram, refuses a wrong token with 401, and can be told
to fail a method for a chat. `TelegramUser` builds the updates Telegram would post.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

BOT_USERNAME = "acu_test_bot"
BOT_ID = 777000111


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotAPI:
    token: str
    port: int
    calls: list[Call] = field(default_factory=list)
    # (method, chat id) -> (HTTP status, description) to answer instead of success
    failures: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    refuse_html_for: set[int] = field(default_factory=set)  # chats whose HTML "cannot be parsed"
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeBotAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                status, body = api.answer(self.path, json.loads(raw or b"{}"))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix, _, method = path.lstrip("/").rpartition("/")
        if prefix != f"bot{self.token}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self._lock:
            self.calls.append(Call(method, params))
        failure = self.failures.get((method, params.get("chat_id")))
        if failure:
            return failure[0], {"ok": False, "error_code": failure[0], "description": failure[1]}
        if params.get("parse_mode") == "HTML" and params.get("chat_id") in self.refuse_html_for:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities"}
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": BOT_ID, "is_bot": True, "username": BOT_USERNAME}}
        if method in ("sendMessage", "sendPhoto"):
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": params["chat_id"]},
            }
            result.update({k: params[k] for k in ("text", "reply_markup") if k in params})
            return 200, {"ok": True, "result": result}
        return 200, {"ok": True, "result": True}

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if (method is None or c.method == method) and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def wait_for(self, found: Callable[[], Any], timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = found()
            if result:
                return result
            time.sleep(0.1)
        raise TimeoutError(f"not seen within {timeout}s; calls: {[c.method for c in self.calls][-20:]}")


_update_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


@dataclass
class TelegramUser:
    """A person writing to the bot: a private chat unless `group_id` is given."""

    webhook_url: str
    secret: str
    user_id: int
    group_id: int | None = None

    @property
    def chat_id(self) -> int:
        return self.group_id if self.group_id is not None else self.user_id

    @property
    def sender_id(self) -> str:
        return f"{self.group_id}:{self.user_id}" if self.group_id is not None else str(self.user_id)

    def _chat(self) -> dict[str, Any]:
        if self.group_id is not None:
            return {"id": self.group_id, "type": "supergroup", "title": "Clinic team"}
        return {"id": self.user_id, "type": "private", "first_name": "Sam"}

    def _from(self) -> dict[str, Any]:
        return {"id": self.user_id, "is_bot": False, "first_name": "Sam"}

    def message_update(self, text: str | None = None, **extra: Any) -> dict[str, Any]:
        message = {"message_id": next(_update_ids) % 100000, "date": int(time.time()), "chat": self._chat()}
        message["from"] = self._from()
        if text is not None:
            message["text"] = text
        message.update(extra)
        return {"update_id": next(_update_ids), "message": message}

    def tap_update(self, sent: Call, title: str) -> dict[str, Any]:
        """The callback_query Telegram posts when the button `title` of message `sent` is tapped."""
        keyboard = sent.params["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in keyboard for b in row if b["text"] == title)
        message = {"message_id": 1, "chat": self._chat(), "text": sent.params.get("text", "")}
        message["reply_markup"] = sent.params["reply_markup"]
        query = {"id": str(next(_update_ids)), "from": self._from(), "message": message, "data": data}
        return {"update_id": next(_update_ids), "callback_query": query}

    def post(self, update: dict[str, Any], secret: str | None = "default") -> requests.Response:
        headers = (
            {}
            if secret is None
            else {"X-Telegram-Bot-Api-Secret-Token": self.secret if secret == "default" else secret}
        )
        return requests.post(self.webhook_url, json=update, headers=headers, timeout=120)
