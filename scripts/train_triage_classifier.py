"""Train the red-flag classifier from triage_corpus/ and save it under models/.

python scripts/train_triage_classifier.py             # fit the chosen settings, save
python scripts/train_triage_classifier.py --compare   # cross-validate the candidates first

The threshold (on the red-flag concepts' share of the probability, see triage_model.py)
is picked on out-of-fold predictions of the corpus: the lowest at which the classifier's
false alarms on the corpus's hard negatives stay within MAX_FALSE_ALARMS (a missed
emergency costs far more than a doctor visit, but a bot that sends everyone to A&E is not
used). `make train` runs this only when the corpus or the lexicon changed.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.triage import default_checker  # noqa: E402
from actions.core.triage_model import (  # noqa: E402
    CONVERSATION,
    MIN_WORDS,
    NONE,
    Example,
    TriageModel,
    conversation_turns,
    load_corpus,
    normalise,
    word_count,
)

# NLU examples with words of a possible red flag ("could this lump be cancer", "numb for
# weeks") are not used as negatives, even when the lexicon finds nothing in them.
HEALTH_WORDS = re.compile(
    r"\b(?:cancer\w*|lump|tumou?r|mole|numb\w*|tingl\w*|pins|weak\w*|bleed\w*|fever\w*|temp\w*|faint\w*|"
    r"months?|weeks?|years?|worse|night|fall|fell|pregnan\w*|bladder|bowel|pee|wee|chest|breath\w*|dizz\w*|"
    r"vomit\w*|rash|swollen|swelling|hot|red|both|sudden\w*|worst|crash|accident)\b"
)

MAX_FALSE_ALARMS = 0.02  # on the corpus's hard negatives, out of fold
MAX_CONCEPT_FALSE_ALARMS = 0.002  # the share of them one concept may raise alone
FOLDS = 5
SEED = 42

# Candidates compared with --compare (2026-12-01, see README "Safety"); CHOSEN is saved.
CANDIDATES = {
    "sgd_word12_char25": {"model": "sgd", "word": (1, 2), "char": (2, 5), "alpha": 1e-5},
    "sgd_word12_char25_balanced": {
        "model": "sgd",
        "word": (1, 2),
        "char": (2, 5),
        "alpha": 1e-5,
        "weights": "balanced",
    },
    "sgd_word12_char25_alpha3": {"model": "sgd", "word": (1, 2), "char": (2, 5), "alpha": 3e-5},
    "sgd_word13_char36": {"model": "sgd", "word": (1, 3), "char": (3, 6), "alpha": 1e-5},
    "sgd_words_only": {"model": "sgd", "word": (1, 2), "char": None, "alpha": 1e-5},
    "logreg_word12_char25": {"model": "logreg", "word": (1, 2), "char": (2, 5), "C": 10.0},
}
CHOSEN = "sgd_word12_char25"


def build_pipeline(settings: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    parts = [("words", TfidfVectorizer(ngram_range=settings["word"], sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"))]
    if settings.get("char"):
        parts.append(("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=settings["char"], sublinear_tf=True,
                                               min_df=2)))  # fmt: skip
    if settings["model"] == "logreg":
        classifier = LogisticRegression(C=settings["C"], max_iter=2000, class_weight="balanced")
    else:
        classifier = SGDClassifier(loss="log_loss", alpha=settings["alpha"], class_weight=settings.get("weights"),
                                   max_iter=50, tol=1e-4, random_state=SEED)  # fmt: skip
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])


def out_of_fold(examples: list[Example], settings: dict) -> list[tuple[str, float]]:
    """(most likely red-flag concept, red-flag share) for every example, from a model that
    never saw it (threshold 0: the share decides later)."""
    from sklearn.model_selection import StratifiedKFold

    texts = [normalise(e.text) for e in examples]
    labels = [e.label for e in examples]
    predictions: list[tuple[str, float]] = [(NONE, 0.0)] * len(examples)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, labels):
        pipeline = build_pipeline(settings).fit([texts[i] for i in train], [labels[i] for i in train])
        model = TriageModel(pipeline, 0.0, settings)
        for i, row in zip(test, pipeline.predict_proba([texts[i] for i in test]), strict=True):
            prediction = model.decide(row) if word_count(texts[i]) >= MIN_WORDS else model.predict(texts[i])
            predictions[i] = (prediction.concept, prediction.probability)
    return predictions


def pick_threshold(examples: list[Example], predictions: list[tuple[str, float]]) -> float:
    """The lowest threshold whose out-of-fold false alarm rate on the corpus's hard negatives
    (not the easy conversation turns, which would make any threshold look good) is within
    MAX_FALSE_ALARMS."""
    negatives = [p for e, p in zip(examples, predictions, strict=True) if e.label == NONE and e.kind != CONVERSATION]
    for threshold in [t / 100 for t in range(20, 96)]:
        alarms = sum(share >= threshold for _, share in negatives)
        if alarms <= MAX_FALSE_ALARMS * len(negatives):
            return threshold
    return 0.95


def concept_thresholds(examples: list[Example], predictions: list[tuple[str, float]], threshold: float) -> dict:
    """A higher threshold for each concept that alone raises more than MAX_CONCEPT_FALSE_ALARMS
    of the hard negatives out of fold ("I'm 20 weeks pregnant and my back aches" read as a
    pregnancy emergency: the word "pregnant" weighed more than the missing warning sign)."""
    negatives = [p for e, p in zip(examples, predictions, strict=True) if e.label == NONE and e.kind != CONVERSATION]
    allowed = MAX_CONCEPT_FALSE_ALARMS * len(negatives)
    raised = {}
    for concept in sorted({c for c, _ in negatives if c != NONE}):
        shares = [share for c, share in negatives if c == concept]
        level = threshold
        while sum(share >= level for share in shares) > allowed and level < 0.99:
            level = round(level + 0.01, 2)
        if level > threshold:
            raised[concept] = level
    return raised


def scores(examples: list[Example], predictions: list[tuple[str, float]], threshold: float, levels: dict,
           raised: dict | None = None) -> dict:  # fmt: skip
    counts, hits = Counter(), Counter()
    for example, (concept, probability) in zip(examples, predictions, strict=True):
        needed = (raised or {}).get(concept, threshold)
        raised_level = levels.get(concept, "none") if concept != NONE and probability >= needed else "none"
        expected = levels.get(example.label, "none")
        key = expected if expected != "none" else f"false_alarm_{example.kind}"
        if example.kind == CONVERSATION:
            key = "false_alarm_conversation_turns"
        counts[key] += 1
        if expected == "emergency":
            hits[key] += raised_level == "emergency"
        elif expected == "urgent":
            hits[key] += raised_level in ("urgent", "emergency")
        else:
            hits[key] += raised_level != "none"
        hits["concept_right"] += (concept == example.label and probability >= needed) or (
            expected == "none" and raised_level == "none"
        )
        counts["concept_right"] += 1
    return {key: (hits[key] / counts[key], counts[key]) for key in sorted(counts)}


def concept_levels() -> dict[str, str]:
    checker = default_checker()
    return {concept: checker.concept_level_and_reason(concept)[0] for concept in checker.concepts}


NLU_NEGATIVE_FILES = ROOT / "triage_corpus" / "nlu_negative_files.txt"


def negative_nlu_files(listing: Path = NLU_NEGATIVE_FILES) -> list[Path]:
    """The NLU files listed in triage_corpus/nlu_negative_files.txt (why a list: see there)."""
    names = [line.strip() for line in listing.read_text(encoding="utf-8").splitlines()]
    files = [ROOT / "data" / "nlu" / name for name in names if name and not name.startswith("#")]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise SystemExit(f"{listing}: no such NLU file: {', '.join(missing)}")
    return files


def training_examples(levels: dict[str, str]) -> list[Example]:
    """The corpus, plus the NLU data's chat turns as easy negatives."""
    checker = default_checker()

    def lexicon_finds_something(text: str) -> bool:
        found = checker.candidates(text)
        return bool(found.hits or found.situations) or bool(HEALTH_WORDS.search(text.lower()))

    # Every NLU file, the guided session's answers too: the red-flag screening reads every
    # message, and "it didn't help" was read as loss of bladder control when they were left out.
    # The privacy requests too (tests/test_privacy.py checks the screening flags none of them).
    conversation = conversation_turns(negative_nlu_files(), lexicon_finds_something)
    return load_corpus(known_labels=set(levels)) + conversation


