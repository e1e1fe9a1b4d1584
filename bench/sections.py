"""Replace one `## ` section of bench/results.md, leaving the others as they are.

The full `make bench` writes the whole report; the scripts that measure one part again
(bench/triage_results.py, scripts/nlu_blind_report.py --bench, bench/cluster_load.py,
bench/soak.py --only-soak) each replace only their own section through this.
"""

from __future__ import annotations

from pathlib import Path


def replace_section(report: str, heading: str, lines: list[str]) -> str:
    """`report` with the section that starts at `heading` (up to the next `## `) replaced by
    `lines`, or with them appended when it has no such section."""
    body = "\n".join(lines).rstrip("\n") + "\n"
    if heading not in report:
        return report.rstrip("\n") + "\n\n" + body
    before, _, rest = report.partition(heading)
    following = rest.find("\n## ")
    after = rest[following + 1 :] if following >= 0 else ""
    return before + body + ("\n" + after if after else "")


def write_section(path: Path, heading: str, lines: list[str]) -> None:
    path.write_text(replace_section(path.read_text(encoding="utf-8"), heading, lines), encoding="utf-8")
