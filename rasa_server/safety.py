"""Red-flag triage inside the Rasa server: it runs on every message, whatever the intent.

`RedFlagDetector` (first in the NLU pipeline, so it reads the whole message before any
truncation) writes the triage of the message into the parse data: the lexicon and the
learned classifier (`actions/core/screening.py`).

`SafetyPolicy` has the highest priority of all policies. On every user turn it adds the
message, and the message read together with the session's earlier messages (a flag split
over two turns: "I'm 79" ... "slipped on the stairs"), to the session's safety state in
the `safety` and `triage` slots, which only ever go up within a session. When the turn
raised a flag, it predicts `action_triage`, in the middle of a form or a guided session
too. A misclassified intent therefore cannot skip the safety answer.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.core.guide_answers import side_answer_without_symptoms
from actions.core.safety import TRIAGE_KEY, SafetyState, remembered_facts, turn_assessment
from actions.core.screening import default_screener, prepare
from rasa_server.input_guard import StatelessComponent

ACTION_TRIAGE = "action_triage"
SLOT_SAFETY, SLOT_TRIAGE = "safety", "triage"
EARLIER_MESSAGES = 3  # earlier user messages of the session read together with the new one


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RedFlagDetector(StatelessComponent):
    """Adds the red-flag triage of each message to its parse data."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        prepare()  # load and validate the lexicon, and the tokenizer, at start-up: not on the first message
        return super().create(config, model_storage, resource, execution_context)

    def process(self, messages: list[Message]) -> list[Message]:
        screener = default_screener()
        for message in messages:
            assessment = screener.candidates(message.get(TEXT) or "")
            message.set(TRIAGE_KEY, assessment.as_dict(), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(Policy):
    """Predicts action_triage for red-flag turns, above every other policy."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}  # RulePolicy is 6

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the lexicon is the model

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource):
            pass

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if tracker.latest_action_name == ACTION_TRIAGE:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0  # the triage answer ends the turn
            return self._prediction(probabilities, is_no_user_prediction=True)
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return self._prediction(probabilities)
        before, after, raised = self._session_state(tracker)
        # Slot events apply whichever policy wins, so every action reads the new state.
        events = [] if after == before else [SlotSet(SLOT_SAFETY, after.as_slot()), SlotSet(SLOT_TRIAGE, after.level)]
        if not raised:
            return self._prediction(probabilities, events=events)
        probabilities[domain.index_for_action(ACTION_TRIAGE)] = 1.0
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)

    @staticmethod
    def _session_state(tracker: DialogueStateTracker) -> tuple[SafetyState, SafetyState, bool]:
        """The session's safety state before and after this turn, and whether the turn
        itself raised a flag (alone, or read together with the session's earlier messages)."""
        remembered = remembered_facts(tracker.get_slot("pregnancy_status"), tracker.get_slot("age"))
        before = SafetyState.from_slots(tracker.get_slot(SLOT_SAFETY), tracker.get_slot(SLOT_TRIAGE), None)
        parse_data = dict(tracker.latest_message.parse_data)
        text = tracker.latest_message.text or ""
        if text.startswith("/"):
            # A button's payload ("/guide_answer{"side":"both"}") carries no symptom; read as
            # words, the classifier took its "side both" for weakness in both legs.
            text = ""
        complaints = _complaints(tracker)
        if side_answer_without_symptoms(text, complaints):
            text = ""  # "both" (sides of the back) is no symptom to read with the earlier messages
        if TRIAGE_KEY not in parse_data:
            # Parse data that did not come through our NLU pipeline (`rasa test core`
            # stories, messages posted with a ready-made intent): triage the text here.
            parse_data[TRIAGE_KEY] = default_screener().candidates(text).as_dict()
        turn = turn_assessment(parse_data, remembered)
        after = before.including(turn)
        earlier = [m for m in _earlier_messages(tracker) if not side_answer_without_symptoms(m, complaints)]
        if earlier and text:
            joined = "\n".join([*earlier, text])
            together = default_screener().candidates(joined, combinations_only=True).resolved(remembered)
            after = after.including(together)
        raised = turn.level != "none" or after.level != before.level
        return before, after, raised


def _complaints(tracker: DialogueStateTracker) -> list[str]:
    value = tracker.get_slot("complaints")
    return [str(c) for c in value] if isinstance(value, list) else []


def _earlier_messages(tracker: DialogueStateTracker) -> list[str]:
    """The texts of the session's user messages before the latest one, oldest first."""
    texts: list[str] = []
    latest_seen = False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if not isinstance(event, UserUttered):
            continue
        if not latest_seen:
            latest_seen = True  # the latest message itself
            continue
        if event.text and not event.text.startswith("/"):  # button payloads carry no symptoms
            texts.append(event.text)
            if len(texts) == EARLIER_MESSAGES:
                break
    return texts[::-1]
