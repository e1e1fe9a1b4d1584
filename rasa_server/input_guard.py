"""NLU components that keep odd input from reaching the model as a confident guess.

`LongMessageGuard` (first in the pipeline) cuts very long messages before tokenising:
a 50 kB message would otherwise cost DIET's transformer tens of seconds. It records
the original length in the parse data as `truncated_from` so the answer can say so.

`NoWordsFallback` (after FallbackClassifier) turns messages with no letters or digits
("?!", emoji only), or only letters run together past any word's length ("aaaa…"), into
`nlu_fallback`, because any intent DIET picks for them is noise.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.core.text_limits import MAX_MESSAGE_CHARS, has_plausible_words, truncate

TRUNCATED_FROM = "truncated_from"


class StatelessComponent(GraphComponent):
    """A pipeline component with nothing to train or persist."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LongMessageGuard(StatelessComponent):
    """Cuts messages longer than `max_chars` before any other component sees them."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_chars": MAX_MESSAGE_CHARS}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            short = truncate(text, self.config["max_chars"])
            if short != text:
                message.set(TEXT, short, add_to_output=True)
                message.set(TRUNCATED_FROM, len(text), add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsFallback(StatelessComponent):
    """Predicts `nlu_fallback` for messages without a single word: no letter or digit, or
    only "words" longer than anyone types ("aaaa…")."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if has_plausible_words(message.get(TEXT) or ""):
                continue
            fallback = {"name": "nlu_fallback", "confidence": 1.0}
            message.set(INTENT, fallback, add_to_output=True)
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
        return messages
