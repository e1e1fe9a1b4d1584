"""Shared fixtures: the real domain, a dispatcher, and a tracker factory for actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


@pytest.fixture
def make_tracker(domain: dict[str, Any]):
    """Build a tracker whose latest message has the given text, intent and entities."""

    def _make(
        text: str = "",
        intent: str = "describe_symptom",
        entities: list[dict[str, Any]] | None = None,
        slots: dict[str, Any] | None = None,
        channel: str = "rest",
    ) -> Tracker:
        all_slots = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
        all_slots.update(slots or {})
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        }
        return Tracker(
            sender_id="test-user",
            slots=all_slots,
            latest_message=latest,
            events=[{"event": "user", "text": text, "input_channel": channel, "parse_data": latest}],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return _make
