"""End to end, both real servers over REST: what is stored, "forget me", retention, and
logs without sender ids or message text.

The stack starts on a database that already holds a conversation last seen 40 days ago
and one from yesterday, with RETENTION_DAYS=30: the start-up purge must remove the first.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from actions.core import render
from tests.support.servers import RasaStack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600
CARD = re.compile(r"\*\*\d\. (?P<code>[A-Z]{2}\d{1,2}|EX-HN3) ")
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
ASK_FORGET = " ".join(RESPONSES["utter_ask_forget"][0]["text"].split())
CANCELLED = " ".join(RESPONSES["utter_forget_cancelled"][0]["text"].split())


def seed(db: Path) -> None:
    """Two stored conversations, written by the real store, one old and one recent."""
    from rasa.shared.core.domain import Domain

    from rasa_server.tracker_store import WindowedSQLTrackerStore
    from tests.test_privacy import play

    store = WindowedSQLTrackerStore(domain=Domain.load(ROOT / "domain.yml"), dialect="sqlite", db=str(db))
    play(store, "visitor-40-days-ago", 2, at=time.time() - 40 * DAY)
    play(store, "visitor-yesterday", 2, at=time.time() - DAY)
    store.engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    workdir = Path(tmp_path_factory.mktemp("privacy"))
    seed(workdir / "tracker.db")
    servers = RasaStack(workdir=workdir, env={"RETENTION_DAYS": "30", "LOG_HASH_KEY": "e2e-log-key"}).start()
    yield servers
    servers.stop()


def rows(stack: RasaStack, sender: str) -> int:
    engine = sa.create_engine(f"sqlite:///{stack.db}")
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender})
        value = count.scalar()
    engine.dispose()
    return value


def chat(stack: RasaStack, sender: str, text: str) -> tuple[str, list[dict]]:
    response = stack.say(sender, text)
    assert response.status_code == 200, response.text[:300]
    replies = response.json()
    return "\n".join(r.get("text", "") for r in replies), replies


def flat(text: str) -> str:
    return " ".join(text.split())


def buttons(replies: list[dict]) -> list[tuple[str, str]]:
    return [(b["title"], b["payload"]) for r in replies for b in r.get("buttons", [])]


def test_retention_removed_the_old_conversation_at_start_up(stack: RasaStack) -> None:
    deadline = time.monotonic() + 20
    while rows(stack, "visitor-40-days-ago") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert rows(stack, "visitor-40-days-ago") == 0
    assert rows(stack, "visitor-yesterday") == 13  # 3 opening events and 2 turns of 5


def test_what_is_stored_then_forget_me_deletes_it_all(stack: RasaStack) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    text, _ = chat(stack, sender, "my lower back hurts on the left side")
    assert "are you pregnant" in text.lower()
    text, _ = chat(stack, sender, "no")
    codes = CARD.findall(text)
    assert codes[:2] == ["BL23", "BL52"], text[:500]
    text, _ = chat(stack, sender, "what do you know about me")
    today = datetime.now(timezone.utc)
    from actions.shared import CATALOGUE

    titles = [CATALOGUE.get(code).title for code in codes]
    assert text.splitlines() == [
        f"Here is what I have stored about you: 2 messages from you, since {today.day} {today:%B %Y}.",
        "- Where it hurts: lower back pain",
        "- Side: left",
        "- Pregnancy: you told me you are not pregnant",
        "- Points I showed you: " + ", ".join(titles[:-1]) + " and " + titles[-1],
        "I also keep the messages themselves, so I can follow our conversation. "
        'Say "forget me" and I will delete all of it.',
    ]
    assert rows(stack, sender) > 20

    text, replies = chat(stack, sender, "forget me")
    assert flat(text) == ASK_FORGET
    assert buttons(replies) == [("Yes, delete everything", "/affirm"), ("No, keep it", "/deny")]
    text, _ = chat(stack, sender, "/affirm")
    assert text == render.forgotten()
    assert rows(stack, sender) == 0  # the forget turn's own rows too

    text, replies = chat(stack, sender, "hi")  # a new conversation: scope statement first
    assert "can't diagnose" in replies[0]["text"]
    slots = stack.tracker(sender)["slots"]
    assert (slots["pregnancy_status"], slots["recommended_points"], slots["complaints"]) == (None, None, None)
    text, _ = chat(stack, sender, "what do you know about me")
    assert text.splitlines()[:4] == [
        f"Here is what I have stored about you: 1 message from you, since {today.day} {today:%B %Y}.",
        "- Where it hurts: nothing noted",
        "- Pregnancy: not asked or not answered",
        "- Points I showed you: none yet",
    ]


def test_no_keeps_everything(stack: RasaStack) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    chat(stack, sender, "my neck is stiff")
    text, _ = chat(stack, sender, "delete my data")
    assert flat(text) == ASK_FORGET
    stored = rows(stack, sender)
    text, _ = chat(stack, sender, "no")
    assert flat(text) == CANCELLED
    assert rows(stack, sender) > stored
    text, _ = chat(stack, sender, "what do you know about me")
    assert "- Where it hurts: neck pain" in text.splitlines()


@pytest.mark.parametrize(
    "words",
    ["please erase everything about me", "could you wipe what I said", "forget everything we talked about",
     "I'd like you to delete all of my information", "erase this conversation"],
)  # fmt: skip
def test_forget_me_in_other_words_asks_first(stack: RasaStack, words: str) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    chat(stack, sender, "hello")
    text, _ = chat(stack, sender, words)
    assert flat(text) == ASK_FORGET
    assert rows(stack, sender) > 0


@pytest.mark.parametrize("words", ["what have you stored about me?", "what information do you keep on me"])
def test_what_do_you_know_in_other_words(stack: RasaStack, words: str) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    chat(stack, sender, "hello")
    text, _ = chat(stack, sender, words)
    assert text.startswith("Here is what I have stored about you: 1 message from you")


def test_forget_me_during_a_guided_session_question(stack: RasaStack) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    chat(stack, sender, "my lower back is stiff")
    chat(stack, sender, "no")
    text, _ = chat(stack, sender, "/start_guided_session")
    assert "side" in text.lower(), text[:300]  # the session's first question
    text, _ = chat(stack, sender, "forget everything I told you")
    assert flat(text) == ASK_FORGET
    text, _ = chat(stack, sender, "yes")
    assert text == render.forgotten()
    assert rows(stack, sender) == 0


def test_forget_me_while_the_pregnancy_question_waits(stack: RasaStack) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    text, _ = chat(stack, sender, "my lower back is stiff")
    assert "are you pregnant" in text.lower()
    text, _ = chat(stack, sender, "what do you know about me")
    assert "- Where it hurts: lower back pain" in text.splitlines() and "are you pregnant" in text.lower()
    text, _ = chat(stack, sender, "delete my data")
    assert flat(text) == ASK_FORGET
    text, _ = chat(stack, sender, "yes")  # the deletion's yes, not the pregnancy answer
    assert text == render.forgotten()
    assert rows(stack, sender) == 0


def test_logs_hold_neither_sender_ids_nor_message_text(stack: RasaStack) -> None:
    sender = f"log-check-{uuid.uuid4().hex}"
    words = "my upper back aches after gardening on Tuesday"
    chat(stack, sender, words)
    chat(stack, sender, "no")
    stack.tracker(sender)  # the HTTP API, with the id in its path
    chat(stack, sender, "forget me")
    chat(stack, sender, "yes")
    time.sleep(0.5)  # let both servers flush
    rasa_log = (stack.workdir / "rasa.log").read_text()
    actions_log = (stack.workdir / "actions.log").read_text()
    assert " INFO " in rasa_log and "Rasa server is up and running" in rasa_log  # the logs are at INFO
    assert "Action server on http://" in actions_log  # action_server/__main__.py, at INFO
    # The privacy modules log in both processes (so their redaction is installed there).
    assert "rasa_server.privacy  - Forgot a conversation" in rasa_log
    assert "actions.privacy  - Forgot a conversation" in actions_log
    for log in (rasa_log, actions_log):
        assert sender not in log and "log-check-" not in log
        assert words not in log and "gardening" not in log
