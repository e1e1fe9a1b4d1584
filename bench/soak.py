"""Soak: conversations at a steady rate for minutes; memory and latency must stay flat.

`users` clients each send one turn every `users / rate` seconds (on a fixed schedule, so
a slow turn is followed by a quicker next one, not by a lower rate), each running the load
conversation again and again as a new person. Every turn is checked (HTTP 200, a reply,
not the "please try again" answer); the Rasa server's RSS is sampled every 5 s. The first
and the last minute are compared against stated tolerances; a breach or any error fails
the phase (and `make bench-quick`, which runs it for 2 minutes).
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from bench.client import percentile
from bench.sections import replace_section

TRY_AGAIN = "Sorry, I couldn't put an answer together just now"
# Tolerances, last minute against the first (stated in bench/results.md with the figures).
LATENCY_FACTOR, LATENCY_SLACK_MS = 1.5, 25.0  # p50 and p95: at most 1.5x the first minute + 25 ms
RSS_GROWTH_MB = 50.0  # mean RSS: at most 50 MB more (the store's window cache grows by design)
SECTION = "## Soak (steady load for minutes: flat memory and latency)"


@dataclass
class Soak:
    seconds: float
    rate: float  # turns per second, all users together
    users: int
    turns: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, ms)
    errors: list[str] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)

    def minute(self, first: bool) -> dict[str, float]:
        """Figures of the first or the last 60 s (the whole run if shorter than 2 minutes: halves)."""
        span = min(60.0, self.seconds / 2)
        lo, hi = (0.0, span) if first else (self.seconds - span, self.seconds + 1)
        latencies = [ms for t, ms in self.turns if lo <= t < hi]
        memory = [mb for t, mb in self.rss if lo <= t < hi]
        return {
            "turns": len(latencies),
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "rss_mb": statistics.fmean(memory) if memory else float("nan"),
        }

    def figures(self) -> dict[str, float]:
        first, last = self.minute(True), self.minute(False)
        return {
            "soak_s": self.seconds, "soak_rate": self.rate, "soak_turns": len(self.turns),
            "soak_errors": len(self.errors),
            **{f"soak_first_{k}": v for k, v in first.items()}, **{f"soak_last_{k}": v for k, v in last.items()},
        }  # fmt: skip

    def problems(self) -> list[str]:
        f = self.figures()
        found = [f"{len(self.errors)} errors, e.g. {self.errors[:3]}"] if self.errors else []
        for key in ("p50_ms", "p95_ms"):
            allowed = f[f"soak_first_{key}"] * LATENCY_FACTOR + LATENCY_SLACK_MS
            if not f[f"soak_last_{key}"] <= allowed:
                found.append(f"{key} grew: {f[f'soak_first_{key}']:.0f} -> {f[f'soak_last_{key}']:.0f} ms")
        if not f["soak_last_rss_mb"] - f["soak_first_rss_mb"] <= RSS_GROWTH_MB:
            found.append(f"RSS grew: {f['soak_first_rss_mb']:.0f} -> {f['soak_last_rss_mb']:.0f} MB")
        return found


def run_soak(
    url: str, conversation: tuple[str, ...], seconds: float, rss_of: Callable[[], float],
    rate: float = 3.0, users: int = 3,
) -> Soak:  # fmt: skip
    """Runs the soak against a Rasa server's REST channel; `rss_of` reads its RSS in MB."""
    soak = Soak(seconds=seconds, rate=rate, users=users)
    began = time.monotonic()
    lock = threading.Lock()
    done = threading.Event()

    def user(index: int) -> None:
        interval = users / rate
        due = began + index * interval / users  # users spread over one interval
        session = requests.Session()
        while True:
            sender = f"soak-{index}-{uuid.uuid4().hex[:8]}"
            for text in conversation:
                due += interval
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                started = time.monotonic()
                if started - began >= seconds:
                    return
                error = None
                try:
                    response = session.post(
                        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
                    )
                    replies = response.json() if response.status_code == 200 else None
                    if not replies:
                        error = f"{text!r}: HTTP {response.status_code} {response.text[:120]!r}"
                    elif any(TRY_AGAIN in (r.get("text") or "") for r in replies):
                        error = f"{text!r}: the try-again answer"
                except (requests.RequestException, ValueError) as problem:
                    error = f"{text!r}: {type(problem).__name__}"
                elapsed = (time.monotonic() - started) * 1000
                with lock:
                    soak.turns.append((started - began, elapsed))
                    if error:
                        soak.errors.append(error)

    def sample() -> None:
        while not done.wait(5.0):
            soak.rss.append((time.monotonic() - began, rss_of()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    soak.turns.sort()
    return soak


def section(figures: dict[str, float], quick: bool) -> list[str]:
    """The soak's section of bench/results.md."""
    if "soak_turns" not in figures:
        return [SECTION, "", "Not measured in this run (see the failures)."]
    f = figures
    rows = [
        ("Turns", f"{f['soak_first_turns']:.0f}", f"{f['soak_last_turns']:.0f}", ""),
        ("p50 latency (ms)", f"{f['soak_first_p50_ms']:.0f}", f"{f['soak_last_p50_ms']:.0f}",
         f"≤ first × {LATENCY_FACTOR} + {LATENCY_SLACK_MS:.0f} ms"),
        ("p95 latency (ms)", f"{f['soak_first_p95_ms']:.0f}", f"{f['soak_last_p95_ms']:.0f}",
         f"≤ first × {LATENCY_FACTOR} + {LATENCY_SLACK_MS:.0f} ms"),
        ("Rasa server RSS (MB, mean)", f"{f['soak_first_rss_mb']:.0f}", f"{f['soak_last_rss_mb']:.0f}",
         f"≤ first + {RSS_GROWTH_MB:.0f} MB"),
    ]  # fmt: skip
    minutes = f["soak_s"] / 60
    lines = [
        SECTION,
        "",
        f"{'QUICK run: ' if quick else ''}{minutes:.0f} minutes of REST conversations at a steady "
        f"{f['soak_rate']:g} turns/s (3 clients on a fixed schedule, each conversation a new person running "
        f"the load script), against our server (in `make bench` after its other phases); "
        f"{f['soak_turns']:.0f} turns, **{f['soak_errors']:.0f} errors** (an error: not HTTP 200, no reply, "
        "or the try-again answer). First against last minute (bench/soak.py):",
        "",
        "| | First minute | Last minute | Tolerance |",
        "| --- | ---: | ---: | --- |",
        *[f"| {name} | {a} | {b} | {tol} |" for name, a, b, tol in rows],
        "",
        "The RSS tolerance leaves room for the tracker store's window cache, which keeps the latest 500 "
        "conversations (20-45 kB each) by design.",
    ]
    return lines


def with_section(report: str, lines: list[str]) -> str:
    """`report` (a results.md) with its soak section replaced by `lines`, or them appended."""
    return replace_section(report, SECTION, lines)
