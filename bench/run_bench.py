"""`make bench`: measure our assistant against the `rasa init` default config and the bare
`rasa init` bot, on this machine, in one run.

Ours and the peer (our data and domain with the config `rasa init` writes) are trained from
scratch, evaluated on the same held-out NLU split and served the same way (action server +
Rasa server, REST and socket.io, SQLite tracker store). The bare bot is the moodbot
`rasa init --no-prompt` creates, served as a newcomer would (bench/bare_bot.py). Measured:
NLU F1, 1-user latency, 8-user throughput, the first message of a new conversation (fresh
senders, ours and the bare bot served together, bench/first_message.py), latency along a
450-turn conversation and for a returning user after a restart (bench/turn_curve.py), 1/8/50
concurrent users over REST and socket.io (bench/load.py), py-spy profiles (bench/spy.py),
memory (after start-up and peak), training (rasa train and the red-flag classifier) and start-up.
Results go to bench/results.md with two PNG plots next to it; raw numbers to
bench/work/results.json.

    python bench/run_bench.py               # full run (about 35 minutes on 2 cores)
    python bench/run_bench.py --reuse-peer  # take the peer's figures from the last full run
    python bench/run_bench.py --quick       # smoke run: every code path, tiny counts, models/ reused,
                                            # no peer training; writes bench/work/quick-results.md
    python bench/run_bench.py --no-profile  # without py-spy (it needs ptrace rights, e.g. SYS_PTRACE in Docker)

Any phase that fails is reported at the end of the results and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import cluster_load, first_message, load, plots, rasa_floor, soak, spy, supervised, widget  # noqa: E402
from bench.bare_bot import BareBot  # noqa: E402
from bench.client import latency_samples, percentile, rest_turn  # noqa: E402
from bench.conversations import BARE, OURS, Script  # noqa: E402
from bench.procstats import PeakSampler, anon_mb, rss_mb, timed_run, tree_rss_mb  # noqa: E402
from bench.report import ReportSettings, Result, write_report  # noqa: E402
from bench.turn_curve import CHECKPOINTS, run_curve, summarise  # noqa: E402
from scripts.check_nlu_report import scores  # noqa: E402
from tests.e2e.test_blind_triage import blind_figures  # noqa: E402
from tests.support.servers import BIN, RasaStack  # noqa: E402
from tests.support.widget import WidgetServer  # noqa: E402

WORK = ROOT / "bench" / "work"


@dataclass(frozen=True)
class Counts:
    latency_turns: int  # 1 user, timed turns
    throughput_turns: int  # per user, 8 users
    curve_turns: int
    checkpoints: tuple[int, ...]
    returning_turns: int
    profile_s: int
    load_levels: tuple[int, ...]
    load_s: float
    page_loads: int  # the widget page in fresh browser contexts
    widget_turns: int  # symptom turns in the widget and over plain socket.io
    # users x turns at once against one server and through the cluster (bench/cluster_load.py)
    cluster_load: cluster_load.LoadCounts = cluster_load.FULL
    soak_s: float = 600  # the soak at a steady rate (bench/soak.py); quick: the CI's 2 minutes
    first_pairs: int = 200  # first messages of new conversations, each side (bench/first_message.py)
    floor_pairs: int = 200  # the floor bot's and the bare bot's interleaved 'hello's (bench/rasa_floor.py)
    floor_s: float = 10  # each side's 1-user back-to-back throughput


FULL = Counts(200, 30, 450, CHECKPOINTS, 20, 20, (1, 8, 50), 15, 10, 20)
QUICK = Counts(30, 5, 30, (20,), 5, 3, (1, 2), 3, 2, 3, cluster_load=cluster_load.QUICK, soak_s=120,
               first_pairs=10, floor_pairs=10, floor_s=2)  # fmt: skip


class Phases:
    """Runs each phase of the bench; a failing phase is recorded and the bench goes on."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        print(f"[bench] {name} ...", flush=True)
        began = time.monotonic()
        try:
            yield
        except Exception as problem:  # noqa: BLE001 - reported in the results and in the exit code
            traceback.print_exc()
            self.failures.append(f"{name}: {type(problem).__name__}: {str(problem)[:400]}")
        finally:
            print(f"[bench] {name}: {time.monotonic() - began:.0f} s", flush=True)


