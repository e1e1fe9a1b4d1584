"""The trained model understands messages exactly the same with the faster DIET load."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from rasa_server import fast_model_load

pytestmark = pytest.mark.e2e
MODEL = Path(__file__).resolve().parents[2] / "models"
MESSAGES = [
    "my lower back is stiff",
    "sciatica down my left leg, about 7/10",
    "where is LI4?",
    "crick in my neck since tuesday",
    "thanks, bye",
    "can you order me a pizza",
]


def parse_all(agent: Agent) -> list[tuple]:
    results = [asyncio.run(agent.parse_message(text)) for text in MESSAGES]
    return [
        (
            result["intent"]["name"],
            round(result["intent"]["confidence"], 5),
            sorted((e["entity"], e["value"]) for e in result["entities"]),
        )
        for result in results
    ]


def test_fast_load_gives_the_same_understanding(monkeypatch: pytest.MonkeyPatch) -> None:
    assert RasaModel.__dict__["load"].__func__ is fast_model_load.load_without_tracing_training
    fast = parse_all(Agent.load(str(MODEL)))
    monkeypatch.setattr(RasaModel, "load", fast_model_load._original_load)
    original = parse_all(Agent.load(str(MODEL)))
    assert fast == original
    assert fast[0][0] == "describe_symptom"
