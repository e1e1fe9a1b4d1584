"""The session start, run inside the Rasa server (rasa_server/session_start.py): the scope
statement, the slots a new session keeps, and nothing from the action server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.actions.action import action_for_name_or_text
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server import session_start

DOMAIN = Domain.from_path(Path(__file__).resolve().parents[1] / "domain.yml")


async def start_new_session(slots: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """(texts sent, slots set) when a conversation with these slots starts a new session."""
    session_start.install()
    events = [SlotSet(name, value) for name, value in slots.items()]
    tracker = DialogueStateTracker.from_events("someone", events, slots=DOMAIN.slots)
    action = action_for_name_or_text(ACTION_SESSION_START_NAME, DOMAIN, None)
    output = CollectingOutputChannel()
    new_events = await action.run(output, TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN)
    assert isinstance(new_events[0], SessionStarted) and new_events[-1] == ActionExecuted("action_listen")
    texts = [e.text or "" for e in new_events if isinstance(e, BotUttered)]
    return texts, {e.key: e.value for e in new_events if isinstance(e, SlotSet)}


async def test_a_new_visitor_gets_the_scope_statement_and_nothing_else() -> None:
    texts, carried = await start_new_session({})
    assert texts == [DOMAIN.responses["utter_scope"][0]["text"]]
    assert carried == {}


async def test_what_the_person_said_about_themselves_is_kept_and_the_old_complaint_is_not() -> None:
    previous = {"pregnancy_status": "pregnant", "age": 34.0, "complaints": ["lower_back"], "severity": 6.0,
                "triage": "urgent", "recommended_points": ["BL23"]}  # fmt: skip
    texts, carried = await start_new_session(previous)
    assert carried == {"pregnancy_status": "pregnant", "age": 34.0}
    assert texts == [DOMAIN.responses["utter_scope"][0]["text"]]


def test_every_carried_slot_is_a_slot_of_the_domain() -> None:
    assert set(session_start.CARRIED_OVER) <= {slot.name for slot in DOMAIN.slots}


def test_the_domain_leaves_the_session_start_to_the_rasa_server() -> None:
    """Listed under `actions`, Rasa would call the action server for it again."""
    assert ACTION_SESSION_START_NAME not in DOMAIN.user_actions
