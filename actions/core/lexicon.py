"""Reading and checking the red-flag lexicon (`catalogue/red_flags.yml`).

The file's header describes its sections for the people who review it; this module turns
them into compiled patterns, and raises DataFileError naming the file, the item and the
field when something does not fit. Matching a message against the result is triage.py's job.

Word groups: a group is a YAML list of alternatives, each a short regular expression; the
group matches any one of them. A group or a phrase refers to another group as {name}.
"""

from __future__ import annotations

import re
import sre_constants
import sre_parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR
from actions.core.yaml_io import read_mapping

RED_FLAGS_FILE = CATALOGUE_DIR / "red_flags.yml"
LEVELS = ("none", "urgent", "emergency")  # in rising order
KNOWN_NEEDS = ("pregnant", "age_over_50", "age_over_70")
WITHIN = ("message", "sentence", "clause")  # where the parts of an all_of must be found together
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"\{([a-z_]\w*)\}")  # {name}; regex counts such as {0,4} are left alone
# A phrase never starts inside a word ("no control" is not in "piano control") and ends at a
# word boundary; a phrase that starts with a space or a quote may follow a word.
_NOT_MID_WORD = r"(?:(?<!\w)|(?!\w))"

Patterns = tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Wording:
    """How a flag or a situation is said: any phrase, or every part of all_of; none in an unless clause."""

    phrases: Patterns
    all_of: tuple[Patterns, ...]
    unless: Patterns
    history: bool = False  # a past mention still counts ("had cancer 5 years ago")
    someone_else: bool = False  # it counts when it is about someone else too ("his face is drooping")
    within: str = "message"  # where all the all_of parts must be found: message, sentence or clause
    unless_within: str = "clause"  # where an unless phrase takes the flag back: clause, sentence or message


@dataclass(frozen=True)
class ZoneRule:
    """Body zones where no point may be pressed when a flag or situation is found."""

    zones: tuple[str, ...] = ()
    only_named: bool = False  # only the zones the message names (all of them if it names none)


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
    someone_else: bool = False
    within: str = "message"
    rules_out: ZoneRule = ZoneRule()
    unless_within: str = "clause"

    @property
    def wording(self) -> Wording:
        return Wording(self.phrases, self.all_of, self.unless, self.history, self.someone_else, self.within,
                       self.unless_within)  # fmt: skip


@dataclass(frozen=True)
class Situation:
    """Not a reason to see a doctor, but a reason not to press points in some zones."""

    name: str
    advice: str  # one plain sentence for the user
    wording: Wording
    rules_out: ZoneRule


@dataclass(frozen=True)
class Lexicon:
    flags: tuple[RedFlag, ...]
    pregnant: Patterns
    not_pregnant: Patterns
    groups: dict[str, str]  # each group's regular expression, references expanded
    concepts: dict[str, str]  # concept id -> what it means, for reviewers
    zones: dict[str, re.Pattern[str]] = field(default_factory=dict)  # zone -> the words that name it
    situations: tuple[Situation, ...] = ()
    # zone named in a message -> the catalogue's point zones on or near it (points.yml)
    reach: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # concept -> words a message must have for the classifier's reading of it to count
    classifier_cues: dict[str, Patterns] = field(default_factory=dict)
    # a message made only of these words is not read by the classifier ("my back hurts")
    plain_complaint_words: frozenset[str] = frozenset()

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
    # The same rule, written the cheapest way for how the phrase can start (a lookaround
    # before every position makes the regex engine try each one: twice the time).
    starts = _first_characters(sre_parse.parse(expanded))
    prefix = {"word": r"(?<!\w)", "other": ""}.get(starts or "", _NOT_MID_WORD)
    return re.compile(rf"{prefix}(?:{expanded})\b")


def _first_characters(items: Any) -> str | None:
    """ "word" or "other" when every match of the parsed pattern starts with a word character
    or with another one, "both" when it may do either or is not known, None when it may be empty."""
    kinds: set[str] = set()
    for op, av in items:
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue  # takes no character: the next item starts the match
        if op is sre_constants.LITERAL:
            return _joined(kinds, "word" if re.match(r"\w", chr(av)) else "other")
        if op is sre_constants.SUBPATTERN:
            first = _first_characters(av[-1])
        elif op is sre_constants.BRANCH:
            branches = [_first_characters(branch) for branch in av[1]]
            if None in branches:
                return "both"
            first = _joined(set(branches), None)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            first = _first_characters(av[2])
            if av[0] == 0:  # may be left out: what follows may start the match too
                if first is None:
                    continue
                kinds.add(first)
                continue
        elif op is sre_constants.IN:
            first = _joined({_set_item(o, a) for o, a in av}, None)
        else:
            return "both"
        if first is None:
            continue
        return _joined(kinds, first)
    return "both" if kinds else None  # it may match nothing at all


