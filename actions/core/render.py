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


def unknown_point(known_codes: Sequence[str]) -> str:
    return (
        "I don't know that point, so I won't guess where it is. I can describe these: "
        + ", ".join(known_codes)
        + '. You can also use popular names such as "Sea of Vitality" or "Hand Point".'
    )


def pregnancy_points(avoided: Sequence[Point], careful: Sequence[Point]) -> str:
    """The answer to "which points should I avoid while pregnant?": the catalogue's own
    pregnancy verdicts, by name and place, and the midwife first."""
    text = (
        "In pregnancy these points are traditionally avoided: "
        + _join([f"{p.title} ({p.region})" for p in avoided])
        + ". "
    )
    if careful:
        text += (
            "These need extra care and a gentle touch: " + _join([f"{p.title} ({p.region})" for p in careful]) + ". "
        )
    return text + (
        "Please check with your midwife or doctor before trying acupressure in pregnancy. Tell me "
        "where it hurts and that you're pregnant, and I'll suggest points that leave these out."
    )


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


def resting_note(labels: Sequence[str]) -> str:
    """Why a complaint named in the same message got no points."""
    return (
        f"I've left out points for {_join(labels)}: that place should not be pressed now. "
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


# --- the guided session (actions/core/guide_flow.py): one wording per Say key ----------

_SIDE_WORDS = {"left": "your left side", "right": "your right side", "both": "one side"}
_PAIN_SCALE = "0 means no pain and 10 the worst you can imagine"
GUIDE_BUTTON_SETS: dict[str, list[tuple[str, str]]] = {
    "step": [("Done", "/next_step"), ("Repeat", "/guide_repeat"), ("Back", "/guide_back"),
             ("Skip", "/guide_skip"), ("Stop", "/stop_session")],
    "side": [("Left", "/guide_answer{\"side\":\"left\"}"), ("Right", "/guide_answer{\"side\":\"right\"}"),
             ("Both", "/guide_answer{\"side\":\"both\"}")],
    "yes_no": [("Yes", "/affirm"), ("No", "/deny")],
    "helped": [("Yes, it helped", "/point_helped"), ("No", "/point_not_helped"), ("Not sure", "/guide_skip")],
    "skip": [("Skip this question", "/guide_skip"), ("Stop", "/stop_session")],
    "continue": [("Continue", "/guide_continue"), ("Stop", "/stop_session")],
    "start": [("Guide me step by step", "/start_guided_session")],
}  # fmt: skip


def guide_buttons(key: str, args: dict) -> list[tuple[str, str]]:
    """(title, payload) pairs for a guided-session message, or none."""
    if key in ("step", "step_options", "first_step", "time_up"):
        return GUIDE_BUTTON_SETS["step"]
    if key in ("ask_side", "invalid_side"):
        return GUIDE_BUTTON_SETS["side"] + (GUIDE_BUTTON_SETS["skip"][:1] if args.get("may_skip") else [])
    if key in ("ask_screen", "invalid_screen", "ask_pregnancy", "invalid_pregnancy"):
        return GUIDE_BUTTON_SETS["yes_no"] + (GUIDE_BUTTON_SETS["skip"][:1] if args.get("may_skip") else [])
    if key in ("ask_helped", "invalid_helped"):
        return GUIDE_BUTTON_SETS["helped"]
    if args.get("may_skip"):
        return GUIDE_BUTTON_SETS["skip"]
    if key == "paused":
        return GUIDE_BUTTON_SETS["continue"]
    if key in ("no_session", "none_pressed"):
        return GUIDE_BUTTON_SETS["start"]
    return []


def guided_step(point: Point, step: int, total: int, side: str | None, press_seconds: int, timed: bool) -> str:
    """One step of a guided session: a single point as a short, timed routine."""
    start = _SIDE_WORDS.get(side or "", "one side")
    lines = [
        f"**Step {step} of {total}: {point.title}**",
        f"Find it: {point.location} {point.find}",
        f"Press: {point.press}",
        f"A calm rhythm: firm, comfortable pressure for 3 seconds, release, and repeat for about "
        f"{_duration(press_seconds)} while you breathe slowly. Start on {start}, then do the other side.",
    ]
    if point.cautions:
        lines.append("Careful: " + " ".join(c.text for c in point.cautions))
    if timed:
        lines.append(f"I'll tell you when {_duration(press_seconds)} is up. Press Done when you have finished.")
    else:
        lines.append("Press Done when you have finished, or Repeat, Back, Skip or Stop.")
    return "\n".join(lines)


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"{seconds} seconds"


def pain_change(before: int | None, after: int) -> str:
    """Before and after, said plainly: a change is not a cure, and no change is no failure."""
    if before is None:
        return f"Thank you: you rate your pain {after} out of 10 now."
    if after < before:
        return f"Your pain went from {before} to {after} out of 10. That is a change for now, not a cure."
    if after == before:
        return f"No change: {after} out of 10 before and after. That happens; one session often does little."
    return f"Your pain went up, from {before} to {after} out of 10. Please stop pressing for today."


def guide_text(key: str, args: dict, title_of: dict[str, str], press_seconds: int) -> str:
    """The wording of one guided-session message (`Say.key` of guide_flow)."""
    code = args.get("code")
    name = title_of.get(code, code or "")
    skip = " If you'd rather not say, press Skip." if args.get("may_skip") else ""
    these = "this point" if args.get("total") == 1 else f"these {args.get('total')} points"
    texts = {
        "ask_area": "Where does it hurt? For example lower back, neck, shoulders or a headache.",
        "ask_area_again": "Sorry, I didn't recognise the place. Tell me where it hurts, for example "
        '"my lower back" or "my neck".',
        "ask_side": "Which side hurts more: left, right, or both?",
        "invalid_side": "Sorry, I didn't catch the side. Left, right or both?" + skip,
        "ask_severity": f"How bad is the pain right now, from 0 to 10? ({_PAIN_SCALE})",
        "invalid_severity": f'Sorry, I need a number from 0 to 10 ({_PAIN_SCALE}), for example "6" '
        'or "really bad".' + skip,
        "invalid_range": "That is outside the scale: please give a number from 0 to 10." + skip,
        "ask_pregnancy": "Are you pregnant, or could you be? One of these points is traditionally avoided "
        "in pregnancy, so I'll leave it out if you are.",
        "invalid_pregnancy": "Sorry, I didn't catch that: are you pregnant, or could you be? Yes or no."
        + (" If you skip, I'll leave out the points avoided in pregnancy." if args.get("may_skip") else ""),
        "ask_screen": "One safety check before we start: do you have any numbness around your bottom or "
        "genitals, new trouble peeing or controlling your bowels, new weakness in your legs, a fever, "
        "or did this pain start after a fall or accident?",
        "invalid_screen": "Please answer yes or no: do you have any of those signs (numbness around your "
        "bottom or genitals, new bladder or bowel trouble, new leg weakness, fever, or a fall or accident)?",
        "screen_required": "I need a yes or no to this safety question before we press any points.",
        "screen_positive": "Thank you for telling me. Those signs need a clinician before any acupressure: "
        "please contact your GP or an urgent care service today (in the UK, NHS 111), and call your "
        "local emergency number if it is severe or getting worse. I won't guide you through points now.",
        "severe_first": severe_pain_warning(Severity(int(args.get("score") or 0), f"{args.get('score')}/10")),
        "clinician_first": f"Pain of {args.get('score')} out of 10 is strong: please arrange to see a "
        "doctor or physiotherapist. The points are only a gentle comfort measure meanwhile.",
        "helped_before": f"Last time {name} helped you, so we'll start with it.",
        "intro": f"Let's go through {these} one at a time. Stop at once if anything hurts sharply or you feel unwell.",
        "held_back": f"I'm leaving out {name}: {args.get('reason')}.",
        "first_step": "This is the first point, so here it is again.",
        "step_options": "Press Done when you've finished this point, or Repeat, Back, Skip or Stop.",
        "time_up": f"Time's up for {name} on this side: switch to the other side now, then press Done.",
        "none_pressed": "We didn't press any points this time. Whenever you're ready, I can guide you again.",
        "ask_after": "That's all the points. How is the pain now, from 0 to 10?",
        "invalid_after": f"Sorry, I need a number from 0 to 10 ({_PAIN_SCALE})." + skip,
        "compare": pain_change(args.get("before"), int(args.get("after") or 0)),
        "clinician": "Pain that is getting worse, or 8 or more out of 10, should be checked: please contact "
        "your GP or an urgent care service today, and call your local emergency number if it is severe "
        "and sudden.",
        "ask_helped": f"Did {name} help?",
        "invalid_helped": f"Did {name} help? Yes, no, or not sure.",
        "summary": _summary(args.get("helped") or [], title_of),
        "stopped": guided_stopped(bool(args.get("was_running"))),
        "paused": 'I\'ve paused the guided session. Say "continue" to carry on where we stopped.',
        "resumed": "Let's carry on where we stopped.",
        "no_session": 'There is no guided session running. Say "guide me" to start one.',
        "session_expired": "Last time we were in the middle of a guided session, but it has ended. "
        "Would you like to start again?",
    }
    return texts[key]


def _summary(helped: Sequence[str], title_of: dict[str, str]) -> str:
    if helped:
        names = _join([title_of.get(c, c) for c in helped])
        lead = f"Thank you. I'll remember that {names} helped and suggest it first next time. "
    else:
        lead = "Thank you. I'll remember that, and next time I'll put other points first. "
    return lead + CLINICIAN_REMINDER


# --- privacy: what is stored, forgetting (actions/privacy.py) ------------------------------

_PREGNANCY_WORDS = {
    "pregnant": "you told me you are pregnant",
    "possibly_pregnant": "you told me you might be pregnant",
    "not_pregnant": "you told me you are not pregnant",
}
_SIDE_NAMES = {"left": "left", "right": "right", "both": "both sides"}
_SAFETY_WORDS = {
    "urgent": "I advised you to get medical advice soon because of something you described",
    "emergency": "I advised you to get emergency help because of something you described",
}


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def stored_summary(
    messages: int, since: str | None, areas: Sequence[str], sides: Sequence[str], pregnancy: str | None,
    points: Sequence[str], results: Sequence[tuple[str, int, int]], safety: str | None,
) -> str:  # fmt: skip
    """What is stored about the person, in facts; never the words of their messages.
    `results` are (point title, times it helped, times it did not)."""
    if not messages and since is None:
        return (
            "I haven't stored anything about you yet: this is the start of our conversation. "
            'Once we talk, you can ask me "what do you know about me" again, or say "forget me" '
            "to delete it all."
        )
    count = "1 message" if messages == 1 else f"{messages} messages"
    lines = [f"Here is what I have stored about you: {count} from you" + (f", since {since}." if since else ".")]
    lines.append("- Where it hurts: " + (_join(list(areas)) if areas else "nothing noted"))
    if sides:
        lines.append("- Side: " + _join([_SIDE_NAMES.get(side, side) for side in sides]))
    lines.append("- Pregnancy: " + _PREGNANCY_WORDS.get(pregnancy or "", "not asked or not answered"))
    lines.append("- Points I showed you: " + (_join(list(points)) if points else "none yet"))
    for title, helped, not_helped in results:
        said = [f"helped {_times(helped)}"] if helped else []
        said += [f"did not help {_times(not_helped)}"] if not_helped else []
        lines.append(f"- {title}: you said it " + " and ".join(said))
    if safety in _SAFETY_WORDS:
        lines.append("- Safety: " + _SAFETY_WORDS[safety])
    lines.append(
        "I also keep the messages themselves, so I can follow our conversation. "
        'Say "forget me" and I will delete all of it.'
    )
    return "\n".join(lines)


def forgotten() -> str:
    return (
        "Done. I have deleted everything I had stored about you: your messages, where it hurts, "
        "your answers and the points I showed you. Your next message starts a new conversation, "
        "and I won't remember anything from this one."
    )


def forget_failed() -> str:
    return (
        "Sorry, I couldn't delete your conversation just now, so nothing was deleted. Please "
        'say "forget me" again in a moment.'
    )
