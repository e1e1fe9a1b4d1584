"""`LinearIntentClassifier`: the intent classifier of the pipeline (config.yml), without TensorFlow.

Rasa glue around `linear_intent_model.py`: it reads the sentence-level sparse features the
featurizers before it made (bag of words, character n-grams, regex and lookup matches),
fits the model in training and sets `intent` and `intent_ranking` like Rasa's classifiers,
so FallbackClassifier, NoWordsFallback and the policies read it unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_server import linear_intent_model
from rasa_server.linear_intent_model import LinearIntentModel

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent.npz"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Predicts the intent with a linear SVM on tf-idf weighted sparse sentence features."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C=1: held-out intent F1 0.982 at C 1 and 2, 0.967 at 0.5, 0.980 at 5 (config.yml).
        return {"C": 1.0, "balanced": True, "temperature_folds": 5, "random_seed": 0, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearIntentModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as folder:
                model = LinearIntentModel.load(folder / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            # Trained without intent examples: predicts nothing, like Rasa's classifiers.
            logger.warning("LinearIntentClassifier has no trained model; it will predict no intent.")
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            logger.warning("LinearIntentClassifier: no intent examples, nothing trained.")
            return self._resource
        self.model = linear_intent_model.fit(
            sentence_features(examples),
            [m.get(INTENT) for m in examples],
            c=float(self.config["C"]),
            folds=int(self.config["temperature_folds"]),
            seed=int(self.config["random_seed"]),
            balanced=bool(self.config["balanced"]),
        )
        with self._model_storage.write_to(self._resource) as folder:
            self.model.save(folder / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        length = int(self.config["ranking_length"])
        for message, ranking in zip(messages, self.model.rankings(sentence_features(messages)), strict=True):
            entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, entries[:length] if length > 0 else entries, add_to_output=True)
        return messages


def sentence_features(messages: list[Message]) -> sp.csr_matrix:
    """One row per message: the sentence-level sparse features of its text (all featurizers)."""
    rows = []
    for message in messages:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            raise ValueError("LinearIntentClassifier needs a sparse featurizer (CountVectorsFeaturizer) before it")
        rows.append(sp.csr_matrix(sentence.features))
    return sp.vstack(rows).tocsr()
