"""Ranking chooses fitting points; the composed answer carries cautions and reminders."""

from __future__ import annotations

from actions.core import render
from actions.core.advice import recommend
from actions.core.catalogue import default_catalogue
from actions.core.ranking import rank_points
from actions.core.request import SymptomRequest
from actions.core.safety import POSSIBLY_PREGNANT, PREGNANT, SafetyState
from actions.core.symptoms import Severity
from actions.core.vocabulary import default_vocabulary

CATALOGUE = default_catalogue()
VOCABULARY = default_vocabulary()


def codes(complaints, sensations=(), n=3):
    return [r.point.code for r in rank_points(CATALOGUE, complaints, sensations)][:n]


def test_lower_back_gets_the_classic_back_points_first() -> None:
    assert codes(["lower_back"], ["stiff"]) == ["BL23", "BL52", "BL40"]


def test_each_complaint_gets_its_own_points() -> None:
    assert codes(["sciatica"])[0] in {"GB30", "BL36"}
    assert codes(["calf"], ["cramp"])[0] == "BL57"
    assert codes(["nausea"])[0] == "PC6"
    assert codes(["knee"])[0] in {"GB34", "ST35"}
    assert codes(["neck"])[0] in {"GB20", "GB21"}


def test_several_areas_are_all_covered_in_a_short_answer() -> None:
    top = codes(["neck", "lower_back"])
    assert any("neck" in CATALOGUE.points[c].used_for for c in top[:2])
    assert any("lower_back" in CATALOGUE.points[c].used_for for c in top[:2])


def test_no_point_is_invented_for_an_unknown_complaint() -> None:
    assert codes(["elbow"]) == []


def test_pregnant_users_never_get_points_with_a_pregnancy_caution() -> None:
    for status in (PREGNANT, POSSIBLY_PREGNANT):
        state = SafetyState(pregnancy=status)
        for complaint in VOCABULARY.complaints:
            result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=(complaint,)), state=state)
            assert all(CATALOGUE.points[c].pregnancy == "ok" for c in result.codes), (status, complaint)


def test_recommendation_has_cards_cautions_and_reminder_last() -> None:
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=("lower_back",)))
    assert result.codes == ("BL23", "BL52", "BL40")
    cards = [m for m in result.messages if m.startswith("**")]
    assert len(cards) == 3
    for card in cards:
        for section in ("Where:", "Find it:", "How to press:", "Careful:", "Evidence:"):
            assert section in card
    assert result.messages[-1] == render.CLINICIAN_REMINDER
    assert "Do not press on varicose veins" in " ".join(result.messages)
    assert result.has_more


def test_severe_pain_puts_the_clinician_warning_first() -> None:
    request = SymptomRequest(complaints=("lower_back",), severity=Severity(9, "9/10"))
    result = recommend(CATALOGUE, VOCABULARY, request)
    assert "severe" in result.messages[0].lower() and "doctor" in result.messages[0]
    assert result.messages[-1] == render.CLINICIAN_REMINDER


def test_mild_pain_has_no_severe_warning() -> None:
    request = SymptomRequest(complaints=("neck",), severity=Severity(3, "mild"))
    assert "severe" not in recommend(CATALOGUE, VOCABULARY, request).messages[0].lower()


def test_lasting_pain_adds_a_check_up_note() -> None:
    request = SymptomRequest(complaints=("knee",), duration_days=90)
    assert any("six weeks" in m for m in recommend(CATALOGUE, VOCABULARY, request).messages)


def test_more_points_skip_those_already_shown_and_end_honestly() -> None:
    request = SymptomRequest(complaints=("upper_back",))
    first = recommend(CATALOGUE, VOCABULARY, request, limit=2)
    second = recommend(CATALOGUE, VOCABULARY, request, already_shown=first.codes, limit=2)
    assert not set(first.codes) & set(second.codes)
    third = recommend(CATALOGUE, VOCABULARY, request, already_shown=first.codes + second.codes)
    assert third.codes == () and "all the points" in third.messages[-1]


def test_uncovered_area_gets_an_honest_no_and_a_clinician() -> None:
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(uncovered=("elbow",)))
    assert result.codes == ()
    assert "no acupressure points" in result.messages[0] and "doctor" in result.messages[0]
