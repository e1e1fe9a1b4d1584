"""Red-flag triage inside the Rasa server: it runs on every message, whatever the intent.

`RedFlagDetector` (first in the NLU pipeline, so it reads the whole message before any
truncation) writes the triage of the message into the parse data.

`SafetyPolicy` has the highest priority of all policies. When the latest message's
triage, combined with what the conversation already knows (pregnancy, age), is urgent or
an emergency, it predicts `action_triage`, in the middle of a form or a guided session
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
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.core.safety import TRIAGE_KEY, remembered_facts, turn_assessment
from actions.core.triage import default_checker, prepare
from rasa_server.input_guard import StatelessComponent

ACTION_TRIAGE = "action_triage"


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
        checker = default_checker()
        for message in messages:
            assessment = checker.candidates(message.get(TEXT) or "")
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
        action = self._next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    @staticmethod
    def _next_action(tracker: DialogueStateTracker) -> str | None:
        if tracker.latest_action_name == ACTION_TRIAGE:
            return ACTION_LISTEN_NAME  # the triage answer ends the turn
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        remembered = remembered_facts(tracker.get_slot("pregnancy_status"), tracker.get_slot("age"))
        parse_data = dict(tracker.latest_message.parse_data)
        if TRIAGE_KEY not in parse_data:
            # Parse data that did not come through our NLU pipeline (`rasa test core`
            # stories, messages posted with a ready-made intent): triage the text here.
            parse_data[TRIAGE_KEY] = default_checker().candidates(tracker.latest_message.text or "").as_dict()
        assessment = turn_assessment(parse_data, remembered)
        return ACTION_TRIAGE if assessment.level != "none" else None
