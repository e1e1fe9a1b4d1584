"""Whether a message is a question about a named acupressure point.

"Can Houxi help a stiff neck?" names a complaint too, and the intent classifier read such
questions as symptom descriptions (or, with "diabetes" in them, as out of scope) on the
development set of 2026-12-03. A point's code or Chinese name in a question is the person
asking about that point: they get its card with the cautions that apply to them, not a
fresh list of points. Popular English names ("Lower Back Point") do not count: "is there
a lower back point?" asks for points.
"""

from __future__ import annotations

import re

from actions.core.catalogue import Catalogue

_QUESTION = re.compile(
    r"\?|^\s*(?:is|are|can|could|does|do|will|would|should|how|where|what|which|when|why)\b"
    r"|\b(?:is it|safe|okay to|ok to|good for|any good|help with|used for|meant to|tell me about)\b",
    re.IGNORECASE,
)


def is_point_question(text: str, catalogue: Catalogue) -> bool:
    return bool(_QUESTION.search(text)) and catalogue.names_by_code_or_chinese_name(text)
