"""Score the red-flag screening (lexicon + classifier) on the triage case sets.

python scripts/triage_report.py             # figures for every set
python scripts/triage_report.py --check     # also fail when a set is under its floors
python scripts/triage_report.py --misses    # list what the development set got wrong

Sets (tests/triage/):
  cases.yml           development: the lexicon was tuned on it
  dev_tricky_cases.yml  development too: 360 red-flag words that are no red flag (negated,
                      past, someone else's, lookalike), written from the reference
  dev2_emergency_cases.yml, dev2_tricky_cases.yml
                      development too (2026-12-02): 260 emergencies and 320 red-flag words
                      that are no red flag, written from the reference alone in the blind
                      sets' voices, then read to improve the lexicon
  dev3_tricky_cases.yml, dev_contraindication_cases.yml, dev_contraindication2_cases.yml
                      development too (2026-12-02/03): 451 hard negatives, and 371 cases of
                      pregnancy, possible DVT, hot joints and fresh knocks, read to tune the
                      classifier's gates and the lexicon's guards
  dev4_negative_cases.yml
                      development too (2026-12-04): 430 messages with red-flag words that are no
                      red flag (denied, over, someone else's, a lookalike, an ordinary ache),
                      written from the reference alone, then read to widen the guards
  holdout_cases.yml   the first held-out set; its misses have not been read
  blind_cases.yml     written from the reference alone by someone who saw neither the
                      lexicon, the corpus nor the other sets; only its aggregate is ever
                      printed, never a case (--misses refuses it). Its aggregate was
                      watched while the layers were tuned, so it overstates a little:
  blind2_cases.yml    the second blind set (2026-12-01, 458 cases), same rules; its
                      aggregate was watched about ten times while the layers were tuned
  blind3_cases.yml    the third blind set (2026-12-02, 492 cases), same rules; its aggregate
                      was watched while the second corpus round was added
  blind4_cases.yml    the fourth blind set (2026-12-02, 481 cases), same rules; its aggregate
                      was watched about twelve times while the third round of guards was added
  blind5_cases.yml    the fifth blind set (2026-12-02, 480 cases), same rules; its aggregate
                      was watched about six times while the gates of 2026-12-03 were tuned
  blind6_cases.yml    the sixth blind set (written 2026-12-02, 408 cases, scored first on
                      2026-12-03 morning); its aggregate was watched five times that afternoon
  blind7_cases.yml    the seventh blind set (written 2026-12-03, 430 cases, scored first that
                      afternoon); its misses were read that evening to widen the guards (lists
                      a denial opens, a time of life that is over, a carer's relative's
                      relative): a development set since
  blind8_cases.yml    the eighth blind set (written 2026-12-03, 415 cases, scored first that
                      evening); its misses were read on 2026-12-04 (a fall of "about" so many
                      metres, pain nothing eases, a drama or a job full of emergencies): a
                      development set since
  blind9_cases.yml    the ninth blind set (written 2026-12-04, 454 cases, scored first that
                      morning before the changes read from blind 8); its misses were read that
                      day (varicose veins, a relative's old stroke, a work "car crash", cancer
                      long ago with a headache): a development set since
  blind10_cases.yml   the tenth blind set (written 2026-12-04, 532 cases with more negatives,
                      scored first that morning at 6f08f2b before the changes read from blind 9);
                      its misses were read that afternoon and taught the changes of that evening:
                      a development set since
  blind11_cases.yml   the fresh blind set (written 2026-12-04 evening, 532 cases, 143 hard
                      negatives): scored first at 02207c5, before the changes read from blind 10;
                      the figures the README quotes
  blind12_cases.yml   a reserve blind set written beside it from the same brief (501 cases):
                      not in SETS, scored once at 02207c5 and once at 53236c9 (aggregates only),
                      so that the next round has a set nobody tuned on

A case is one message (`text`) or a conversation (`turns`), read as the assistant reads
a session: each message alone, and together with the session's earlier messages; facts
(pregnancy, age) carry over, and the level never goes down.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.safety import SafetyState  # noqa: E402
from actions.core.screening import Screener, default_screener  # noqa: E402
from actions.core.triage import Facts, prepare  # noqa: E402

TRIAGE_DIR = ROOT / "tests" / "triage"
SETS = {
    "development": TRIAGE_DIR / "cases.yml",
    "development-tricky": TRIAGE_DIR / "dev_tricky_cases.yml",
    "development-2": TRIAGE_DIR / "dev2_emergency_cases.yml",
    "development-2-tricky": TRIAGE_DIR / "dev2_tricky_cases.yml",
    "development-3-tricky": TRIAGE_DIR / "dev3_tricky_cases.yml",
    "development-contraindication": TRIAGE_DIR / "dev_contraindication_cases.yml",
    "development-contraindication-2": TRIAGE_DIR / "dev_contraindication2_cases.yml",
    "development-4-negatives": TRIAGE_DIR / "dev4_negative_cases.yml",
    "held-out": TRIAGE_DIR / "holdout_cases.yml",
    "blind": TRIAGE_DIR / "blind_cases.yml",
    "blind-2": TRIAGE_DIR / "blind2_cases.yml",
    "blind-3": TRIAGE_DIR / "blind3_cases.yml",
    "blind-4": TRIAGE_DIR / "blind4_cases.yml",
    "blind-5": TRIAGE_DIR / "blind5_cases.yml",
    "blind-6": TRIAGE_DIR / "blind6_cases.yml",
    "blind-7": TRIAGE_DIR / "blind7_cases.yml",
    "blind-8": TRIAGE_DIR / "blind8_cases.yml",
    "blind-9": TRIAGE_DIR / "blind9_cases.yml",
    "blind-10": TRIAGE_DIR / "blind10_cases.yml",
    "blind-11": TRIAGE_DIR / "blind11_cases.yml",
}
# The blind set nobody has tuned on: tests/e2e/test_blind_triage.py chats it over REST, and
# bench/results.md names it as the honest figure.
FRESH_BLIND_SET = "blind-11"
TRICKY_KINDS = ("negated", "past", "other_person", "lookalike")  # false alarms here: <= 5%
# The safety issue's targets (issue 9): printed as met or not for every set.
TARGET_FLOORS = {"emergency": 0.97, "urgent_or_better": 0.93}
TARGET_CEILINGS = {"false_alarm_tricky": 0.05, "false_alarm_ordinary": 0.02}
# What `make triage-test` holds each set to: the targets where they are reached,
# else the figure measured on 2026-12-01 (rounded against us), so no change can make
# them worse unnoticed. bench/results.md and the README say which targets are not met.
FLOORS = {
    "development": {"emergency": 1.0, "urgent_or_better": 1.0},
    "development-tricky": {},
    # 2026-12-02: 95.4% when written, 98.5% after the lexicon read its misses; 99.2% on 2026-12-03
    "development-2": {"emergency": 0.99},
    "development-2-tricky": {},
    "development-3-tricky": {},
    # 2026-12-03: pregnancy, possible DVT, hot joints and fresh knocks; read to tune the gates
    "development-contraindication": {"urgent_or_better": 0.98},
    "development-contraindication-2": {"emergency": 1.0, "urgent_or_better": 0.97},
    "development-4-negatives": {},
    # 41 of its 45 emergencies since the second corpus round (2026-12-02; 40 before)
    "held-out": {"emergency": 0.91, "urgent_or_better": 0.99},
    # measured with the classifier retrained after the lexicon's changes (its training reads
    # the lexicon too, so a stale model overstated blind urgent by 1 case, blind-2 emergency by 1)
    "blind": {"emergency": 0.97, "urgent_or_better": 0.95},
    "blind-2": {"emergency": 0.98, "urgent_or_better": 0.98},
    # 2026-12-03: 132 -> 131 of its 136 urgent cases once the classifier learnt 200 minor
    # knocks as negatives (ordinary false alarms fell on every set): held to what it measured
    "blind-3": {"emergency": 0.98, "urgent_or_better": 0.96},
    # first scored 2026-12-02 before the second corpus round: 94.7% / 95.3%; after it 96.7% / 96.7%;
    # 98.7% / 99.3% once a lexicon hit waiting on a fact no longer silenced the classifier
    "blind-4": {"emergency": 0.98, "urgent_or_better": 0.99},
    # first scored 2026-12-02 (a91afd7): 98.2% / 94.3%, tricky 10.3%, ordinary 2 of 97; its
    # aggregate was watched about six times on 2026-12-03: 98.8% / 95.7%, 9.0%, 1 of 97.
    # 132 of 140 urgent (94.3%) once the classifier learnt 140 more NLU messages and 21 saddle
    # lookalikes as negatives (2026-12-03, afternoon), while blind-3, blind-4 and held-out
    # urgent rose by one case each and blind-6 emergency by one: held to what it measured
    "blind-5": {"emergency": 0.98, "urgent_or_better": 0.94},
    # the fresh blind set, scored first on 2026-12-03 after the last change: 142 of 146
    # emergencies, 108 of 110 urgent, 5 of 72 tricky and 0 of 80 ordinary false alarms; 143,
    # 108, 4 and 0 with the saddle lookalikes (its aggregate watched 3 times that afternoon)
    "blind-6": {"emergency": 0.97, "urgent_or_better": 0.98},
    # the fresh blind set (written 2026-12-03, 430 cases), scored first that afternoon at
    # ed50b26: 152 of 154 emergencies, 110 of 115 urgent, 9 of 76 tricky, 1 of 85 ordinary
    "blind-7": {"emergency": 0.98, "urgent_or_better": 0.95},
    # the eighth blind set (written 2026-12-03, 415 cases), scored first that evening: 146 of 147
    # emergencies, 109 of 113 urgent, 5 of 71 tricky and 0 of 84 ordinary false alarms; after the
    # evening's guards (read from blind-7's misses) 146, 109, 4 and 0; its misses read on 2026-12-04:
    # 147, 113, 0 and 0 after the changes they taught
    "blind-8": {"emergency": 0.99, "urgent_or_better": 0.99},
    # the ninth blind set (written 2026-12-04, 454 cases), scored first that morning at d6211f7:
    # 158 of 158 emergencies, 127 of 129 urgent, 7 of 76 tricky and 4 of 91 ordinary false alarms;
    # its misses read that day: 158, 128 of 129, 2 of 76 and 2 of 91 after the changes they taught
    "blind-9": {"emergency": 0.99, "urgent_or_better": 0.99},
    # the fresh blind set (written 2026-12-04, 532 cases), scored first that morning at 6f08f2b:
    # 165 of 167 emergencies, 133 of 135 urgent, 14 of 119 tricky and 3 of 111 ordinary false alarms;
    # 165, 133, 11 and 3 after the changes read from blind 9 (its aggregate watched twice); its
    # misses read that afternoon: 167, 134, 4 and 3 after the changes they taught (evening)
    "blind-10": {"emergency": 0.99, "urgent_or_better": 0.99},
    # the fresh blind set (written 2026-12-04 evening, 532 cases), scored first at 02207c5: 150 of
    # 151 emergencies, 119 of 123 urgent, 16 of 143 tricky and 2 of 115 ordinary false alarms; the
    # same after the changes read from blind 10 (its aggregate watched five times that evening)
    "blind-11": {"emergency": 0.99, "urgent_or_better": 0.96},
}
CEILINGS = {
    "development": {"false_alarm_tricky": 0.05, "false_alarm_ordinary": 0.02},
    "development-tricky": {"false_alarm_tricky": 0.05},
    "development-2": {},
    # 2026-12-02: 15.6% when written, 7.5% after the lexicon read its misses
    "development-2-tricky": {"false_alarm_tricky": 0.08},
    # 2026-12-03: 21.0% when written (mostly the lexicon's: someone else's illness, a story,
    # an illness that is over), 16.7% once read to improve the guards
    "development-3-tricky": {"false_alarm_tricky": 0.17, "false_alarm_ordinary": 0.02},
    "development-contraindication": {"false_alarm_ordinary": 0.01},
    # 8 of 96 since the classifier is not shown a checklist answered "no" (2026-12-04 evening): a
    # knock with "no calf warmth or erythema" left alone reads to it as a clot; 7 before
    "development-contraindication-2": {"false_alarm_ordinary": 0.085},
    # 2026-12-04: 9.4% / 1.4% when written (a story that is over, a lecture or a job, a thing that
    # collapsed, a band round the head), 1.7% / 0.7% once read to improve the guards
    "development-4-negatives": {"false_alarm_tricky": 0.025, "false_alarm_ordinary": 0.01},
    "held-out": {"false_alarm_tricky": 0.05, "false_alarm_ordinary": 0.02},
    # the second corpus round (2026-12-02) raised ordinary false alarms on the older blind
    # sets by one or two cases each (blind 0 -> 2 of 87, blind-2 2 -> 3 of 99, blind-3 3 -> 5 of
    # 116, and 6 once the classifier was no longer silenced by waiting lexicon hits) while
    # emergency recall rose on all of them: held to what it measured
    "blind": {"false_alarm_tricky": 0.06, "false_alarm_ordinary": 0.025},
    # 7 of its 58 since the privacy requests and new NLU data became negatives (2026-12-02; 6 before)
    "blind-2": {"false_alarm_tricky": 0.125, "false_alarm_ordinary": 0.031},
    "blind-3": {"false_alarm_tricky": 0.07, "false_alarm_ordinary": 0.052},
    # 15 of its 94 before the second corpus round, 13 after (9 of them the lexicon's)
    "blind-4": {"false_alarm_tricky": 0.14, "false_alarm_ordinary": 0.02},
    "blind-5": {"false_alarm_tricky": 0.09, "false_alarm_ordinary": 0.011},
    "blind-6": {"false_alarm_tricky": 0.06, "false_alarm_ordinary": 0.0},
    # 9 of its 76 when first scored; 2 once its misses had been read (2026-12-03 evening)
    "blind-7": {"false_alarm_tricky": 0.03, "false_alarm_ordinary": 0.012},
    "blind-8": {"false_alarm_tricky": 0.03, "false_alarm_ordinary": 0.012},
    "blind-9": {"false_alarm_tricky": 0.03, "false_alarm_ordinary": 0.025},
    "blind-10": {"false_alarm_tricky": 0.04, "false_alarm_ordinary": 0.028},
    "blind-11": {"false_alarm_tricky": 0.12, "false_alarm_ordinary": 0.02},
}


@dataclass(frozen=True)
class Outcome:
    level: str
    facts: Facts
    seconds_per_message: float


def turns_of(case: dict) -> list[str]:
    return [str(t) for t in case["turns"]] if "turns" in case else [str(case["text"])]


def read_session(screener: Screener, turns: list[str]) -> Outcome:
    """The session's level after these messages, the way SafetyPolicy reads them."""
    state, facts = SafetyState(), Facts()
    began = time.perf_counter()
    for index, text in enumerate(turns):
        turn = screener.assess(text, facts)
        facts = turn.facts
        state = state.including(turn)
        if index:
            joined = "\n".join(turns[max(0, index - 3) : index + 1])
            state = state.including(screener.assess(joined, facts, combinations_only=True))
    elapsed = (time.perf_counter() - began) / len(turns)
    return Outcome(state.level, facts, elapsed)