def rasa_train(config: Path, out: Path, name: str, cache: Path, log: Path) -> tuple[float, float, int]:
    cmd = ["env", f"RASA_CACHE_DIRECTORY={cache}", str(BIN / "rasa"), "train", "--config", str(config),
           "--out", str(out), "--fixed-model-name", name]  # fmt: skip
    return timed_run(cmd, log, ROOT)


def train(result: Result, config: Path, out: Path) -> None:
    """Train from scratch (fresh output and cache)."""
    shutil.rmtree(out, ignore_errors=True)
    # Rasa writes its defaults back into a config with empty sections: train from a copy.
    config = Path(shutil.copy(config, WORK / f"config-{result.name}.yml"))
    # A private cache dir so "from scratch" really is: Rasa reuses cached components.
    cache = WORK / f"cache-{result.name}"
    shutil.rmtree(cache, ignore_errors=True)
    seconds, peak, code = rasa_train(config, out, result.name, cache, WORK / f"train-{result.name}.log")
    if code:
        raise RuntimeError(f"rasa train failed ({code}); see {WORK / f'train-{result.name}.log'}")
    result.figures["train_s"], result.figures["train_peak_rss_mb"] = seconds, peak


def train_triage_classifier(result: Result) -> None:
    """The red-flag classifier from scratch, as `make train` fits it, saved under bench/work (not models/)."""
    code = (
        "import sys; from pathlib import Path; from scripts.train_triage_classifier import train; "
        "train().save(Path(sys.argv[1]))"
    )
    cmd = [str(BIN / "python"), "-c", code, str(WORK / "triage_classifier.pkl")]
    seconds, peak, exit_code = timed_run(cmd, WORK / "train-triage.log", ROOT)
    if exit_code:
        raise RuntimeError(f"the red-flag classifier's training failed ({exit_code}); see {WORK / 'train-triage.log'}")
    result.figures["triage_train_s"], result.figures["triage_train_peak_rss_mb"] = seconds, peak


def project_retraining_needed(result: Result) -> None:
    """Would `make train` train again now? (`make bench` has just run it.)

    `make --question` exits 0 when models/ is newer than config, domain, data and the lock.
    Rasa's own `rasa train --dry-run` is not used: it always reports EntitySynonymMapper
    as not cached (Rasa 3.6.21), so it says "needs to be retrained" even right after a training.
    """
    cmd = ["make", "--question", "models/.trained"]
    result.figures["retrain_needed"] = float(timed_run(cmd, WORK / "make-question.log", ROOT)[2] != 0)


def evaluate_nlu(result: Result, model: Path) -> None:
    out = WORK / f"nlu-{result.name}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "rasa"), "test", "nlu", "--model", str(model), "--nlu", "tests/nlu/test_nlu.yml",
           "--out", str(out), "--no-plot"]  # fmt: skip
    code = timed_run(cmd, WORK / f"nlu-{result.name}.log", ROOT)[2]
    if code:
        raise RuntimeError(f"rasa test nlu failed ({code}); see {WORK / f'nlu-{result.name}.log'}")
    result.figures["intent_f1"], result.figures["entity_f1"] = scores(out)


def latency(result: Result, url: str, script: Script, turns: int) -> None:
    samples = latency_samples(url, script.latency_opener, script.latency_messages, turns)
    result.figures["p50_ms"] = statistics.median(samples)
    result.figures["p95_ms"] = percentile(samples, 95)


def throughput(url: str, script: Script, users: int, turns_per_user: int) -> tuple[float, float, int]:
    """`users` threads, each its own conversation past its opener; returns turns/s, p95 ms, errors."""
    samples: list[float] = []
    errors = 0
    lock = threading.Lock()

    def user(index: int) -> None:
        nonlocal errors
        sender = f"load-{index}-{uuid.uuid4().hex[:8]}"
        try:
            for text in script.latency_opener:
                rest_turn(url, sender, text)
        except Exception:  # noqa: BLE001 - counted and reported, never hidden
            with lock:
                errors += 1
            return
        for turn in range(turns_per_user):
            try:
                ms = rest_turn(url, sender, script.latency_messages[(index + turn) % len(script.latency_messages)])[0]
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
    return len(samples) / wall, percentile(samples, 95), errors


