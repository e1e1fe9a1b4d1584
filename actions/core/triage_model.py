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
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from actions.core.errors import DataFileError
from actions.core.paths import CORPUS_DIR, TRIAGE_MODEL_FILE
from actions.core.yaml_io import read_mapping

NONE = "none"
VOICES = (
    "plain", "elderly", "teen", "non_native", "typo", "clinical", "proxy", "long_story", "sarcastic",
    "minimising", "fragments",  # "probably nothing but..."; a flag told in bits
    "british", "american", "dialect", "mixed_language",
)  # fmt: skip
NEGATIVE_KINDS = ("negated", "past", "other_person", "lookalike", "ordinary_severe", "ordinary")
CONVERSATION = "conversation"  # the NLU data's chat turns ("hi", "no", "where is LI4?"): easy negatives
MIN_WORDS = 6  # shorter messages ("maybe", "my back went") are left to the lexicon (see predict)


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


# Negation marking: the words after "no", "not", "n't", "never", "without" ... up to the next
# punctuation or "but" get a "not_" prefix, so "not numb when I wipe" and "numb when I wipe"
# have different n-grams (a bag of n-grams cannot see a negation otherwise; 2026-12-01 it
# raised "I'm not numb when I wipe" and "doesn't hurt when I cough" as red flags).
_NEGATION = re.compile(
    r"^(?:no|not|never|without|nor|neither|none|nothing|nope|nah|zero|cannot|\w+n't|dont|doesnt|didnt|isnt|wasnt|"
    r"arent|werent|havent|hasnt|hadnt|wont|cant|couldnt|aint)$"
)
_SCOPE_END = re.compile(r"[.,;:!?()\n]|^(?:but|and|though|although|however|just|only|except|so)$")
# A cue followed by one of these words expresses doubt or inability, not absence: "can't
# feel", "can't pee", "not sure" keep their meaning unmarked.
_NOT_A_DENIAL = re.compile(r"^(?:feel|pee|wee|stand|walk|move|lift|get|go|control|hold|stop|sure|able|even)$")


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# Longest phrase whose immediate repeats are read once ("back back back", "my back hurts my
# back hurts ..."): repeated, a rare word pair such as "back back" or "hurts my" outweighed
# everything else and read as loss of bladder control (found with a 50 kB test message).
MAX_REPEATED_PHRASE = 6


def _without_repeats(words: list[str]) -> list[str]:
    kept: list[str] = []
    for word in words:
        kept.append(word)
        for size in range(1, MAX_REPEATED_PHRASE + 1):
            # the last words first: a repeat must end as its original did (10x quicker)
            if len(kept) >= 2 * size and kept[-1] == kept[-1 - size] and kept[-size:] == kept[-2 * size : -size]:
                del kept[-size:]
                break
    return kept


