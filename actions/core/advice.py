"""Compose a recommendation: which points, in which order, with which warnings first."""

from __future__ import annotations

from dataclasses import dataclass

from actions.core import render
from actions.core.catalogue import Catalogue
from actions.core.ranking import rank_points
from actions.core.request import SymptomRequest
from actions.core.vocabulary import Vocabulary

POINTS_PER_REPLY = 3


@dataclass(frozen=True)
class Recommendation:
    """The bubbles to send and the point codes they name, in order."""

    messages: tuple[str, ...]
    codes: tuple[str, ...]
    has_more: bool


def recommend(
    catalogue: Catalogue,
    vocabulary: Vocabulary,
    request: SymptomRequest,
    *,
    already_shown: tuple[str, ...] = (),
    pregnant: bool = False,
    exclude_pregnancy_cautions: bool = False,
    limit: int = POINTS_PER_REPLY,
) -> Recommendation:
    """Up to `limit` new points for the request, wrapped in intro, cautions and reminders.

    Severe pain puts the clinician warning first; every reply ends with the reminder
    that severe, worsening or lasting pain needs a clinician. `pregnant` leaves out every
    point with a pregnancy caution and says why; `exclude_pregnancy_cautions` leaves them
    out silently (pregnancy unknown and no chance to ask).
    """
    labels = [vocabulary.label(c) for c in request.complaints]
    ranked = [
        r
        for r in rank_points(
            catalogue, request.complaints, request.sensations, pregnant=pregnant or exclude_pregnancy_cautions
        )
        if r.point.code not in already_shown
    ]
    chosen, rest = ranked[:limit], ranked[limit:]

    messages: list[str] = []
    if request.severity and request.severity.is_severe:
        messages.append(render.severe_pain_warning(request.severity))
    if not request.complaints:
        area = request.uncovered[0] if request.uncovered else None
        messages.append(render.no_points_for(area))
        return Recommendation(tuple(messages), (), False)
    if request.uncovered:
        messages.append(render.no_points_for(request.uncovered[0]))
    if not chosen:
        if already_shown:
            messages.append(render.no_more_points(labels))
        elif pregnant:
            messages.append(render.no_safe_points_in_pregnancy(labels))
        else:
            messages.append(render.no_points_for(None))
        return Recommendation(tuple(messages), (), False)

    messages.append(render.recommendation_intro(labels, len(chosen), more=bool(already_shown)))
    start = len(already_shown) + 1
    messages.extend(render.point_card(r.point, start + i) for i, r in enumerate(chosen))
    if pregnant:
        messages.append(render.pregnancy_note())
    messages.append(render.general_cautions_line(catalogue))
    lasting = render.lasting_pain_note(request.duration_days or 0)
    if lasting:
        messages.append(lasting)
    messages.append(render.CLINICIAN_REMINDER)
    return Recommendation(tuple(messages), tuple(r.point.code for r in chosen), bool(rest))


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
