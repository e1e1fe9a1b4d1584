"""Normalise what people type ("lumbago", "small of my back") to canonical values.

The vocabulary lives in `catalogue/vocabulary.yml`. The NLU's synonym and lookup files
are generated from it (`scripts/generate_nlu_vocabulary.py`), and the action uses the
same words again, with a little fuzziness, for values the NLU passed through unmapped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import VOCABULARY_FILE
from actions.core.yaml_io import read_mapping

COMPLAINT_ENTITIES = ("body_area", "concern")
_FILLER = re.compile(r"\b(?:my|the|a|an|in|of|on|at|around|whole|entire|really|very|bit)\b")


@dataclass(frozen=True)
class Complaint:
    name: str
    label: str
    entity: str
    synonyms: tuple[str, ...]


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'")).split())


@dataclass(frozen=True)
class Vocabulary:
    """Canonical complaints, sensations and sides with the words that name them."""

    complaints: dict[str, Complaint]
    uncovered: dict[str, tuple[str, ...]]
    sensations: dict[str, tuple[str, ...]]
    sides: dict[str, tuple[str, ...]]

    @staticmethod
    def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
        lookup = {_fold(word): name for name, words in table.items() for word in words}
        lookup.update({_fold(name.replace("_", " ")): name for name in table})
        return lookup

    @cached_property
    def _tables(self) -> dict[str, dict[str, str]]:
        return {
            "complaint": self._lookup({c.name: c.synonyms for c in self.complaints.values()}),
            "sensation": self._lookup(self.sensations),
            "side": self._lookup(self.sides),
            "uncovered": self._lookup(self.uncovered),
        }

    def _normalise(self, value: str, kind: str, fuzzy: bool = True) -> str | None:
        lookup = self._tables[kind]
        folded = _fold(value)
        if not folded:
            return None
        for candidate in (folded, " ".join(_FILLER.sub(" ", folded).split())):
            if candidate in lookup:
                return lookup[candidate]
        # A known word inside a longer phrase ("really stiff lower back" -> lower_back).
        for word in sorted(lookup, key=len, reverse=True):
            if re.search(rf"\b{re.escape(word)}\b", folded):
                return lookup[word]
        if not fuzzy:
            return None
        # Typos: "lowr back", "sciatca". The cut-off keeps "hip" from matching "head".
        close = difflib.get_close_matches(folded, list(lookup), n=1, cutoff=0.8)
        return lookup[close[0]] if close else None

    def complaint(self, value: str) -> str | None:
        """Canonical complaint for a body area or concern, or None if it is not one."""
        return self._normalise(value, "complaint")

    def sensation(self, value: str) -> str | None:
        return self._normalise(value, "sensation")

    def side(self, value: str) -> str | None:
        return self._normalise(value, "side")

    def uncovered_area(self, value: str) -> str | None:
        """The name of an area we have no points for, if the value names one word for word.

        Never a near miss: the bot says "I have no points for your wrist" only to someone
        who wrote a word for the wrist ("and" is one letter from "hand")."""
        return self._normalise(value, "uncovered", fuzzy=False)

    def uncovered_in_text(self, text: str) -> list[str]:
        """Uncovered areas named anywhere in free text, in order."""
        return self._named_in_text(text, [(w, area) for area, words in self.uncovered.items() for w in words])

    def complaints_in_text(self, text: str) -> list[str]:
        """Complaints named anywhere in free text, in order; a fallback for missed entities."""
        words = [(w, c.name) for c in self.complaints.values() for w in (c.name.replace("_", " "), *c.synonyms)]
        return self._named_in_text(text, words)

    @staticmethod
    def _named_in_text(text: str, words: list[tuple[str, str]]) -> list[str]:
        """The names whose words occur in the text, in order; longest words first, so
        "lower back" is not also read as "back"."""
        folded = f" {_fold(text)} "
        found: list[tuple[int, str]] = []
        taken: list[range] = []
        for word, name in sorted(words, key=lambda pair: len(pair[0]), reverse=True):
            for match in re.finditer(rf"(?<=\s){re.escape(_fold(word))}(?=\s)", folded):
                span = range(match.start(), match.end())
                if any(span.start < t.stop and t.start < span.stop for t in taken):
                    continue
                taken.append(span)
                found.append((match.start(), name))
        ordered: list[str] = []
        for _, name in sorted(found):
            if name not in ordered:
                ordered.append(name)
        return ordered

    def label(self, complaint: str) -> str:
        return self.complaints[complaint].label if complaint in self.complaints else complaint


def _word_table(path: Path, section: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(path, section, "(section)", "must be a non-empty mapping of name to word list")
    table = {}
    for name, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(path, f"{section}.{name}", "(words)", "must be a list of non-empty strings")
        table[str(name)] = tuple(w.lower() for w in words)
    return table


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """Read and validate the vocabulary file."""
    data = read_mapping(path)
    raw_complaints = data.get("complaints")
    if not isinstance(raw_complaints, dict) or not raw_complaints:
        raise DataFileError(path, "complaints", "(section)", "must be a non-empty mapping")
    complaints = {}
    for name, raw in raw_complaints.items():
        if not isinstance(raw, dict):
            raise DataFileError(path, f"complaints.{name}", "(complaint)", "must be a mapping")
        label, entity = raw.get("label"), raw.get("entity")
        if not isinstance(label, str) or not label:
            raise DataFileError(path, f"complaints.{name}", "label", "must be a non-empty string")
        if entity not in COMPLAINT_ENTITIES:
            raise DataFileError(path, f"complaints.{name}", "entity", f"must be one of {', '.join(COMPLAINT_ENTITIES)}")
        synonyms = _word_table(path, "complaints", {name: raw.get("synonyms")})[name]
        complaints[name] = Complaint(name=name, label=label, entity=entity, synonyms=synonyms)
    return Vocabulary(
        complaints=complaints,
        uncovered=_word_table(path, "uncovered_areas", data.get("uncovered_areas")),
        sensations=_word_table(path, "sensations", data.get("sensations")),
        sides=_word_table(path, "sides", data.get("sides")),
    )


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The project's vocabulary, loaded once per process."""
    return load_vocabulary()
