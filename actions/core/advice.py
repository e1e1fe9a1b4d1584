"""Compose a recommendation: which points, in which order, with which warnings first."""

from __future__ import annotations

from dataclasses import dataclass

from actions.core import render
from actions.core.catalogue import Catalogue
from actions.core.ranking import rank_points
from actions.core.request import SymptomRequest
from actions.core.safety import POSSIBLY_PREGNANT, PREGNANT, SafetyState, Screened, screen_points
from actions.core.vocabulary import Vocabulary

POINTS_PER_REPLY = 3


@dataclass(frozen=True)
class Recommendation:
    """The bubbles to send and the point codes they name, in order."""

    messages: tuple[str, ...]
    codes: tuple[str, ...]
    has_more: bool
    card_index: tuple[int, ...] = ()  # per code, the index of its card in `messages`


def recommend(
    catalogue: Catalogue,
    vocabulary: Vocabulary,
    request: SymptomRequest,
    *,
    state: SafetyState | None = None,
    already_shown: tuple[str, ...] = (),
    pregnancy_unknown_excludes: bool = False,
    remind_urgent: bool = True,
    limit: int = POINTS_PER_REPLY,
) -> Recommendation:
    """Up to `limit` new points for the request, wrapped in warnings, cautions and reminders.

    Which points may be shown is decided by `safety.screen_points` from the session's
    `state`: an urgent flag puts the doctor advice first, a ruled-out zone (a swollen red
    calf) or a pregnancy removes points and says why. Severe pain puts the clinician
    warning first; every reply ends with the reminder that severe, worsening or lasting
    pain needs a clinician.
    """
    state = state or SafetyState()
    labels = [vocabulary.label(c) for c in request.complaints]
    ranked = [r.point for r in rank_points(catalogue, request.complaints, request.sensations)]
    screened = screen_points(
        [p for p in ranked if p.code not in already_shown], state, pregnancy_unknown_excludes=pregnancy_unknown_excludes
    )
    # A complaint whose own place must not be pressed now (a freshly injured knee) gets no
    # points at all: the far-away points left for it (back points "for the knee") would
    # read as treatment for the injury. Other complaints of the same message keep theirs.
    resting = [c for c in request.complaints if c in state.ruled_out]
    if resting:
        others = [c for c in request.complaints if c not in resting]
        allowed = tuple(p for p in screened.allowed if any(p.used_for.get(c) for c in others))
        screened = Screened(allowed, screened.held_back)
        labels = [vocabulary.label(c) for c in others] or labels
    chosen, rest = screened.allowed[:limit], screened.allowed[limit:]
    # Say why a point that would have come first is missing, but not for the whole list.
    ranks = {p.code: i for i, p in enumerate(ranked)}
    cutoff = ranks[chosen[-1].code] if chosen else limit - 1
    held_back = [h for h in screened.held_back if ranks[h.point.code] <= cutoff]

    messages: list[str] = []
    if state.level == "urgent" and remind_urgent:
        messages.append(render.urgent_reminder(state.reasons))
    if request.severity and request.severity.is_severe:
        messages.append(render.severe_pain_warning(request.severity))
    messages.extend(state.advice)
    if not request.complaints:
        area = request.uncovered[0] if request.uncovered else None
        messages.append(render.no_points_for(area))
        messages.append(render.CLINICIAN_REMINDER)  # every reply ends with it, points or not
        return Recommendation(tuple(messages), (), False)
    if request.uncovered:
        messages.append(render.no_points_for(request.uncovered[0]))
    pregnant = state.pregnancy in (PREGNANT, POSSIBLY_PREGNANT)
    if not chosen:
        if already_shown:
            messages.append(render.no_more_points(labels))
        elif pregnant and held_back:
            messages.append(render.no_safe_points_in_pregnancy(labels))
        elif held_back:
            messages.append(render.held_back_note(held_back))
            messages.append(render.no_safe_points_now(labels))
            messages.append(render.CLINICIAN_REMINDER)
        else:
            messages.append(render.no_points_for(None))
            messages.append(render.CLINICIAN_REMINDER)
        return Recommendation(tuple(messages), (), False)

    messages.append(render.recommendation_intro(labels, len(chosen), more=bool(already_shown)))
    start = len(already_shown) + 1
    first_card = len(messages)
    messages.extend(render.point_card(point, start + i) for i, point in enumerate(chosen))
    if pregnant:
        messages.append(render.pregnancy_note(possible=state.pregnancy == POSSIBLY_PREGNANT))
    non_pregnancy = [h for h in held_back if h.point.pregnancy == "ok" or not pregnant]
    if resting:
        messages.append(render.resting_note([vocabulary.label(c) for c in resting]))
    elif non_pregnancy:
        messages.append(render.held_back_note(non_pregnancy))
    messages.append(render.general_cautions_line(catalogue))
    lasting = render.lasting_pain_note(request.duration_days or 0)
    if lasting:
        messages.append(lasting)
    messages.append(render.CLINICIAN_REMINDER)
    card_index = tuple(range(first_card, first_card + len(chosen)))
    return Recommendation(tuple(messages), tuple(p.code for p in chosen), bool(rest), card_index)


def needs_pregnancy_check(
    catalogue: Catalogue,
    request: SymptomRequest,
    *,
    already_shown: tuple[str, ...] = (),
    limit: int = POINTS_PER_REPLY,
) -> bool:
    """True when a point about to be recommended carries a pregnancy caution."""
    ranked = [
        r for r in rank_points(catalogue, request.complaints, request.sensations) if r.point.code not in already_shown
    ]
    return any(r.point.pregnancy != "ok" for r in ranked[:limit])