def train(settings_name: str = CHOSEN, compare: bool = False) -> TriageModel:
    levels = concept_levels()
    examples = training_examples(levels)
    print(f"corpus: {len(examples)} examples, {sum(e.label != NONE for e in examples)} red flags")
    names = list(CANDIDATES) if compare else [settings_name]
    chosen_threshold = None
    for name in names:
        began = time.monotonic()
        predictions = out_of_fold(examples, CANDIDATES[name])
        threshold = pick_threshold(examples, predictions)
        raised = concept_thresholds(examples, predictions, threshold)
        took = time.monotonic() - began
        print(f"{name}: threshold {threshold:.2f}, raised for {raised}, {FOLDS}-fold CV in {took:.0f} s")
        for key, (rate, n) in scores(examples, predictions, threshold, levels, raised).items():
            print(f"  {key:<32} {rate:6.1%}  (n={n})")
        if name == settings_name:
            chosen_threshold, chosen_raised = threshold, raised
    began = time.monotonic()
    texts, labels = [normalise(e.text) for e in examples], [e.label for e in examples]
    pipeline = build_pipeline(CANDIDATES[settings_name]).fit(texts, labels)
    settings = {"name": settings_name, **CANDIDATES[settings_name], "examples": len(examples)}
    model = TriageModel(pipeline, float(chosen_threshold), settings, chosen_raised)
    print(f"fitted {settings_name} in {time.monotonic() - began:.1f} s, threshold {chosen_threshold:.2f}")
    return model


if __name__ == "__main__":
    trained = train(compare="--compare" in sys.argv)
    trained.save()
    print("saved models/triage_classifier.pkl")
