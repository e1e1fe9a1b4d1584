"""Read the short answers of a guided session: a pain score, a side, a yes or a no.

Pure functions over the message text; the state machine (guide_flow) decides what an
answer means at each step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.core.symptoms import severity_of

_NUMBER_WORDS = {
    "zero": 0, "nil": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_NUMBER = r"(-?\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
# "7/10", "7 out of 10", "9 from 10", "seven of ten": the first number is the score.
_SCALED = re.compile(rf"\b{_NUMBER}\s*(?:/|out of|outta|from|of)\s*(?:10|ten)\b")
_ANY_NUMBER = re.compile(rf"(?<![\w.]){_NUMBER}(?![\w])")
# Answers that say there is no pain left; "no change" is not one of them.
_NO_PAIN = re.compile(r"\b(?:no pain|pain[- ]free|it'?s gone|gone now|all gone|doesn'?t hurt|nothing)\b")


@dataclass(frozen=True)
class PainAnswer:
    score: int | None  # 0..10 when understood
    out_of_range: bool = False  # a number was given, but not on the 0-10 scale


def _number(token: str) -> float:
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token.replace(",", "."))


def read_pain(text: str) -> PainAnswer:
    """A 0-10 score from "7", "7/10", "seven", "9 from 10", "really bad" or "no pain"."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    match = _SCALED.search(lowered)
    numbers = [match.group(1)] if match else _ANY_NUMBER.findall(lowered)
    if numbers:
        value = _number(numbers[0])
        if 0 <= value <= 10:
            return PainAnswer(score=int(round(value)))
        return PainAnswer(score=None, out_of_range=True)
    if _NO_PAIN.search(lowered):
        return PainAnswer(score=0)
    # Words only: the symptom reader's scale ("really bad" 7, "mild" 2, "unbearable" 9).
    severity = severity_of([lowered])
    return PainAnswer(score=severity.score if severity else None)


_LEFT = re.compile(r"\b(?:left|lft)\b")
_RIGHT = re.compile(r"\b(?:right|rite)\b")
_BOTH = re.compile(r"\b(?:both|either|each|middle|centre|center|all over|don'?t know|not sure)\b")


def read_side(text: str) -> str | None:
    """left | right | both, or None when the answer names no side."""
    lowered = text.lower()
    left, right = bool(_LEFT.search(lowered)), bool(_RIGHT.search(lowered))
    if (left and right) or _BOTH.search(lowered):
        return "both"
    if left:
        return "left"
    if right:
        return "right"
    return None


# What a bare answer to "Which side hurts more?" holds besides the side: nothing of a symptom.
_SIDE_WORDS = re.compile(
    r"\b(?:the|one|ones|side|sides|on|of|my|it'?s|its|is|more|mostly|probably|maybe|i think|i'?d say|"
    r"both|left|right|lft|rite|either|each|middle|centre|center|all over|don'?t know|not sure|dunno|and|"
    r"sort of|kind of|a bit|equally|same|really|please|thanks)\b|[^\w\s']"
)
# Complaints whose sides are legs: there "both" places the symptoms in both legs (with
# sciatica, a red flag), so the answer is still read together with the earlier messages.
LEG_COMPLAINTS = frozenset({"sciatica", "leg", "calf"})


def names_only_a_side(text: str) -> bool:
    """Whether the message is only a side ("both", "the left one", "right side mostly")."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    return read_side(lowered) is not None and not _SIDE_WORDS.sub(" ", lowered).strip()


def side_answer_without_symptoms(text: str, complaints: list[str] | tuple[str, ...]) -> bool:
    """A bare side answer about an area whose sides are not legs: "both" after "my lower back
    is stiff" means both sides of the back, and read with that message the red-flag
    classifier took it for symptoms in both legs (2026-12-01)."""
    return names_only_a_side(text) and not LEG_COMPLAINTS.intersection(complaints)


_YES = re.compile(r"^\s*(?:y|yes|yeah|yep|yup|ya|sure|ok|okay|it did|it helped|helped|a bit|a little|some)\b")
_NO = re.compile(r"^\s*(?:n|no|nope|nah|not really|none|didn'?t|it didn'?t|not at all|no change)\b")


def read_yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when neither (intents come first; this reads text)."""
    lowered = text.lower().replace("’", "'")
    if _NO.search(lowered):
        return False
    if _YES.search(lowered):
        return True
    return None


_GUIDING = re.compile(
    r"\b(?:guide me|guide us|walk me through|talk me through|take me through|step by step|"
    r"one (?:point )?at a time|guided session|guided routine)\b"
)


def wants_guiding(text: str) -> bool:
    """The message asks to be guided ("guide me, my lower back is stiff"), whatever else it says."""
    return bool(_GUIDING.search(text.lower()))
