"""The soak's verdict and its section of bench/results.md (pure parts of bench/soak.py)."""

from __future__ import annotations

from bench.soak import SECTION, Soak, section, with_section


def steady(first_ms: float, last_ms: float, first_mb: float, last_mb: float) -> Soak:
    run = Soak(seconds=600, rate=3, users=3)
    run.turns = [(t / 3, first_ms if t / 3 < 60 else last_ms) for t in range(1800)]
    run.rss = [(t, first_mb if t < 60 else last_mb) for t in range(0, 600, 5)]
    return run


def test_flat_run_passes_and_growth_fails() -> None:
    assert steady(40, 50, 900, 930).problems() == []
    assert steady(40, 120, 900, 900).problems() == ["p50_ms grew: 40 -> 120 ms", "p95_ms grew: 40 -> 120 ms"]
    assert steady(40, 40, 900, 990).problems() == ["RSS grew: 900 -> 990 MB"]
    failing = steady(40, 40, 900, 900)
    failing.errors = ["'no': HTTP 500 ''"]
    assert failing.problems() == ["1 errors, e.g. [\"'no': HTTP 500 ''\"]"]


def test_first_and_last_minute_are_compared() -> None:
    figures = steady(40, 50, 900, 930).figures()
    assert (figures["soak_first_turns"], figures["soak_last_turns"]) == (180, 180)
    assert (figures["soak_first_p95_ms"], figures["soak_last_p95_ms"]) == (40, 50)
    assert (figures["soak_first_rss_mb"], figures["soak_last_rss_mb"]) == (900, 930)


def test_only_the_soak_section_is_replaced() -> None:
    report = "# Benchmark results\n\n## Latency\n\nkept\n"
    first = with_section(report, section(steady(40, 50, 900, 930).figures(), quick=False))
    assert first.startswith(report) and SECTION in first and "| p95 latency (ms) | 40 | 50 |" in first
    again = with_section(first + "\n## Later\n\nalso kept\n", [SECTION, "", "new figures"])
    assert again == report + "\n" + SECTION + "\n\nnew figures\n\n## Later\n\nalso kept\n"
