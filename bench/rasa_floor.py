"""The floor of a Rasa 3.6 turn on this machine: the cheapest bot Rasa 3.6 can serve.

Issue 15 asks for ratios to the bare `rasa init` bot (a first message ≤ 0.9× its first
"hello", later turns ≤ 0.5×, throughput ≥ 2×, RSS ≤ 600 MB, start-up ≤ 5 s). This bot shows
what any Rasa 3.6 bot pays before doing anything useful: one intent read by keyword (no
TensorFlow model), one rule, one response from the domain (no action server, no custom
component), the in-memory tracker store, served through scripts/run_rasa.py like ours. Each
of its figures is a limit no Rasa 3.6 assistant goes below on these cores; where the floor
misses a target, no change to our assistant can meet it.

It is measured against the bare bot, both served at the same time and their turns
interleaved (the same method as bench/first_message.py).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

from bench.client import percentile, rest_turn
from bench.marks import fmt, mark
from bench.procstats import anon_mb, rss_mb, timed_run
from scripts.supervise import RASA_CLI
from tests.support.servers import BIN, QUIET_ENV, free_port, wait_until_up

CONFIG = """recipe: default.v1
assistant_id: floor
language: en
pipeline:
  - name: KeywordIntentClassifier
policies:
  - name: RulePolicy
"""
DOMAIN = """version: "3.1"
intents:
  - greet
responses:
  utter_greet:
    - text: "Hey! How are you?"
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
"""
NLU = """version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hello
      - hi
