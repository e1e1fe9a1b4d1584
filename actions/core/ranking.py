"""Choose catalogue points for the complaints and sensations a person described."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actions.core.catalogue import Catalogue, Point

# A point's weight for a complaint counts far more than a sensation bonus, so "stiff"
# reorders points for the lower back but never brings in a point for another area.
COMPLAINT_SCALE = 10


@dataclass(frozen=True)
class RankedPoint:
    point: Point
    score: int
    matches: tuple[str, ...]  # the requested complaints this point is used for


def _score(point: Point, complaint: str, sensations: Iterable[str]) -> int:
    weight = point.used_for.get(complaint, 0)
    if not weight:
        return 0
    return weight * COMPLAINT_SCALE + sum(point.sensations.get(s, 0) for s in sensations)


def rank_points(
    catalogue: Catalogue,
    complaints: Sequence[str],
    sensations: Sequence[str] = (),
) -> list[RankedPoint]:
    """All points used for the complaints, best first, alternating between complaints.

    Ranking only: which of them this person may be shown is decided by
    `safety.screen_points`.

    With several complaints ("neck and lower back") the order takes the best point for
    each complaint in turn, so a short answer covers every area named. Ties keep the
    catalogue's order, which lists the classic points first.
    """
    per_complaint: list[list[tuple[int, Point]]] = []
    for complaint in dict.fromkeys(complaints):
        scored = [(_score(p, complaint, sensations), p) for p in catalogue.points.values()]
        # sorted() is stable, so equal scores keep catalogue order.
        per_complaint.append(sorted(((s, p) for s, p in scored if s > 0), key=lambda sp: -sp[0]))
    ranked: list[RankedPoint] = []
    seen: set[str] = set()
    depth = max((len(lst) for lst in per_complaint), default=0)
    for index in range(depth):
        for lst in per_complaint:
            if index >= len(lst) or lst[index][1].code in seen:
                continue
            point = lst[index][1]
            seen.add(point.code)
            matches = tuple(c for c in dict.fromkeys(complaints) if point.used_for.get(c))
            total = sum(_score(point, c, sensations) for c in matches)
            ranked.append(RankedPoint(point=point, score=total, matches=matches))
    return ranked
