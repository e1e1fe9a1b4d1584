"""Where the project's data files live, resolved relative to this package."""

from __future__ import annotations

from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
POINTS_FILE = CATALOGUE_DIR / "points.yml"
VOCABULARY_FILE = CATALOGUE_DIR / "vocabulary.yml"
