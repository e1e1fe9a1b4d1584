"""The answer to "are you pregnant?" is read conservatively: only a clear no unlocks points."""

from __future__ import annotations

import pytest

from actions.core.pregnancy import read_pregnancy_answer
from actions.core.safety import NOT_PREGNANT, POSSIBLY_PREGNANT, PREGNANT
from actions.core.triage import default_checker

CHECK = default_checker()


def answer(text: str, intent: str | None = None) -> str | None:
    return read_pregnancy_answer(text, intent, CHECK.facts_in(text))


@pytest.mark.parametrize(
    "text",
    ["maybe", "maybe later", "not sure", "I might be", "we're trying for a baby", "my period is late",
     "idk tbh", "could be, I haven't done a test", "I don't think so", "possibly?", "no idea",
     "not yet", "no, not as far as I know", "not pregnant yet, we're trying"],
)  # fmt: skip
def test_doubt_counts_as_possibly_pregnant(text: str) -> None:
    # "maybe later" is classified as deny by the NLU: the intent must not unlock anything.
    assert answer(text, intent="deny") == POSSIBLY_PREGNANT


@pytest.mark.parametrize("text", ["no", "Nope.", "nah", "no I'm not", "not pregnant", "I'm a man", "/deny",
                                  "definitely not", "No, I've had a hysterectomy", "not applicable"])  # fmt: skip
def test_a_clear_no(text: str) -> None:
    assert answer(text, intent="deny") == NOT_PREGNANT


@pytest.mark.parametrize("text", ["yes", "/affirm", "I'm 20 weeks", "yes, 12 weeks pregnant"])
def test_yes(text: str) -> None:
    assert answer(text, intent="affirm") == PREGNANT


def test_an_answer_that_says_nothing_is_asked_again() -> None:
    assert answer("what?", intent="out_of_scope") is None
    assert answer("my back hurts", intent="describe_symptom") is None


def test_possible_pregnancy_in_any_message_is_remembered_as_such() -> None:
    facts = CHECK.facts_in("I might be pregnant and my lower back aches")
    assert facts.pregnant is True and facts.pregnancy_possible is True
    facts = CHECK.facts_in("trying for a baby and my back is sore")
    assert facts.pregnant is True and facts.pregnancy_possible is True


@pytest.mark.parametrize(
    "text",
    ["not pregnant yet, but we're trying, and my lower back aches", "I'm not pregnant as far as I know, my back hurts",
     "not pregnant but my period is late and my hips ache"],
)  # fmt: skip
def test_a_no_with_a_doubt_or_a_sign_beside_it_is_possibly_pregnant(text: str) -> None:
    facts = CHECK.facts_in(text)
    assert facts.pregnant is True and facts.pregnancy_possible is True


@pytest.mark.parametrize("text", ["not pregnant, my back hurts", "I'm a man and we're trying for a baby, my back hurts",
                                  "we're trying to fix my posture, my back hurts"])  # fmt: skip
def test_a_plain_no_or_a_man_stays_not_pregnant(text: str) -> None:
    assert CHECK.facts_in(text).pregnant is not True