"""
RULES = """version: "3.1"
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
"""
CREDENTIALS = "rest:\n"
ENDPOINTS = "# in-memory tracker store, no action server\n"
FILES = {"config.yml": CONFIG, "domain.yml": DOMAIN, "credentials.yml": CREDENTIALS, "endpoints.yml": ENDPOINTS,
         "data/nlu.yml": NLU, "data/rules.yml": RULES}  # fmt: skip


@dataclass
class FloorBot:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    startup_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        return {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(self.workdir / ".cache")}

    def create(self) -> float:
        """Write and train the bot from scratch; seconds of `rasa train`."""
        shutil.rmtree(self.workdir, ignore_errors=True)  # its training cache too
        for name, text in FILES.items():
            path = self.workdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        cmd = [str(BIN / "rasa"), "train", "--fixed-model-name", "floor", "--out", "models"]
        seconds, _peak, code = timed_run(cmd, self.workdir / "train.log", self.workdir, self._env())
        if code:
            raise RuntimeError(f"training the floor bot failed ({code}); see {self.workdir / 'train.log'}")
        return seconds

    def start(self) -> None:
        log = self.workdir / "serve.log"
        began = time.monotonic()
        self.process = subprocess.Popen(
            [*RASA_CLI, "run", "--model", "models/floor.tar.gz", "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(self.port),
             "--enable-api"],
            cwd=self.workdir, env=self._env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"{self.url}/", self.process, 180, log)
        self.startup_s = time.monotonic() - began

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


def _sender() -> str:
    return f"floor-{uuid.uuid4().hex[:10]}"


def interleaved_turns(urls: dict[str, str], pairs: int) -> dict[str, dict[str, list[float]]]:
    """Per bot: `pairs` first 'hello's of fresh senders and `pairs` later 'hello's (a new
    conversation every 10, as bench/client.py times the bare bot's 'hello'), the two bots'
    turns interleaved and who goes first alternating."""
    names = list(urls)
    senders = {name: _sender() for name in names}
    for name in names:  # warm-up: lazy parts load on a process's first turns
        for _ in range(3):
            rest_turn(urls[name], _sender(), "hello")
            rest_turn(urls[name], senders[name], "hello")
    samples = {name: {"first": [], "later": []} for name in names}
    for i in range(pairs):
        order = names if i % 2 == 0 else names[::-1]
        if i % 10 == 0:
            senders = {name: _sender() for name in names}
            for name in names:  # the conversation's opening turn, untimed
                rest_turn(urls[name], senders[name], "hello")
        for name in order:
            samples[name]["first"].append(rest_turn(urls[name], _sender(), "hello")[0])
        for name in order:
            samples[name]["later"].append(rest_turn(urls[name], senders[name], "hello")[0])
    return samples


def sequential_throughput(url: str, seconds: float) -> float:
    """Turns per second of one user sending 'hello' back to back (a new sender every 10)."""
    sent, sender = 0, _sender()
    began = perf_counter()
    while perf_counter() - began < seconds:
        if sent % 10 == 0:
            sender = _sender()
        rest_turn(url, sender, "hello")
        sent += 1
    return sent / (perf_counter() - began)


def measure(workdir: Path, bare_url: str, bare_pid: int, pairs: int = 200, seconds: float = 10.0) -> dict[str, dict]:
    """Train and serve the floor bot beside the running bare bot; figures for both."""
    floor = FloorBot(workdir)
    train_s = floor.create()
    floor.start()
    try:
        assert floor.process is not None
        figures = {
            "floor": {"train_s": train_s, "startup_s": floor.startup_s,
                      "rss_start_mb": rss_mb(floor.process.pid), "anon_start_mb": anon_mb(floor.process.pid)},
            "bare": {"rss_start_mb": rss_mb(bare_pid), "anon_start_mb": anon_mb(bare_pid)},
        }  # fmt: skip
        samples = interleaved_turns({"floor": floor.url, "bare": bare_url}, pairs)
        for name, kinds in samples.items():
            for kind, values in kinds.items():
                figures[name][f"{kind}_p50_ms"] = statistics.median(values)
                figures[name][f"{kind}_p95_ms"] = percentile(values, 95)
        for name, url in (("floor", floor.url), ("bare", bare_url)):
            figures[name]["turns_per_s"] = sequential_throughput(url, seconds)
        figures["floor"]["rss_end_mb"] = rss_mb(floor.process.pid)
        return figures
    finally:
        floor.stop()


HEADING = "## The floor of a Rasa 3.6 turn (the cheapest bot, beside the bare bot)"


def section(floor: dict[str, float], bare: dict[str, float]) -> list[str]:
    """The results.md section: each figure of the floor bot against the issue-15 limit."""
    if not floor:
        return [HEADING, "", "Not measured in this run."]

    def row(
        label: str,
        key: str,
        limit: float | None,
        text: str,
        pattern: str,
        at_least: bool = False,
        floor_key: str | None = None,
    ) -> str:
        mine, theirs = floor.get(floor_key or key), bare.get(key)
        ratio = f"{mine / theirs:.2f}" if mine is not None and theirs else "–"
        ok = None if limit is None or mine is None else (mine >= limit if at_least else mine <= limit)
        return f"| {label} | {fmt(mine, pattern)} | {fmt(theirs, pattern)} | {ratio} | {text} | {mark(ok)} |"

    first, later, rate = bare.get("first_p95_ms"), bare.get("later_p95_ms"), bare.get("turns_per_s")
    return [
        HEADING,
        "",
        "The smallest bot Rasa 3.6 serves (bench/rasa_floor.py): one intent read by keyword, one rule, one "
        "response from the domain; no TensorFlow model, no action server, in-memory tracker store, served "
        "through scripts/run_rasa.py like ours. Its turns are interleaved with the bare bot's ('hello' on both "
        "sides: first messages of fresh senders, later turns in conversations of 10). A limit the floor misses "
        "is out of reach for any Rasa 3.6 assistant on this machine; one it meets leaves the gap to our own parts.",
        "",
        "| Figure | Floor bot | Bare bot | Floor / bare | Issue-15 limit (ours) | Floor within it |",
        "| --- | ---: | ---: | ---: | --- | --- |",
        row("First message p95 (ms)", "first_p95_ms", first and 0.9 * first, "≤ 0.9 × bare", "{:.1f}"),
        row("Later turn p95 (ms)", "later_p95_ms", later and 0.5 * later, "≤ 0.5 × bare", "{:.1f}"),
        row("Turns/s, 1 user back to back", "turns_per_s", rate and 2 * rate, "≥ 2 × bare", "{:.1f}", True),
        row("RSS right after start-up (MB)", "rss_start_mb", 600.0, "peak ≤ 600", "{:.0f}"),
        row("RSS after its timed turns (MB)", "rss_start_mb", 600.0, "peak ≤ 600", "{:.0f}", floor_key="rss_end_mb"),
        row("Private memory (RssAnon) after start-up (MB)", "anon_start_mb", None, "–", "{:.0f}"),
        row("Start-up to ready (s)", "startup_s", 5.0, "≤ 5", "{:.1f}"),
        row("Training from scratch (s)", "train_s", 90.0, "≤ 90 (full training)", "{:.1f}"),
    ]


def main() -> None:
    """Standalone: create and serve the bare bot too (`python -m bench.rasa_floor DIR`)."""
    import json
    import sys

    from bench.bare_bot import BareBot

    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rasa-floor")
    bare = BareBot(root / "bare")
    if bare.model() is None:
        bare.create()
    bare.start()
    try:
        assert bare.process is not None
        figures = measure(root / "floor", bare.url, bare.process.pid)
        figures["bare"]["startup_s"] = bare.startup_s
    finally:
        bare.stop()
    print(json.dumps(figures, indent=2))
    print("\n".join(section(figures["floor"], figures["bare"])))


if __name__ == "__main__":
    main()
