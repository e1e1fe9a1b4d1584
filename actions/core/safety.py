"""The safety decisions both processes share.

1. How serious is this turn, given the past? The Rasa server's RedFlagDetector puts the
   message's triage in the parse data; the SafetyPolicy combines it with earlier turns of
   the session and stores the result in the `safety` slot, so every action reads the same
   session-wide answer (`SafetyState.from_slots`).
2. Which points may be shown? `screen_points` is the one place that decides it, for every
   action that shows points (recommendations, more points, point questions, guided steps):
   - emergency: none at all;
   - pregnant or possibly pregnant: no point with a pregnancy caution (the midwife named);
   - a zone ruled out (a swollen red calf: the leg; a hot swollen knee: the knee): no point on it;
   - urgent: doctor advice first, and only gentle points away from the trunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from actions.core.catalogue import Point
from actions.core.triage import LEVELS, Assessment, Facts, higher, strings

TRIAGE_KEY = "triage"  # key of the assessment in Rasa's parse data
PREGNANT, POSSIBLY_PREGNANT, NOT_PREGNANT = "pregnant", "possibly_pregnant", "not_pregnant"
PREGNANCY_VALUES = (PREGNANT, POSSIBLY_PREGNANT, NOT_PREGNANT)
# With an urgent flag (possible infection, fracture, cancer), nothing presses on the trunk
# until a doctor has looked: only gentle points on the hands, head, arms and feet.
URGENT_EXCLUDED_ZONES = ("lower_back", "upper_back", "abdomen", "buttock", "hip")


def remembered_facts(pregnancy_status: Any, age: Any) -> Facts:
    """Facts from slot values (None when a slot is empty or malformed)."""
    pregnant = {PREGNANT: True, POSSIBLY_PREGNANT: True, NOT_PREGNANT: False}.get(pregnancy_status)
    return Facts(
        pregnant=pregnant if isinstance(pregnancy_status, str) else None,
        pregnancy_possible=pregnancy_status == POSSIBLY_PREGNANT,
        age=int(age) if isinstance(age, (int, float)) and not isinstance(age, bool) else None,
    )


def turn_assessment(parse_data: Mapping[str, Any], remembered: Facts) -> Assessment:
    """The latest message's triage, resolved against remembered facts."""
    return Assessment.from_dict(parse_data.get(TRIAGE_KEY)).resolved(remembered)


def pregnancy_slot_value(facts: Facts) -> str | None:
    if facts.pregnant is None:
        return None
    if facts.pregnant:
        return POSSIBLY_PREGNANT if facts.pregnancy_possible else PREGNANT
    return NOT_PREGNANT


def merged_pregnancy(stored: Any, said: str | None) -> str | None:
    """A new answer replaces the stored one, except that a vague answer never clears a
    clear "pregnant" (only an explicit no unlocks the pregnancy-caution points)."""
    if said is None:
        return stored if stored in PREGNANCY_VALUES else None
    if said == POSSIBLY_PREGNANT and stored == PREGNANT:
        return PREGNANT
    return said


@dataclass(frozen=True)
class SafetyState:
    """What the whole session has established, as far as showing points goes."""

    level: str = "none"  # the most serious level this session; never goes down
    reasons: tuple[str, ...] = ()  # plain-words reasons of the flags at that level
    pregnancy: str | None = None  # pregnant | possibly_pregnant | not_pregnant | None
    ruled_out: tuple[str, ...] = ()  # body zones no point may press on
    advice: tuple[str, ...] = ()  # why those zones are ruled out, one sentence each

    @staticmethod
    def from_slots(safety: Any, triage: Any, pregnancy_status: Any) -> SafetyState:
        data = safety if isinstance(safety, dict) else {}
        level = higher(str(data.get("level", "none")), str(triage or "none"))
        return SafetyState(
            level=level if level in LEVELS else "none",
            reasons=strings(data.get("reasons")),
            pregnancy=pregnancy_status if pregnancy_status in PREGNANCY_VALUES else None,
            ruled_out=strings(data.get("ruled_out")),
            advice=strings(data.get("advice")),
        )

    def as_slot(self) -> dict[str, Any]:
        """The value of the `safety` slot (the pregnancy status has its own slot)."""
        return {"level": self.level, "reasons": list(self.reasons), "ruled_out": list(self.ruled_out),
                "advice": list(self.advice)}  # fmt: skip

    def including(self, assessment: Assessment) -> SafetyState:
        """This state with a new turn's assessment added: levels and zones only go up."""
        level = higher(self.level, assessment.level)
        reasons = self.reasons
        new_reasons = tuple(hit.reason for hit in assessment.hits if hit.level == level)
        if level != self.level:
            reasons = new_reasons
        elif level != "none":
            reasons = tuple(dict.fromkeys((*self.reasons, *new_reasons)))
        return SafetyState(
            level=level,
            reasons=reasons,
            pregnancy=self.pregnancy,
            ruled_out=tuple(dict.fromkeys((*self.ruled_out, *assessment.ruled_out))),
            advice=tuple(dict.fromkeys((*self.advice, *assessment.advice))),
        )

    @property
    def pregnancy_unknown(self) -> bool:
        return self.pregnancy is None


@dataclass(frozen=True)
class HeldBack:
    point: Point
    reason: str  # plain words: why this point is not for this person now


@dataclass(frozen=True)
class Screened:
    allowed: tuple[Point, ...]
    held_back: tuple[HeldBack, ...]


def point_verdict(point: Point, state: SafetyState, *, pregnancy_unknown_excludes: bool = False) -> str | None:
    """None when the point may be shown to this person now, else the reason it may not.

    `pregnancy_unknown_excludes`: with pregnancy not known and no chance to ask first
    (urgent advice, more points), leave pregnancy-caution points out too.
    """
    if state.level == "emergency":
        return "you described symptoms that need emergency care first"
    if point.pregnancy != "ok":
        if state.pregnancy in (PREGNANT, POSSIBLY_PREGNANT):
            who = "you're pregnant" if state.pregnancy == PREGNANT else "you might be pregnant"
            return f"it is traditionally avoided in pregnancy, and {who}: please ask your midwife first"
        if state.pregnancy is None and (pregnancy_unknown_excludes or state.level == "urgent"):
            return "it is traditionally avoided in pregnancy, and I don't know whether you might be pregnant"
    blocked = [zone for zone in point.zones if zone in state.ruled_out]
    if blocked:
        return f"it presses on your {blocked[0].replace('_', ' ')}, which should not be pressed now"
    if state.level == "urgent" and any(zone in URGENT_EXCLUDED_ZONES for zone in point.zones):
        return "it presses on your back or belly, which a doctor should check first"
    return None


def screen_points(points: Iterable[Point], state: SafetyState, *, pregnancy_unknown_excludes: bool = False) -> Screened:
    """Split points, in their order, into those that may be shown and those held back."""
    allowed, held = [], []
    for point in points:
        reason = point_verdict(point, state, pregnancy_unknown_excludes=pregnancy_unknown_excludes)
        if reason is None:
            allowed.append(point)
        else:
            held.append(HeldBack(point, reason))
    return Screened(tuple(allowed), tuple(held))
