"""The widget's settings from the environment, read in one place (pure, stdlib only).

Both the widget server and the Rasa server's socket.io channel read `allowed_origins()`,
so the page's origin and the sockets it may open are configured once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORT = 8080


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def widget_port() -> int:
    return int(os.environ.get("WIDGET_PORT") or DEFAULT_PORT)


def public_url() -> str:
    """Where browsers reach the widget server (diagram URLs start with it too)."""
    return (os.environ.get("ACU_PUBLIC_URL") or f"http://localhost:{widget_port()}").rstrip("/")


def rasa_public_url() -> str:
    """Where browsers reach the Rasa server's socket.io endpoint."""
    return (os.environ.get("RASA_PUBLIC_URL") or f"http://localhost:{os.environ.get('RASA_PORT') or 5005}").rstrip("/")


# An exact origin: scheme, host (name, IPv4 or [IPv6]) and an optional port, nothing else.
# Wildcards and patterns are refused, not matched: Sanic-Cors matches pattern-like origins
# with an unanchored re.match (CVE-2026-37737), so none may ever reach a CORS setting.
EXACT_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?")


def exact_origin(origin: str) -> str:
    """The origin unchanged if it is exact; ValueError (start-up stops) for a pattern or a URL with a path."""
    if not EXACT_ORIGIN.fullmatch(origin):
        raise ValueError(
            f"ALLOWED_ORIGINS entry {origin!r} is not an exact origin like https://clinic.example or "
            "http://localhost:8080 (no wildcards, patterns or paths)"
        )
    return origin


def allowed_origins() -> list[str]:
    """Pages that may embed the widget: ALLOWED_ORIGINS (comma-separated), else the widget's own page."""
    configured = [item.strip().rstrip("/") for item in os.environ.get("ALLOWED_ORIGINS", "").split(",")]
    origins = [exact_origin(item) for item in configured if item]
    if origins:
        return origins
    port = widget_port()
    return list(dict.fromkeys([_origin(public_url()), f"http://localhost:{port}", f"http://127.0.0.1:{port}"]))


@dataclass(frozen=True)
class WidgetSettings:
    host: str
    port: int
    public_url: str
    rasa_url: str
    origins: tuple[str, ...]
    title: str
    initial_message: str

    @classmethod
    def from_env(cls) -> WidgetSettings:
        return cls(
            host=os.environ.get("WIDGET_HOST") or "127.0.0.1",
            port=widget_port(),
            public_url=public_url(),
            rasa_url=rasa_public_url(),
            origins=tuple(allowed_origins()),
            title=os.environ.get("WIDGET_TITLE") or "Acupressure guide",
            initial_message=os.environ.get("WIDGET_GREETING")
            or "Hello! Tell me where it aches, in your own words, or tap **Show me where it hurts**.",
        )

    def connect_sources(self) -> list[str]:
        """CSP connect-src for the socket: the Rasa server over http(s) and ws(s)."""
        origin = _origin(self.rasa_url)
        return [origin, origin.replace("http", "ws", 1)]
