"""What every channel does around a turn when things go wrong (rasa_server/channel_turn.py,
action_calls.py, action_server/guard.py), with a real hanging HTTP server for the timeout."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from action_server.guard import SECRET_HEADER, action_secret, allowed, bind_host, endpoint_headers
from actions.core.text_limits import clean_text
from rasa_server import action_calls, channel_turn, rate_limit
from rasa_server.action_health import ACTIONS_DOWN_REPLY, TRY_AGAIN_REPLY
from rasa_server.rate_limit import RATE_LIMITED_REPLY, RateSettings, SenderRateLimiter


def texts(output: CollectingOutputChannel) -> list[str]:
    return [m.get("text") for m in output.messages]


async def turn(handler, text: str = "my neck is stiff", sender: str = "s1") -> tuple[int, list[str]]:
    output = CollectingOutputChannel()
    count = await channel_turn.run_turn(handler, UserMessage(text, output, sender, input_channel="rest"), None)
    return count, texts(output)


@pytest.fixture(autouse=True)
def unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rate_limit, "_limiter", SenderRateLimiter(RateSettings(per_minute=0)))


async def test_a_failed_action_call_gives_the_actions_down_reply_not_what_rasa_guessed_next() -> None:
    async def handler(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "Hello!"})  # before the failure: kept
        action_calls.turn_state().action_failed = True  # what the wrapped RemoteAction.run records
        await message.output_channel.send_response(message.sender_id, {"text": "Sorry, I didn't quite catch that."})

    assert await turn(handler) == (1, ["Hello!", ACTIONS_DOWN_REPLY])


async def test_a_silent_turn_and_a_crashed_turn_get_try_again() -> None:
    async def silent(message: UserMessage) -> None:
        return None

    async def crash(message: UserMessage) -> None:
        raise RuntimeError("boom")

    assert await turn(silent) == (1, [TRY_AGAIN_REPLY])
    assert await turn(crash) == (1, [TRY_AGAIN_REPLY])


async def test_a_sender_over_its_limit_gets_the_limiter_reply_and_no_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rate_limit, "_limiter", SenderRateLimiter(RateSettings(per_minute=60, burst=2)))
    seen: list[str] = []

    async def handler(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    results = [await turn(handler, f"m{i}") for i in range(4)]
    assert results == [(1, ["ok"]), (1, ["ok"]), (0, [RATE_LIMITED_REPLY]), (0, [RATE_LIMITED_REPLY])]
    assert seen == ["m0", "m1"]
    assert await turn(handler, "other", sender="s2") == (1, ["ok"])  # another sender is not affected


async def test_the_text_reaches_rasa_cleaned() -> None:
    seen: list[str] = []

    async def handler(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    await turn(handler, "neck\x00 pain\x1b[31m\ud800")
    assert seen == ["neck pain[31m\ufffd"]
    seen[0].encode("utf-8")  # storable


@pytest.mark.parametrize(
    "raw,clean",
    [("a\tb\nc", "a\tb\nc"), ("a\x00b\x07c\x7f\x85", "abc"), ("\udcff", "\ufffd"), ("🙂 <b>x</b>", "🙂 <b>x</b>")],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_the_action_timeout_must_end_inside_the_conversation_lock() -> None:
    assert action_calls.action_timeout({}, lock_lifetime=60) == 10
    assert action_calls.action_timeout({"ACTION_TIMEOUT_SECONDS": "5"}, lock_lifetime=60) == 5
    for bad in ("30", "0", "-1", "soon"):
        with pytest.raises(ValueError, match="ACTION_TIMEOUT_SECONDS"):
            action_calls.action_timeout({"ACTION_TIMEOUT_SECONDS": bad}, lock_lifetime=60)


async def test_a_hung_action_server_is_cut_off_at_the_timeout_and_the_turn_skips_later_calls(
    unused_tcp_port: int,
) -> None:
    calls = 0

    async def hang(request: web.Request) -> web.Response:
        nonlocal calls
        calls += 1
        await asyncio.sleep(30)
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/webhook", hang)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    try:
        action_calls.install({"ACTION_TIMEOUT_SECONDS": "0.5"})
        action = RemoteAction("action_recommend", EndpointConfig(f"http://127.0.0.1:{unused_tcp_port}/webhook"))
        tracker, domain = DialogueStateTracker("s", []), Domain.empty()
        state = action_calls.begin_turn()
        began = time.monotonic()
        with pytest.raises(Exception, match="timed out after 0.5 s"):
            await action.run(CollectingOutputChannel(), None, tracker, domain)
        assert time.monotonic() - began < 5 and state.action_failed
        with pytest.raises(Exception, match="already failed this turn"):
            await action.run(CollectingOutputChannel(), None, tracker, domain)
        assert calls == 1  # the second call never reached the server
    finally:
        action_calls.install({})
        await runner.cleanup()


def test_the_action_server_guard() -> None:
    secret = "s" * 20
    assert allowed("/webhook", None, None)  # no secret configured: open, as rasa-sdk is
    assert not allowed("/webhook", None, secret) and not allowed("/webhook", "wrong", secret)
    assert not allowed("/actions", "s" * 19, secret)
    assert allowed("/webhook", secret, secret) and allowed("/health", None, secret)
    assert bind_host({}) == "127.0.0.1" and bind_host({"ACTIONS_HOST": "10.0.0.5"}) == "10.0.0.5"
    assert action_secret({}) is None
    with pytest.raises(ValueError, match="at least 16"):
        action_secret({"ACTION_SERVER_SECRET": "short"})
    # endpoints.yml gets a placeholder Rasa fills in from its environment, never the value.
    assert endpoint_headers({"ACTION_SERVER_SECRET": secret}) == {SECRET_HEADER: "${ACTION_SERVER_SECRET}"}
    assert endpoint_headers({}) == {}


async def test_a_red_flag_in_a_failed_turn_still_gets_the_emergency_advice_and_nothing_else() -> None:
    async def handler(message: UserMessage) -> None:
        action_calls.turn_state().action_failed = True  # action_triage could not run

    count, said = await turn(handler, "my back hurts and I can't feel anything when I wipe")
    assert said[0].startswith("🚨 **Please call") and ACTIONS_DOWN_REPLY not in said and count == len(said)
    assert not any("**1." in line for line in said)  # no points


async def test_an_urgent_flag_in_a_silent_turn_puts_the_doctor_first() -> None:
    async def silent(message: UserMessage) -> None:
        return None

    _, said = await turn(silent, "I had breast cancer a few years ago and now my neck aches")
    assert said[0].startswith("⚠️ **Please see a doctor today") and said[1:] == [TRY_AGAIN_REPLY]
