"""Deterministic red-flag triage of one message, with negation, time and experiencer.

The lexicon (`catalogue/red_flags.yml`) says which phrases raise which flag. This module
decides whether a phrase that was found really applies to the person now:

- negated:     "no numbness", "I don't have a fever", "numbness in my bum? no, that's fine"
- in the past: "had a fever last year", "when I was pregnant with my son"
- someone else: "my mum had cancer"

Negation is read from spaCy tokens (a blank English tokenizer, so "don't" is split into
"do" + "n't"); clauses are split at punctuation and at words like "but" that end a
negation's reach. spaCy is imported on first use, so processes that only read results
(the action server) never load it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR
from actions.core.yaml_io import read_mapping

RED_FLAGS_FILE = CATALOGUE_DIR / "red_flags.yml"
LEVELS = ("none", "urgent", "emergency")  # in rising order
KNOWN_NEEDS = ("pregnant", "age_over_50", "age_over_70")

NEGATION_CUES = {
    "no", "not", "n't", "never", "without", "nor", "neither", "none", "deny", "denies",
    "denied", "nope", "nothing", "negative", "free", "zero", "nt",
}  # fmt: skip
# Words after a phrase that take it back: "bladder control is fine", "numb bum? no".
POST_NEGATION = {"fine", "normal", "ok", "okay", "none", "no", "nope", "nah", "absent"}
NEGATION_WINDOW = 6  # tokens before a phrase that a cue may stand in
_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]+|,?\s+\b(?:but|however|although|though|whereas|except|apart from|other than|yet)\b|"
    r",?\s+\band (?=(?:i|i'm|im|i've|ive|my|it|it's|its|now|then|today|there)\b)"
)
_PAST = re.compile(
    r"\b(?:last|past) (?:year|summer|winter|spring|autumn|fall|christmas|decade)\b|"
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|a couple of|couple of|several|"
    r"many|some) (?:years?|decades?|months?) ago\b|\b(?:long time|ages|years|donkey's years) ago\b|"
    r"\bas a (?:child|kid|teenager|teen|baby|student)\b|"
    r"\bwhen i was (?:younger|young|little|small|a kid|a child|a teenager|a teen|at school|pregnant)\b|"
    r"\bused to\b|\bin (?:19|20)\d\d\b|\bback in\b|\bin the past\b|"
    r"\bbefore (?:i had|my) (?:kids|children|son|daughter)\b|"
    r"\b(?:with|during) my (?:last|first|previous|other) (?:pregnancy|baby|child)\b"
)
_OTHER_PERSON = re.compile(
    r"\bmy (?:mum|mom|mother|dad|father|wife|husband|partner|boyfriend|girlfriend|friend|sister|brother|"
    r"gran|granny|grandma|grandmother|grandad|grandpa|grandfather|nan|nana|aunt|auntie|uncle|son|daughter|"
    r"child|kids?|children|boss|colleague|neighbou?r|dog|cat|cousin|niece|nephew)\b|"
    r"\b(?:he|she|they) (?:has|had|have|is|was|were|got|gets)\b"
)
_AGE = [
    re.compile(r"\b(\d{1,3}) ?[- ]?(?:years?|yrs?|yr) ?[- ]?old\b"),
    re.compile(r"\baged? (\d{1,3})\b"),
    re.compile(r"\b(\d{2}) ?(?:y/o|yo)\b"),
    re.compile(r"\b(?:i'm|im|i am) (\d{2})\b(?! ?(?:weeks?|wks?|months?|days?|hours?|mins?|minutes|"
               r"kg|kilos?|stone|lbs?|%|/|out of|cm|times))"),
    re.compile(r"\bin my (\d)0s\b"),
]  # fmt: skip
_WEEKS = re.compile(r"\b(\d{1,2}) ?(?:weeks?|wks?|wk)\b")
_MONTHS = re.compile(r"\b(\d) ?months?\b")


@dataclass(frozen=True)
class Facts:
    """What is known about the person; remembered across the conversation."""

    pregnant: bool | None = None
    pregnancy_weeks: int | None = None
    age: int | None = None

    def updated_by(self, newer: Facts) -> Facts:
        """These facts with whatever `newer` says instead (None keeps the old value)."""
        return Facts(
            pregnant=self.pregnant if newer.pregnant is None else newer.pregnant,
            pregnancy_weeks=newer.pregnancy_weeks if newer.pregnancy_weeks is not None else self.pregnancy_weeks,
            age=newer.age if newer.age is not None else self.age,
        )

    def satisfies(self, need: str) -> bool:
        if need == "pregnant":
            return self.pregnant is True
        if need == "age_over_50":
            return self.age is not None and self.age >= 50
        if need == "age_over_70":
            return self.age is not None and self.age >= 70
        return False


@dataclass(frozen=True)
class FlagHit:
    flag: str
    level: str
    reason: str
    evidence: str  # the words that raised it
    needs: tuple[str, ...] = ()  # facts that must hold for the hit to count ("pregnant")


@dataclass(frozen=True)
class Assessment:
    level: str
    hits: tuple[FlagHit, ...] = ()
    facts: Facts = field(default_factory=Facts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "hits": [{**asdict(hit), "needs": list(hit.needs)} for hit in self.hits],
            "facts": asdict(self.facts),
        }

    @staticmethod
    def from_dict(data: Any) -> Assessment:
        """Rebuild from parse data; anything malformed reads as no flags."""
        if not isinstance(data, dict):
            return Assessment("none")
        hits = []
        for hit in data.get("hits") or []:
            if isinstance(hit, dict) and hit.get("level") in LEVELS:
                hits.append(FlagHit(str(hit.get("flag")), hit["level"], str(hit.get("reason", "")),
                                    str(hit.get("evidence", "")), tuple(hit.get("needs") or ())))  # fmt: skip
        raw_facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
        facts = Facts(**{k: v for k, v in raw_facts.items() if k in Facts.__dataclass_fields__})
        level = data.get("level") if data.get("level") in LEVELS else "none"
        return Assessment(level, tuple(hits), facts)

    def resolved(self, remembered: Facts) -> Assessment:
        """The assessment once facts from earlier turns are added ("pregnant" + "bleeding")."""
        facts = remembered.updated_by(self.facts)
        hits = tuple(h for h in self.hits if all(facts.satisfies(need) for need in h.needs))
        return Assessment(_top_level(hits), hits, facts)


@dataclass(frozen=True)
class RedFlag:
    name: str
    level: str
    reason: str
    sources: tuple[str, ...]
    phrases: tuple[re.Pattern[str], ...]
    all_of: tuple[tuple[re.Pattern[str], ...], ...]
    needs: tuple[str, ...]
    history: bool
    unless: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy  # noqa: PLC0415 - deferred: only the process that triages pays for spaCy

    return spacy.blank("en").tokenizer


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pairs; a negation or a time phrase reaches no further than its clause."""
    parts, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        parts.append((start, text[start : match.start()]))
        start = match.end()
    parts.append((start, text[start:]))
    return [(offset, clause) for offset, clause in parts if clause.strip()]


