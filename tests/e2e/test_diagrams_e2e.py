"""End to end: point diagrams in the replies of both real servers, over REST and socket.io."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from actions.core.catalogue import default_catalogue
from actions.core.diagrams import URL_PATH, diagram_file
from tests.support.servers import RasaStack
from tests.support.sio_client import SocketIOUser

pytestmark = pytest.mark.e2e
PUBLIC_URL = "http://diagrams.e2e.test:8123"  # what a deployment sets; the servers must use it
CATALOGUE = default_catalogue()
CARD = re.compile(r"^\*\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    servers = RasaStack(workdir=Path(tmp_path_factory.mktemp("e2e-diagrams")), env={"ACU_PUBLIC_URL": PUBLIC_URL})
    servers.start()
    yield servers
    servers.stop()


def chat(stack: RasaStack, sender: str, text: str) -> list[dict]:
    response = stack.say(sender, text)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def shown_codes(replies: list[dict]) -> list[str]:
    return [m.group("code") for r in replies if (m := CARD.match(r.get("text") or ""))]


def diagrams_in(replies: list[dict]) -> list[tuple[dict, dict]]:
    """(custom, image) reply pairs: REST sends a diagram's alt text, then its image."""
    pairs = []
    for i, reply in enumerate(replies):
        if "image" in reply:
            assert i > 0 and replies[i - 1].get("custom", {}).get("type") == "diagram", replies[i - 1]
            pairs.append((replies[i - 1]["custom"], reply))
    return pairs


def test_a_recommendation_over_rest_carries_one_diagram_per_shown_point(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    chat(stack, sender, "my lower back is stiff")
    replies = chat(stack, sender, "no")  # not pregnant: the back points may be shown
    codes = shown_codes(replies)
    pairs = diagrams_in(replies)
    assert len(codes) == 3 and [custom["code"] for custom, _ in pairs] == codes
    assert stack.tracker(sender)["slots"]["recommended_points"] == codes
    for custom, image in pairs:
        code = custom["code"]
        assert image["image"] == custom["src"] == f"{PUBLIC_URL}/diagrams/{code}.png"
        assert custom["alt"] == CATALOGUE.points[code].location
        # The URL's path names the file the web server serves from build/diagrams.
        path = urlparse(image["image"]).path
        assert path.startswith(URL_PATH)
        with Image.open(diagram_file(Path(path).stem)) as png:
            assert png.format == "PNG" and png.size[0] > 0
    # Text-only channels keep the "where it is" text of every point.
    assert all(f"Where: {CATALOGUE.points[c].location}" in "\n".join(r.get("text") or "" for r in replies)
               for c in codes)  # fmt: skip


def test_points_held_back_in_pregnancy_get_no_diagram(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    chat(stack, sender, "my lower back is stiff")
    replies = chat(stack, sender, "yes I'm pregnant")
    codes = [custom["code"] for custom, _ in diagrams_in(replies)]
    assert codes == shown_codes(replies) and len(codes) == 3, codes
    assert all(CATALOGUE.points[c].pregnancy == "ok" for c in codes)  # BL23, BL52... left out, no picture
    assert "left out" in " ".join(r.get("text") or "" for r in replies)


def test_an_emergency_gets_no_points_and_no_diagrams(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    replies = chat(stack, sender, "my back hurts and I suddenly can't control my bladder and I'm numb down there")
    assert not diagrams_in(replies) and not shown_codes(replies)
    assert "emergency" in " ".join(r.get("text") or "" for r in replies).lower()
    later = chat(stack, sender, "where is LI4?")
    assert not diagrams_in(later)


def test_a_point_question_and_a_guided_step_carry_the_diagram(stack: RasaStack) -> None:
    sender = uuid.uuid4().hex
    replies = chat(stack, sender, "where is LI4?")
    assert [c["code"] for c, _ in diagrams_in(replies)] == ["LI4"]
    chat(stack, sender, "my neck is stiff")
    points = chat(stack, sender, "no")
    first = shown_codes(points)[0]
    step = chat(stack, sender, "/start_guided_session")
    # The session asks what it does not know yet (side, pain score, one safety question)
    # before its first step: answer until the step comes.
    for _ in range(4):
        asked = " ".join(str(r.get("text") or "") for r in step)
        if diagrams_in(step):
            break
        answer = "both" if "Which side" in asked else "5" if "0 to 10" in asked else "no"
        step = chat(stack, sender, answer)
    assert [c["code"] for c, _ in diagrams_in(step)] == [first]
    assert step[-1].get("buttons"), "the step's buttons stay on the last message"


def test_socketio_gets_each_diagram_as_an_image_attachment_with_alt_text(stack: RasaStack) -> None:
    async def run() -> list:
        user = SocketIOUser(stack.url, uuid.uuid4().hex)
        await user.connect()
        try:
            await user.say("my lower back is stiff")
            return await user.say("no")
        finally:
            await user.close(linger=0)

    replies = asyncio.run(run())
    texts = "\n".join(str(r.get("text", "")) for r in replies)
    images = [r for r in replies if (r.get("attachment") or {}).get("type") == "image"]
    assert "BL23" in texts and len(images) == 3
    assert not [r for r in replies if "custom" in r]  # one event per diagram: the attachment carries the alt text
    for reply in images:
        payload = reply["attachment"]["payload"]
        assert payload["src"] == f"{PUBLIC_URL}/diagrams/{payload['code']}.png"
        assert payload["alt"] == CATALOGUE.points[payload["code"]].location
