"""Judge a pip-audit JSON report against the accepted findings (`make audit`).

    python scripts/check_audit.py REPORT.json security/pip-audit-ignore.txt security/pip-audit-accepted.md

Fails (exit 1) on any finding whose id and aliases are all missing from the ignore list,
and on an ignore entry that security/pip-audit-accepted.md does not explain. Packages
pip-audit could not look up are listed; when the advisory service answered for none of
them (no network, or a registry mirror without PyPI's JSON API), the audit did not happen:
that is said loudly, and it fails only with AUDIT_REQUIRE_SERVICE=1, so that a machine
without the service can still run `make test`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Verdict:
    new: list[str]  # "package version: id (aliases)" of each finding not accepted
    accepted: list[str]
    unexplained: list[str]  # ignore entries the accepted-findings file does not mention
    skipped: list[str]
    audited: int

    @property
    def unreachable(self) -> bool:
        return self.audited == 0 and bool(self.skipped)

    def failed(self, require_service: bool) -> bool:
        return bool(self.new or self.unexplained) or (require_service and self.unreachable)


def read_ignore_list(text: str) -> set[str]:
    """IDs, one a line; '#' starts a comment."""
    return {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}


def judge(report: dict[str, Any], ignored: set[str], explanations: str) -> Verdict:
    new, accepted, skipped, audited = [], [], [], 0
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(f"{dep.get('name')}: {dep['skip_reason']}")
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            ids = {vuln.get("id", ""), *vuln.get("aliases", [])}
            line = f"{dep['name']} {dep['version']}: {vuln.get('id')} ({', '.join(sorted(ids - {vuln.get('id')}))})"
            (accepted if ids & ignored else new).append(line)
    unexplained = sorted(i for i in ignored if i not in explanations)
    return Verdict(new, accepted, unexplained, skipped, audited)


def main(argv: list[str]) -> int:
    report_path, ignore_path, accepted_path = (Path(a) for a in argv)
    require = os.environ.get("AUDIT_REQUIRE_SERVICE") == "1"
    if not report_path.exists() or not report_path.read_text().strip():
        print(f"pip-audit: NOT AUDITED: pip-audit wrote no report (its log is next to {report_path})")
        return 1 if require else 0
    verdict = judge(
        json.loads(report_path.read_text()),
        read_ignore_list(ignore_path.read_text()),
        accepted_path.read_text(),
    )
    print(f"pip-audit: {verdict.audited} packages audited, {len(verdict.skipped)} could not be looked up")
    for line in verdict.accepted:
        print(f"  accepted (see {accepted_path}): {line}")
    for line in verdict.new:
        print(f"  NEW FINDING: {line}")
    for entry in verdict.unexplained:
        print(f"  ignore entry {entry} is not explained in {accepted_path}")
    if verdict.unreachable:
        print(
            "  NOT AUDITED: the advisory service answered for no package (no network, or a registry mirror "
            "without PyPI's per-release JSON API). " + ("Failing (AUDIT_REQUIRE_SERVICE=1)." if require else "")
        )
    elif verdict.skipped:
        print("  could not be looked up: " + "; ".join(verdict.skipped[:10]))
    return 1 if verdict.failed(require) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
