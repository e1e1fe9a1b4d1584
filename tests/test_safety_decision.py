"""The one decision on what may be shown (actions/core/safety.py), and the session state."""

from __future__ import annotations

import pytest

from actions.core.advice import recommend
from actions.core.catalogue import default_catalogue
from actions.core.request import SymptomRequest
from actions.core.safety import (
    NOT_PREGNANT,
    POSSIBLY_PREGNANT,
    PREGNANT,
    SafetyState,
    merged_pregnancy,
    point_verdict,
    screen_points,
)
from actions.core.triage import Assessment, FlagHit, SituationHit
from actions.core.vocabulary import default_vocabulary

CATALOGUE = default_catalogue()
VOCABULARY = default_vocabulary()
ALL = list(CATALOGUE.points.values())
LEG_POINTS = {"BL40", "BL57", "GB34", "ST35", "ST36", "SP6", "BL60", "KI3", "LR3", "KI1", "BL36"}


def shown(state: SafetyState, *, unknown_excludes: bool = False) -> set[str]:
    return {p.code for p in screen_points(ALL, state, pregnancy_unknown_excludes=unknown_excludes).allowed}


def test_an_emergency_shows_no_point_at_all() -> None:
    assert shown(SafetyState(level="emergency", pregnancy=NOT_PREGNANT)) == set()


@pytest.mark.parametrize("status", [PREGNANT, POSSIBLY_PREGNANT])
def test_pregnancy_or_possible_pregnancy_removes_every_point_with_a_pregnancy_caution(status: str) -> None:
    allowed = shown(SafetyState(pregnancy=status))
    assert allowed and all(CATALOGUE.points[c].pregnancy == "ok" for c in allowed)
    assert {"LI4", "SP6", "GB21", "BL60"}.isdisjoint(allowed)
    reason = point_verdict(CATALOGUE.points["LI4"], SafetyState(pregnancy=status))
    assert reason and "midwife" in reason


def test_only_a_clear_no_unlocks_pregnancy_caution_points() -> None:
    assert "LI4" in shown(SafetyState(pregnancy=NOT_PREGNANT))
    assert "LI4" not in shown(SafetyState(pregnancy=None), unknown_excludes=True)
    assert merged_pregnancy(PREGNANT, POSSIBLY_PREGNANT) == PREGNANT  # "maybe" never weakens "yes"
    assert merged_pregnancy(POSSIBLY_PREGNANT, NOT_PREGNANT) == NOT_PREGNANT


def test_a_swollen_red_calf_rules_out_every_leg_point() -> None:
    state = SafetyState(level="urgent", pregnancy=NOT_PREGNANT, ruled_out=("leg", "calf"))
    assert LEG_POINTS.isdisjoint(shown(state))
    assert "BL57" not in shown(SafetyState(ruled_out=("calf",)))


def test_a_hot_swollen_knee_rules_out_points_on_and_near_it() -> None:
    allowed = shown(SafetyState(pregnancy=NOT_PREGNANT, ruled_out=("knee",)))
    assert {"BL40", "ST35", "GB34", "ST36"}.isdisjoint(allowed)
    assert "BL57" in allowed  # the calf is not the knee


def test_urgent_keeps_only_gentle_points_away_from_the_trunk() -> None:
    allowed = shown(SafetyState(level="urgent", pregnancy=NOT_PREGNANT))
    assert allowed and {"BL23", "BL52", "BL53", "CV6", "GV4", "BL25", "SI11"}.isdisjoint(allowed)
    assert "LI4" in allowed


def test_the_session_state_only_goes_up() -> None:
    urgent = Assessment("urgent", (FlagHit("fever", "urgent", "A fever needs a doctor.", "fever"),))
    state = SafetyState().including(urgent).including(Assessment("none"))
    assert state.level == "urgent" and state.reasons == ("A fever needs a doctor.",)
    calf = Assessment(
        "none", situations=(SituationHit("fresh_injury", "Do not press a swollen calf.", "swollen", ("calf",)),)
    )
    state = state.including(calf)
    assert state.ruled_out == ("calf",) and state.level == "urgent"
    assert SafetyState.from_slots(state.as_slot(), "none", None) == state


def test_recommendation_for_an_urgent_session_puts_the_doctor_first_and_says_what_was_left_out() -> None:
    state = SafetyState(level="urgent", reasons=("A fever with back pain needs a doctor today.",),
                        pregnancy=NOT_PREGNANT)  # fmt: skip
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=("lower_back",)), state=state)
    assert "see a doctor today" in result.messages[0]
    assert {"BL23", "BL52"}.isdisjoint(result.codes)
    assert any(m.startswith("I've left out BL23") for m in result.messages)


def test_a_dvt_session_gets_no_calf_points_for_calf_cramp() -> None:
    state = SafetyState(level="urgent", pregnancy=NOT_PREGNANT, ruled_out=("leg", "calf"),
                        advice=("A swollen, red, warm calf can be a clot: no pressing on the leg.",))  # fmt: skip
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=("calf",), sensations=("cramp",)), state=state)
    assert result.codes == ()
    assert any("clot" in m for m in result.messages)


def test_an_injured_knee_gets_no_far_away_points_for_the_knee() -> None:
    # The catalogue lists two lower-back points for the knee too; offered for a freshly
    # injured knee they would read as treatment for the injury.
    advice = ("Don't press on a fresh injury that is swollen or bruised; let it settle first.",)
    state = SafetyState(pregnancy=NOT_PREGNANT, ruled_out=("knee",), advice=advice)
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=("knee",)), state=state)
    assert result.codes == ()
    assert not any(m.startswith("For knee pain, here") for m in result.messages)
    assert any("no points for knee pain that are safe" in m for m in result.messages)


def test_an_injured_knee_leaves_the_other_complaint_its_points() -> None:
    state = SafetyState(pregnancy=NOT_PREGNANT, ruled_out=("knee",))
    result = recommend(CATALOGUE, VOCABULARY, SymptomRequest(complaints=("knee", "stress")), state=state)
    assert result.codes and all(CATALOGUE.points[c].used_for.get("stress") for c in result.codes)
    assert any(m.startswith("For stress and tension, here") for m in result.messages)
    assert any(m.startswith("I've left out points for knee pain") for m in result.messages)
