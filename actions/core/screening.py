"""Red-flag screening of a message: the lexicon and the learned classifier together.

The lexicon (`triage.py`, a clinical checklist with negation, time and experiencer
guards) and the classifier (`triage_model.py`, trained on a corpus in many voices) each
read the message. The higher level wins: the classifier can add a flag the lexicon
missed, never remove one, and its hit carries the reason of the concept it recognised.
"""

from __future__ import annotations

from functools import lru_cache

from actions.core.triage import Assessment, Facts, RedFlagChecker, default_checker
from actions.core.triage import prepare as prepare_lexicon
from actions.core.triage_model import NONE, TriageModel, default_model


class Screener:
    def __init__(self, checker: RedFlagChecker, model: TriageModel | None) -> None:
        self.checker = checker
        self.model = model

    def candidates(self, text: str, combinations_only: bool = False) -> Assessment:
        """Every hit in the message, including those that need remembered facts
        (`combinations_only`: see RedFlagChecker.candidates; the classifier reads it all)."""
        found = self.checker.candidates(text, combinations_only)
        if self.model is None or not text.strip() or self.checker.only_plain_complaint_words(text):
            return found  # "my back hurts": a plain complaint, no words for a red flag
        firsthand = self.checker.firsthand(text)
        if not firsthand.strip():
            return found  # every sentence tells of a programme, a story or a job
        row = self.model.scores(firsthand)  # scored once, decided again below if need be
        if row is None:
            return found
        prediction = self.model.decide(row)
        if prediction.concept != NONE and not self.checker.classifier_reading_counts(prediction.concept, text):
            # "30 weeks pregnant and my back aches": pregnant, but no warning sign. What the
            # classifier saw besides may still count ("pregnant, and my legs are numb").
            excluded = frozenset(c for c in self.model.concepts if not self.checker.classifier_reading_counts(c, text))
            prediction = self.model.decide(row, excluded)
        # a lexicon hit of the same concept makes the classifier's redundant, unless it waits
        # on a fact ("needs: age_over_70") the classifier's reading does not need
        if prediction.concept == NONE or any(h.concept == prediction.concept and not h.needs for h in found.hits):
            return found
        hit = self.checker.concept_hit(prediction.concept, text, f"classifier ({prediction.probability:.2f})")
        return found.with_hit(hit)

    def assess(self, text: str, known: Facts | None = None, combinations_only: bool = False) -> Assessment:
        return self.candidates(text, combinations_only).resolved(known or Facts())


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """The project's screener: lexicon and the classifier trained by `make train`."""
    return Screener(default_checker(), default_model())


def prepare() -> Screener:
    """Load everything now: a server calls this at start-up, not on its first message."""
    prepare_lexicon()
    screener = default_screener()
    if screener.model is not None:
        screener.model.predict("warm up")  # scikit-learn's first call builds its caches
    return screener
