"""GuidePolicy: a running guided session's turns go to action_guide, red flags still win."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.guide_policy import GuidePolicy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> GuidePolicy:
    storage = LocalModelStorage(tmp_path_factory.mktemp("guide-policy"))
    context = ExecutionContext(GraphSchema({}), "test")
    return GuidePolicy.create(GuidePolicy.get_default_config(), storage, Resource("guide"), context)


def predicted(policy: GuidePolicy, domain: Domain, phase: str | None, intent: str, text: str = "x",
              after: str | None = None) -> str | None:  # fmt: skip
    events = [ActionExecuted("action_listen")]
    if phase:
        events.append(SlotSet("guide", {"phase": phase, "points": ["BL23"]}))
    events.append(UserUttered(text, {"name": intent, "confidence": 1.0}))
    if after:
        events.append(ActionExecuted(after))
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if max(prediction.probabilities) == 0:
        return None
    assert prediction.is_no_user_prediction  # overrules RulePolicy; SafetyPolicy's priority is higher
    return domain.action_names_or_texts[prediction.probabilities.index(max(prediction.probabilities))]


def test_answers_go_to_the_session_whatever_the_nlu_read(policy: GuidePolicy, domain: Domain) -> None:
    assert predicted(policy, domain, "ask_severity", "out_of_scope", "banana") == "action_guide"
    assert predicted(policy, domain, "ask_severity", "nlu_fallback", "sevenish") == "action_guide"
    assert predicted(policy, domain, "ask_pregnancy", "affirm", "yes") == "action_guide"
    assert predicted(policy, domain, "step", "next_step", "done") == "action_guide"


def test_digressions_and_no_session_are_left_to_the_rules(policy: GuidePolicy, domain: Domain) -> None:
    assert predicted(policy, domain, "step", "describe_symptom", "my neck hurts too") is None
    assert predicted(policy, domain, "step", "ask_point", "where is LI4") is None
    assert predicted(policy, domain, None, "affirm", "yes") is None
    assert predicted(policy, domain, "paused", "rate_pain", "5") is None
    assert predicted(policy, domain, None, "start_guided_session", "guide me") == "action_guide"


def test_after_the_session_answers_the_bot_listens(policy: GuidePolicy, domain: Domain) -> None:
    assert predicted(policy, domain, "step", "next_step", after="action_guide") == "action_listen"
    assert predicted(policy, domain, "step", "next_step", after="action_triage") is None