def normalise(text: str) -> str:
    """The form the classifier is trained and run on: lower case, straight quotes, single
    spaces, punctuation split off, negated words marked."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    words = _without_repeats(re.findall(r"[\w'&+/-]+|[^\w\s]", text))
    marked, negated = [], False
    for index, word in enumerate(words):
        if _SCOPE_END.match(word):
            negated = False
            marked.append(word)
        elif _NEGATION.match(word):
            following = words[index + 1] if index + 1 < len(words) else ""
            negated = not _NOT_A_DENIAL.match(following)
            marked.append(word)
        else:
            marked.append(f"not_{word}" if negated else word)
    return " ".join(marked)


def conversation_turns(nlu_files: list[Path], exclude: Any = None) -> list[Example]:
    """The NLU data's examples (greetings, yes/no, point questions, guided steps, and the
    everyday complaints the assistant is for: "my neck is stiff", "pounding headache") as
    negatives, so that ordinary turns of a conversation never look like a red flag. An
    example `exclude(text)` accepts is left out (the lexicon finds something in it, or it
    has words of a possible illness: "could this lump be cancer", "tingling for weeks")."""
    import re  # noqa: PLC0415

    annotation = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")
    examples = []
    for path in nlu_files:
        for item in read_mapping(path).get("nlu") or []:
            intent = item.get("intent") if isinstance(item, dict) else None
            if not intent:
                continue
            for line in str(item.get("examples", "")).splitlines():
                text = annotation.sub(r"\1", line.strip()[2:]) if line.strip().startswith("- ") else ""
                if text and not (exclude and exclude(text)):
                    examples.append(Example(text, NONE, "plain", CONVERSATION))
    return examples


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
            if vectorizer.analyzer == "char_wb":
                terms = _CharColumns(vectorizer.build_preprocessor(), vectorizer.ngram_range, vocabulary)
            else:
                terms = _TermColumns(vectorizer.build_analyzer(), vocabulary)
            self._vectorizers.append((terms, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)
        # features x classes; float32 halves the largest array (17 of 35 MB) and moves a
        # probability by under 1e-6, far below any threshold's resolution
        self._coef = np.asarray(classifier.coef_, dtype=np.float32).T.copy()
        self._intercept = np.asarray(classifier.intercept_)
        self._softmax = getattr(classifier, "multi_class", "") != "ovr" and type(classifier).__name__ == (
            "LogisticRegression"
        )

    def probabilities(self, text: str) -> Any:
        np = self._np
        scores = self._intercept.copy()
        for terms, idf, offset in self._vectorizers:
            counts = terms.counts(text)
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
            weights *= idf[columns - offset]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ self._coef[columns]  # float64: the sum keeps full precision
        if self._softmax:
            exp = np.exp(scores - scores.max())
            return exp / exp.sum()
        probabilities = 1.0 / (1.0 + np.exp(-scores))  # one-vs-rest, normalised as sklearn does
        return probabilities / probabilities.sum()


class _TermColumns:
    """Column counts of a message for a vectorizer, through its own analyzer."""

    def __init__(self, analyze: Any, vocabulary: dict[str, int]) -> None:
        self._analyze, self._vocabulary = analyze, vocabulary

    def counts(self, text: str) -> Counter[int]:
        vocabulary = self._vocabulary
        return Counter(vocabulary[term] for term in self._analyze(text) if term in vocabulary)


class _CharColumns:
    """Column counts for a `char_wb` vectorizer: its n-grams never cross a space, so a
    message's counts are the sum of its words' counts, and a word's are computed once
    (scikit-learn's analyzer built every n-gram of every word on every call: 40% of the
    classifier's time, measured 2026-12-02). Same n-grams, same order of arithmetic."""

    # about 300 bytes a word (measured 2026-12-02), so at most 6 MB however odd the words
    # people send; the corpus itself has 14,406 distinct words
    CACHED_WORDS = 20_000

    def __init__(self, preprocess: Any, ngram_range: tuple[int, int], vocabulary: dict[str, int]) -> None:
        self._preprocess, self._range, self._vocabulary = preprocess, ngram_range, vocabulary
        self._word_columns = lru_cache(maxsize=self.CACHED_WORDS)(self._columns_of_word)

    def _columns_of_word(self, word: str) -> tuple[int, ...]:
        # scikit-learn's _char_wb_ngrams for one word, keeping the n-grams the model knows
        padded, (low, high) = f" {word} ", self._range
        grams = []
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:  # a word shorter than n counts once, as scikit-learn does
                break
        return tuple(self._vocabulary[g] for g in grams if g in self._vocabulary)

    def counts(self, text: str) -> Counter[int]:
        return Counter(chain.from_iterable(map(self._word_columns, self._preprocess(text).split())))


class TriageModel:
    """A fitted scikit-learn pipeline plus the probability a concept needs to count."""

    def __init__(self, pipeline: Any, threshold: float, settings: dict[str, Any],
                 concept_thresholds: dict[str, float] | None = None, keep_pipeline: bool = True) -> None:  # fmt: skip
        self.pipeline = pipeline
        self.threshold = threshold
        # Higher thresholds for concepts that raised too many false alarms on their own
        # (set at training time from out-of-fold predictions; see the training script).
        self.concept_thresholds = dict(concept_thresholds or {})
        self.settings = settings  # how it was trained, kept for the report
        self._classes = list(pipeline.classes_)
        self._scorer = _FastScorer(pipeline)
        if not keep_pipeline:
            self.pipeline = None
            _release_copied_parts(pipeline)

    @property
    def classes(self) -> tuple[str, ...]:
        """Every class, NONE included, in the order of a probabilities row."""
        return tuple(self._classes)

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(c for c in self._classes if c != NONE)

    def probabilities(self, text: str) -> dict[str, float]:
        """Every concept's probability for the message (for tests and reports)."""
        return dict(zip(self._classes, map(float, self._scorer.probabilities(normalise(text))), strict=True))

    def predict(self, text: str, excluding: frozenset[str] = frozenset()) -> Prediction:
        """The concept a message shows, or NONE. A message of fewer than MIN_WORDS words is
        not classified: with so few n-grams the probabilities fall back on the red-flag
        stories that used them, and "maybe", "my back went", "hurt my back lifting" and "my
        back hurts badly" came out as red flags (2026-12-01/02; 7 of 40 common first
        messages at 3 words, none at 6, no blind case lost); the short red flags ("can't
        pee", "wet myself") are the lexicon's."""
        row = self.scores(text)
        return Prediction(NONE, 0.0) if row is None else self.decide(row, excluding)

    def scores(self, text: str) -> Any | None:
        """The class probabilities of a message (for `decide`), or None when it is too short
        to be classified (see predict)."""
        text = normalise(text)
        return None if word_count(text) < MIN_WORDS else self._scorer.probabilities(text)

    def decide(self, probabilities: Any, excluding: frozenset[str] = frozenset()) -> Prediction:
        """The prediction for one row of class probabilities (in `pipeline.classes_` order).
        `excluding`: concepts that may not be the answer (their share does not count either)."""
        none = self._classes.index(NONE)
        left_out = [i for i, c in enumerate(self._classes) if c in excluding]
        flagged = 1.0 - float(probabilities[none]) - sum(float(probabilities[i]) for i in left_out)
        candidates = [i for i in range(len(self._classes)) if i != none and i not in left_out]
        best = max(candidates, key=probabilities.__getitem__)
        concept = self._classes[best]
        if flagged < self.concept_thresholds.get(concept, self.threshold):
            return Prediction(NONE, flagged)
        return Prediction(concept, flagged)

    def save(self, path: Path = TRIAGE_MODEL_FILE) -> None:
        if self.pipeline is None:
            raise ValueError("this model was loaded without its pipeline (load_model(keep_pipeline=True) to save it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            saved = {"pipeline": self.pipeline, "threshold": self.threshold, "settings": self.settings,
                     "concept_thresholds": self.concept_thresholds}  # fmt: skip
            pickle.dump(saved, file)


def _release_copied_parts(pipeline: Any) -> None:
    """Frees what _FastScorer has copied (vocabularies, coefficients): the analyzers it keeps
    still hold their vectorizers, so deleting the pipeline alone would free nothing. 30 MB of
    the Rasa server's memory (measured 2026-12-02: 89 -> 59 MB for the loaded model)."""
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        vectorizer.vocabulary_ = {}
        vectorizer.stop_words_ = None
    pipeline.named_steps["classifier"].coef_ = None


def load_model(path: Path = TRIAGE_MODEL_FILE, keep_pipeline: bool = False) -> TriageModel:
    """The trained model; `make train` writes it. Only our own training step writes this
    file (pickle runs code on load, so it must never come from elsewhere). Without
    `keep_pipeline` only the fast scorer's copy of the numbers stays in memory: the model
    can then score and decide, but not be saved or compared with scikit-learn."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make train` to train the red-flag classifier")
    with path.open("rb") as file:
        saved = pickle.load(file)  # noqa: S301 - written by scripts/train_triage_classifier.py
    return TriageModel(saved["pipeline"], float(saved["threshold"]), dict(saved.get("settings") or {}),
                       dict(saved.get("concept_thresholds") or {}), keep_pipeline)  # fmt: skip


@lru_cache(maxsize=1)
def default_model() -> TriageModel:
    return load_model()
