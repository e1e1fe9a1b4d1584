"""Reading and checking the red-flag lexicon (`catalogue/red_flags.yml`).

The file's header describes its sections for the people who review it; this module turns
them into compiled patterns, and raises DataFileError naming the file, the item and the
field when something does not fit. Matching a message against the result is triage.py's job.

Word groups: a group is a YAML list of alternatives, each a short regular expression; the
group matches any one of them. A group or a phrase refers to another group as {name}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR
from actions.core.yaml_io import read_mapping

RED_FLAGS_FILE = CATALOGUE_DIR / "red_flags.yml"
LEVELS = ("none", "urgent", "emergency")  # in rising order
KNOWN_NEEDS = ("pregnant", "age_over_50", "age_over_70")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"\{([a-z_]\w*)\}")  # {name}; regex counts such as {0,4} are left alone
# A phrase never starts inside a word ("no control" is not in "piano control") and ends at a
# word boundary; a phrase that starts with a space or a quote may follow a word.
_NOT_MID_WORD = r"(?:(?<!\w)|(?!\w))"

Patterns = tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class RedFlag:
    name: str
    concept: str  # the clinical concept it is a wording of (a label id of the classifier)
    level: str
    reason: str
    sources: tuple[str, ...]
    phrases: Patterns
    all_of: tuple[Patterns, ...]
    needs: tuple[str, ...]
    history: bool
    unless: Patterns


@dataclass(frozen=True)
class Lexicon:
    flags: tuple[RedFlag, ...]
    pregnant: Patterns
    not_pregnant: Patterns
    groups: dict[str, str]  # each group's regular expression, references expanded
    concepts: dict[str, str]  # concept id -> what it means, for reviewers

    def concept_flags(self, concept: str) -> tuple[RedFlag, ...]:
        return tuple(flag for flag in self.flags if flag.concept == concept)


def _expand_groups(path: Path, raw: Any) -> dict[str, str]:
    """Every group as one regular expression, with the groups it refers to filled in."""
    if not isinstance(raw, dict):
        raise DataFileError(path, "groups", "(section)", "must map names to lists of alternatives")
    for name, alternatives in raw.items():
        if not isinstance(alternatives, list) or not alternatives:
            raise DataFileError(path, f"groups.{name}", "(group)", "must be a non-empty list of alternatives")
        for i, alternative in enumerate(alternatives):
            if not isinstance(alternative, str) or not alternative:
                raise DataFileError(path, f"groups.{name}", f"[{i}]", "must be a non-empty regular expression")
    expanded: dict[str, str] = {}

    def expand(name: str, chain: tuple[str, ...]) -> str:
        if name in expanded:
            return expanded[name]
        if name in chain:
            raise DataFileError(path, f"groups.{name}", "(group)", f"refers to itself: {' -> '.join((*chain, name))}")
        parts = []
        for i, alternative in enumerate(raw[name]):

            def fill(match: re.Match[str], i: int = i) -> str:
                if match.group(1) not in raw:
                    raise DataFileError(path, f"groups.{name}", f"[{i}]", f"unknown group {{{match.group(1)}}}")
                return expand(match.group(1), (*chain, name))

            part = _REFERENCE.sub(fill, alternative)
            try:
                re.compile(part)
            except re.error as exc:
                problem = f"bad regular expression '{alternative}': {exc}"
                raise DataFileError(path, f"groups.{name}", f"[{i}]", problem) from exc
            parts.append(part)
        expanded[name] = f"(?:{'|'.join(parts)})"
        return expanded[name]

    for name in raw:
        expand(name, ())
    return expanded


def phrase_pattern(phrase: str, groups: dict[str, str]) -> re.Pattern[str]:
    """One phrase compiled: its {group}s filled in, never starting or ending inside a word.

    Raises KeyError for an unknown group and re.error for a bad regular expression.
    """
    expanded = _REFERENCE.sub(lambda m: groups[m.group(1)], phrase)
    return re.compile(rf"{_NOT_MID_WORD}(?:{expanded})\b")


def _compile(path: Path, item: str, field_name: str, raw: Any, groups: dict[str, str]) -> Patterns:
    """A list of phrases, each a regular expression that may use {group}."""
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        raise DataFileError(path, item, field_name, "must be a list of regular expressions")
    compiled = []
    for pattern in raw:
        unknown = [name for name in _REFERENCE.findall(pattern) if name not in groups]
        if unknown:
            raise DataFileError(path, item, field_name, f"unknown group {{{unknown[0]}}} in '{pattern}'")
        try:
            compiled.append(phrase_pattern(pattern, groups))
        except re.error as exc:
            raise DataFileError(path, item, field_name, f"bad regular expression '{pattern}': {exc}") from exc
    return tuple(compiled)


def _flag(path: Path, name: str, raw: Any, groups: dict[str, str]) -> RedFlag:
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
    raw_all_of = raw.get("all_of") or []
    if not isinstance(raw_all_of, list):
        raise DataFileError(path, name, "all_of", "must be a list of parts")
    all_of = tuple(
        _compile(path, name, f"all_of[{i}]", part if isinstance(part, list) else [part], groups)
        for i, part in enumerate(raw_all_of)
    )
    if not phrases and not all_of:
        raise DataFileError(path, name, "phrases", "a flag needs phrases or all_of groups")
    concept = raw.get("concept", name)
    if not isinstance(concept, str) or not _IDENTIFIER.match(concept):
        raise DataFileError(path, name, "concept", "must be a concept id (lower case, digits and _)")
    return RedFlag(
        name=name, concept=concept, level=raw["level"], reason=" ".join(reason.split()), sources=tuple(sources),
        phrases=phrases, all_of=all_of, needs=needs, history=bool(raw.get("history", False)),
        unless=_compile(path, name, "unless", raw.get("unless", []), groups),
    )  # fmt: skip


def read_lexicon(path: Path = RED_FLAGS_FILE) -> Lexicon:
    """Read and check the lexicon; raises DataFileError naming file, item and field."""
    data = read_mapping(path)
    groups = _expand_groups(path, data.get("groups") or {})
    raw_flags = data.get("flags")
    if not isinstance(raw_flags, dict) or not raw_flags:
        raise DataFileError(path, "flags", "(section)", "must be a non-empty mapping")
    flags = tuple(_flag(path, name, raw, groups) for name, raw in raw_flags.items())
    concepts = _concepts(path, data.get("concepts"), flags)
    pregnancy = data.get("pregnancy")
    if not isinstance(pregnancy, dict):
        raise DataFileError(path, "pregnancy", "(section)", "must have phrases and not_pregnant")
    return Lexicon(
        flags=flags,
        pregnant=_compile(path, "pregnancy", "phrases", pregnancy.get("phrases"), groups),
        not_pregnant=_compile(path, "pregnancy", "not_pregnant", pregnancy.get("not_pregnant"), groups),
        groups=groups,
        concepts=concepts,
    )


def _concepts(path: Path, raw: Any, flags: tuple[RedFlag, ...]) -> dict[str, str]:
    """The concepts section (a list of ids, or ids mapped to what they mean), checked against the flags:
    every flag's concept is listed, every listed concept has a flag, one concept has one level."""
    if isinstance(raw, list) and all(isinstance(c, str) for c in raw):
        concepts = dict.fromkeys(raw, "")
    elif isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values()):
        concepts = {str(k): " ".join(v.split()) for k, v in raw.items()}
    else:
        raise DataFileError(path, "concepts", "(section)", "must list concept ids, or map them to what they mean")
    for concept in concepts:
        if not _IDENTIFIER.match(concept):
            raise DataFileError(path, f"concepts.{concept}", "(concept)", "must be lower case, digits and _")
    level_of: dict[str, RedFlag] = {}
    for flag in flags:
        if flag.concept not in concepts:
            raise DataFileError(path, flag.name, "concept", f"'{flag.concept}' is not in the concepts section")
        first = level_of.setdefault(flag.concept, flag)
        if flag.level != first.level:
            problem = f"must be {first.level}, like {first.name}: flags of concept {flag.concept} share one level"
            raise DataFileError(path, flag.name, "level", problem)
    for concept in concepts:
        if concept not in level_of:
            raise DataFileError(path, f"concepts.{concept}", "(concept)", "no flag has this concept")
    return concepts
