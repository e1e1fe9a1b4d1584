"""Cheap exact pre-checks for the lexicon's regular expressions.

Most red flags match nothing in most messages, yet trying each flag's alternation of
phrases over the message was most of the screening's cost (about 2.5 of 4 ms a message,
2026-12-02). For each pattern we work out, from its parsed form, a few plain strings of
which every match must contain at least one ("bladder", "wee", " pee"...). When none of
them is in the message, the pattern cannot match and is not run. The check only skips
work: a pattern whose matches need no fixed string is always run.
"""

from __future__ import annotations

import re
import sre_constants as c
import sre_parse
from collections.abc import Callable, Iterable, Iterator

Needs = frozenset[str]
Frequency = Callable[[str], int]


def _best(candidates: list[Needs], frequency: Frequency | None = None) -> Needs | None:
    """The most selective candidate: the one whose strings are rarest in ordinary messages
    when `frequency` says how often a string is seen ("my " or " to " lets nearly every
    message through, "bladder" few), then the longest shortest string, then the fewest."""
    if not candidates:
        return None
    if frequency is None:
        return max(candidates, key=lambda needs: (min(map(len, needs)), -len(needs)))
    return max(candidates, key=lambda needs: (-sum(map(frequency, needs)), min(map(len, needs)), -len(needs)))


def _needs(items: Iterable[tuple], frequency: Frequency | None = None) -> Needs | None:
    """Strings of which every match of this parsed sequence contains one; None if there are none."""
    return _best(_requirements(items, frequency), frequency)