class Peaks:
    """Peak RSS of a server across restarts (one sampler per process)."""

    def __init__(self) -> None:
        self.samplers: list[PeakSampler] = []

    def watch(self, pid: int) -> None:
        self.samplers.append(PeakSampler(pid).__enter__())

    def stop(self, figures: dict[str, float], key: str) -> None:
        for sampler in self.samplers:
            sampler.__exit__()
        if self.samplers:
            figures[key] = max(s.peak for s in self.samplers)


Driver = Callable[[threading.Event], int]


def profile(result: Result, key: str, py_spy: Path, pid: int, seconds: int, drive: Driver) -> None:
    out = WORK / f"profile-{result.name}-{key}.txt"
    result.profiles[key] = spy.record(py_spy, pid, seconds, out, drive).as_dict()


def fresh_conversations(url: str, script: Script) -> Driver:
    """A profile driver: symptom turns, a new conversation (opener turns included) every 10."""

    def drive(stop: threading.Event) -> int:
        sent = 0
        while not stop.is_set():
            sender = f"profile-{uuid.uuid4().hex[:8]}"
            for text in (*script.latency_opener, *script.latency_messages[:10]):
                if stop.is_set():
                    break
                rest_turn(url, sender, text)
                sent += 1
        return sent

    return drive


def long_conversation(url: str, script: Script, sender: str, start: int) -> Driver:
    """A profile driver: the long conversation goes on from turn `start`."""

    def drive(stop: threading.Event) -> int:
        sent = 0
        with requests.Session() as session:
            while not stop.is_set():
                rest_turn(url, sender, script.curve(1, start + sent)[0], session)
                sent += 1
        return sent

    return drive


def first_messages(stack: RasaStack, bot: BareBot, pairs: int, figures: dict[str, float], bare: Result) -> None:
    """Ours and the bare bot served together, fresh senders' first messages interleaved."""
    bot.start()
    try:
        mine, theirs = first_message.interleaved(stack.url, bot.url, OURS.latency_messages, "hello", pairs)
    finally:
        bot.stop()
    figures.update(mine.figures())
    bare.figures.update(theirs.figures())