def load_cases(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def score(cases: list[dict], screener: Screener | None = None) -> tuple[dict[str, float], list[tuple]]:
    screener = screener or default_screener()
    prepare()  # what a server does at start-up: tokenizer loaded, patterns compiled
    screener.assess("warm up: the classifier's first call")
    totals, hits, misses, timings = Counter(), Counter(), [], []
    for case in cases:
        outcome = read_session(screener, turns_of(case))
        timings.append(outcome.seconds_per_message)
        expected, got = case["level"], outcome.level
        if expected == "emergency":
            totals["emergency"] += 1
            hits["emergency"] += got == "emergency"
            # Anything short of the emergency answer can show points (urgent gives gentle ones).
            hits["points_shown_in_emergencies"] += got != "emergency"
        elif expected == "urgent":
            totals["urgent_or_better"] += 1
            hits["urgent_or_better"] += got in ("urgent", "emergency")
        else:
            group = "tricky" if case.get("kind") in TRICKY_KINDS else "ordinary"
            totals[f"false_alarm_{group}"] += 1
            hits[f"false_alarm_{group}"] += got != "none"
        wrong = got != expected and not (expected == "urgent" and got == "emergency")
        if wrong:
            misses.append((expected, got, " | ".join(turns_of(case))))
    rates: dict[str, float] = {key: hits[key] / totals[key] for key in totals}
    rates["points_shown_in_emergencies"] = hits["points_shown_in_emergencies"]
    rates.update({f"n_{key}": totals[key] for key in totals})
    rates["ms_per_message_mean"] = 1000 * statistics.fmean(timings)
    rates["ms_per_message_p95"] = 1000 * sorted(timings)[int(0.95 * (len(timings) - 1))]
    return rates, misses


def summary(rates: dict[str, float]) -> str:
    def rate(key: str) -> str:
        return f"{rates[key]:.1%} (n={rates[f'n_{key}']})" if key in rates else "n/a"

    return (
        f"emergency recall {rate('emergency')}, urgent-or-better {rate('urgent_or_better')}, "
        f"false alarms negated/past/other/lookalike {rate('false_alarm_tricky')}, ordinary "
        f"{rate('false_alarm_ordinary')}, points shown in emergencies {rates.get('points_shown_in_emergencies', 0)}, "
        f"{rates['ms_per_message_mean']:.2f} ms per message (p95 {rates['ms_per_message_p95']:.2f})"
    )


def failures(rates: dict[str, float], floors: dict[str, float], ceilings: dict[str, float]) -> list[str]:
    found = [f"{key} {rates[key]:.1%} < {floor:.0%}" for key, floor in floors.items()
             if key in rates and rates[key] < floor]  # fmt: skip
    found += [f"{key} {rates[key]:.1%} > {ceiling:.0%}" for key, ceiling in ceilings.items()
              if key in rates and rates[key] > ceiling]  # fmt: skip
    return found


def main(argv: list[str]) -> int:
    failed = []
    for name, path in SETS.items():
        if not path.exists():
            print(f"{name}: {path.name} missing")
            failed.append(name)
            continue
        rates, misses = score(load_cases(path))
        print(f"{name}: {summary(rates)}")
        if "--misses" in argv and name.startswith("development"):
            for expected, got, text in misses:
                print(f"  expected {expected:<9} got {got:<9} | {text}")
        missed = failures(rates, TARGET_FLOORS, TARGET_CEILINGS)
        print(f"  issue targets: {'all met' if not missed else 'not met: ' + '; '.join(missed)}")
        if "--check" in argv:
            problems = failures(rates, FLOORS[name], CEILINGS[name])
            if problems:
                failed.append(name)
                print(f"  WORSE than this set's floors: {'; '.join(problems)}")
    return 1 if failed and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
