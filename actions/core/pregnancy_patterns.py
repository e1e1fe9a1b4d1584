"""The words of actions/catalogue/pregnancy_answers.yml, compiled once (no other imports,
so the red-flag checker and the pregnancy form can both use them)."""

from __future__ import annotations

import re
from functools import lru_cache

from actions.core.errors import DataFileError
from actions.core.paths import CATALOGUE_DIR
from actions.core.yaml_io import read_mapping

ANSWERS_FILE = CATALOGUE_DIR / "pregnancy_answers.yml"


@lru_cache(maxsize=1)
def answer_patterns() -> dict[str, re.Pattern[str]]:
    """clear_no (a whole answer), doubt and possible_signs (anywhere), compiled."""
    data = read_mapping(ANSWERS_FILE)
    compiled = {}
    for name in ("clear_no", "doubt", "possible_signs"):
        raw = data.get(name)
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
            raise DataFileError(ANSWERS_FILE, name, "(section)", "must be a non-empty list of regexes")
        joined = "|".join(f"(?:{p})" for p in raw)
        try:
            compiled[name] = re.compile(rf"^(?:{joined})$" if name == "clear_no" else rf"\b(?:{joined})\b")
        except re.error as exc:
            raise DataFileError(ANSWERS_FILE, name, "(section)", f"bad regular expression: {exc}") from exc
    return compiled