def _set_item(op: Any, av: Any) -> str:
    """What kind of character one item of a [...] set or a \\d, \\w, \\s is."""
    if op is sre_constants.LITERAL:
        return "word" if re.match(r"\w", chr(av)) else "other"
    if op is sre_constants.RANGE and all(re.match(r"\w", chr(c)) for c in range(av[0], av[1] + 1)):
        return "word"
    if op is sre_constants.CATEGORY and av in (sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_WORD):
        return "word"
    if op is sre_constants.CATEGORY and av is sre_constants.CATEGORY_SPACE:
        return "other"
    return "both"


def _joined(kinds: set[str], more: str | None) -> str:
    kinds = kinds | ({more} if more else set())
    return kinds.pop() if len(kinds) == 1 else "both"


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


def _wording(path: Path, name: str, raw: dict[str, Any], groups: dict[str, str]) -> Wording:
    phrases = _compile(path, name, "phrases", raw.get("phrases", []), groups)
    raw_all_of = raw.get("all_of") or []
    if not isinstance(raw_all_of, list):
        raise DataFileError(path, name, "all_of", "must be a list of parts")
    all_of = tuple(
        _compile(path, name, f"all_of[{i}]", part if isinstance(part, list) else [part], groups)
        for i, part in enumerate(raw_all_of)
    )
    if not phrases and not all_of:
        raise DataFileError(path, name, "phrases", "needs phrases or all_of parts")
    for key in ("history", "someone_else"):
        if not isinstance(raw.get(key, False), bool):
            raise DataFileError(path, name, key, "must be true or false")
    within = raw.get("within", "message")
    if within not in WITHIN:
        raise DataFileError(path, name, "within", f"must be one of {', '.join(WITHIN)}")
    if "within" in raw and not all_of:
        raise DataFileError(path, name, "within", "is about all_of parts, and there are none")
    unless = _compile(path, name, "unless", raw.get("unless", []), groups)
    unless_within = raw.get("unless_within", "clause")
    if unless_within not in WITHIN or ("unless_within" in raw and not unless):
        raise DataFileError(path, name, "unless_within", f"must be one of {', '.join(WITHIN)}, with unless phrases")
    return Wording(phrases, all_of, unless, raw.get("history", False), raw.get("someone_else", False),
                   within, unless_within)  # fmt: skip


def _zone_rule(path: Path, name: str, raw: dict[str, Any], zones: dict[str, re.Pattern[str]]) -> ZoneRule:
    listed = raw.get("rules_out", [])
    if not isinstance(listed, list) or not all(isinstance(zone, str) for zone in listed):
        raise DataFileError(path, name, "rules_out", "must be a list of zone names")
    unknown = [zone for zone in listed if zone not in zones]
    if unknown:
        raise DataFileError(path, name, "rules_out", f"unknown zone '{unknown[0]}': zones are {', '.join(zones)}")
    only_named = raw.get("only_named_zones", False)
    if not isinstance(only_named, bool) or (only_named and not listed):
        raise DataFileError(path, name, "only_named_zones", "must be true or false, and needs rules_out")
    return ZoneRule(tuple(listed), only_named)


def _flag(path: Path, name: str, raw: Any, groups: dict[str, str], zones: dict[str, re.Pattern[str]]) -> RedFlag:
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
    concept = raw.get("concept", name)
    if not isinstance(concept, str) or not _IDENTIFIER.match(concept):
        raise DataFileError(path, name, "concept", "must be a concept id (lower case, digits and _)")
    wording = _wording(path, name, raw, groups)
    return RedFlag(
        name=name, concept=concept, level=raw["level"], reason=" ".join(reason.split()), sources=tuple(sources),
        phrases=wording.phrases, all_of=wording.all_of, needs=needs, history=wording.history,
        unless=wording.unless, someone_else=wording.someone_else, within=wording.within,
        rules_out=_zone_rule(path, name, raw, zones), unless_within=wording.unless_within,
    )  # fmt: skip


