"""Read severity and duration out of what a person said.

Both come from the NLU's entities when it found them and from the raw text otherwise,
because a missed "9/10" must still put the clinician reminder first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR
from actions.core.yaml_io import read_mapping

SEVERE_THRESHOLD = 7
LASTING_DAYS = 42  # NHS advice: see a GP or physio when pain has not improved in ~6 weeks

# "8/10", "7 out of 10", "9 from 10", "6 of 10"
_SCORE = re.compile(r"\b(10|[0-9])(?:[.,]5)?\s*(?:/|out of|outta|of|from)\s*(?:10|ten)\b")
_BARE_SCORE = re.compile(r"^\s*(10|[0-9])\s*$")
_SCORE_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
# "seven out of ten" and a bare "seven" as the answer to "how bad is it?"
_WORD_SCORE = re.compile(rf"\b({'|'.join(_SCORE_WORDS)})\b(?=\s*(?:/|out of|outta|of|from)\s*(?:10|ten)\b|\s*$)")
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
    lowered = _WORD_SCORE.sub(lambda word: str(_SCORE_WORDS[word.group(1)]), lowered)
    match = _SCORE.search(lowered) or _BARE_SCORE.match(lowered)
    if match:
        return Severity(score=int(match.group(1)), phrase=f"{match.group(1)}/10")
    for score, pattern in severity_words():
        word = pattern.search(lowered)
        if word:
            return Severity(score=score, phrase=word.group(0))
    return None


SEVERITY_WORDS_FILE = CATALOGUE_DIR / "severity_words.yml"


@lru_cache(maxsize=1)
def severity_words(path: Path = SEVERITY_WORDS_FILE) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """Each level's words as one pattern, strongest level first (the first match wins)."""
    levels = read_mapping(path).get("levels")
    if not isinstance(levels, dict) or not levels:
        raise DataFileError(path, "levels", "(section)", "must map scores 0-10 to lists of words")
    table = []
    for score, words in levels.items():
        if not isinstance(score, int) or not 0 <= score <= 10:
            raise DataFileError(path, f"levels.{score}", "(key)", "must be a whole number from 0 to 10")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(path, f"levels.{score}", "(words)", "must be a list of non-empty strings")
        try:
            table.append((score, re.compile(r"\b(?:" + "|".join(words) + r")\b")))
        except re.error as exc:
            raise DataFileError(path, f"levels.{score}", "(words)", f"is not a valid expression: {exc}") from exc
    return tuple(sorted(table, key=lambda item: -item[0]))


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
