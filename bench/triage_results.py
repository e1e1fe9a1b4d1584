"""Rewrite only the safety-triage section of bench/results.md, from a run made now.

python bench/triage_results.py

`make bench` writes the whole report (about 30 minutes); this measures the part of it a
change to the red-flag layers touches: the three case sets (scripts/triage_report.py) and
the blind set chatted over REST with both real servers, and says so in the section.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import sections  # noqa: E402
from bench.report import Result, triage_section  # noqa: E402
from tests.e2e.test_blind_triage import blind_figures  # noqa: E402
from tests.support.servers import RasaStack  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
HEADING = "## Safety triage"


def main() -> None:
    ours = Result("ours")
    stack = RasaStack(workdir=ROOT / "bench" / "work" / "triage").start()
    try:
        ours.figures.update({f"blind_rest_{k}": v for k, v in blind_figures(stack).items()})
    finally:
        stack.stop()
    section = triage_section(ours)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section.insert(1, f"\nMeasured {stamp} by `bench/triage_results.py` (this section only; the sections above"
                   " are from the full `make bench` run named at the top).")  # fmt: skip
    sections.write_section(RESULTS, HEADING, section)
    print("\n".join(section))


if __name__ == "__main__":
    main()
