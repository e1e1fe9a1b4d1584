"""Print the red-flag checker's answer for every triage case, one line per case, to compare runs.

python scripts/triage_snapshot.py > before.txt     # level and pregnancy fact per case
python scripts/triage_snapshot.py --flags          # also the concepts of the hits
python scripts/triage_snapshot.py --time           # time per message over the development cases

Lines read "<set> <index> level=<level> pregnant=<fact>". Development lines end with the
case's text; held-out lines do not (nobody reads held-out cases one by one), so a diff shows
only that case number N of the held-out set changed.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.core.triage import default_checker, prepare  # noqa: E402
from scripts.triage_report import SETS, load_cases, turns_of  # noqa: E402

CASES_FILE, HOLDOUT_FILE = SETS["development"], SETS["held-out"]


def snapshot_lines(with_flags: bool = False) -> list[str]:
    checker = default_checker()
    lines = []
    for name, path in (("dev", CASES_FILE), ("holdout", HOLDOUT_FILE)):
        for index, case in enumerate(load_cases(path)):
            result = checker.assess(" ".join(turns_of(case)))
            line = f"{name} {index:4d} level={result.level} pregnant={result.facts.pregnant}"
            if with_flags:
                concepts = sorted({getattr(hit, "concept", hit.flag) for hit in result.hits})
                line += f" hits={','.join(concepts) or '-'}"
            if name == "dev":
                line += f" | {' '.join(' '.join(turns_of(case)).split())}"
            lines.append(line)
    return lines


def timing(repeats: int = 3) -> str:
    """Mean and 95th-percentile time of one `assess` call over the development cases."""
    checker = prepare()
    texts = [" ".join(turns_of(case)) for case in load_cases(CASES_FILE)]
    for text in texts:  # warm up regex and tokenizer caches
        checker.assess(text)
    samples = []
    for _ in range(repeats):
        for text in texts:
            start = time.perf_counter()
            checker.assess(text)
            samples.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"{len(texts)} messages x {repeats}: mean {statistics.mean(samples):.2f} ms, p95 {p95:.2f} ms"


if __name__ == "__main__":
    if "--time" in sys.argv:
        print(timing())
    else:
        print("\n".join(snapshot_lines(with_flags="--flags" in sys.argv)))
