"""No NLU test message is a training message in other words: within a few edits of one.

A test split that repeats its training data word for word (or with a typo fixed) measures
memory, not understanding. The held-out split's near copies are listed when found; the
blind set's are only counted, so that it stays blind.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING = sorted((ROOT / "data" / "nlu").glob("*.yml"))
HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu.yml"
BLIND = ROOT / "tests" / "nlu" / "blind_nlu.yml"
BLIND_2 = ROOT / "tests" / "nlu" / "blind2_nlu.yml"  # the second set, watched while tuning
BLIND_3 = ROOT / "tests" / "nlu" / "blind3_nlu.yml"  # the third, scored once on 2026-12-03
BLIND_4 = ROOT / "tests" / "nlu" / "blind4_nlu.yml"  # the fresh set (scripts/nlu_blind_report.py)
# Two messages this similar (difflib's ratio on lower-cased words) differ by a few edits:
# "my lower back is stiff" vs "my lower back is so stiff" is 0.94.
NEAR_COPY = 0.9
# One- and two-word messages ("bye", "yes please") have few other wordings; a test of
# those says nothing about memory, so the check starts at three words.
MIN_WORDS = 3
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def plain(example: str) -> str:
    """The message a person typed: annotations removed, lower case, words only."""
    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), example)
    return " ".join(re.findall(r"[\w']+", text.lower()))


def messages(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in data.get("nlu") or []:
        if "intent" in block and isinstance(block.get("examples"), str):
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append(plain(line[2:]))
    return [m for m in found if len(m.split()) >= MIN_WORDS]


def near_copies(tests: list[str], training: list[str]) -> list[tuple[str, str]]:
    pairs = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for test in tests:
        matcher.set_seq2(test)
        for train in training:
            if abs(len(train) - len(test)) > 0.2 * max(len(test), 1) + 3:
                continue  # too different in length to be within a few edits
            matcher.set_seq1(train)
            # the quick upper bounds first: ratio() is the slow one
            close = matcher.real_quick_ratio() >= NEAR_COPY and matcher.quick_ratio() >= NEAR_COPY
            if close and matcher.ratio() >= NEAR_COPY:
                pairs.append((test, train))
                break
    return pairs


@pytest.fixture(scope="module")
def training() -> list[str]:
    return [m for path in TRAINING for m in messages(path)]


def test_the_checker_catches_a_near_copy_and_lets_a_new_message_pass() -> None:
    assert near_copies(["my lower back is so stiff"], ["my lower back is stiff"])
    assert not near_copies(["exam stress has my back in knots"], ["my lower back is stiff"])


def test_the_held_out_split_has_no_near_copy_of_a_training_message(training: list[str]) -> None:
    leaks = near_copies(messages(HELD_OUT), training)
    assert not leaks, "\n".join(f"{test!r} ~ {train!r}" for test, train in leaks)


def test_the_blind_set_has_no_near_copy_of_a_training_message(training: list[str]) -> None:
    blind = messages(BLIND)
    assert len(blind) >= 350  # of its 498 messages, those of three words or more
    count = len(near_copies(blind, training))
    assert count == 0, f"{count} blind messages are near copies of training data (not shown: it is blind)"


def test_the_second_blind_set_has_no_near_copy_of_a_training_message(training: list[str]) -> None:
    blind = messages(BLIND_2)
    assert len(blind) >= 400
    count = len(near_copies(blind, training))
    assert count == 0, f"{count} blind messages are near copies of training data (not shown: it is blind)"


def test_the_third_blind_set_has_no_near_copy_of_a_training_message(training: list[str]) -> None:
    # 65 of its messages were near copies of training messages when it came in (2026-12-03)
    # and were dropped unread
    blind = messages(BLIND_3)
    assert len(blind) >= 250
    count = len(near_copies(blind, training))
    assert count == 0, f"{count} blind messages are near copies of training data (not shown: it is blind)"


def test_the_fresh_blind_set_has_no_near_copy_of_a_training_message(training: list[str]) -> None:
    # 65 of its 450 messages were near copies of training messages when it came in (2026-12-04)
    # and were dropped unread
    blind = messages(BLIND_4)
    assert len(blind) >= 300
    count = len(near_copies(blind, training))
    assert count == 0, f"{count} blind messages are near copies of training data (not shown: it is blind)"
