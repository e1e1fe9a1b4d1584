"""End to end over socket.io, as the web widget talks: both real servers, a real websocket."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest

from rasa_server.action_health import ACTIONS_DOWN_REPLY
from tests.support.servers import RasaStack
from tests.support.sio_client import SocketIOUser

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    servers = RasaStack(workdir=Path(tmp_path_factory.mktemp("e2e-sio"))).start()
    yield servers
    servers.stop()


def converse(stack: RasaStack, messages: list[str]) -> list[str]:
    """One widget session: the text of all replies to each message."""

    async def run() -> list[str]:
        user = SocketIOUser(stack.url, uuid.uuid4().hex)
        await user.connect()
        try:
            texts = []
            for message in messages:
                replies = await user.say(message)
                texts.append("\n".join(str(reply.get("text", "")) for reply in replies))
            return texts
        finally:
            await user.close(linger=0)

    return asyncio.run(run())


def test_widget_gets_points_over_socketio(stack: RasaStack) -> None:
    question, points = converse(stack, ["my lower back is stiff", "no"])
    assert "pregnant" in question.lower()
    assert "BL23" in points and "How to press:" in points and "Careful:" in points


def test_action_server_down_gives_the_widget_a_clear_reply(stack: RasaStack) -> None:
    stack.stop("actions")
    time.sleep(1.1)  # past the one-second trust in the last health check
    try:
        (reply,) = converse(stack, ["my lower back is stiff"])
    finally:
        stack.start_actions()
    assert reply == ACTIONS_DOWN_REPLY  # not Rasa's re-prompt, which reads as a misunderstanding
    (question,) = converse(stack, ["my lower back is stiff"])
    assert "pregnant" in question.lower()
