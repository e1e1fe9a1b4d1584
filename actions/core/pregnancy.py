"""Read the answer to the pregnancy question conservatively (actions/catalogue/pregnancy_answers.yml).

"maybe later", "not sure" or "my period is late" must never unlock the points that are
traditionally avoided in pregnancy: only a clear no does.
"""

from __future__ import annotations

import re

from actions.core.pregnancy_patterns import answer_patterns
from actions.core.safety import NOT_PREGNANT, POSSIBLY_PREGNANT, PREGNANT, pregnancy_slot_value
from actions.core.triage import Facts

# The pregnancy question's buttons: "Yes, I am or might be" and "No" / "Not applicable".
BUTTON_ANSWERS = {"/affirm": PREGNANT, "/deny": NOT_PREGNANT}


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    return " ".join(re.sub(r"[.!,;:?)(\"]+", " ", text).split())


def read_pregnancy_answer(text: str, intent: str | None, facts: Facts) -> str | None:
    """pregnant | possibly_pregnant | not_pregnant, or None when the answer says nothing.

    `facts` are the message's own pregnancy facts from the red-flag checker ("I'm 20
    weeks", "I'm a man"); `intent` is the NLU's guess, used only for a plain "yes".
    """
    stripped = text.strip()
    if stripped in BUTTON_ANSWERS:
        return BUTTON_ANSWERS[stripped]
    patterns = answer_patterns()
    answer = _normalise(text)
    if patterns["doubt"].search(answer) or patterns["possible_signs"].search(answer):
        return PREGNANT if facts.pregnant and not facts.pregnancy_possible else POSSIBLY_PREGNANT
    said = pregnancy_slot_value(facts)
    if said:
        return said
    if patterns["clear_no"].match(answer):
        return NOT_PREGNANT
    if intent == "affirm":
        return PREGNANT
    return None
