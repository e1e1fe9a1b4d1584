"""The pip-audit gate (scripts/check_audit.py): new findings fail, accepted ones must be explained."""

from __future__ import annotations

from scripts.check_audit import judge, read_ignore_list

AIOHTTP = {"id": "PYSEC-2024-1", "aliases": ["GHSA-8495-4g3g-x7pr", "CVE-2024-52304"], "fix_versions": ["3.10.11"]}
REPORT = {
    "dependencies": [
        {"name": "aiohttp", "version": "3.9.5", "vulns": [AIOHTTP]},
        {"name": "sanic-cors", "version": "2.0.1", "vulns": [{"id": "GHSA-94jw-hqvj-vw74", "aliases": []}]},
        {"name": "requests", "version": "2.32.0", "vulns": []},
    ]
}


def test_a_finding_not_on_the_ignore_list_fails() -> None:
    verdict = judge(REPORT, {"GHSA-94jw-hqvj-vw74"}, "GHSA-94jw-hqvj-vw74: exact origins only")
    assert verdict.new == ["aiohttp 3.9.5: PYSEC-2024-1 (CVE-2024-52304, GHSA-8495-4g3g-x7pr)"]
    assert verdict.failed(require_service=False)


def test_accepted_by_any_alias_and_explained_passes() -> None:
    ignored = read_ignore_list("GHSA-94jw-hqvj-vw74  # sanic-cors\nCVE-2024-52304\n\n# comment\n")
    verdict = judge(REPORT, ignored, "GHSA-94jw-hqvj-vw74 ... CVE-2024-52304 ...")
    assert not verdict.new and len(verdict.accepted) == 2 and verdict.audited == 3
    assert not verdict.failed(require_service=True)


def test_an_unexplained_ignore_entry_fails() -> None:
    verdict = judge(REPORT, {"GHSA-94jw-hqvj-vw74", "CVE-2024-52304"}, "only GHSA-94jw-hqvj-vw74 here")
    assert verdict.unexplained == ["CVE-2024-52304"] and verdict.failed(require_service=False)


def test_a_service_that_answered_for_nothing_is_not_an_audit() -> None:
    offline = {"dependencies": [{"name": "aiohttp", "skip_reason": "Dependency not found on PyPI"}]}
    verdict = judge(offline, set(), "")
    assert verdict.unreachable and verdict.audited == 0
    assert verdict.failed(require_service=True) and not verdict.failed(require_service=False)
