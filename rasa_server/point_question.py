"""NLU component: a question that names a point by its code or Chinese name is `ask_point`.

The intent classifier read "is HT7 any good for sleep?" as a symptom description and "how
many times a day can I do BL40?" as out of scope (development set, 2026-12-03): the
complaint or the odd word outweighed the point. The pure test is
`actions.core.point_question.is_point_question`; this component only applies it to the
intents that such questions were mistaken for. It runs after FallbackClassifier, so an
unsure reading of a point question is answered about the point too.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.core.catalogue import default_catalogue
from actions.core.point_question import is_point_question
from rasa_server.input_guard import StatelessComponent

# What a point question was read as; any other intent ("more points besides LI4", "guide
# me through LI4") is left as the classifier said.
MISREAD_AS = ("describe_symptom", "out_of_scope", "help", "nlu_fallback")
ASK_POINT = "ask_point"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PointQuestionIntent(StatelessComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process(self, messages: list[Message]) -> list[Message]:
        catalogue = default_catalogue()
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") not in MISREAD_AS or not is_point_question(message.get(TEXT) or "", catalogue):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            confidence = next((r.get("confidence", 0.0) for r in ranking if r.get("name") == ASK_POINT), 0.0)
            chosen = {"name": ASK_POINT, "confidence": max(float(confidence), float(intent.get("confidence") or 0.0))}
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *(r for r in ranking if r.get("name") != ASK_POINT)],
                        add_to_output=True)  # fmt: skip
        return messages
