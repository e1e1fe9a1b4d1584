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
    # Read in the person's words by the action only, not written to the NLU's synonym and
    # lookup files: phrases ("kept me up", "middle of my back") that help find a complaint
    # the NLU missed but would only add noise to its features.
    text_words: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return (*self.synonyms, *self.text_words)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'")).split())


@dataclass(frozen=True)
class Vocabulary:
    """Canonical complaints, sensations and sides with the words that name them."""

    complaints: dict[str, Complaint]
    uncovered: dict[str, tuple[str, ...]]
    sensations: dict[str, tuple[str, ...]]
    sides: dict[str, tuple[str, ...]]
    # Phrases that contain a complaint's word but name no complaint ("get back to sleep",
    # "don't worry"): blanked out before free text is scanned for complaints.
    not_complaints: tuple[str, ...] = ()
    # English words a letter or two from a complaint's word ("should" / "shoulder",
    # "scrum" / "sacrum", "picking" / "panicking"): never read as a misspelt complaint.
    not_misspellings: frozenset[str] = frozenset()

    @staticmethod
    def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
        lookup = {_fold(word): name for name, words in table.items() for word in words}
        lookup.update({_fold(name.replace("_", " ")): name for name in table})
        return lookup

    @cached_property
    def _tables(self) -> dict[str, dict[str, str]]:
        return {
            "complaint": self._lookup({c.name: c.words for c in self.complaints.values()}),
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
        """Canonical complaint for a body area or concern, or None if it is not one.

        An area we have no points for is never a near miss of one we have ("wrist" is
        one letter from "waist")."""
        return self._normalise(value, "complaint", fuzzy=not self.uncovered_area(value))

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
        return list(self.complaint_positions(text))

    def complaints_misspelt_in_text(self, text: str) -> list[str]:
        """Complaints whose one-word names are misspelt in the text ("shouldr", "sciatia"):
        the last resort before asking where. Words of five letters or more only, so that
        short words ("hip", "head", "back") are never guessed; the synonyms only, not the
        text words ("heaving" is a letter or two from "having" and "weaving")."""
        names = {w: c.name for c in self.complaints.values() for w in c.synonyms if " " not in w and len(w) >= 5}
        found: list[str] = []
        for token in re.findall(r"[a-z']{5,}", _fold(text)):
            if token in self.not_misspellings:
                continue
            close = difflib.get_close_matches(token, list(names), n=1, cutoff=0.85)
            if close and names[close[0]] not in found:
                found.append(names[close[0]])
        return found

    def complaint_positions(self, text: str) -> dict[str, int]:
        """Each complaint named in free text with the offset where it is first named."""
        positions: dict[str, int] = {}
        for start, _, name in self.complaint_spans(text):
            positions.setdefault(name, start)
        return positions

    def decoy_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text has a phrase that contains a complaint's word but names none."""
        kept = re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("\u2019", "'"))
        if len(kept) != len(text):
            return []
        return [m.span() for phrase in self.not_complaints for m in _words_pattern(phrase).finditer(kept)]

    def complaint_spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, complaint) for each complaint's words in the text, by offset in the
        text as given; longest words first, so "upper back" is not also read as "back"."""
        kept = text.lower().replace("’", "'")
        if len(kept) != len(text):  # a character whose lower case is longer: no offsets
            return []
        kept = re.sub(r"[^a-z0-9' ]", " ", kept)
        for start, end in self.decoy_spans(text):
            kept = kept[:start] + " " * (end - start) + kept[end:]
        words = [(w, c.name) for c in self.complaints.values() for w in (c.name.replace("_", " "), *c.words)]
        found: list[tuple[int, int, str]] = []
        for word, name in sorted(words, key=lambda pair: len(pair[0]), reverse=True):
            for match in re.finditer(_words_pattern(word), kept):
                if any(match.start() < end and start < match.end() for start, end, _ in found):
                    continue
                found.append((match.start(), match.end(), name))
        return sorted(found)

    @classmethod
    def _named_in_text(cls, text: str, words: list[tuple[str, str]]) -> list[str]:
        """The names whose words occur in the text, in order."""
        return list(cls._found_in_text(text, words))

    @staticmethod
    def _found_in_text(text: str, words: list[tuple[str, str]]) -> dict[str, int]:
        """The names whose words occur in the text, in order, with their first offset;
        longest words first, so "lower back" is not also read as "back"."""
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
        ordered: dict[str, int] = {}
        for start, name in sorted(found):
            ordered.setdefault(name, max(start - 1, 0))
        return ordered

    def label(self, complaint: str) -> str:
        return self.complaints[complaint].label if complaint in self.complaints else complaint


@lru_cache(maxsize=4096)
def _words_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase's words as whole words, any run of spaces between them, and an "'s" after
    them ("heid's nippin", "back's gone")."""
    words = _fold(phrase).split()
    return re.compile(r"(?<![a-z0-9'])" + r"\s+".join(map(re.escape, words)) + r"(?:'s)?(?![a-z0-9'])")


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
        raw_text_words = raw.get("text_words")
        text_words = () if raw_text_words is None else _word_table(path, "complaints", {name: raw_text_words})[name]
        complaints[name] = Complaint(name=name, label=label, entity=entity, synonyms=synonyms, text_words=text_words)
    return Vocabulary(
        complaints=complaints,
        uncovered=_word_table(path, "uncovered_areas", data.get("uncovered_areas")),
        sensations=_word_table(path, "sensations", data.get("sensations")),
        sides=_word_table(path, "sides", data.get("sides")),
        not_complaints=_phrases(path, "not_complaints", data.get("not_complaints", [])),
        not_misspellings=frozenset(_phrases(path, "not_misspellings", data.get("not_misspellings", []))),
    )


def _phrases(path: Path, section: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise DataFileError(path, section, "(section)", "must be a list of non-empty strings")
    return tuple(w.lower() for w in raw)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The project's vocabulary, loaded once per process."""
    return load_vocabulary()