def _is_negated(clause: str, start: int, end: int) -> bool:
    before = [t.lower_ for t in _tokenizer()(clause[:start])][-NEGATION_WINDOW:]
    # "not sure if" and "no idea whether" express doubt, not absence: keep the flag.
    doubt = any(
        a in ("not", "no") and b in ("sure", "idea", "certain") for a, b in zip(before, before[1:], strict=False)
    )
    if not doubt and NEGATION_CUES.intersection(before):
        return True
    after = [t.lower_ for t in _tokenizer()(clause[end:])][:4]
    return bool(POST_NEGATION.intersection(after))


def _applies(clause: str, start: int, end: int, history: bool) -> bool:
    if _is_negated(clause, start, end) or _OTHER_PERSON.search(clause):
        return False
    return history or not _PAST.search(clause)


def _find(patterns: tuple[re.Pattern[str], ...], clauses: list[tuple[int, str]], history: bool,
          unless: tuple[re.Pattern[str], ...] = ()) -> str | None:  # fmt: skip
    """The first phrase from `patterns` that applies to the person now, or None."""
    for _, clause in clauses:
        if any(u.search(clause) for u in unless):
            continue
        for pattern in patterns:
            for match in pattern.finditer(clause):
                if _applies(clause, match.start(), match.end(), history):
                    return match.group(0)
    return None


def _age(text: str) -> int | None:
    for pattern in _AGE:
        match = pattern.search(text)
        if match:
            value = int(match.group(1))
            value = value * 10 if pattern.pattern.startswith(r"\bin my") else value
            if 1 <= value <= 115:
                return value
    return None


