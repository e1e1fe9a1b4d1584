"""All the wording of point answers, in one place so the assistant's voice can be reviewed.

Functions return plain strings (one chat bubble each); the Rasa actions only send them.
Markdown is limited to **bold**, which every channel either renders or shows harmlessly.
"""

from __future__ import annotations

from collections.abc import Sequence

from actions.core.catalogue import Catalogue, Point
from actions.core.safety import HeldBack
from actions.core.symptoms import LASTING_DAYS, Severity
from actions.core.text_limits import MAX_MESSAGE_CHARS

EVIDENCE_LABELS = {
    "traditional": "Traditional use",
    "some_trial_evidence": "Some trial evidence",
}
# Cautions every reply repeats in one line; the full general list is on request.
_KEY_GENERAL_CAUTIONS = ("broken_skin", "recent_injury", "varicose_veins", "over_pressing")

CLINICIAN_REMINDER = (
    "Acupressure is a self-care extra, not a diagnosis or a treatment. See a doctor or "
    "physiotherapist if the pain is severe, getting worse, or has not eased after a few weeks."
)


def severe_pain_warning(severity: Severity) -> str:
    """The prominent first bubble when someone reports severe pain."""
    return (
        f"⚠️ **You describe your pain as severe ({severity.phrase}).** Pain this strong should "
        "be checked by a doctor: contact your GP or an urgent care service today. If it came "
        "on suddenly, follows an injury, or comes with numbness, weakness, fever or problems "
        "passing urine, get urgent help now. The points below are only a gentle comfort "
        "measure while you arrange care."
    )


def lasting_pain_note(days: int) -> str | None:
    if days < LASTING_DAYS:
        return None
    return (
        "Pain that has lasted more than about six weeks deserves a check-up with a GP or "
        "physiotherapist, even if it is bearable."
    )


def point_card(point: Point, position: int | None = None) -> str:
    """Everything needed to use one point: where, how to find it, how to press, cautions."""
    heading = f"**{position}. {point.title}**" if position else f"**{point.title}**"

    # Popular names only: not old codes ("B23") nor the pinyin spelled apart ("Zhi Shi").
    def is_popular(alias: str) -> bool:
        return not any(ch.isdigit() for ch in alias) and alias.lower().replace(" ", "") != point.pinyin.lower()

    popular = [a for a in point.aliases if is_popular(a)][:2]
    if popular:
        heading += " – also called " + " or ".join(f'"{a}"' for a in popular)
    lines = [
        heading,
        f"Where: {point.location}",
        f"Find it: {point.find}",
        f"How to press: {point.press}",
    ]
    if point.cautions:
        lines.append("Careful: " + " ".join(c.text for c in point.cautions))
    lines.append(f"Evidence: {EVIDENCE_LABELS[point.evidence.level]}. {point.evidence.note}")
    return "\n".join(lines)


def general_cautions_line(catalogue: Catalogue) -> str:
    chosen = [c.text for c in catalogue.general_cautions if c.kind in _KEY_GENERAL_CAUTIONS]
    return "For every point: " + " ".join(chosen)


def recommendation_intro(labels: Sequence[str], count: int, more: bool = False) -> str:
    what = _join(labels)
    if more:
        return f"Here {'is' if count == 1 else 'are'} {count} more point{'s' if count != 1 else ''} for {what}:"
    return (
        f"For {what}, here {'is' if count == 1 else 'are'} {count} acupressure point"
        f"{'s' if count != 1 else ''} traditionally used. "
        "Press each one slowly and firmly, never painfully, and breathe slowly."
    )


def no_more_points(labels: Sequence[str]) -> str:
    return f"That's all the points I have for {_join(labels)}. I can guide you through them step by step if you like."


def no_points_for(area: str | None) -> str:
    """Honest answer for an area the catalogue does not cover: never an invented point."""
    # Uncovered area names read as words: "wrist_hand" -> "wrist or hand".
    named = f"pain in your {area.replace('_', ' or ')}" if area else "that"
    return (
        f"I'm sorry, I have no acupressure points for {named}. I only cover the back, neck, "
        "shoulders, hips, legs, knees, calves, headaches, stress, sleep and nausea. For "
        f"{named}, please ask a doctor, pharmacist or physiotherapist, and get urgent help "
        "if it is severe or came on suddenly."
    )


def truncated_note(length: int) -> str:
    return (
        f"Your message was very long ({length:,} characters), so I read only the first "
        f"{MAX_MESSAGE_CHARS:,}. If I missed something important, send it on its own."
    )


def ask_for_area() -> str:
    return (
        "Where do you feel it? For example your lower back, neck, shoulders, hip, knee, a "
        "headache, or sciatica down the leg. You can also tell me about stress, sleep or nausea."
    )


