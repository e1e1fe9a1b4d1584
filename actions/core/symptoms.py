"""Read severity and duration out of what a person said.

Both come from the NLU's entities when it found them and from the raw text otherwise,
because a missed "9/10" must still put the clinician reminder first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SEVERE_THRESHOLD = 7
LASTING_DAYS = 42  # NHS advice: see a GP or physio when pain has not improved in ~6 weeks

_SCORE = re.compile(r"\b(10|[0-9])(?:[.,]5)?\s*(?:/|out of|outta|of)\s*10\b")
_BARE_SCORE = re.compile(r"^\s*(10|[0-9])\s*$")
# Words and phrases people use for pain, strongest first; the first hit wins.
_WORD_SCORES: tuple[tuple[str, int], ...] = (
    (r"worst (?:\w+ )?(?:ever|of my life|i'?ve ever had|i have ever had)", 10),
    (r"unbearable|excruciating|agony|agonising|agonizing|can'?t bear|cannot bear|intolerable", 9),
    (r"screaming|crippling|debilitating|horrendous|killing me|can'?t move|cannot move", 8),
    (r"severe|terrible|awful|really bad|very bad|extreme|intense", 7),
    (r"moderate|quite bad|pretty bad|bad", 5),
    (r"mild|slight|a bit|a little|little|niggl\w*|minor", 2),
)
_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple": 2, "few": 3, "several": 4,
    "many": 6,
}  # fmt: skip
_DURATION = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple(?: of)?|few|several|many)?"
    r"\s*(day|night|week|fortnight|month|year)s?\b"
    # "30 weeks pregnant" or "20 weeks along" is how far a pregnancy is, not how long it hurts.
    r"(?!\s+(?:pregnant|gone|along|pg)\b)"
)


@dataclass(frozen=True)
class Severity:
    score: int  # 0..10
    phrase: str

    @property
    def is_severe(self) -> bool:
        return self.score >= SEVERE_THRESHOLD


def severity_of(values: Iterable[str]) -> Severity | None:
    """The strongest severity named by any of the values (entity values or whole text)."""
    best: Severity | None = None
    for value in values:
        found = _severity_in(value)
        if found and (best is None or found.score > best.score):
            best = found
    return best


def _severity_in(text: str) -> Severity | None:
    lowered = text.lower().replace("’", "'")
    match = _SCORE.search(lowered) or _BARE_SCORE.match(lowered)
    if match:
        return Severity(score=int(match.group(1)), phrase=f"{match.group(1)}/10")
    for pattern, score in _WORD_SCORES:
        word = re.search(rf"\b(?:{pattern})\b", lowered)
        if word:
            return Severity(score=score, phrase=word.group(0))
    return None


def duration_days(values: Iterable[str]) -> int | None:
    """The longest duration named, in days ('3 weeks' -> 21, 'months' -> 60)."""
    longest: int | None = None
    for value in values:
        for match in _DURATION.finditer(value.lower()):
            count_text, unit = match.group(1), match.group(2)
            if count_text is None:
                # A bare plural ("for months") means at least two of them.
                count = 2 if match.group(0).rstrip().endswith("s") else 1
            else:
                count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS[count_text.split()[0]]
            days = count * _UNIT_DAYS[unit]
            longest = days if longest is None else max(longest, days)
    return longest
