"""A minimal Socket.IO (protocol 5, Engine.IO 4) client over a websocket, for Rasa's socketio channel
(the e2e tests and the bench).

Why not python-socketio's AsyncClient: in this venv (python-engineio 4.15.1 with the
aiohttp 3.9.5 Rasa pins) its websocket transport fails with "module aiohttp has no
attribute ClientWSTimeout", so it can only long-poll. A browser widget (socket.io-client 4)
ends up on a websocket, and polling adds a request per batch of replies, so the bench
speaks the protocol directly over `websockets` (installed with Rasa): "0" open, "40" join
the default namespace, "2"/"3" ping/pong, '42["event", data]' events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from time import perf_counter
from typing import Any

import websockets


class SocketIOError(RuntimeError):
    """The socket.io conversation went wrong (handshake, missing or extra replies)."""


class SocketIOUser:
    """One browser-like user: a websocket, a session id (session_persistence), a reply queue."""

    def __init__(self, url: str, session_id: str, socketio_path: str = "/socket.io") -> None:
        base = url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        self.ws_url = f"{base}{socketio_path}/?EIO=4&transport=websocket"
        self.session_id = session_id
        self.replies: asyncio.Queue[tuple[float, Any]] = asyncio.Queue()
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self.stray = 0  # replies that arrived while no turn was waiting for them

    async def connect(self, timeout: float = 30) -> None:
        self._ws = await websockets.connect(self.ws_url, max_size=None, ping_interval=None, open_timeout=timeout)
        opened = await asyncio.wait_for(self._ws.recv(), timeout)
        if not str(opened).startswith("0"):
            raise SocketIOError(f"no Engine.IO open packet: {str(opened)[:100]}")
        await self._ws.send("40")
        joined = await asyncio.wait_for(self._ws.recv(), timeout)
        if not str(joined).startswith("40"):
            raise SocketIOError(f"namespace connect refused: {str(joined)[:100]}")
        await self._emit("session_request", {"session_id": self.session_id})
        while True:  # session_confirm; a ping may come first
            packet = str(await asyncio.wait_for(self._ws.recv(), timeout))
            if packet == "2":
                await self._ws.send("3")
            elif packet.startswith("42") and json.loads(packet[2:])[0] == "session_confirm":
                break
        self._reader = asyncio.create_task(self._read())

    async def _emit(self, event: str, data: dict[str, Any]) -> None:
        await self._ws.send("42" + json.dumps([event, data]))

    async def emit_any(self, event: str, *data: Any) -> None:
        """Send an event with any payload, well-formed or not (the bad-input tests)."""
        await self._ws.send("42" + json.dumps([event, *data]))

    async def send_packet(self, packet: str | bytes) -> None:
        """Send a raw websocket frame (bytes go as a binary frame)."""
        await self._ws.send(packet)

    async def next_reply(self, timeout: float = 30) -> Any:
        _, reply = await asyncio.wait_for(self.replies.get(), timeout)
        return reply

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for packet in self._ws:
                packet = str(packet)
                if packet == "2":
                    await self._ws.send("3")
                elif packet.startswith("42"):
                    event, *args = json.loads(packet[2:])
                    if event == "bot_uttered":
                        self.replies.put_nowait((perf_counter(), args[0] if args else None))

    async def turn(self, text: str, expected: int, timeout: float = 120, quiet: float = 3.0) -> float:
        """Send one message; wait for its `expected` bot_uttered events; return ms to the last one.

        Raises SocketIOError if fewer arrive (after `quiet` seconds without one, or `timeout`)."""
        while not self.replies.empty():
            self.replies.get_nowait()
            self.stray += 1
        began = perf_counter()
        await self._emit("user_uttered", {"message": text, "session_id": self.session_id})
        last, received = began, 0
        deadline = began + timeout
        while received < expected:
            wait = min(deadline - perf_counter(), timeout if received == 0 else quiet)
            try:
                last, _ = await asyncio.wait_for(self.replies.get(), max(wait, 0.001))
            except asyncio.TimeoutError:
                raise SocketIOError(f"{received} of {expected} replies to {text!r}") from None
            received += 1
        return (last - began) * 1000

    async def first_reply_ms(self, text: str, timeout: float = 60, quiet: float = 1.0) -> float:
        """Send one message; ms until its first reply (the rest are awaited and dropped)."""
        while not self.replies.empty():
            self.replies.get_nowait()
        began = perf_counter()
        await self._emit("user_uttered", {"message": text, "session_id": self.session_id})
        first, _ = await asyncio.wait_for(self.replies.get(), timeout)
        with contextlib.suppress(asyncio.TimeoutError):
            while True:
                await asyncio.wait_for(self.replies.get(), quiet)
        return (first - began) * 1000

    async def say(self, text: str, first_timeout: float = 60, quiet: float = 1.0) -> list[Any]:
        """Send one message; every reply until `quiet` seconds pass without one (none: [])."""
        await self._emit("user_uttered", {"message": text, "session_id": self.session_id})
        replies: list[Any] = []
        timeout = first_timeout
        while True:
            try:
                _, reply = await asyncio.wait_for(self.replies.get(), timeout)
            except asyncio.TimeoutError:
                return replies
            replies.append(reply)
            timeout = quiet

    async def close(self, linger: float = 0.3) -> int:
        """Disconnect after `linger` seconds; returns how many replies no turn waited for."""
        await asyncio.sleep(linger)
        self.stray += self.replies.qsize()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.send("41")
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        return self.stray
