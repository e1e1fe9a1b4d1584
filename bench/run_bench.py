"""`make bench`: measure our assistant against the `rasa init` default config on this machine.

Both models are trained from scratch on the same data and domain, evaluated on the same
held-out NLU split, and served the same way (action server + Rasa server, REST channel,
SQLite tracker store). Results go to bench/results.md; raw numbers to bench/results.json.

    python bench/run_bench.py            # full run (about 10-15 minutes on 2 cores)
    python bench/run_bench.py --quick    # a smoke run: fewer turns, same code paths
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.procstats import PeakSampler, rss_mb  # noqa: E402
from scripts.check_nlu_report import scores  # noqa: E402
from scripts.triage_report import CASES_FILE, HOLDOUT_FILE, load_cases, score  # noqa: E402
from tests.support.servers import BIN, RasaStack  # noqa: E402

WORK = ROOT / "bench" / "work"
_MESSAGES_FILE = ROOT / "bench" / "symptom_messages.txt"
SYMPTOM_MESSAGES = [line.strip() for line in _MESSAGES_FILE.read_text().splitlines() if line.strip()]

TARGETS = {
    "intent_f1": (">=", 0.95),
    "entity_f1": (">=", 0.90),
    "p95_ms": ("<=", 60.0),
    "throughput_8": (">=", 25.0),
    "rasa_rss_mb": ("<=", 1300.0),
    "actions_rss_mb": ("<=", 200.0),
    "train_s": ("<=", 240.0),
}


@dataclass
class Result:
    name: str
    figures: dict[str, float] = field(default_factory=dict)


def run(cmd: list[str], log: Path) -> float:
    """Run a command, return its wall time; fail loudly with the log on error."""
    began = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        with PeakSampler(process.pid) as sampler:
            code = process.wait()
    if code:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({code}); see {log}")
    run.last_peak_mb = sampler.peak  # type: ignore[attr-defined]
    return time.monotonic() - began


def train(result: Result, config: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    # Rasa writes its defaults back into a config with empty sections: train from a copy.
    config = Path(shutil.copy(config, WORK / f"config-{result.name}.yml"))
    # A private cache dir so "from scratch" really is: Rasa reuses cached components.
    cache = WORK / f"cache-{result.name}"
    shutil.rmtree(cache, ignore_errors=True)
    cmd = ["env", f"RASA_CACHE_DIRECTORY={cache}", str(BIN / "rasa"), "train", "--config", str(config),
           "--out", str(out), "--fixed-model-name", result.name]  # fmt: skip
    result.figures["train_s"] = run(cmd, WORK / f"train-{result.name}.log")
    result.figures["train_peak_rss_mb"] = run.last_peak_mb  # type: ignore[attr-defined]


def evaluate_nlu(result: Result, model: Path) -> None:
    out = WORK / f"nlu-{result.name}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "rasa"), "test", "nlu", "--model", str(model), "--nlu", "tests/nlu/test_nlu.yml",
           "--out", str(out), "--no-plot"]  # fmt: skip
    run(cmd, WORK / f"nlu-{result.name}.log")
    result.figures["intent_f1"], result.figures["entity_f1"] = scores(out)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed_turn(stack: RasaStack, sender: str, text: str) -> float:
    began = time.perf_counter()
    response = stack.say(sender, text)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200 or not response.json():
        raise RuntimeError(f"bad reply to {text!r}: {response.status_code} {response.text[:200]}")
    return elapsed


def new_conversation(stack: RasaStack, prefix: str) -> str:
    """A conversation past its opening: scope statement sent, pregnancy question answered,
    so the timed turns that follow are symptom turns that answer with points."""
    sender = f"{prefix}-{uuid.uuid4().hex[:8]}"
    timed_turn(stack, sender, "my lower back is stiff")
    timed_turn(stack, sender, "no")
    return sender


def latency(stack: RasaStack, turns: int) -> list[float]:
    """One user, symptom turns only; a new conversation every 10 turns."""
    warmup = new_conversation(stack, "warmup")
    for text in SYMPTOM_MESSAGES[:3]:  # first calls load lazy parts of TF
        timed_turn(stack, warmup, text)
    samples: list[float] = []
    sender = ""
    for i in range(turns):
        if i % 10 == 0:
            sender = new_conversation(stack, "latency")
        samples.append(timed_turn(stack, sender, SYMPTOM_MESSAGES[i % len(SYMPTOM_MESSAGES)]))
    return samples


def throughput(stack: RasaStack, users: int, turns_per_user: int) -> tuple[float, float, int]:
    """`users` threads, each its own conversation; returns turns/s, p95 ms, errors."""
    samples: list[float] = []
    errors = 0
    lock = threading.Lock()

    def user(index: int) -> None:
        nonlocal errors
        sender = new_conversation(stack, f"load-{index}")
        for turn in range(turns_per_user):
            try:
                ms = timed_turn(stack, sender, SYMPTOM_MESSAGES[(index + turn) % len(SYMPTOM_MESSAGES)])
                with lock:
                    samples.append(ms)
            except Exception:  # noqa: BLE001 - counted and reported, never hidden
                with lock:
                    errors += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return len(samples) / wall, percentile(samples, 95) if samples else float("nan"), errors


def serve_and_measure(result: Result, model: Path, quick: bool) -> None:
    stack = RasaStack(workdir=WORK / f"serve-{result.name}", model=model)
    shutil.rmtree(stack.workdir, ignore_errors=True)
    try:
        stack.start()
        result.figures["startup_s"] = stack.startup_seconds["rasa"]
        samples = latency(stack, 30 if quick else 200)
        result.figures["p50_ms"] = statistics.median(samples)
        result.figures["p95_ms"] = percentile(samples, 95)
        tps, p95, errors = throughput(stack, 8, 5 if quick else 30)
        result.figures["throughput_8"] = tps
        result.figures["p95_8_ms"] = p95
        result.figures["errors_8"] = errors
        result.figures["rasa_rss_mb"] = rss_mb(stack.processes["rasa"].pid)
        result.figures["actions_rss_mb"] = rss_mb(stack.processes["actions"].pid)
    finally:
        stack.stop()


ROWS = [
    ("intent_f1", "Intent F1 (weighted, held-out split)", "{:.3f}"),
    ("entity_f1", "Entity F1 (micro, held-out split)", "{:.3f}"),
    ("p50_ms", "Symptom turn p50, 1 user (ms)", "{:.0f}"),
    ("p95_ms", "Symptom turn p95, 1 user (ms)", "{:.0f}"),
    ("throughput_8", "Throughput, 8 concurrent users (turns/s)", "{:.1f}"),
    ("p95_8_ms", "Turn p95 with 8 users (ms)", "{:.0f}"),
    ("errors_8", "Errors with 8 users", "{:.0f}"),
    ("rasa_rss_mb", "Rasa server RSS after load (MB)", "{:.0f}"),
    ("actions_rss_mb", "Action server RSS after load (MB)", "{:.0f}"),
    ("train_s", "Training from scratch (s)", "{:.0f}"),
    ("train_peak_rss_mb", "Training peak RSS (MB)", "{:.0f}"),
    ("startup_s", "Rasa server start-up to ready (s)", "{:.1f}"),
]


def verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = value >= target if op == ">=" else value <= target
    return f"{op} {target:g} {'✅' if ok else '❌'}"


def triage_section() -> list[str]:
    """Red-flag figures on both case sets (pure Python: the same in both processes)."""
    lines = [
        "",
        "## Safety triage (red flags, negation, pregnancy)",
        "",
        "Development set: the lexicon was improved by reading its misses. Held-out set: written",
        "later by someone who saw neither the lexicon nor the development cases; never tuned on.",
        "",
        "| Figure | Development set | Held-out set | Target |",
        "| --- | ---: | ---: | --- |",
    ]
    dev, _ = score(load_cases(CASES_FILE))
    held, _ = score(load_cases(HOLDOUT_FILE))
    rows = [
        ("Emergency recall", "emergency", "n_emergency", "100%"),
        ("Urgent recall (emergency answer counts)", "urgent", "n_urgent", ">= 95%"),
        ("False alarms on negated / past / someone else", "false_alarm_negated", "n_false_alarm_negated", "<= 5%"),
        ("False alarms on ordinary aches", "false_alarm_plain", "n_false_alarm_plain", "0%"),
        ("Pregnancy status read right", "pregnancy_status", "n_pregnancy_status", ""),
    ]
    for label, key, n, target in rows:
        lines.append(f"| {label} | {dev[key]:.1%} (n={dev[n]}) | {held[key]:.1%} (n={held[n]}) | {target} |")
    lines.append(
        f"| Contraindicated points given to pregnant users | {dev['contraindicated_points_to_pregnant']} | "
        f"{held['contraindicated_points_to_pregnant']} | 0 |"
    )
    return lines


def write_report(ours: Result, peer: Result, quick: bool, reuse_peer: bool = False) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.machine()}, {platform.python_version()}, 2 cores; "
        f"{'QUICK smoke run (few turns): not for comparison' if quick else 'full run'}.",
        "Peer: the same data and domain trained with the config `rasa init` writes (Rasa's defaults)"
        + (" (peer figures reused from the previous full run on this machine)." if reuse_peer else "."),
        "Ratio = ours / peer. The load generator runs on the same 2 cores as both servers.",
        "",
        "| Figure | Ours | Peer (`rasa init` config) | Ratio | Target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, label, fmt in ROWS:
        mine, theirs = ours.figures.get(key), peer.figures.get(key)
        if mine is None:
            continue
        ratio = f"{mine / theirs:.2f}" if theirs else "–"
        lines.append(
            f"| {label} | {fmt.format(mine)} | {fmt.format(theirs) if theirs is not None else '–'} | "
            f"{ratio} | {verdict(key, mine)} |"
        )
    lines += triage_section()
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="few turns; checks the bench still runs")
    parser.add_argument(
        "--reuse-peer", action="store_true",
        help="take the peer's figures from the last full run (bench/work/results.json) instead of "
        "training it again (~15 min); only valid when data and domain did not change",
    )  # fmt: skip
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)

    ours, peer = Result("ours"), Result("peer")
    runs = [(ours, ROOT / "config.yml"), (peer, ROOT / "bench" / "peer_config.yml")]
    if args.reuse_peer:
        peer.figures = json.loads((WORK / "results.json").read_text())["peer"]
        runs = runs[:1]
    for result, config in runs:
        print(f"[bench] training {result.name} ...", flush=True)
        model_dir = WORK / f"model-{result.name}"
        train(result, config, model_dir)
        print(f"[bench] evaluating NLU of {result.name} ...", flush=True)
        evaluate_nlu(result, model_dir)
        print(f"[bench] serving {result.name} ...", flush=True)
        serve_and_measure(result, model_dir, args.quick)
        print(f"[bench] {result.name}: {json.dumps(result.figures)}", flush=True)

    report = write_report(ours, peer, args.quick, args.reuse_peer)
    target = ROOT / "bench" / ("results-quick.md" if args.quick else "results.md")
    target.write_text(report, encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps({"ours": ours.figures, "peer": peer.figures}, indent=2))
    print(report)


if __name__ == "__main__":
    main()
