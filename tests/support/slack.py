"""Slack's side: a local Web API server that records chat.postMessage, and signed events.

Slack cannot be reached from here. `FakeSlackAPI` answers `POST /api/<method>` like Slack
(`{"ok": true, ...}`; `invalid_auth` for a wrong token) and records the calls; `SlackUser`
posts the Events API callbacks and button presses Slack would post, signed with
slack_sdk's own SignatureVerifier.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import requests
from slack_sdk.signature import SignatureVerifier

_ids = itertools.count(int(time.time()))


@dataclass
class FakeSlackAPI:
    token: str
    port: int
    calls: list[dict[str, Any]] = field(default_factory=list)  # chat.postMessage params
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> FakeSlackAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Authorization") != f"Bearer {api.token}":
                    body = {"ok": False, "error": "invalid_auth"}
                elif self.path == "/api/chat.postMessage":
                    params = json.loads(raw)
                    with api._lock:
                        api.calls.append(params)
                    body = {"ok": True, "channel": params["channel"], "ts": f"{time.time():.6f}"}
                else:
                    body = {"ok": False, "error": "unknown_method"}
                data = json.dumps(body).encode()
                self.send_response(200)
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

    def posted(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c for c in self.calls if c["channel"] == channel]

    def replies_after(self, channel: str, before: int, quiet: float = 1.5, timeout: float = 60) -> list[dict[str, Any]]:
        """What was posted to the channel after `before` calls, once posting has paused."""
        deadline, last, last_change = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.posted(channel))
            if count != last:
                last, last_change = count, time.monotonic()
            elif count > before and time.monotonic() - last_change >= quiet:
                return self.posted(channel)[before:]
            time.sleep(0.1)
        return self.posted(channel)[before:]


@dataclass
class SlackUser:
    webhook_url: str
    signing_secret: str
    user_id: str
    channel: str  # "D..." a direct message, "C..." a channel

    def _headers(self, body: str, timestamp: int | None = None, signature: str | None = "valid") -> dict[str, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {"X-Slack-Request-Timestamp": stamp}
        if signature == "valid":
            headers["X-Slack-Signature"] = SignatureVerifier(self.signing_secret).generate_signature(
                timestamp=stamp, body=body
            )
        elif signature is not None:
            headers["X-Slack-Signature"] = signature
        return headers

    def event(self, text: str, mention: bool = False, **extra: Any) -> dict[str, Any]:
        kind = "app_mention" if mention else "message"
        event = {"type": kind, "user": self.user_id, "channel": self.channel, "text": text, "ts": f"{next(_ids)}.0001"}
        if not mention:
            event["channel_type"] = "im" if self.channel.startswith("D") else "channel"
        event.update(extra)
        return {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{next(_ids)}", "event": event}

    def post_event(self, body: dict[str, Any], retry: int | None = None, **sign: Any) -> requests.Response:
        raw = json.dumps(body)
        headers = {**self._headers(raw, **sign), "Content-Type": "application/json"}
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return requests.post(self.webhook_url, data=raw, headers=headers, timeout=30)

    def press(self, posted: dict[str, Any], title: str) -> requests.Response:
        """The block_actions call Slack posts when the button `title` of a posted message is pressed."""
        button = next(
            e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == title
        )
        payload = {
            "type": "block_actions",
            "user": {"id": self.user_id},
            "channel": {"id": self.channel},
            "container": {"type": "message", "channel_id": self.channel, "thread_ts": posted.get("thread_ts")},
            "actions": [{**button, "action_ts": f"{next(_ids)}.5"}],
        }
        raw = urlencode({"payload": json.dumps(payload)})
        headers = {**self._headers(raw), "Content-Type": "application/x-www-form-urlencoded"}
        return requests.post(self.webhook_url, data=raw, headers=headers, timeout=30)