def _zones(path: Path, raw: Any, groups: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """zones: each body zone with the words that name it (a list of alternatives, like a group)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataFileError(path, "zones", "(section)", "must map zone names to the words that name them")
    zones = {}
    for zone, words in raw.items():
        if not _IDENTIFIER.match(str(zone)):
            raise DataFileError(path, f"zones.{zone}", "(zone)", "must be lower case, digits and _")
        if not isinstance(words, list) or not words:
            raise DataFileError(path, f"zones.{zone}", "(zone)", "must list the words that name it")
        zones[str(zone)] = re.compile(
            "|".join(p.pattern for p in _compile(path, f"zones.{zone}", "words", words, groups))
        )
    return zones


def _situation(path: Path, name: str, raw: Any, groups: dict[str, str], zones: dict[str, re.Pattern[str]]) -> Situation:
    if not isinstance(raw, dict):
        raise DataFileError(path, name, "(situation)", "must be a mapping")
    advice = raw.get("advice")
    if not isinstance(advice, str) or not advice.strip():
        raise DataFileError(path, name, "advice", "must be one plain sentence")
    rule = _zone_rule(path, name, raw, zones)
    if not rule.zones:
        raise DataFileError(path, name, "rules_out", "a situation must rule out at least one zone")
    return Situation(name, " ".join(advice.split()), _wording(path, name, raw, groups), rule)


def _reach(path: Path, raw: Any, zones: dict[str, re.Pattern[str]]) -> dict[str, tuple[str, ...]]:
    """zone_reach: for every zone a message can name, the point zones on or near it (each
    zone reaches just itself when the section is left out, as in small test lexicons)."""
    if raw is None:
        return {zone: (zone,) for zone in zones}
    if not isinstance(raw, dict):
        raise DataFileError(path, "zone_reach", "(section)", "must map each zone to the point zones it reaches")
    missing = [zone for zone in zones if zone not in raw]
    if missing:
        raise DataFileError(path, f"zone_reach.{missing[0]}", "(zone)", "is missing: every zone needs its reach")
    reach = {}
    for zone, targets in raw.items():
        if zone not in zones:
            raise DataFileError(path, f"zone_reach.{zone}", "(zone)", "is not a zone of the zones section")
        if (
            not isinstance(targets, list)
            or not targets
            or not all(isinstance(t, str) and _IDENTIFIER.match(t) for t in targets)
        ):
            raise DataFileError(path, f"zone_reach.{zone}", "(targets)", "must list point zones (lower case, _)")
        reach[str(zone)] = tuple(targets)
    return reach


def read_lexicon(path: Path = RED_FLAGS_FILE) -> Lexicon:
    """Read and check the lexicon; raises DataFileError naming file, item and field."""
    data = read_mapping(path)
    groups = _expand_groups(path, data.get("groups") or {})
    raw_flags = data.get("flags")
    if not isinstance(raw_flags, dict) or not raw_flags:
        raise DataFileError(path, "flags", "(section)", "must be a non-empty mapping")
    zones = _zones(path, data.get("zones"), groups)
    flags = tuple(_flag(path, name, raw, groups, zones) for name, raw in raw_flags.items())
    concepts = _concepts(path, data.get("concepts"), flags)
    raw_situations = data.get("situations") or {}
    if not isinstance(raw_situations, dict):
        raise DataFileError(path, "situations", "(section)", "must map names to situations")
    situations = tuple(_situation(path, name, raw, groups, zones) for name, raw in raw_situations.items())
    pregnancy = data.get("pregnancy")
    if not isinstance(pregnancy, dict):
        raise DataFileError(path, "pregnancy", "(section)", "must have phrases and not_pregnant")
    return Lexicon(
        flags=flags,
        pregnant=_compile(path, "pregnancy", "phrases", pregnancy.get("phrases"), groups),
        not_pregnant=_compile(path, "pregnancy", "not_pregnant", pregnancy.get("not_pregnant"), groups),
        groups=groups,
        concepts=concepts,
        zones=zones,
        situations=situations,
        reach=_reach(path, data.get("zone_reach"), zones),
        classifier_cues=_classifier_cues(path, data.get("classifier_cues"), concepts, groups),
        plain_complaint_words=_plain_words(path, data.get("plain_complaint_words")),
    )


def _plain_words(path: Path, raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(line, str) and line.strip() for line in raw):
        raise DataFileError(path, "plain_complaint_words", "(section)", "must be a list of lines of words")
    return frozenset(word for line in raw for word in line.split())


def _classifier_cues(path: Path, raw: Any, concepts: dict[str, str], groups: dict[str, str]) -> dict[str, Patterns]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataFileError(path, "classifier_cues", "(section)", "must map concept ids to lists of phrases")
    for concept in raw:
        if concept not in concepts:
            raise DataFileError(
                path, f"classifier_cues.{concept}", "(concept)", "is not a concept of the concepts section"
            )
    return {str(c): _compile(path, f"classifier_cues.{c}", "phrases", v, groups) for c, v in raw.items()}


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
