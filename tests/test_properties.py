"""Property-based: random text (any Unicode, control characters, lone surrogates cleaned as
the channels clean them, and mixtures with the words the bot knows) through the Rasa
server's own NLU components and the actions with their pure core. Nothing may raise, and
every message must end with something said (or, for points that need it, the pregnancy
question asked next). The trained NLU gets the same over REST in tests/e2e/test_hardening.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher

from actions.core.catalogue import default_catalogue
from actions.core.safety import TRIAGE_KEY
from actions.core.screening import default_screener
from actions.core.text_limits import MAX_MESSAGE_CHARS, clean_text, has_words
from actions.core.vocabulary import default_vocabulary
from actions.point_info import ActionDescribePoint
from actions.recommend import ActionRecommendPoints
from actions.triage import ActionTriage
from rasa_server.input_guard import LongMessageGuard, NoWordsFallback
from rasa_server.safety import RedFlagDetector

VOCABULARY = default_vocabulary()
KNOWN_WORDS = sorted(
    {w for c in VOCABULARY.complaints.values() for w in (c.name.replace("_", " "), *c.synonyms)}
    | set(default_catalogue().points)
    | {"numb", "wipe", "bladder", "both legs", "30 weeks pregnant", "9/10", "for 3 weeks", "fever", "cancer", "fell"}
)
ENTITY_NAMES = ("body_area", "concern", "sensation", "side", "severity", "duration", "point")
# make_tracker builds a new tracker on every call, so sharing the fixture between examples is safe.
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

# Any Unicode (surrogates included, as a JSON body's \ud800 escapes bring them), and
# sentences of known words mixed with noise, which reach the deeper branches.
raw_text = st.text(st.characters(), max_size=400)
mixed_text = st.lists(st.one_of(st.sampled_from(KNOWN_WORDS), st.text(max_size=8)), max_size=25).map(" ".join)
any_text = st.one_of(raw_text, mixed_text, st.just(""), st.text(" \t\n\x00\x1b", max_size=20))


@st.composite
def entities(draw: st.DrawFn, text: str) -> list[dict[str, Any]]:
    """Entities as DIET might give them: known or odd values, spans that may not fit the text."""
    found = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(-3, len(text) + 3))
        end = draw(st.integers(-3, len(text) + 3))
        value = draw(st.one_of(st.sampled_from(KNOWN_WORDS), st.text(max_size=10), st.none()))
        found.append({"entity": draw(st.sampled_from(ENTITY_NAMES)), "value": value, "start": start, "end": end})
    return found


def parse(text: str) -> Message:
    """The message through the server's components in pipeline order (no trained model)."""
    message = Message(data={TEXT: text})
    RedFlagDetector({}).process([message])
    LongMessageGuard({"max_chars": MAX_MESSAGE_CHARS}).process([message])
    NoWordsFallback({}).process([message])
    return message


@SETTINGS
@given(text=any_text)
def test_the_nlu_components_take_any_text(text: str) -> None:
    text = clean_text(text)
    message = parse(text)
    assert len(message.get(TEXT)) <= MAX_MESSAGE_CHARS
    assert isinstance(message.get(TRIAGE_KEY), dict)
    if not has_words(text):
        assert message.get(INTENT)["name"] == "nlu_fallback"


def said(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


@SETTINGS
@given(
    data=st.data(),
    text=any_text,
    intent=st.sampled_from(["describe_symptom", "ask_point", "nlu_fallback"]),
    pregnancy=st.sampled_from([None, "not_pregnant", "pregnant", "possibly_pregnant"]),
)
def test_the_actions_answer_any_text(
    make_tracker, domain, data: st.DataObject, text: str, intent: str, pregnancy: str | None
) -> None:
    text = clean_text(text)
    found = data.draw(entities(text))
    triage = default_screener().candidates(text).as_dict()
    tracker = make_tracker(text=text, intent=intent, entities=found, slots={"pregnancy_status": pregnancy})
    tracker.latest_message[TRIAGE_KEY] = triage  # what RedFlagDetector adds in the Rasa server
    level = triage.get("level", "none") if isinstance(triage, dict) else "none"
    actions = [ActionTriage()] if level != "none" else []
    actions.append(ActionDescribePoint() if intent == "ask_point" else ActionRecommendPoints())
    for action in actions:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain))
        asks_pregnancy = any(e.get("name") == "pregnancy_check_needed" and e.get("value") for e in events)
        assert any(t.strip() for t in said(dispatcher)) or asks_pregnancy, (action.name(), text[:80])
        assert all(isinstance(t, str) for t in said(dispatcher))


def test_the_properties_reach_the_deep_branches(make_tracker, domain) -> None:
    """The mixed strategy is only useful if it gets past the 'where does it hurt?' branch."""
    dispatcher = CollectingDispatcher()
    neck = [{"entity": "body_area", "value": "neck"}]
    tracker = make_tracker(
        text="no numbness, my neck is stiff", entities=neck, slots={"pregnancy_status": "not_pregnant"}
    )
    tracker.latest_message[TRIAGE_KEY] = default_screener().candidates("no numbness, my neck is stiff").as_dict()
    asyncio.run(ActionRecommendPoints().run(dispatcher, tracker, domain))
    assert any("**1." in t for t in said(dispatcher)), said(dispatcher)
