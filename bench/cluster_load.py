"""Bounded load: N concurrent users x M turns against one server (`make run`'s SQLite setup)
and the same through the cluster (`make run-cluster`: nginx, two Rasa servers, two action
servers, PostgreSQL, Redis). Zero errors and exact event counts are the bar; p95 is reported.

    python bench/cluster_load.py          this phase alone, full counts (50 x 20); rewrites only
                                          its section of bench/results.md
    python bench/cluster_load.py --quick  small counts; prints the section, writes nothing

`bench/run_bench.py` runs it as one of its phases (small counts with --quick).

Every user is a new conversation with the same script (the long bench conversation's first
turns: a symptom, the pregnancy answer, point questions, a guided session, a second
symptom), one turn after the other as a person waits for each reply. An error is a turn
without HTTP 200, without a reply, or answered "try again" / "can't reach my records".
Each conversation's stored events are counted in the database (SQLite or PostgreSQL) and
must equal those of one reference conversation of the same script run alone first.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import sections  # noqa: E402
from bench.client import percentile  # noqa: E402
from bench.conversations import OURS  # noqa: E402
from rasa_server.action_health import TRY_AGAIN_REPLY  # noqa: E402
from rasa_server.store_guard import LOCKS_DOWN_REPLY, RECORDS_DOWN_REPLY  # noqa: E402
from scripts.cluster import Cluster, Ports  # noqa: E402
from tests.support.servers import RasaStack, free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
WORK = ROOT / "bench" / "work"
HEADING = "## Load: concurrent users, one server and the cluster"
FAILED_REPLIES = (TRY_AGAIN_REPLY, RECORDS_DOWN_REPLY, LOCKS_DOWN_REPLY)


@dataclass(frozen=True)
class LoadCounts:
    users: int
    turns: int


FULL = LoadCounts(50, 20)
QUICK = LoadCounts(4, 3)


@dataclass
class LoadRun:
    setup: str
    users: int
    turns_per_user: int
    samples: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reference_events: int = 0
    event_mismatches: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "turns": len(self.samples), "errors": len(self.errors), "seconds": round(self.seconds, 1),
            "turns_per_s": round(len(self.samples) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(statistics.median(self.samples), 1) if self.samples else float("nan"),
            "p95_ms": round(percentile(self.samples, 95), 1), "max_ms": round(max(self.samples, default=0), 1),
            "reference_events": self.reference_events, "event_mismatches": len(self.event_mismatches),
        }  # fmt: skip


def turn(session: requests.Session, url: str, sender: str, text: str) -> tuple[float, str | None]:
    """One timed REST turn: (ms, None) or (ms, what went wrong)."""
    began = time.perf_counter()
    try:
        response = session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    except requests.RequestException as error:
        return (time.perf_counter() - began) * 1000, f"{type(error).__name__}"
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        return elapsed, f"HTTP {response.status_code}"
    texts = [reply.get("text", "") for reply in response.json()]
    if not texts:
        return elapsed, "no reply"
    failed = [text for text in texts if text in FAILED_REPLIES]
    return elapsed, (f"failure reply: {failed[0][:40]}" if failed else None)


def load(setup: str, urls: list[str], counts: LoadCounts, events_of: Callable[[], dict[str, int]]) -> LoadRun:
    """`counts.users` conversations at once; user i sends to urls[i % len(urls)]."""
    script = OURS.curve(counts.turns)
    run = LoadRun(setup, counts.users, counts.turns)
    reference = f"reference-{uuid.uuid4().hex[:8]}"
    with requests.Session() as session:
        for text in script:
            turn(session, urls[0], reference, text)
    run.reference_events = events_of()[reference]
    lock = threading.Lock()
    senders = [f"load-{i}-{uuid.uuid4().hex[:8]}" for i in range(counts.users)]
    start = threading.Barrier(counts.users)

    def user(index: int) -> None:
        start.wait()
        with requests.Session() as session:
            for text in script:
                ms, problem = turn(session, urls[index % len(urls)], senders[index], text)
                with lock:
                    run.samples.append(ms)
                    if problem:
                        run.errors.append(problem)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(counts.users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    stored = events_of()
    for sender in senders:
        if stored.get(sender) != run.reference_events:
            run.event_mismatches.append(f"{sender}: {stored.get(sender)}")
    return run


def sqlite_events(db: Path) -> Callable[[], dict[str, int]]:
    def count() -> dict[str, int]:
        with sqlite3.connect(db) as connection:
            return dict(connection.execute("SELECT sender_id, count(*) FROM events GROUP BY sender_id"))

    return count


def measure(counts: LoadCounts, model: Path = ROOT / "models") -> dict[str, LoadRun]:
    """The single server, then the cluster; each started fresh and stopped after."""
    runs: dict[str, LoadRun] = {}
    workdir = WORK / "load-single"
    shutil.rmtree(workdir, ignore_errors=True)
    stack = RasaStack(workdir=workdir, model=model)
    try:
        stack.start()
        runs["single"] = load("one server (SQLite)", [stack.url], counts, sqlite_events(stack.db))
    finally:
        stack.stop()
    workdir = WORK / "load-cluster"
    shutil.rmtree(workdir, ignore_errors=True)
    ports = Ports(
        postgres=free_port(), redis=free_port(), chat=free_port(), actions=free_port(),
        rasa=(free_port(), free_port()), action_servers=(free_port(), free_port()),
    )  # fmt: skip
    cluster = Cluster(workdir=workdir, ports=ports, model=model)
    try:
        cluster.start()
        runs["cluster"] = load("cluster through nginx (PostgreSQL, Redis)", [cluster.url], counts,
                               cluster.events_per_sender)  # fmt: skip
    finally:
        cluster.stop()
        cluster.remove_data()
    return runs


def section(runs: dict[str, LoadRun], stamp: str | None = None) -> list[str]:
    """The results.md section for these runs."""
    any_run = next(iter(runs.values()), None)
    shape = f"{any_run.users} concurrent users x {any_run.turns_per_user} turns" if any_run else "no run"
    lines = [HEADING, ""]
    if stamp:
        lines += [f"Measured {stamp} by `bench/cluster_load.py` (this section only; the other sections are from "
                  "the runs they name).", ""]  # fmt: skip
    lines += [
        f"{shape}, REST, every user a new conversation of the same script (bench/conversations.py, the long "
        "conversation's first turns), each turn sent once the previous reply came; load generator on the same "
        "2 cores. Errors: no HTTP 200, no reply, or a try-again / records-down reply. Events: each conversation's "
        "rows in the database against one reference conversation of the script run alone first.",
        "",
        "| Setup | Turns | Errors | Turns/s | p50 ms | p95 ms | max ms | Events per conversation | Mismatches |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs.values():
        f = run.figures()
        lines.append(
            f"| {run.setup} | {f['turns']} | {f['errors']} | {f['turns_per_s']:.1f} | {f['p50_ms']:.0f} | "
            f"{f['p95_ms']:.0f} | {f['max_ms']:.0f} | {f['reference_events']} | {f['event_mismatches']} |"
        )
    problems = [f"{run.setup}: {problem}" for run in runs.values() for problem in (run.errors + run.event_mismatches)]
    if problems:
        lines += ["", "First problems: " + "; ".join(problems[:5])]
    lines += [
        "",
        "The cluster is two Rasa servers and two action servers on the same 2 cores, so it measures "
        "correctness under sharing (PostgreSQL store, Redis lock, nginx) and its overhead, not scale-out: "
        "more servers only add throughput with more cores or machines.",
    ]
    return lines


def write_section(lines: list[str]) -> None:
    """Replace this section of bench/results.md (or add it at the end), leaving the others as they are."""
    sections.write_section(RESULTS, HEADING, lines)


def failures(runs: dict[str, LoadRun]) -> list[str]:
    return [f"{run.setup}: {len(run.errors)} errors, {len(run.event_mismatches)} event-count mismatches"
            for run in runs.values() if run.errors or run.event_mismatches]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small counts; print the section, write nothing")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    runs = measure(QUICK if args.quick else FULL)
    lines = section(runs, None if args.quick else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    if not args.quick:
        write_section(lines)
    print("\n".join(lines))
    problems = failures(runs)
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