def serve_ours(
    result: Result,
    model: Path,
    counts: Counts,
    phase: Phases,
    extended: bool,
    py_spy: Path | None,
    bare: tuple[BareBot, Result] | None = None,
) -> None:
    """Ours (extended: first messages next to the bare bot, curve, restart, profile, concurrency)
    or the peer (the original figures)."""
    workdir = WORK / f"serve-{result.name}"
    shutil.rmtree(workdir, ignore_errors=True)
    page = WidgetServer(workdir=workdir)  # ours only: the chat page, admitted by the socket.io channel
    env = {"ALLOWED_ORIGINS": page.origin, "ACU_PUBLIC_URL": page.origin} if extended else {}
    stack = RasaStack(workdir=workdir, model=model, env=env)
    rasa_peaks, actions_peaks = Peaks(), Peaks()
    figures = result.figures
    try:
        with phase(f"{result.name}: start the action server and the Rasa server"):
            stack.start()
            figures["startup_s"] = stack.startup_seconds["rasa"]
            figures["startup_rss_mb"] = tree_rss_mb(stack.processes["rasa"].pid)
            figures["startup_anon_mb"] = anon_mb(stack.processes["rasa"].pid)
        if "rasa" not in stack.processes:
            return
        rasa_peaks.watch(stack.processes["rasa"].pid)
        actions_peaks.watch(stack.processes["actions"].pid)
        if extended and bare is not None and bare[0].model():
            with phase(f"{result.name}: first message of a new conversation, interleaved with the bare bot"):
                first_messages(stack, bare[0], counts.first_pairs, figures, bare[1])
        with phase(f"{result.name}: latency, 1 user"):
            latency(result, stack.url, OURS, counts.latency_turns)
        with phase(f"{result.name}: throughput, 8 users"):
            figures["throughput_8"], figures["p95_8_ms"], figures["errors_8"] = throughput(
                stack.url, OURS, 8, counts.throughput_turns
            )
            figures["rasa_rss_mb"] = rss_mb(stack.processes["rasa"].pid)
            figures["rasa_anon_mb"] = anon_mb(stack.processes["rasa"].pid)
            figures["actions_rss_mb"] = rss_mb(stack.processes["actions"].pid)
        if not extended:
            return
        if counts is FULL:
            with phase(f"{result.name}: the blind triage set over REST (aggregates only)"):
                figures.update({f"blind_rest_{k}": v for k, v in blind_figures(stack).items()})
        sender = f"curve-{uuid.uuid4().hex[:8]}"
        with phase(f"{result.name}: one conversation of {counts.curve_turns} turns"):
            result.curve = run_curve(stack.url, OURS, sender, counts.curve_turns)
            figures.update(summarise(result.curve, counts.checkpoints))
        with phase(f"{result.name}: restart the Rasa server, the same user goes on"):
            stack.stop("rasa")
            stack.start_rasa()
            figures["restart_s"] = stack.startup_seconds["rasa"]
            rasa_peaks.watch(stack.processes["rasa"].pid)
            # A new process loads parts of TensorFlow on its first turns, whoever sends them:
            # another visitor's turns warm it up, so the returning user's turns show history cost.
            warmup = f"warmup-{uuid.uuid4().hex[:8]}"
            figures["restart_first_turn_ms"] = rest_turn(stack.url, warmup, OURS.latency_opener[0])[0]
            for text in (*OURS.latency_opener[1:], *OURS.latency_messages[:3]):
                rest_turn(stack.url, warmup, text)
            result.returning = run_curve(stack.url, OURS, sender, counts.returning_turns, start=len(result.curve))
            figures.update(summarise(result.curve, counts.checkpoints, result.returning))
        if py_spy is not None:
            pid = stack.processes["rasa"].pid
            start = len(result.curve) + len(result.returning)
            with phase(f"{result.name}: py-spy profile, the long conversation goes on"):
                profile(
                    result, "long", py_spy, pid, counts.profile_s, long_conversation(stack.url, OURS, sender, start)
                )
            with phase(f"{result.name}: py-spy profile, symptom turns in new conversations"):
                profile(result, "fresh", py_spy, pid, counts.profile_s, fresh_conversations(stack.url, OURS))
            with phase(f"{result.name}: py-spy profile, first messages of new conversations"):
                drive = first_message.driver(stack.url, OURS.latency_messages)
                profile(result, "first", py_spy, pid, counts.profile_s, drive)
        with phase(f"{result.name}: concurrent users over REST and socket.io"):
            load.concurrency(
                result.name, stack.url, OURS.load_conversation, counts.load_levels, counts.load_s, result.cells
            )
        with phase(f"{result.name}: the web widget in headless Chromium (page load, send to first reply)"):
            page.rasa_url = stack.url
            page.start()
            messages = [OURS.latency_messages[i % len(OURS.latency_messages)] for i in range(counts.widget_turns)]
            figures.update(widget.measure(page, OURS.latency_opener, messages, counts.page_loads))
        with phase(f"{result.name}: soak, {counts.soak_s / 60:.0f} min at a steady rate"):
            soak_phase(stack, counts.soak_s, figures)
    finally:
        page.stop()
        rasa_peaks.stop(figures, "rasa_peak_rss_mb")
        actions_peaks.stop(figures, "actions_peak_rss_mb")
        stack.stop()


def soak_phase(stack: RasaStack, seconds: float, figures: dict[str, float]) -> None:
    """Steady conversations for `seconds`; raises when memory or latency did not stay flat."""
    pid = stack.processes["rasa"].pid
    run = soak.run_soak(stack.url, OURS.load_conversation, seconds, lambda: rss_mb(pid))
    figures.update(run.figures())
    print(f"[bench] soak: {json.dumps(run.figures())}", flush=True)
    problems = run.problems()
    if problems:
        raise RuntimeError("soak: " + "; ".join(problems))


