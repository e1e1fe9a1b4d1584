"""Score the red-flag checker on tests/triage/cases.yml and print recall and false alarms.

python scripts/triage_report.py            # summary
python scripts/triage_report.py --misses   # also list every case it got wrong
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.advice import recommend  # noqa: E402
from actions.core.catalogue import default_catalogue  # noqa: E402
from actions.core.request import SymptomRequest  # noqa: E402
from actions.core.triage import default_checker  # noqa: E402
from actions.core.vocabulary import default_vocabulary  # noqa: E402

CASES_FILE = ROOT / "tests" / "triage" / "cases.yml"  # development set: the lexicon was tuned on it
HOLDOUT_FILE = ROOT / "tests" / "triage" / "holdout_cases.yml"  # never used for tuning


def load_cases(path: Path = CASES_FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def score(cases: list[dict]) -> tuple[dict[str, float], list[tuple]]:
    checker = default_checker()
    totals, hits, misses = Counter(), Counter(), []
    for case in cases:
        result = checker.assess(case["text"])
        expected = case["level"]
        if expected == "emergency":
            totals["emergency"] += 1
            hits["emergency"] += result.level == "emergency"
        elif expected == "urgent":
            totals["urgent"] += 1
            # An urgent case answered as an emergency is still sent to care: counts as found.
            hits["urgent"] += result.level in ("urgent", "emergency")
        else:
            group = "negated" if case.get("kind") in ("negated", "past", "other_person") else "plain"
            totals[f"false_alarm_{group}"] += 1
            hits[f"false_alarm_{group}"] += result.level != "none"
        if "pregnant" in case:
            totals["pregnancy_status"] += 1
            hits["pregnancy_status"] += result.facts.pregnant == case["pregnant"]
        wrong_level = result.level != expected and not (expected == "urgent" and result.level == "emergency")
        if wrong_level or ("pregnant" in case and result.facts.pregnant != case["pregnant"]):
            misses.append((expected, result.level, case.get("pregnant"), result.facts.pregnant, case["text"]))
    rates = {key: hits[key] / totals[key] for key in totals}
    rates["contraindicated_points_to_pregnant"] = contraindicated_points_given(cases)
    rates.update({f"n_{key}": totals[key] for key in totals})
    return rates, misses


def contraindicated_points_given(cases: list[dict]) -> int:
    """Points with a pregnancy caution recommended to pregnant people, over every complaint
    the catalogue covers (the answer should be 0). When the message leaves pregnancy
    unknown the bot asks first, and the person answers yes; only a message misread as
    "not pregnant" can lead to such a point."""
    checker, catalogue, vocabulary = default_checker(), default_catalogue(), default_vocabulary()
    given = 0
    for case in cases:
        if not case.get("pregnant"):
            continue
        read = checker.facts_in(case["text"]).pregnant
        pregnant = True if read is None else read
        for complaint in vocabulary.complaints:
            result = recommend(catalogue, vocabulary, SymptomRequest(complaints=(complaint,)), pregnant=bool(pregnant))
            given += sum(catalogue.points[code].pregnancy != "ok" for code in result.codes)
    return given


def summary(rates: dict[str, float]) -> str:
    return (
        f"emergency recall {rates['emergency']:.1%} (n={rates['n_emergency']}), "
        f"urgent recall {rates['urgent']:.1%} (n={rates['n_urgent']}), "
        f"false alarms on negated/past/other-person {rates['false_alarm_negated']:.1%} "
        f"(n={rates['n_false_alarm_negated']}), on ordinary {rates['false_alarm_plain']:.1%} "
        f"(n={rates['n_false_alarm_plain']}), pregnancy status read right {rates['pregnancy_status']:.1%}, "
        f"contraindicated points to pregnant users {rates['contraindicated_points_to_pregnant']}"
    )


if __name__ == "__main__":
    for name, path in (("development set", CASES_FILE), ("held-out set", HOLDOUT_FILE)):
        rates, misses = score(load_cases(path))
        print(f"{name}: {summary(rates)}")
        if "--misses" in sys.argv:
            for miss in misses:
                print("  expected {:<9} got {:<9} pregnant expected {} got {} | {}".format(*miss))
