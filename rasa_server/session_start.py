"""The start of a conversation session, run inside the Rasa server.

A new visitor's first message used to cost two calls to the action server: one for
`action_session_start` (the scope statement) and one for the answer. Everything the session
start does needs only the domain's responses and the slots already in the tracker, so it is
Rasa's own default action here, extended with what ours did: the scope statement, the slots
a new session keeps, and the offer to restart a guided session the last one left unfinished.
The action server is then called once per turn, as for any other message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rasa.core.actions import action as rasa_actions
from rasa.core.actions.action import ActionSessionStart, create_bot_utterance
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet

from actions.core import render
from actions.core.guide_flow import GuideState
from rasa_server.guide_policy import SLOT_GUIDE

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

# What a new session keeps: what the person told us about themselves (pregnancy, age: the
# points they may be shown depend on it) and which points helped them. The rest (the
# complaint, a guided session's step, the session's triage level) belongs to the session
# that ended.
CARRIED_OVER = ("pregnancy_status", "age", "point_results")
SCOPE_RESPONSE = "utter_scope"
SLOT_PENDING_OFFER = "pending_offer"


def expired_guide_offer(guide_slot: Any) -> dict[str, Any] | None:
    """The message offering to start a guided session again, when the last session ended in
    the middle of one (it is offered again, not resumed: the person may be elsewhere now)."""
    if not GuideState.from_slot(guide_slot).active:
        return None
    buttons = [{"title": title, "payload": payload} for title, payload in render.guide_buttons("no_session", {})]
    # The wording takes no press time; 0 keeps this module free of the action server's settings.
    return {"text": render.guide_text("session_expired", {}, {}, 0), "buttons": buttons}


def carried_over_slots(slots: dict[str, Any]) -> list[SlotSet]:
    return [SlotSet(name, slots[name]) for name in CARRIED_OVER if slots.get(name) is not None]


class ScopedSessionStart(ActionSessionStart):
    """Rasa's session start with our scope statement and carried-over slots."""

    async def run(
        self,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        slots = {name: tracker.get_slot(name) for name in (*CARRIED_OVER, SLOT_GUIDE)}
        events: list[Event] = [SessionStarted(), *carried_over_slots(slots)]
        scope = await nlg.generate(SCOPE_RESPONSE, tracker, output_channel.name())
        if scope:
            events.append(create_bot_utterance({**scope, "utter_action": SCOPE_RESPONSE}))
        offer = expired_guide_offer(slots[SLOT_GUIDE])
        if offer:
            events += [create_bot_utterance(offer), SlotSet(SLOT_PENDING_OFFER, "guided_session")]
        events.append(ActionExecuted(ACTION_LISTEN_NAME))
        return events


_rasa_default_actions = rasa_actions.default_actions


def _default_actions(*args: Any, **kwargs: Any) -> list[rasa_actions.Action]:
    return [
        ScopedSessionStart() if isinstance(action, ActionSessionStart) else action
        for action in _rasa_default_actions(*args, **kwargs)
    ]


def install() -> None:
    """Rasa looks its default actions up through this module function on every use."""
    rasa_actions.default_actions = _default_actions  # type: ignore[assignment]
