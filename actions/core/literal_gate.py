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
from collections.abc import Iterable

Needs = frozenset[str]


def _best(candidates: list[Needs]) -> Needs | None:
    """The most selective candidate: the longest shortest string, then the fewest strings."""
    if not candidates:
        return None
    return max(candidates, key=lambda needs: (min(map(len, needs)), -len(needs)))


def _needs(items: Iterable[tuple]) -> Needs | None:
    """Strings of which every match of this parsed sequence contains one; None if there are none."""
    candidates: list[Needs] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, value in items:
        if op is c.LITERAL:
            run.append(chr(value))
            continue
        end_run()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, pattern = value
            found = _needs(pattern) if not (add_flags or del_flags) else None
        elif op is c.BRANCH:
            branches = [_needs(branch) for branch in value[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _high, item = value
            found = _needs(item) if low >= 1 else None
        else:  # a class, an anchor, a look-around, any character: nothing fixed to look for
            found = None
        if found:
            candidates.append(found)
    end_run()
    return _best(candidates)


def needs_of(pattern: re.Pattern[str]) -> Needs | None:
    """Strings of which every match of `pattern` contains at least one; None when unknown."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # the lexicon's patterns are neither; reading those would need more care
    return _needs(list(sre_parse.parse(pattern.pattern, pattern.flags)))


def gate(patterns: tuple[re.Pattern[str], ...]) -> frozenset[str] | None:
    """Strings of which any match of any of `patterns` contains one; None when one of them
    needs no fixed string (then the patterns must always be tried)."""
    found: set[str] = set()
    for pattern in patterns:
        needs = needs_of(pattern)
        if needs is None:
            return None
        found |= needs
    return frozenset(found)


class LiteralGate:
    """The strings every pattern set needs, looked for once a message: which of them a
    message has is one scan, and each set's check is then a set intersection."""

    def __init__(self, pattern_sets: Iterable[tuple[re.Pattern[str], ...]]) -> None:
        # keyed by identity: hashing a tuple of patterns hashes every pattern's text each time
        self._sets = list(pattern_sets)  # kept alive, so their ids stay theirs
        self.needs = {id(patterns): gate(patterns) for patterns in self._sets}
        self._strings = tuple(sorted({s for needs in self.needs.values() if needs for s in needs}))

    def scan(self, text: str) -> Scan:
        """What `text` holds of the needed strings, to ask `Scan.may_match` about its parts."""
        return Scan(self, frozenset(s for s in self._strings if s in text))


class Scan:
    """One message's needed strings; without a gate every pattern set may match."""

    def __init__(self, gate: LiteralGate | None = None, present: frozenset[str] = frozenset()) -> None:
        self._needs = gate.needs if gate else {}
        self._present = present

    def may_match(self, patterns: tuple[re.Pattern[str], ...], within: str | None = None) -> bool:
        """False only when no pattern of `patterns` can match in the scanned message, or in
        `within`, a part of it. A set the gate was not built with may always match."""
        needs = self._needs.get(id(patterns))
        if needs is None:
            return True
        here = needs & self._present
        return bool(here) if within is None else any(s in within for s in here)


EVERYTHING_MAY_MATCH = Scan()
