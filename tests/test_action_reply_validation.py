"""Action server replies are still checked against Rasa's schema, only faster."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_server  # noqa: F401  (installs the validator)
from rasa_server.action_reply_validation import validate_action_reply


def remote_action() -> RemoteAction:
    return RemoteAction("action_recommend_points", action_endpoint=None)


def test_rasa_uses_the_prebuilt_validator() -> None:
    assert RemoteAction._validate_action_result is validate_action_reply


def test_a_valid_reply_passes() -> None:
    reply = {
        "events": [{"event": "slot", "name": "recommended_points", "value": ["BL23"], "timestamp": None}],
        "responses": [{"text": "Press BL23", "buttons": [{"title": "Guide me", "payload": "/start_guided_session"}]}],
    }
    assert remote_action()._validate_action_result(reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"event": "slot", "value": 1}]},  # a slot event without a name
        {"events": "not a list"},
        {"responses": [["not", "an", "object"]]},
    ],
)
def test_a_bad_reply_is_rejected_with_rasas_hint(reply: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action()._validate_action_result(reply)
