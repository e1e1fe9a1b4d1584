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


def test_a_concern_the_nlu_missed_next_to_a_body_area_is_read_from_the_words() -> None:
    # The NLU found the back only; "stressed" is in the vocabulary, so both are answered.
    text = "stressed, whole back tight"
    request = read_request({"text": text, "entities": [{"entity": "body_area", "value": "back", "start": 16,
                                                         "end": 20}]}, default_vocabulary())  # fmt: skip
    assert request.complaints == ("stress", "lower_back")


def test_a_body_area_the_nlu_missed_next_to_a_concern_is_read_from_the_words() -> None:
    text = "exam stress has my neck in knots"
    request = read_request({"text": text, "entities": [entity("concern", "stress")]}, default_vocabulary())
    assert request.complaints == ("stress", "neck")


@pytest.mark.parametrize(
    "text,first",
    [
        ("my neck is stiff and I'm stressed, but the stress is the main thing", "stress"),
        ("can't sleep, and my back is a bit sore as well", "sleep"),
        ("my back is a bit stiff but mostly I can't sleep", "sleep"),
        ("my lower back aches and I'm stressed", "lower_back"),
    ],
)
def test_several_complaints_are_ranked_by_what_the_person_stressed(text: str, first: str) -> None:
    request = read_request({"text": text, "entities": []}, default_vocabulary())
    assert len(request.complaints) == 2 and request.complaints[0] == first


@pytest.mark.parametrize(
    "text,complaints",
    [
        ("my hip hurts and I can't get back to sleep", ("hip", "sleep")),
        ("I'm back, my knee still hurts", ("knee",)),
        ("don't worry, it's just my shoulder", ("shoulder",)),
        ("I sleep fine, it's my neck", ("neck",)),
    ],
)
def test_phrases_that_only_contain_a_complaint_word_name_no_complaint(text: str, complaints: tuple) -> None:
    assert read_request({"text": text, "entities": []}, default_vocabulary()).complaints == complaints


@pytest.mark.parametrize(
    "text,start,end,complaints",
    [
        ("my upper back is stiff", 8, 12, ("upper_back",)),
        ("a knot between my shoulder blades", 18, 26, ("upper_back",)),
        ("neck and shoulders are tight", 0, 18, ("neck", "shoulder")),
        ("lowr bak sore", 0, 8, ("lower_back",)),
    ],
)
def test_the_persons_words_around_an_entity_decide_its_complaint(text: str, start: int, end: int, complaints) -> None:
    found = [{"entity": "body_area", "value": text[start:end], "start": start, "end": end}]
    assert read_request({"text": text, "entities": found}, default_vocabulary()).complaints == complaints


@pytest.mark.parametrize(
    "text,complaints",
    [("my shouldr is so sore", ("shoulder",)), ("insomnya again", ("sleep",)), ("hello there friend", ())],
)
def test_a_misspelt_complaint_is_read_before_asking_where(text: str, complaints: tuple) -> None:
    assert read_request({"text": text, "entities": []}, default_vocabulary()).complaints == complaints


@pytest.mark.parametrize(
    "text,complaints",
    [
        ("wide awake at 3am again", ("sleep",)),
        ("pain in the middle of my back", ("upper_back",)),
        ("cramp in my leg every night", ("calf",)),
    ],
)
def test_more_of_the_ways_people_name_a_complaint(text: str, complaints: tuple) -> None:
    assert read_request({"text": text, "entities": []}, default_vocabulary()).complaints == complaints


def test_an_uncovered_area_the_nlu_found_is_never_a_near_miss_of_a_covered_one() -> None:
    text = "my wrist is killing me"
    request = read_request(
        {"text": text, "entities": [{"entity": "body_area", "value": "wrist", "start": 3, "end": 8}]},
        default_vocabulary(),
    )
    assert request.complaints == () and request.uncovered == ("wrist_hand",)


def test_an_entity_inside_a_phrase_that_names_no_complaint_is_dropped() -> None:
    text = "I can't get back to sleep and my hip aches"
    found = [{"entity": "body_area", "value": "back", "start": 12, "end": 16},
             {"entity": "body_area", "value": "hip", "start": 33, "end": 36}]  # fmt: skip
    assert read_request({"text": text, "entities": found}, default_vocabulary()).complaints == ("sleep", "hip")


def _span(text: str, name: str, words: str) -> dict:
    start = text.index(words)
    return {"entity": name, "value": words, "start": start, "end": start + len(words)}


@pytest.mark.parametrize(
    "text,found,complaints",
    [
        # the NLU found the hip only; "low back" is two words of the vocabulary's
        ("MY LOW BACK AND HIP ACHE AFTER DIGGING", ("body_area", "HIP"), ("lower_back", "hip")),
        # the NLU found the stress only; a second concern in the words counts too
        ("he's so stressed with work he's barely sleeping", ("concern", "stressed"), ("stress", "sleep")),
        # a lone word of the same kind does not: "lean back" is no lower back
        ("my neck hurts when I lean back in the chair", ("body_area", "neck"), ("neck",)),
    ],
)
def test_what_the_nlu_missed_of_the_same_kind_counts_when_the_words_are_specific(
    text: str, found: tuple, complaints: tuple
) -> None:
    request = read_request({"text": text, "entities": [_span(text, *found)]}, default_vocabulary())
    assert request.complaints == complaints


@pytest.mark.parametrize(
    "text",
    ["what should I press?", "HURTING AGAIN TODAY WHAT SHOULD I PRESS", "I'm sore today, which points should I use?"],
)
def test_should_is_no_misspelt_shoulder(text: str) -> None:
    assert read_request({"text": text, "entities": []}, default_vocabulary()).complaints == ()


@pytest.mark.parametrize(
    "text",
    [
        "cant even look at my phone in the car without wanting to hurl",
        "Am pure boakin on the bus every morning",
        "bit green round the gills after the train",
        "I feel like to vomit since the morning",
        "feeling really queezy after the roller coaster",
        "the twisty road leaves me green every time",
    ],
)
def test_sickness_in_everyday_words_is_nausea(text: str) -> None:
    assert read_request({"text": text, "entities": []}, default_vocabulary()).complaints == ("nausea",)


def test_a_sick_stomach_is_nausea_not_an_area_without_points() -> None:
    text = "MY STOMACH FEELS SICKLY SINCE BREAKFAST"
    request = read_request({"text": text, "entities": [_span(text, "body_area", "STOMACH")]}, default_vocabulary())
    assert request.complaints == ("nausea",) and request.uncovered == ()


def test_the_arm_a_point_is_on_is_not_the_complaint() -> None:
    text = "feeling sick on the coach, is there a point on the arm or something?"
    found = [_span(text, "concern", "feeling sick"), _span(text, "body_area", "arm")]
    request = read_request({"text": text, "entities": found}, default_vocabulary())
    assert request.complaints == ("nausea",) and request.uncovered == ()


def test_a_possessive_still_names_the_complaint() -> None:
    assert read_request({"text": "ma heid's nippin", "entities": []}, default_vocabulary()).complaints == ("head",)
