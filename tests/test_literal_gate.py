"""The literal gate skips only patterns that cannot match: it may never change a result."""

from __future__ import annotations

import re

import pytest
import yaml

from actions.core import literal_gate
from actions.core.literal_gate import LiteralGate, needs_of
from actions.core.paths import ROOT_DIR
from actions.core.triage import RedFlagChecker, default_checker


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"bladder", {"bladder"}),
        (r"\b(?:wee|pee)(?:ing)?\b", {"wee", "pee"}),
        (r"(?:can't|cannot) feel (?:my )?(?:bum|bottom)", {" feel "}),
        (r"numb(?:ness)? (?:down there|in my (?:groin|crotch))", {"down there", "in my "}),
        (r"x+ray", {"ray"}),
    ],
)
def test_every_match_holds_one_of_the_needed_strings(pattern: str, needs: set[str]) -> None:
    assert needs_of(re.compile(pattern)) == needs


@pytest.mark.parametrize("pattern", [r"\w+", r"(?:back)?", r"[a-z]{3} ache|\d+", r"(?i)numb"])
def test_a_pattern_that_needs_no_fixed_string_is_always_tried(pattern: str) -> None:
    patterns = (re.compile(pattern), re.compile("bladder"))
    assert needs_of(patterns[0]) is None
    assert LiteralGate([patterns]).scan("nothing in common").may_match(patterns)


def test_a_set_without_any_needed_string_is_skipped() -> None:
    patterns = (re.compile(r"saddle numb\w*"), re.compile(r"can't feel (?:the )?(?:loo|toilet) paper"))
    gate = LiteralGate([patterns])
    assert not gate.scan("my lower back is stiff after gardening").may_match(patterns)
    assert gate.scan("i can't feel the loo paper").may_match(patterns)
    assert not gate.scan("i can't feel the loo paper").may_match(patterns, within="my back is stiff")


def test_the_string_rarest_in_ordinary_messages_is_the_one_looked_for() -> None:
    pattern = re.compile(r"(?:can't|cannot) get (?:my )?(?:pee|wee) going")
    assert needs_of(pattern) == {" going"}  # by length alone
    ordinary = "i can get better, can i? get well soon. going to the gym, going home"
    assert LiteralGate([(pattern,)], sample=ordinary).each[id(pattern)] == {"pee", "wee"}


def test_only_the_patterns_of_a_set_whose_strings_are_there_are_tried() -> None:
    """A set passes when one pattern needs "my "; the bladder pattern is still not tried."""
    mine, bladder = re.compile(r"(?:wet|soaked) my (?:bed|pants)"), re.compile(r"bladder (?:won't|will not) empty")
    patterns = (mine, bladder)
    scan = LiteralGate([patterns]).scan("i think my lower back is stiff")
    assert scan.may_match(patterns)
    assert scan.viable(patterns) == (mine,)
    assert LiteralGate([patterns]).scan("soaked my bed, my bladder won't empty").viable(patterns) == patterns
    assert LiteralGate([patterns]).scan("a stiff neck").viable(patterns) == ()


def corpus_texts(step: int = 4) -> list[str]:
    texts = []
    for path in sorted((ROOT_DIR / "triage_corpus").glob("*.yml")):
        texts += [str(example["text"]) for example in yaml.safe_load(path.read_text("utf-8"))["examples"]]
    return texts[::step]


def test_the_lexicon_finds_the_same_with_and_without_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over a quarter of the red-flag corpus (positives and hard negatives, ~2,400 messages)."""
    checker = default_checker()
    texts = corpus_texts()
    gated = [checker.candidates(text) for text in texts]
    monkeypatch.setattr(literal_gate.Scan, "may_match", lambda self, patterns, within=None: True)
    monkeypatch.setattr(literal_gate.Scan, "viable", lambda self, patterns, within=None: patterns)
    ungated = RedFlagChecker(checker.lexicon)
    assert len(texts) > 2000
    assert [ungated.candidates(text) for text in texts] == gated