def point_details(point: Point, catalogue: Catalogue, uses: Sequence[str]) -> list[str]:
    """Answer to 'where is LI4?' or 'what is the Commanding Middle good for?'."""
    return [
        point_card(point),
        f"It is traditionally used for {_join(uses)}.",
        general_cautions_line(catalogue),
    ]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def guided_step(point: Point, step: int, total: int) -> str:
    """One step of a guided session: a single point as a short routine."""
    lines = [
        f"**Step {step} of {total}: {point.title}**",
        f"1. Find it: {point.location} {point.find}",
        "2. Sit or lie comfortably and take two slow breaths.",
        f"3. Press: {point.press}",
        "4. Release slowly and rest for a few breaths; then do the other side if there is one.",
    ]
    if point.cautions:
        lines.append("Careful: " + " ".join(c.text for c in point.cautions))
    return "\n".join(lines)


def guided_intro(total: int) -> str:
    return (
        f"Let's go through {'this point' if total == 1 else f'these {total} points'} one at a time. "
        "Stop at once if anything hurts sharply or you feel unwell. Say 'next' when you are "
        "ready for the next point, or 'stop' to finish."
    )


def guided_done() -> str:
    return (
        "That's the whole routine. In studies people pressed points about half an hour a day "
        "for several weeks, so a single session may do little; repeating it daily is more "
        "likely to help. " + CLINICIAN_REMINDER
    )


def unknown_point(known_codes: Sequence[str]) -> str:
    return (
        "I don't know that point, so I won't guess where it is. I can describe these: "
        + ", ".join(known_codes)
        + '. You can also use popular names such as "Sea of Vitality" or "Hand Point".'
    )


def guide_needs_points() -> str:
    return "Tell me where it hurts first, and I'll choose the points to guide you through."


def guided_stopped(was_running: bool) -> str:
    if not was_running:
        return "Okay. Tell me if there is anything else I can help with."
    return "Okay, we'll stop here. " + CLINICIAN_REMINDER


def declined() -> str:
    return "No problem. Is there anything else I can help with? You can tell me about another ache at any time."


def emergency_advice(reasons: Sequence[str], contact: str) -> list[str]:
    """The answer to an emergency red flag: what to do first, why, and no points."""
    why = " ".join(dict.fromkeys(reasons))
    return [
        f"🚨 **Please {contact} now, or go to the nearest A&E / emergency department.**",
        f"{why} Don't wait to see if it settles, and don't use acupressure for this.",
        "If you are alone, tell someone nearby and keep your phone with you. I can't assess "
        "you myself, so I won't suggest any points until a clinician has checked you.",
    ]


def emergency_reminder(contact: str) -> str:
    """What a later request for points gets after an emergency flag in this conversation."""
    return (
        f"🚨 Earlier you described symptoms that need emergency care: please {contact} or go "
        "to A&E if you haven't already. I won't suggest acupressure points until a "
        "clinician has checked you."
    )


def urgent_advice(reasons: Sequence[str], contact: str) -> str:
    why = " ".join(dict.fromkeys(reasons))
    return f"⚠️ **Please see a doctor today: contact {contact}.** {why} Acupressure is not a substitute for that check."


def pregnancy_note(possible: bool = False) -> str:
    who = "As you might be pregnant" if possible else "As you're pregnant"
    return (
        f"{who}, I've left out points that are traditionally avoided in "
        "pregnancy (such as LI4 and SP6, and points on the lower back, belly and sacrum). "
        "Please check with your midwife or doctor before trying acupressure, and press gently."
    )


def urgent_reminder(reasons: Sequence[str]) -> str:
    """First bubble of any point answer once an urgent flag was raised this session."""
    why = " ".join(dict.fromkeys(reasons))
    return (
        f"⚠️ **Please remember to see a doctor today** about what you told me earlier. {why} "
        "The points below are only gentle comfort while you arrange that, not instead of it."
    ).replace("  ", " ")


def held_back_note(held_back: Sequence[HeldBack]) -> str:
    """Why points that would otherwise have been suggested are left out."""
    parts = [f"{h.point.code} {h.point.pinyin} ({h.reason})" for h in held_back]
    return "I've left out " + _join(parts) + "."


def no_safe_points_now(labels: Sequence[str]) -> str:
    return (
        f"So I have no points for {_join(labels)} that are safe for you to press right now. "
        "A doctor or physiotherapist can suggest what to do instead."
    )


def avoid_point(point: Point, reason: str) -> str:
    """The first answer to a question about a point this person should not press."""
    return f"⚠️ **Please avoid {point.title} for now**: {reason}."


def no_safe_points_in_pregnancy(labels: Sequence[str]) -> str:
    return (
        f"I don't have points for {_join(labels)} that are considered safe in pregnancy, so I "
        "won't suggest any. Your midwife or a physiotherapist who treats pregnant women can "
        "help with this."
    )
