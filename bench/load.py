"""Concurrent users over REST and socket.io: turns/s, p50/p95 latency and errors per cell.

Each user repeats one fixed conversation (`Script.load_conversation`) under a new sender
id (a new visitor) until the cell's time is up; every turn is timed. REST users share an
aiohttp session (keep-alive); socket.io users open a websocket per conversation, ask for
a session (session_persistence) and count `bot_uttered` events.

When a socket.io turn ends: the channel has no end-of-turn event, and one turn can emit
many replies. Before the cells, the conversation is sent once over REST and each turn's
replies are converted to the number of socket.io events Rasa emits for them
(client.socketio_events). A socket.io turn ends at its last expected event; fewer events
(3 s of silence) or extra ones (arriving when no turn waits) are counted as errors, so a
wrong count cannot go unnoticed.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import asdict, dataclass, field
from time import perf_counter

import aiohttp

from bench.client import percentile, rest_turn, socketio_events
from tests.support.sio_client import SocketIOUser

TURN_TIMEOUT = 120.0


@dataclass
class Cell:
    bot: str
    channel: str  # "rest" | "socketio"
    users: int
    seconds: float = 0.0  # wall time from the first turn sent to the last reply
    last_reply: float = 0.0  # perf_counter() of the last reply
    samples: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)

    @property
    def turns_per_s(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, float | int | str]:
        return {
            "bot": self.bot, "channel": self.channel, "users": self.users, "turns": len(self.samples),
            "seconds": round(self.seconds, 2), "turns_per_s": round(self.turns_per_s, 2),
            "p50_ms": round(percentile(self.samples, 50), 1), "p95_ms": round(percentile(self.samples, 95), 1),
            "errors": self.errors,
        }  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), **self.summary()}

    def error(self, problem: BaseException | str) -> None:
        self.errors += 1
        if len(self.first_errors) < 5:
            self.first_errors.append(str(problem)[:300] or type(problem).__name__)


def calibrate(url: str, conversation: tuple[str, ...]) -> list[int]:
    """Socket.io events to expect at each turn of `conversation` (from one REST run of it)."""
    sender = f"calibrate-{uuid.uuid4().hex[:8]}"
    return [socketio_events(rest_turn(url, sender, text)[1]) for text in conversation]


async def _rest_user(
    cell: Cell, http: aiohttp.ClientSession, url: str, conversation: tuple[str, ...], deadline: float
) -> None:
    while perf_counter() < deadline:
        sender = f"load-rest-{uuid.uuid4().hex[:10]}"
        for text in conversation:
            if perf_counter() >= deadline:
                return
            began = perf_counter()
            try:
                async with http.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                ) as response:
                    replies = await response.json() if response.status == 200 else None
                    if not replies:
                        raise RuntimeError(f"REST {response.status} to {text!r}: {(await response.text())[:200]}")
                cell.samples.append((perf_counter() - began) * 1000)
                cell.last_reply = max(cell.last_reply, perf_counter())
            except Exception as problem:  # noqa: BLE001 - counted and reported, never hidden
                cell.error(problem)


async def _socketio_user(
    cell: Cell, url: str, conversation: tuple[str, ...], expected: list[int], deadline: float
) -> None:
    while perf_counter() < deadline:
        user = SocketIOUser(url, f"load-sio-{uuid.uuid4().hex[:10]}")
        try:
            await user.connect()
            for text, count in zip(conversation, expected, strict=True):
                if perf_counter() >= deadline:
                    break
                try:
                    cell.samples.append(await user.turn(text, count, timeout=TURN_TIMEOUT))
                    cell.last_reply = max(cell.last_reply, perf_counter())
                except Exception as problem:  # noqa: BLE001 - counted and reported, never hidden
                    cell.error(problem)
        except Exception as problem:  # noqa: BLE001 - a failed connect is an error too
            cell.error(problem)
        finally:
            # After the last conversation, linger (outside the timed span) to catch late replies.
            stray = await user.close(linger=0.5 if perf_counter() >= deadline else 0.0)
            if stray:
                cell.error(f"{stray} socket.io replies arrived that no turn waited for")


def verify_calibration(url: str, conversation: tuple[str, ...], expected: list[int]) -> list[str]:
    """Run the conversation once over socket.io, waiting 0.5 s after each turn's expected replies;
    returns the turns whose reply count differs (empty when the calibration holds)."""

    async def run() -> list[str]:
        user = SocketIOUser(url, f"verify-{uuid.uuid4().hex[:8]}")
        problems = []
        await user.connect()
        try:
            for text, count in zip(conversation, expected, strict=True):
                try:
                    await user.turn(text, count, timeout=TURN_TIMEOUT)
                except Exception as problem:  # noqa: BLE001 - reported to the caller
                    problems.append(f"{text!r}: {problem}")
                await asyncio.sleep(0.5)
                if not user.replies.empty():
                    problems.append(f"{text!r}: {user.replies.qsize()} more replies than the {count} expected")
        finally:
            await user.close(linger=0.0)
        return problems

    return asyncio.run(run())


async def _run(cell: Cell, url: str, conversation: tuple[str, ...], expected: list[int], seconds: float) -> None:
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as http:
        began = perf_counter()
        deadline = began + seconds
        if cell.channel == "rest":
            users = [_rest_user(cell, http, url, conversation, deadline) for _ in range(cell.users)]
        else:
            users = [_socketio_user(cell, url, conversation, expected, deadline) for _ in range(cell.users)]
        await asyncio.gather(*users)
        cell.seconds = (cell.last_reply or perf_counter()) - began


def run_cell(
    bot: str, url: str, channel: str, users: int, seconds: float, conversation: tuple[str, ...], expected: list[int]
) -> Cell:
    """`users` concurrent users on `channel` for about `seconds`; the last turns finish after that."""
    cell = Cell(bot=bot, channel=channel, users=users)
    asyncio.run(_run(cell, url, conversation, expected, seconds))
    return cell


def concurrency(
    bot: str, url: str, conversation: tuple[str, ...], levels: tuple[int, ...], seconds: float, cells: list[dict]
) -> None:
    """Every (channel, users) cell for one bot, REST first, appended to `cells` as dicts as each ends.

    Raises after the REST cells if the socket.io reply counts do not hold."""
    expected = calibrate(url, conversation)
    for channel in ("rest", "socketio"):
        if channel == "socketio":
            problems = verify_calibration(url, conversation, expected)
            if problems:
                raise RuntimeError(f"{bot}: socket.io reply counts differ from REST: {problems}")
        for users in levels:
            cell = run_cell(bot, url, channel, users, seconds, conversation, expected)
            print(f"[bench] {bot} {channel} x{users}: {cell.summary()}", flush=True)
            cells.append(cell.as_dict())
