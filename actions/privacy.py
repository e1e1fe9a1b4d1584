"""Privacy actions: "what do you know about me" and a confirmed "forget me".

Both read the tracker store's database (actions/privacy_store.py): the tracker Rasa sends
an action holds only the conversation's last turns (rasa_server/tracker_store.py), and
what matters to the person is everything stored. The Rasa server removes the forget turn's
own rows and its cached window when it saves the turn (rasa_server/privacy.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, ReminderCancelled
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import privacy_store
from actions.core import render
from actions.core.privacy import ACTION_FORGET, REDACTOR, StoredSummary, install_log_redaction, summarise
from actions.shared import CATALOGUE, VOCABULARY

logger = logging.getLogger(__name__)


def _date(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    day = datetime.fromtimestamp(timestamp, timezone.utc)
    return f"{day.day} {day:%B %Y}"


def _point_title(code: str) -> str:
    point = CATALOGUE.get(code)
    return point.title if point else code


def summary_text(summary: StoredSummary) -> str:
    """The summary in the assistant's words (render.stored_summary) with plain names."""
    results = [
        (_point_title(code), int(counts.get("helped") or 0), int(counts.get("not_helped") or 0))
        for code, counts in summary.results.items()
        if isinstance(counts, dict) and (counts.get("helped") or counts.get("not_helped"))
    ]
    return render.stored_summary(
        messages=summary.messages, since=_date(summary.since),
        areas=[VOCABULARY.label(c) for c in summary.complaints], sides=summary.sides,
        pregnancy=summary.pregnancy, points=[_point_title(c) for c in summary.points], results=results,
        safety=summary.safety,
    )  # fmt: skip


class ActionWhatYouKnow(Action):
    """Lists, in plain words, what the tracker store holds about this person."""

    def name(self) -> str:
        return "action_what_you_know"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            with privacy_store.engine_from_endpoints().connect() as connection:
                events = privacy_store.stored_events(connection, tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("Could not read the stored conversation for a summary")
            events = list(tracker.events)  # at least what this turn's tracker holds
        summary = summarise(events, side_of=lambda words: VOCABULARY.side(words) or words)
        dispatcher.utter_message(text=summary_text(summary))
        return []


class ActionForgetMe(Action):
    """Deletes everything stored about this person, once they confirmed; says so plainly."""

    def name(self) -> str:
        return ACTION_FORGET

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            with privacy_store.engine_from_endpoints().begin() as connection:
                deleted = privacy_store.delete_sender(connection, tracker.sender_id)
        except SQLAlchemyError:
            logger.exception("Could not delete a conversation")
            dispatcher.utter_message(text=render.forget_failed())
            return []
        logger.info("Forgot a conversation at the person's request: %d rows deleted", deleted)
        dispatcher.utter_message(text=render.forgotten())
        # AllSlotsReset empties this turn's slots and tells the Rasa server's tracker store to
        # delete the turn's own rows when it saves them; no reminder (guided timer) survives.
        return [ReminderCancelled(), AllSlotsReset()]


def _install_redaction() -> None:
    """This process's log lines never carry a sender id or a message's text (keyed hash)."""
    install_log_redaction(REDACTOR)
    original = ActionExecutor.run
    if getattr(original, "_privacy_wrapped", False):
        return

    async def run(self: ActionExecutor, action_call: dict[str, Any]) -> Any:
        tracker = action_call.get("tracker") or {}
        REDACTOR.register(action_call.get("sender_id"), (tracker.get("latest_message") or {}).get("text"))
        return await original(self, action_call)

    run._privacy_wrapped = True  # type: ignore[attr-defined]
    ActionExecutor.run = run  # type: ignore[method-assign]


_install_redaction()