def _requirements(items: Iterable[tuple], frequency: Frequency | None = None) -> list[Needs]:
    """Every set of strings of which each match of this parsed sequence contains one: all of
    them hold ("can't" or "cannot", and " get ", and "pee" or "wee"); empty if none is known."""
    found: list[Needs] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            found.append(frozenset(["".join(run)]))
            run.clear()

    for op, value in items:
        if op is c.LITERAL:
            run.append(chr(value))
            continue
        end_run()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, pattern = value
            if not (add_flags or del_flags):
                found += _requirements(pattern, frequency)
        elif op is c.BRANCH:
            branches = [_needs(branch, frequency) for branch in value[1]]
            if all(branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _high, item = value
            if low >= 1:
                found += _requirements(item, frequency)
        # else a class, an anchor, a look-around, any character: nothing fixed to look for
    end_run()
    return found


def needs_of(pattern: re.Pattern[str], frequency: Frequency | None = None) -> Needs | None:
    """Strings of which every match of `pattern` contains at least one; None when unknown."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # the lexicon's patterns are neither; reading those would need more care
    return _needs(list(sre_parse.parse(pattern.pattern, pattern.flags)), frequency)


def gate(patterns: tuple[re.Pattern[str], ...], frequency: Frequency | None = None) -> frozenset[str] | None:
    """Strings of which any match of any of `patterns` contains one; None when one of them
    needs no fixed string (then the patterns must always be tried)."""
    found: set[str] = set()
    for pattern in patterns:
        needs = needs_of(pattern, frequency)
        if needs is None:
            return None
        found |= needs
    return frozenset(found)


def _union(needs: list[Needs | None]) -> frozenset[str] | None:
    return None if any(n is None for n in needs) else frozenset().union(*needs)  # type: ignore[arg-type]


def _counter(sample: str) -> Frequency:
    """How often a string occurs in `sample`, each string counted once."""
    seen: dict[str, int] = {}

    def frequency(string: str) -> int:
        if string not in seen:
            seen[string] = sample.count(string)
        return seen[string]

    return frequency


class LiteralGate:
    """The strings every pattern needs, looked for once a message: which of them a message
    has is one scan; which patterns and pattern sets can match is then a lookup."""

    def __init__(self, pattern_sets: Iterable[tuple[re.Pattern[str], ...]], sample: str = "") -> None:
        """`sample`: ordinary messages, to choose the rarest strings a pattern needs."""
        frequency = _counter(sample) if sample else None
        # keyed by identity: hashing a tuple of patterns hashes every pattern's code each time
        self._sets = list(pattern_sets)  # kept alive, so their ids stay theirs
        self.each = {id(p): needs_of(p, frequency) for patterns in self._sets for p in patterns}
        # a set's strings are its patterns' strings; each pattern's own say which of a set of
        # 29 wordings can match at all, when one of them needs "my " and the rest "bladder"
        self.needs = {id(patterns): _union([self.each[id(p)] for p in patterns]) for patterns in self._sets}
        # what each string opens (patterns, sets), and what needs no string (always tried)
        self.opens = _opened_by(self.each)
        self.opens_sets = _opened_by(self.needs)
        self.always = frozenset(key for key, needs in self.each.items() if needs is None)
        self.always_sets = frozenset(key for key, needs in self.needs.items() if needs is None)
        # by their first two characters: a message's pairs of characters say which of the
        # thousand strings are worth looking for (a tenth of the cost of trying each)
        self._by_start: dict[str, list[str]] = {}
        for string in sorted(self.opens):
            self._by_start.setdefault(string[:2], []).append(string)

    def scan(self, text: str) -> Scan:
        """What `text` holds of the needed strings, to ask `Scan.may_match` about its parts."""
        # (and single characters, for the one-character strings: a "4" of "104 fever")
        starts = ({text[i : i + 2] for i in range(len(text))} | set(text)) & self._by_start.keys()
        return Scan(self, frozenset(s for start in starts for s in self._by_start[start] if s in text))


def _opened_by(needs_by_key: dict[int, Needs | None]) -> dict[str, frozenset[int]]:
    opened: dict[str, set[int]] = {}
    for key, needs in needs_by_key.items():
        for string in needs or ():
            opened.setdefault(string, set()).add(key)
    return {string: frozenset(keys) for string, keys in opened.items()}


class Scan:
    """One message's needed strings; without a gate every pattern set may match."""

    def __init__(self, gate: LiteralGate | None = None, present: frozenset[str] = frozenset()) -> None:
        self._gate = gate
        self._present = present
        if gate:
            self._open = gate.always.union(*(gate.opens[s] for s in present))
            self._open_sets = gate.always_sets.union(*(gate.opens_sets[s] for s in present))
        self._viable: dict[int, tuple[re.Pattern[str], ...]] = {}

    def may_match(self, patterns: tuple[re.Pattern[str], ...], within: str | None = None) -> bool:
        """False only when no pattern of `patterns` can match in the scanned message, or in
        `within`, a part of it. A set the gate was not built with may always match."""
        if self._gate is None or id(patterns) not in self._gate.needs:
            return True
        if within is None or id(patterns) not in self._open_sets:
            return id(patterns) in self._open_sets
        needs = self._gate.needs[id(patterns)]
        return needs is None or any(s in within for s in needs & self._present)

    def viable(self, patterns: tuple[re.Pattern[str], ...], within: str | None = None) -> tuple[re.Pattern[str], ...]:
        """The patterns of `patterns` that can match in the scanned message (or in `within`,
        a part of it), in their order: the others need a string that is not there. The
        tuple itself when all of them can, so what is cached on it stays found."""
        if within is None and id(patterns) in self._viable:
            return self._viable[id(patterns)]
        if not self.may_match(patterns, within):
            kept: tuple[re.Pattern[str], ...] = ()
        elif self._gate is None or id(patterns) not in self._gate.needs:
            kept = patterns
        elif within is None:
            opened = self._open
            kept = tuple(p for p in patterns if id(p) in opened)
            kept = patterns if len(kept) == len(patterns) else kept
        else:
            kept = tuple(p for p in patterns if self._can_match(p, within))
            kept = patterns if len(kept) == len(patterns) else kept
        if within is None:
            self._viable[id(patterns)] = kept
        return kept

    def _can_match(self, pattern: re.Pattern[str], within: str | None) -> bool:
        if id(pattern) not in self._open:
            return False
        needs = self._gate.each[id(pattern)] if self._gate else None
        return within is None or needs is None or any(s in within for s in needs & self._present)


EVERYTHING_MAY_MATCH = Scan()


class Prefiltered:
    """A compiled pattern that is not run on a text holding none of the strings each of its
    matches needs. The guards of the lexicon (past, hearsay, other people) are alternations
    of hundreds of phrases that the engine tries at every position; most clauses have none
    of their words (about a fifth of the screening's cost, 2026-12-04)."""

    def __init__(self, pattern: re.Pattern[str], sample: Callable[[], str] | None = None) -> None:
        """`sample`: gives ordinary messages, read on first use, to pick the rarest strings."""
        self.compiled = pattern
        self._sample = sample
        self._needs: Needs | None = None
        self._ready = False

    def _may_match(self, text: str) -> bool:
        if not self._ready:
            text_of_sample = self._sample() if self._sample else ""
            self._needs = needs_of(self.compiled, _counter(text_of_sample) if text_of_sample else None)
            self._ready = True
        return self._needs is None or any(s in text for s in self._needs)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos) if self._may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text) if self._may_match(text) else iter(())