def soak_only(quick: bool) -> None:
    """`--only-soak`: the soak alone against models/, updating only its section of results.md."""
    workdir = WORK / "serve-soak"
    shutil.rmtree(workdir, ignore_errors=True)
    stack = RasaStack(workdir=workdir, model=ROOT / "models").start()
    figures: dict[str, float] = {}
    try:
        for text in OURS.load_conversation:  # first turns load lazy parts of TensorFlow
            rest_turn(stack.url, "soak-warmup", text)
        soak_phase(stack, (QUICK if quick else FULL).soak_s, figures)
    finally:
        stack.stop()
        lines = soak.section(figures, quick)
        target = WORK / "quick-results.md" if quick else ROOT / "bench" / "results.md"
        target.write_text(soak.with_section(target.read_text() if target.exists() else "", lines), encoding="utf-8")
        (WORK / "soak.json").write_text(json.dumps(figures, indent=2))
        print("\n".join(lines))


def create_bare(result: Result, phase: Phases, reuse: bool, notes: list[str]) -> BareBot:
    """The moodbot, trained before ours is served: the first-message phase needs both bots up."""
    bot = BareBot(WORK / "bare")
    with phase("bare: rasa init --no-prompt (trains the moodbot from scratch)"):
        if reuse and bot.model():
            notes.append("the bare bot was reused from bench/work/bare (quick run), not trained again.")
        else:
            result.figures["train_s"], result.figures["train_peak_rss_mb"] = bot.create()
    return bot


