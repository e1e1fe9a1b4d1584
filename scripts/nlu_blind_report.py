"""Understanding on the blind NLU set: intent and entity F1, and what people get over REST.

python scripts/nlu_blind_report.py nlu     # rasa test nlu on tests/nlu/blind4_nlu.yml
python scripts/nlu_blind_report.py rest    # each symptom case chatted over REST (both servers)
python scripts/nlu_blind_report.py nlu rest --check   # also fail under the floors (make test)
python scripts/nlu_blind_report.py nlu rest --bench   # also rewrite its section of bench/results.md
python scripts/nlu_blind_report.py nlu rest --bench --peer bench/work/model-peer  # and the peer's column
python scripts/nlu_blind_report.py nlu rest --set dev3   # a development set (tests/nlu/dev3_*.yml,
                                                          # or blind2, read since): its misses are printed

tests/nlu/blind4_nlu.yml and blind4_cases.yml (2026-12-04: 385 messages after 65 near copies
of training messages were dropped unread, 300 symptom cases, thirteen voices) were written from
../shared/reference alone by someone who had seen nothing of the repository, from a brief that
gives what each intent means but no example sentences (docs/writing_data/nlu_blind4_set_brief.md);
`make test` holds the assistant to its floors. Only aggregates are printed, never a message:
once its misses are read it is a development set. The second set (blind2_*, 2026-12-02) was
watched about six times while tuning and its misses were read on 2026-12-04 (`--set blind2`
prints them); the third (blind3_*, 2026-12-03, `--set blind3`) was written from the brief of
development set dev3, so it resembles what was tuned on; the first (blind_*) is kept as a record.

A REST case is a hit when the reply gives points for every complaint the person named
("For lower back pain and stress, here are ..."), names back the uncovered area they said,
or, when they named no area, asks where. An area named back that the case does not
contain is counted apart: the issue allows none.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.render import ask_for_area  # noqa: E402
from actions.core.vocabulary import default_vocabulary  # noqa: E402
from bench import sections  # noqa: E402
from scripts.check_nlu_report import scores  # noqa: E402

BLIND_NLU = ROOT / "tests" / "nlu" / "blind4_nlu.yml"
BLIND_CASES = ROOT / "tests" / "nlu" / "blind4_cases.yml"
# Blind sets whose misses have been read (a development set since): `--set` prints their misses.
READ_SETS = ("blind2",)
PREGNANCY_QUESTION = "are you pregnant"
INTRO = re.compile(r"For (?P<what>[^,]+(?:, [^,]+)*?), here (?:is|are) \d+ acupressure point")
NO_POINTS = re.compile(r"no acupressure points for pain in your (?P<area>[\w ]+?)\.")


def nlu_figures(out: Path = ROOT / "results" / "nlu-blind", model: Path = ROOT / "models",
                nlu: Path = BLIND_NLU) -> tuple[float, float]:  # fmt: skip
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "test", "nlu", "--model", str(model),
         "--nlu", str(nlu), "--out", str(out), "--no-plot"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return scores(out)


def judge(case: dict, reply: str) -> tuple[bool, bool]:
    """(hit, named an area the person did not say)."""
    vocabulary = default_vocabulary()
    named = {vocabulary.uncovered_area(m.group("area").replace(" or ", " ").split()[0]) or m.group("area")
             for m in NO_POINTS.finditer(reply)}  # fmt: skip
    said = vocabulary.uncovered_area(str(case["uncovered"])) if case.get("uncovered") else None
    invented = bool(named - {said})
    if said:
        return said in named, invented
    wanted = [vocabulary.label(c) for c in case.get("complaints") or []]
    if not wanted:
        return ask_for_area() in reply, invented
    given = " ".join(m.group("what") for m in INTRO.finditer(reply))
    return all(label in given for label in wanted), invented


def miss_kind(reply: str) -> str:
    """What a missed case got instead, as a count to print (never the case itself)."""
    if "🚨" in reply or "Please see a doctor today" in reply:
        return "red_flag_advice"
    if INTRO.search(reply):
        return "points_for_other_complaints"
    if NO_POINTS.search(reply):
        return "no_points_other_area"
    if ask_for_area() in reply:
        return "asked_where"
    if "didn't quite catch that" in reply:
        return "rephrase"
    return "other_reply"


def rest_figures(model: Path = ROOT / "models", cases_file: Path = BLIND_CASES,
                 show_misses: bool = False) -> dict[str, float]:  # fmt: skip
    from tests.support.servers import RasaStack

    cases = yaml.safe_load(cases_file.read_text(encoding="utf-8"))["cases"]
    totals, hits, misses = Counter(), Counter(), Counter()
    stack = RasaStack(workdir=ROOT / "results" / "nlu-blind-rest", model=model).start()
    try:
        for case in cases:
            sender = uuid.uuid4().hex
            replies = stack.say(sender, case["text"]).json()
            reply = "\n".join(r.get("text", "") for r in replies)
            if PREGNANCY_QUESTION in reply.lower():
                reply += "\n" + "\n".join(r.get("text", "") for r in stack.say(sender, "no").json())
            hit, invented = judge(case, reply)
            if not hit:
                misses[miss_kind(reply)] += 1
                if show_misses:  # development sets only: a blind set's misses are never printed
                    said = [r.get("text", "") for r in replies if not r.get("text", "").startswith("Hello, I'm")]
                    print(f"MISS {case['complaints'] or case.get('uncovered')}: {case['text']}\n  -> {said[:2]!r}")
            groups = [*(case.get("complaints") or [])] or ["uncovered area" if case.get("uncovered") else "no area"]
            if len(case.get("complaints") or []) > 1:
                groups = ["mixed"]
            for group in [*groups, "all"]:
                totals[group] += 1
                hits[group] += hit
            hits["invented_area"] += invented
    finally:
        stack.stop()
    figures = {group: hits[group] / totals[group] for group in totals}
    figures["invented_area"] = hits["invented_area"]
    figures.update({f"miss_{kind}": count for kind, count in misses.items()})
    figures.update({f"n_{group}": totals[group] for group in totals})
    return figures


# The issue's targets (issue 10) and what `make test` holds the assistant to: the target
# where it is met, else the figure measured on the fresh set (rounded against us). Blind set
# 4, first scored 2026-12-04 with the model of d6211f7: intent 0.972, entity 0.901, REST 93.7%,
# one reply naming an area the case did not say; after that morning's round (blind set 2's
# misses read; intents_round5, entities_round5, no_area_round5; clinical and misspelt place
# words): 0.972, 0.889, 94.7%, none. The round cost 0.012 of entity F1 on this set (0.897 without
# entities_round5, whose extra sensation words and durations the set's writer did not annotate)
# and is kept for the area named that nobody said, which the issue allows none of.
# Blind set 2 before it: 0.954 / 0.901 / 90.5% on 2026-12-02, 0.956 / 0.918 / 93.6% on 2026-12-03.
TARGETS = {"intent_f1": 0.97, "entity_f1": 0.93, "all": 0.95}
FLOORS = {"intent_f1": 0.97, "entity_f1": 0.88, "all": 0.94}
MAX_INVENTED_AREAS = 0
BENCH = ROOT / "bench" / "results.md"
HEADING = "## Understanding (blind NLU set)"


def bench_section(figures: dict[str, float], peer: dict[str, float] | None = None) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    peer = peer or {}
    groups = sorted(k for k in figures if not k.startswith(("n_", "miss_")) and k not in ("intent_f1", "entity_f1",
                                                                               "invented_area", "all"))  # fmt: skip

    def both(key: str, form: str) -> str:
        ours = format(figures[key], form)
        return f"{ours} | {format(peer[key], form)}" if peer else ours

    head = "| Measure | Ours | Peer config | Target |" if peer else "| Measure | Blind set | Target |"
    rule = "| --- | ---: | ---: | ---: |" if peer else "| --- | ---: | ---: |"
    lines = [
        HEADING, "",
        f"Measured {stamp} by `scripts/nlu_blind_report.py nlu rest --bench`: tests/nlu/blind4_nlu.yml, the",
        "set of 2026-12-04, written from the reference alone by someone who had seen nothing of the",
        "repository (385 messages after the near copies of training messages were dropped unread; 300",
        "REST cases; thirteen voices). Only aggregates are ever printed.", "",
        head, rule,
        f"| Intent F1 (weighted, `rasa test nlu`) | {both('intent_f1', '.3f')} | ≥ {TARGETS['intent_f1']} |",
        f"| Entity F1 (micro, DIET) | {both('entity_f1', '.3f')} | ≥ {TARGETS['entity_f1']} |",
        f"| Symptom cases answered right over REST (n={figures['n_all']:.0f}) | {both('all', '.1%')} | ≥ 95% each |",
        f"| Replies naming an area the person did not say | {both('invented_area', '.0f')} | 0 |",
    ]  # fmt: skip
    lines += [f"| … {group.replace('_', ' ')} (n={figures['n_' + group]:.0f}) | {both(group, '.1%')} | ≥ 95% |"
              for group in groups]  # fmt: skip
    if peer:
        lines += ["", "Peer config: bench/peer_config.yml (the config `rasa init` writes) trained on the same data and",
                  "domain (`--peer MODEL`), served with the same action server."]  # fmt: skip
    else:
        lines += ["", "Not measured here: the same figures for the peer config (bench/peer_config.yml)."]
    return "\n".join(lines) + "\n"


def write_bench(figures: dict[str, float], peer: dict[str, float] | None = None) -> None:
    sections.write_section(BENCH, HEADING, bench_section(figures, peer).splitlines())


def measure(argv: list[str], model: Path, out: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    nlu, cases, development = BLIND_NLU, BLIND_CASES, False
    if "--set" in argv:
        name = argv[argv.index("--set") + 1]
        if not re.fullmatch(r"(?:dev|blind)\d*", name):
            raise SystemExit("--set takes a set of tests/nlu: devN (its misses are printed) or blindN")
        folder = ROOT / "tests" / "nlu"
        # a development set was read: its misses are printed; a blind set's never are
        development = name.startswith("dev") or name in READ_SETS
        nlu, cases = folder / f"{name}_nlu.yml", folder / f"{name}_cases.yml"
        out = out.with_name(out.name + "-" + name)
    if "nlu" in argv:
        figures["intent_f1"], figures["entity_f1"] = nlu_figures(out, model, nlu)
    if "rest" in argv:
        figures.update(rest_figures(model, cases, show_misses=development))
    return figures


def main(argv: list[str]) -> int:
    if "--set" in argv and ({"--bench", "--check", "--peer"} & set(argv)):
        raise SystemExit("--set measures another set: no --bench, --check or --peer with it")
    figures = measure(argv, ROOT / "models", ROOT / "results" / "nlu-blind")
    if "nlu" in argv:
        intent, entity = figures["intent_f1"], figures["entity_f1"]
        print(f"blind NLU set: intent F1 (weighted) {intent:.3f}, entity F1 (micro) {entity:.3f}")
    if "rest" in argv:
        rest = {k: v for k, v in figures.items() if k not in ("intent_f1", "entity_f1")}
        print("blind symptom cases over REST:", json.dumps({k: round(v, 3) for k, v in sorted(rest.items())}))
    peer: dict[str, float] = {}
    if "--peer" in argv:
        # The peer (bench/peer_config.yml trained on our data and domain) measured the same way.
        model = Path(argv[argv.index("--peer") + 1])
        peer = measure(argv, model, ROOT / "results" / "nlu-blind-peer")
        print("peer config:", json.dumps({k: round(v, 3) for k, v in sorted(peer.items())}))
    missed = [k for k, v in TARGETS.items() if k in figures and figures[k] < v]
    print("issue targets not met:", ", ".join(missed) or "none")
    if "--bench" in argv and {"intent_f1", "all"} <= set(figures):
        write_bench(figures, peer)
    if "--check" in argv:
        problems = [f"{k} {figures[k]:.3f} < {v}" for k, v in FLOORS.items() if k in figures and figures[k] < v]
        if figures.get("invented_area", 0) > MAX_INVENTED_AREAS:
            problems.append(f"{figures['invented_area']:.0f} replies named an area the person did not say")
        if problems:
            print("WORSE than the floors:", "; ".join(problems))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
