"""Who may call the action server (pure, stdlib only).

rasa-sdk 3.6 has no authentication and listens on 0.0.0.0 (SANIC_HOST), so anyone who can
reach port 5055 can run every action with any tracker they make up. Our launcher
(`python -m action_server`) binds to ACTIONS_HOST (default 127.0.0.1) and, when
ACTION_SERVER_SECRET is set, answers 401 to any request without the header
`X-Action-Secret: <secret>` except GET /health (the channels' health check, which says
nothing but "ok"). The Rasa server sends the header from the same variable
(endpoints.yml `headers`, written by scripts/serve.sh).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

SECRET_HEADER = "X-Action-Secret"
OPEN_PATHS = frozenset({"/health"})
MIN_SECRET_CHARS = 16
DEFAULT_HOST = "127.0.0.1"


def action_secret(env: Mapping[str, str] = os.environ) -> str | None:
    """ACTION_SERVER_SECRET, or None when unset; a short secret stops start-up."""
    secret = env.get("ACTION_SERVER_SECRET", "")
    if not secret:
        return None
    if len(secret) < MIN_SECRET_CHARS:
        raise ValueError(f"ACTION_SERVER_SECRET must be at least {MIN_SECRET_CHARS} characters long")
    return secret


def bind_host(env: Mapping[str, str] = os.environ) -> str:
    return env.get("ACTIONS_HOST") or DEFAULT_HOST


def allowed(path: str, presented: str | None, secret: str | None) -> bool:
    """May a request for `path` carrying header value `presented` pass?"""
    if secret is None or path in OPEN_PATHS:
        return True
    return presented is not None and hmac.compare_digest(presented.encode(), secret.encode())


def endpoint_headers(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The `headers` of endpoints.yml's action_endpoint: a placeholder Rasa fills in from its
    own environment when it reads the file, so the secret is never written to disk."""
    return {SECRET_HEADER: "${ACTION_SERVER_SECRET}"} if env.get("ACTION_SERVER_SECRET") else {}
