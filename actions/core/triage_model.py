"""The learned red-flag layer: a linear classifier over word and character n-grams.

It reads one message and names the red-flag concept it shows (`saddle_numbness`,
`possible_dvt`, ...) or `none`. It sits beside the lexicon (`triage.py`) and can only
raise what the lexicon found, never lower it. A message counts as a red flag when all
red-flag concepts together take at least the threshold chosen at training time (similar
concepts such as bladder and bowel control share the probability between them, so the
top one alone would miss it); the hit names the most likely concept.

Trained by `scripts/train_triage_classifier.py` from `triage_corpus/*.yml` (written for
it, in many voices) and saved under `models/`; scikit-learn is imported on first use, so
a process that never classifies (the action server) never loads it.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import CORPUS_DIR, TRIAGE_MODEL_FILE
from actions.core.yaml_io import read_mapping

NONE = "none"
VOICES = (
    "plain", "elderly", "teen", "non_native", "typo", "clinical", "proxy", "long_story", "sarcastic",
    "british", "american", "dialect", "mixed_language",
)  # fmt: skip
NEGATIVE_KINDS = ("negated", "past", "other_person", "lookalike", "ordinary_severe", "ordinary")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    voice: str
    kind: str | None = None


@dataclass(frozen=True)
class Prediction:
    concept: str  # NONE when the flags' share did not reach the threshold
    probability: float  # the share of all red-flag concepts together (1 - P(none))


def normalise(text: str) -> str:
    """The form the classifier is trained and run on: lower case, straight quotes, single spaces."""
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


def load_corpus(directory: Path = CORPUS_DIR, known_labels: set[str] | None = None) -> list[Example]:
    """Every example of the corpus, checked: a known label, a known voice, a kind for negatives."""
    examples = []
    for path in sorted(directory.glob("*.yml")):
        raw = read_mapping(path).get("examples")
        if not isinstance(raw, list) or not raw:
            raise DataFileError(path, "examples", "(section)", "must be a non-empty list")
        for i, item in enumerate(raw):
            where = f"examples[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                raise DataFileError(path, where, "text", "must be a non-empty string")
            label = item.get("label")
            if label != NONE and (known_labels is not None and label not in known_labels):
                raise DataFileError(path, where, "label", f"unknown concept '{label}'")
            if item.get("voice") not in VOICES:
                raise DataFileError(path, where, "voice", f"must be one of {', '.join(VOICES)}")
            kind = item.get("kind")
            if label == NONE and kind not in NEGATIVE_KINDS:
                raise DataFileError(path, where, "kind", f"a negative needs one of {', '.join(NEGATIVE_KINDS)}")
            examples.append(Example(item["text"], str(label), item["voice"], kind))
    if not examples:
        raise DataFileError(directory, "(folder)", "(files)", "holds no corpus file")
    return examples


class _FastScorer:
    """The fitted pipeline's own arithmetic for one message, without scikit-learn's
    per-call overhead: TF-IDF of each vectorizer (sublinear tf, l2 norm), then the linear
    model's scores. scikit-learn took 3-4 ms per message for the same numbers (measured
    2026-12-01); a test checks both give the same probabilities."""

    def __init__(self, pipeline: Any) -> None:
        import numpy as np  # noqa: PLC0415 - numpy comes with scikit-learn

        self._np = np
        union, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
        self._vectorizers = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            vocabulary = {term: offset + index for term, index in vectorizer.vocabulary_.items()}
            self._vectorizers.append((vectorizer.build_analyzer(), vocabulary, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        self._coef = np.asarray(classifier.coef_).T.copy()  # features x classes
        self._intercept = np.asarray(classifier.intercept_)
        self._softmax = getattr(classifier, "multi_class", "") != "ovr" and type(classifier).__name__ == (
            "LogisticRegression"
        )

    def probabilities(self, text: str) -> Any:
        np = self._np
        scores = self._intercept.copy()
        for analyze, vocabulary, idf, offset in self._vectorizers:
            counts: dict[int, int] = {}
            for term in analyze(text):
                column = vocabulary.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
            weights *= idf[columns - offset]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ self._coef[columns]
        if self._softmax:
            exp = np.exp(scores - scores.max())
            return exp / exp.sum()
        probabilities = 1.0 / (1.0 + np.exp(-scores))  # one-vs-rest, normalised as sklearn does
        return probabilities / probabilities.sum()


class TriageModel:
    """A fitted scikit-learn pipeline plus the probability a concept needs to count."""

    def __init__(self, pipeline: Any, threshold: float, settings: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.threshold = threshold
        self.settings = settings  # how it was trained, kept for the report
        self._classes = list(pipeline.classes_)
        self._scorer = _FastScorer(pipeline)

    def probabilities(self, text: str) -> dict[str, float]:
        """Every concept's probability for the message (for tests and reports)."""
        return dict(zip(self._classes, map(float, self._scorer.probabilities(normalise(text))), strict=True))

    def predict(self, text: str) -> Prediction:
        return self.decide(self._scorer.probabilities(normalise(text)))

    def decide(self, probabilities: Any) -> Prediction:
        """The prediction for one row of class probabilities (in `pipeline.classes_` order)."""
        none = self._classes.index(NONE)
        flagged = 1.0 - float(probabilities[none])
        if flagged < self.threshold:
            return Prediction(NONE, flagged)
        best = max((i for i in range(len(self._classes)) if i != none), key=probabilities.__getitem__)
        return Prediction(self._classes[best], flagged)

    def save(self, path: Path = TRIAGE_MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            pickle.dump({"pipeline": self.pipeline, "threshold": self.threshold, "settings": self.settings}, file)


def load_model(path: Path = TRIAGE_MODEL_FILE) -> TriageModel:
    """The trained model; `make train` writes it. Only our own training step writes this
    file (pickle runs code on load, so it must never come from elsewhere)."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make train` to train the red-flag classifier")
    with path.open("rb") as file:
        saved = pickle.load(file)  # noqa: S301 - written by scripts/train_triage_classifier.py
    return TriageModel(saved["pipeline"], float(saved["threshold"]), dict(saved.get("settings") or {}))


@lru_cache(maxsize=1)
def default_model() -> TriageModel:
    return load_model()
