"""Sends the turns of a running guided session to `action_guide`.

Which turn belongs to the session is decided in the core (`guide_flow.input_for`), from
the session's phase in the `guide` slot and the intent: while the session waits for an
answer ("how bad is it, 0-10?"), any reply goes to it, whatever the NLU read it as; a
new complaint or a point question is left to its own rule (that action pauses the
session). The prediction is a "no user" prediction so that it overrules RulePolicy, and
SafetyPolicy (also one, with a higher priority) still wins on every red-flag turn.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from actions.core.guide_flow import GuideState, input_for

ACTION_GUIDE = "action_guide"
# A yes or no right after this question answers it (data/rules/privacy.yml), not the session.
ASK_FORGET = "utter_ask_forget"
SLOT_GUIDE = "guide"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class GuidePolicy(Policy):
    """Predicts action_guide for the turns a running guided session answers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 5}  # below SafetyPolicy (7); "no user" predictions overrule RulePolicy (6)

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the state machine is the model

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
        if tracker.latest_action_name == ACTION_GUIDE:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0  # the session's answer ends the turn
            return self._prediction(probabilities, is_no_user_prediction=True)
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return self._prediction(probabilities)
        if _last_bot_action(tracker) == ASK_FORGET:
            return self._prediction(probabilities)
        phase = GuideState.from_slot(tracker.get_slot(SLOT_GUIDE)).phase
        intent = (tracker.latest_message.intent or {}).get("name")
        if input_for(phase, intent, tracker.latest_message.text or "") is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(ACTION_GUIDE)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)


def _last_bot_action(tracker: DialogueStateTracker) -> str | None:
    """The last action before the latest user message, other than action_listen."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None