def serve_bare(bot: BareBot, result: Result, counts: Counts, phase: Phases, floor: dict[str, dict]) -> None:
    """The bare bot's figures; `floor` gets the floor bot's and the bare bot's side of it."""
    peaks = Peaks()
    try:
        with phase("bare: start rasa run --enable-api"):
            bot.start()
            result.figures["startup_s"] = bot.startup_s
            result.figures["startup_rss_mb"] = tree_rss_mb(bot.process.pid)
            result.figures["startup_anon_mb"] = anon_mb(bot.process.pid)
        if bot.process is None:
            return
        with phase("floor: the cheapest Rasa 3.6 bot beside the bare bot (bench/rasa_floor.py)"):
            floor.update(rasa_floor.measure(WORK / "floor", bot.url, bot.process.pid, counts.floor_pairs,
                                            counts.floor_s))  # fmt: skip
            floor["bare"]["startup_s"] = bot.startup_s
        peaks.watch(bot.process.pid)
        with phase("bare: latency of 'hello', 1 user"):
            latency(result, bot.url, BARE, counts.latency_turns)
        with phase(f"bare: one conversation of {counts.curve_turns} turns"):
            result.curve = run_curve(bot.url, BARE, f"curve-{uuid.uuid4().hex[:8]}", counts.curve_turns)
            result.figures.update(summarise(result.curve, counts.checkpoints))
        with phase("bare: concurrent users over REST and socket.io"):
            load.concurrency("bare", bot.url, BARE.load_conversation, counts.load_levels, counts.load_s, result.cells)
    finally:
        peaks.stop(result.figures, "rasa_peak_rss_mb")
        bot.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true",
        help="every code path with tiny counts, our models/ reused, no peer training; "
        "writes bench/work/quick-results.md; exit code 1 if anything failed",
    )  # fmt: skip
    parser.add_argument(
        "--reuse-peer", action="store_true",
        help="take the peer's figures from the last full run (bench/work/results.json) instead of "
        "training it again (~15 min); only valid when data and domain did not change",
    )  # fmt: skip
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile even if py-spy is there")
    parser.add_argument(
        "--only-soak", action="store_true",
        help="run only the soak (10 min; 2 with --quick) against models/ and replace only its section of the results",
    )  # fmt: skip
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.only_soak:
        soak_only(args.quick)
        return
    counts = QUICK if args.quick else FULL
    phase = Phases()
    notes: list[str] = []
    py_spy = None if args.no_profile else spy.find_py_spy()
    ours, peer, bare = Result("ours"), Result("peer"), Result("bare")
    began = time.monotonic()

    reuse_peer = args.reuse_peer or args.quick
    if reuse_peer:
        previous = WORK / "results.json"
        if previous.exists():
            peer.figures = json.loads(previous.read_text())["peer"]
        else:
            notes.append("no previous full run in bench/work/results.json: no peer figures.")

    if args.quick:
        model = ROOT / "models"
        notes.append("quick run: our model is the trained one in models/ (not trained here).")
    else:
        model = WORK / "model-ours"
        with phase("ours: training from scratch"):
            train(ours, ROOT / "config.yml", model)
        with phase("ours: red-flag classifier training from scratch"):
            train_triage_classifier(ours)
    with phase("ours: would `make train` train again? (make --question)"):
        project_retraining_needed(ours)
    with phase("ours: NLU evaluation"):
        evaluate_nlu(ours, model)
    bot = create_bare(bare, phase, reuse=args.quick, notes=notes)
    serve_ours(ours, model, counts, phase, extended=True, py_spy=py_spy, bare=(bot, bare))
    with phase("ours: make run's launcher, each server killed once, a client chatting throughout"):
        ours.figures.update(supervised.restart_figures(WORK / "supervised"))
    load_runs: dict[str, cluster_load.LoadRun] = {}
    with phase("ours: concurrent users x turns, one server and the cluster (bench/cluster_load.py)"):
        load_runs = cluster_load.measure(counts.cluster_load, model)
        problems = cluster_load.failures(load_runs)
        if problems:
            raise RuntimeError("; ".join(problems))
    print(f"[bench] ours: {json.dumps(ours.figures)}", flush=True)

    if not reuse_peer:
        model = WORK / "model-peer"
        with phase("peer: training from scratch"):
            train(peer, ROOT / "bench" / "peer_config.yml", model)
        if "train_s" in peer.figures:  # no peer model: nothing of the peer's to evaluate or serve
            with phase("peer: NLU evaluation"):
                evaluate_nlu(peer, model)
            serve_ours(peer, model, counts, phase, extended=False, py_spy=None)
        print(f"[bench] peer: {json.dumps(peer.figures)}", flush=True)

    floor: dict[str, dict] = {}
    serve_bare(bot, bare, counts, phase, floor)
    print(f"[bench] bare: {json.dumps(bare.figures)}", flush=True)

    prefix, folder = ("quick-", WORK) if args.quick else ("", ROOT / "bench")
    curve_png, load_png = folder / f"{prefix}latency_vs_turn.png", folder / f"{prefix}concurrency.png"
    with phase("plots"):
        plots.latency_vs_turn({"ours": ours.curve, "bare": bare.curve}, ours.returning, curve_png)
        plots.concurrency(ours.cells + bare.cells, load_png)
    if py_spy is None:
        notes.append(
            "no profile: " + ("--no-profile." if args.no_profile else "py-spy not found (.venv/bin, PATH, $PY_SPY).")
        )
    notes.append(f"bench wall time {(time.monotonic() - began) / 60:.1f} min.")
    settings = ReportSettings(
        quick=args.quick, reuse_peer=reuse_peer, load_seconds=counts.load_s, curve_plot=curve_png.name,
        load_plot=load_png.name, py_spy=str(py_spy) if py_spy else None, notes=notes, failures=phase.failures,
    )  # fmt: skip
    report = write_report(ours, peer, bare, settings) + "\n" + "\n".join(cluster_load.section(load_runs)) + "\n"
    report = soak.with_section(report, soak.section(ours.figures, args.quick))
    report += "\n" + "\n".join(rasa_floor.section(floor.get("floor", {}), floor.get("bare", {}))) + "\n"
    (folder / f"{prefix}results.md").write_text(report, encoding="utf-8")
    raw = {
        "ours": ours.figures, "peer": peer.figures, "bare": bare.figures,
        "details": {"ours": ours.details(), "bare": bare.details()}, "failures": phase.failures,
        "load": {name: run.figures() for name, run in load_runs.items()}, "floor": floor,
    }  # fmt: skip
    (WORK / f"{prefix}results.json").write_text(json.dumps(raw, indent=2))
    print(report)
    if phase.failures:
        print("[bench] FAILED phases:\n  " + "\n  ".join(phase.failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
