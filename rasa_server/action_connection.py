"""One kept-alive HTTP connection pool for the calls to the action server.

Rasa 3.6 opens a new aiohttp ClientSession, and so a new TCP connection, for every action
call (`EndpointConfig.request`: `async with self.session()`), and closes it afterwards.
Connecting was 3.5% of the Rasa server's busy time in symptom turns (py-spy, 2026-12-02),
beside the session set-up itself. Here the action endpoint's requests share one session per
event loop whose connections stay open between turns.
"""

from __future__ import annotations

import asyncio
import atexit
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

# Below the action server's own idle limit (Sanic's KEEP_ALIVE_TIMEOUT, 5 s), so this side
# drops an idle connection before the server does and never sends on one being closed.
IDLE_SECONDS = 3.0


class _Borrowed:
    """`async with` over a shared session that leaves it open on exit."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


class KeepAliveEndpoint(EndpointConfig):
    """The same endpoint settings; `request` goes through a pooled, kept-alive session."""

    def __init__(self, config: EndpointConfig) -> None:
        super().__init__(config.url, config.params, config.headers, config.basic_auth, config.token,
                         config.token_name, config.cafile, **config.kwargs)  # fmt: skip
        self.type = config.type
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}

    def session(self) -> _Borrowed:  # type: ignore[override]
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            basic = self.basic_auth
            auth = aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
            )  # fmt: skip
            self._sessions = {loop: session}  # a new loop (tests, restarts) drops the old one
        return _Borrowed(session)


_kept_alive: dict[int, tuple[EndpointConfig, KeepAliveEndpoint]] = {}


@atexit.register
def _close_pools() -> None:
    """Closes the pooled connections at exit (aiohttp warns of a session left open)."""
    for _, endpoint in _kept_alive.values():
        for session in endpoint._sessions.values():
            if session.connector is not None and not session.closed:
                session.connector._close()


def kept_alive(config: EndpointConfig | None) -> EndpointConfig | None:
    """The kept-alive twin of an action endpoint (one per endpoint object Rasa holds)."""
    if config is None or isinstance(config, KeepAliveEndpoint) or not config.url:
        return config
    known = _kept_alive.get(id(config))
    if known is None or known[0] is not config:
        known = (config, KeepAliveEndpoint(config))
        _kept_alive[id(config)] = known
    return known[1]
