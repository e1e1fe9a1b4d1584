"""Severity, duration and the request read from parse data."""

from __future__ import annotations

import pytest

from actions.core.request import read_request
from actions.core.symptoms import duration_days, severity_of
from actions.core.vocabulary import default_vocabulary
from tests.conftest import entity


@pytest.mark.parametrize(
    "said,score",
    [("8/10", 8), ("about 7 out of 10", 7), ("unbearable", 9), ("the worst pain ever", 10),
     ("excruciating", 9), ("mild", 2), ("a 3/10 niggle", 3), ("9 from 10", 9), ("8 of 10", 8),
     ("seven out of ten", 7), ("seven", 7), ("honestly it's off the charts", 10),
     ("I can't take it anymore", 9), ("it's killing me", 8), ("can barely walk with it", 8),
     ("hurts so bad", 7)],
)  # fmt: skip
def test_severity(said: str, score: int) -> None:
    assert severity_of([said]).score == score


def test_no_severity_when_none_is_said() -> None:
    assert severity_of(["my lower back is stiff"]) is None
    assert severity_of(["I've had it for seven weeks"]) is None  # a count, not a score


def test_a_broken_severity_file_names_the_level(tmp_path) -> None:
    from actions.core.errors import DataFileError
    from actions.core.symptoms import severity_words

    broken = tmp_path / "severity_words.yml"
    broken.write_text("levels:\n  12: [agony]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="levels.12"):
        severity_words(broken)


@pytest.mark.parametrize("said,days", [("3 weeks", 21), ("for months", 60), ("two years", 730), ("a few days", 3)])
def test_duration(said: str, days: int) -> None:
    assert duration_days([said]) == days


def test_request_uses_entities_and_normalises_them() -> None:
    parse = {
        "text": "sciatica down my left leg, 8/10",
        "entities": [entity("body_area", "sciatica"), entity("side", "left"), entity("severity", "8/10")],
    }
    request = read_request(parse, default_vocabulary())
    assert request.complaints == ("sciatica",)
    assert request.sides == ("left",)
    assert request.severity.score == 8


def test_request_falls_back_to_the_text_when_the_nlu_missed_the_area() -> None:
    request = read_request({"text": "my lumbar region is so stiff", "entities": []}, default_vocabulary())
    assert request.complaints == ("lower_back",)
    assert "stiff" in request.sensations


def test_uncovered_area_is_reported_not_mapped() -> None:
    request = read_request({"text": "my elbow hurts", "entities": [entity("body_area", "elbow")]}, default_vocabulary())
    assert request.complaints == () and request.uncovered == ("elbow",)


def test_pregnancy_weeks_are_not_a_pain_duration() -> None:
    assert duration_days(["I'm 30 weeks pregnant and my lower back aches"]) is None
    assert duration_days(["20 weeks pregnant, back pain for 2 weeks"]) == 14


@pytest.mark.parametrize(
    "text,entities",
    [
        ("trouble falling asleep, any pressure points?", [{"entity": "body_area", "value": "ankle_foot",
                                                          "start": 17, "end": 23}]),
        ("stressed and tired and achy all over", []),
        ("my back and my mood are both rubbish", []),
    ],
)  # fmt: skip
def test_an_uncovered_area_is_named_back_only_from_the_persons_own_words(text: str, entities: list) -> None:
    assert read_request({"text": text, "entities": entities}, default_vocabulary()).uncovered == ()


def test_an_uncovered_area_the_person_said_is_named_back() -> None:
    said = "my wrist is killing me"
    request = read_request({"text": said, "entities": [{"entity": "body_area", "value": "wrist_hand",
                                                        "start": 3, "end": 8}]}, default_vocabulary())  # fmt: skip
    assert request.uncovered == ("wrist_hand",)
    assert read_request({"text": "sore thumb after texting", "entities": []}, default_vocabulary()).uncovered == (
        "wrist_hand",
    )
