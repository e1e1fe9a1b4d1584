"""Where the project's data files live, resolved relative to this package."""

from __future__ import annotations

from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
POINTS_FILE = CATALOGUE_DIR / "points.yml"
VOCABULARY_FILE = CATALOGUE_DIR / "vocabulary.yml"
ROOT_DIR = CATALOGUE_DIR.parent.parent
CORPUS_DIR = ROOT_DIR / "triage_corpus"  # the red-flag classifier's training corpus
TRIAGE_MODEL_FILE = ROOT_DIR / "models" / "triage_classifier.pkl"