class RedFlagChecker:
    """Runs every red flag of the lexicon over a message."""

    def __init__(self, flags: list[RedFlag], pregnant: tuple[re.Pattern[str], ...],
                 not_pregnant: tuple[re.Pattern[str], ...]) -> None:  # fmt: skip
        self.flags = flags
        self._pregnant = pregnant
        self._not_pregnant = not_pregnant

    def facts_in(self, text: str) -> Facts:
        """Pregnancy and age stated in the message itself."""
        normal = _normalise(text)
        clauses = _clauses(normal)
        pregnant: bool | None = None
        if any(p.search(clause) for p in self._not_pregnant for _, clause in clauses):
            pregnant = False
        elif _find(self._pregnant, clauses, history=False):
            pregnant = True
        weeks = None
        if pregnant:
            found = _WEEKS.search(normal) or _MONTHS.search(normal)
            if found:
                weeks = int(found.group(1)) * (1 if found.re is _WEEKS else 4)
        return Facts(pregnant=pregnant, pregnancy_weeks=weeks, age=_age(normal))

    def assess(self, text: str, known: Facts | None = None) -> Assessment:
        """Triage one message; `known` carries facts from earlier in the conversation.

        Hits whose `needs` the facts do not meet yet are kept (with their needs) so a later
        `resolved()` with remembered facts can count them; they do not raise the level.
        """
        return self._candidates(text).resolved(known or Facts())

    def _candidates(self, text: str) -> Assessment:
        clauses = _clauses(_normalise(text))
        hits = []
        for flag in self.flags:
            evidence = _find(flag.phrases, clauses, flag.history, flag.unless) if flag.phrases else None
            if evidence is None and flag.all_of:
                parts = [_find(group, clauses, flag.history, flag.unless) for group in flag.all_of]
                evidence = " + ".join(p for p in parts if p) if all(parts) else None
            if evidence:
                hits.append(FlagHit(flag.name, flag.level, flag.reason, evidence, flag.needs))
        hits.sort(key=lambda hit: -LEVELS.index(hit.level))
        return Assessment("none", tuple(hits), self.facts_in(text))

    def candidates(self, text: str) -> Assessment:
        """Every hit in the message, including those that need remembered facts."""
        candidates = self._candidates(text)
        confirmed = candidates.resolved(Facts())
        return Assessment(confirmed.level, candidates.hits, candidates.facts)


def _top_level(hits: tuple[FlagHit, ...]) -> str:
    return max((hit.level for hit in hits), key=LEVELS.index, default="none")


def _compile(path: Path, item: str, field_name: str, raw: Any, groups: dict[str, str]) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        raise DataFileError(path, item, field_name, "must be a list of regular expressions")
    compiled = []
    for pattern in raw:
        expanded = re.sub(r"\{(\w+)\}", lambda m: groups.get(m.group(1), m.group(0)), pattern)
        if re.search(r"\{\w+\}", expanded):
            raise DataFileError(path, item, field_name, f"unknown group in '{pattern}'")
        try:
            compiled.append(re.compile(rf"\b(?:{expanded})\b" if expanded[0].isalnum() else rf"(?:{expanded})\b"))
        except re.error as exc:
            raise DataFileError(path, item, field_name, f"bad regular expression '{pattern}': {exc}") from exc
    return tuple(compiled)


def load_red_flags(path: Path = RED_FLAGS_FILE) -> RedFlagChecker:
    """Read and check the red-flag lexicon; raises DataFileError naming file, flag and field."""
    data = read_mapping(path)
    groups = data.get("groups") or {}
    if not isinstance(groups, dict) or not all(isinstance(v, str) for v in groups.values()):
        raise DataFileError(path, "groups", "(section)", "must map names to regular expressions")
    raw_flags = data.get("flags")
    if not isinstance(raw_flags, dict) or not raw_flags:
        raise DataFileError(path, "flags", "(section)", "must be a non-empty mapping")
    flags = []
    for name, raw in raw_flags.items():
        if not isinstance(raw, dict):
            raise DataFileError(path, name, "(flag)", "must be a mapping")
        if raw.get("level") not in ("emergency", "urgent"):
            raise DataFileError(path, name, "level", "must be emergency or urgent")
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise DataFileError(path, name, "reason", "must be a non-empty string")
        sources = raw.get("sources")
        if not isinstance(sources, list) or not sources:
            raise DataFileError(path, name, "sources", "must list at least one source")
        needs = tuple(raw.get("needs") or ())
        if any(need not in KNOWN_NEEDS for need in needs):
            raise DataFileError(path, name, "needs", f"must be among {', '.join(KNOWN_NEEDS)}")
        phrases = _compile(path, name, "phrases", raw.get("phrases", []), groups)
        all_of = tuple(_compile(path, name, f"all_of[{i}]", g, groups) for i, g in enumerate(raw.get("all_of") or []))
        if not phrases and not all_of:
            raise DataFileError(path, name, "phrases", "a flag needs phrases or all_of groups")
        flags.append(RedFlag(
            name=name, level=raw["level"], reason=" ".join(reason.split()), sources=tuple(sources),
            phrases=phrases, all_of=all_of, needs=needs, history=bool(raw.get("history", False)),
            unless=_compile(path, name, "unless", raw.get("unless", []), groups),
        ))  # fmt: skip
    pregnancy = data.get("pregnancy")
    if not isinstance(pregnancy, dict):
        raise DataFileError(path, "pregnancy", "(section)", "must have phrases and not_pregnant")
    return RedFlagChecker(
        flags,
        _compile(path, "pregnancy", "phrases", pregnancy.get("phrases"), groups),
        _compile(path, "pregnancy", "not_pregnant", pregnancy.get("not_pregnant"), groups),
    )


@lru_cache(maxsize=1)
def default_checker() -> RedFlagChecker:
    """The project's red-flag checker, loaded once per process."""
    return load_red_flags()


def higher(level_a: str, level_b: str) -> str:
    """The more serious of two triage levels."""
    return max(level_a, level_b, key=lambda level: LEVELS.index(level) if level in LEVELS else 0)
