"""bench/results.md: the figures, the issue's targets with ✅/❌, the turn curve, the load table,
the profile breakdown and the triage figures."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import second_round
from bench.marks import fmt, mark
from bench.spy import GROUPS
from bench.turn_curve import CHECKPOINTS
from scripts.triage_report import FRESH_BLIND_SET, SETS, load_cases, score


@dataclass
class Result:
    name: str
    figures: dict[str, float] = field(default_factory=dict)
    curve: list[float] = field(default_factory=list)
    returning: list[float] = field(default_factory=list)
    cells: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {"curve": self.curve, "returning": self.returning, "cells": self.cells, "profiles": self.profiles}


# Targets for the main table (the performance issue's where it sets one).
TARGETS = {
    "intent_f1": (">=", 0.95),
    "entity_f1": (">=", 0.90),
    "p95_ms": ("<=", 60.0),
    "throughput_8": (">=", 25.0),
    "rasa_rss_mb": ("<=", 1000.0),
    "rasa_peak_rss_mb": ("<=", 1000.0),
    "actions_rss_mb": ("<=", 150.0),
    "actions_peak_rss_mb": ("<=", 150.0),
    "train_s": ("<=", 120.0),
    "startup_s": ("<=", 25.0),
    "supervised_actions_unanswered": ("<=", 0.0),
}
ROWS = [
    ("intent_f1", "Intent F1 (weighted, held-out split)", "{:.3f}"),
    ("entity_f1", "Entity F1 (micro, held-out split)", "{:.3f}"),
    ("p50_ms", "Turn p50, 1 user (ms): ours/peer symptom turns, bare bot 'hello'", "{:.0f}"),
    ("p95_ms", "Turn p95, 1 user (ms): ours/peer symptom turns, bare bot 'hello'", "{:.0f}"),
    ("first_p50_ms", "First message of a new conversation p50 (ms): ours a symptom, bare bot 'hello'", "{:.0f}"),
    ("first_p95_ms", "First message of a new conversation p95 (ms): ours a symptom, bare bot 'hello'", "{:.0f}"),
    ("throughput_8", "Throughput, 8 concurrent users, symptom turns (turns/s)", "{:.1f}"),
    ("p95_8_ms", "Turn p95 with 8 users (ms)", "{:.0f}"),
    ("errors_8", "Errors with 8 users", "{:.0f}"),
    ("rasa_rss_mb", "Rasa server RSS after the 8-user load (MB)", "{:.0f}"),
    ("startup_rss_mb", "Rasa server RSS right after start-up, before any turn (MB)", "{:.0f}"),
    ("startup_anon_mb", "Rasa server private memory (RssAnon) right after start-up (MB)", "{:.0f}"),
    ("rasa_anon_mb", "Rasa server private memory (RssAnon) after the 8-user load (MB)", "{:.0f}"),
    ("rasa_peak_rss_mb", "Rasa server peak RSS while serving, all phases (MB)", "{:.0f}"),
    ("actions_rss_mb", "Action server RSS after the 8-user load (MB)", "{:.0f}"),
    ("actions_peak_rss_mb", "Action server peak RSS while serving (MB)", "{:.0f}"),
    ("train_s", "Training from scratch, `rasa train` (s)", "{:.0f}"),
    ("triage_train_s", "Red-flag classifier training from scratch (s)", "{:.0f}"),
    ("train_peak_rss_mb", "Training peak RSS (MB)", "{:.0f}"),
    ("retrain_needed", "`make train` would train again with nothing changed (1 = yes)", "{:.0f}"),
    ("startup_s", "Rasa server start-up to ready (s)", "{:.1f}"),
    ("restart_s", "Rasa server restart to ready, tracker store kept (s)", "{:.1f}"),
    ("restart_first_turn_ms", "First turn after the restart, another user (ms)", "{:.0f}"),
    ("supervised_actions_back_s", "`make run`: action server killed → point cards again (s)", "{:.1f}"),
    ("supervised_actions_try_again", "`make run`: 'please try again' replies meanwhile", "{:.0f}"),
    ("supervised_actions_unanswered", "`make run`: requests without an answer meanwhile", "{:.0f}"),
    ("supervised_rasa_back_s", "`make run`: Rasa server killed → answering again (s)", "{:.1f}"),
    ("widget_page_load_ms", "Widget page load event, fresh browser context (ms, median)", "{:.0f}"),
    ("widget_ready_ms", "Widget page open to socket.io session confirmed (ms, median)", "{:.0f}"),
    ("widget_turn_p50_ms", "Widget: send to first rendered reply, symptom turns, p50 (ms)", "{:.0f}"),
    ("widget_turn_p95_ms", "Widget: send to first rendered reply, p95 (ms)", "{:.0f}"),
    ("sio_turn_p50_ms", "Plain socket.io client, the same turns: send to first reply, p50 (ms)", "{:.0f}"),
    ("sio_turn_p95_ms", "Plain socket.io client, the same turns, p95 (ms)", "{:.0f}"),
]


def verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    return f"{op} {target:g} {mark(value >= target if op == '>=' else value <= target)}"


def main_table(ours: Result, peer: Result, bare: Result) -> list[str]:
    lines = [
        "| Figure | Ours | Peer (`rasa init` config, our data) | Ours / peer | Bare `rasa init` bot | Target (ours) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, label, pattern in ROWS:
        mine, theirs, bare_value = ours.figures.get(key), peer.figures.get(key), bare.figures.get(key)
        if mine is None and bare_value is None:
            continue
        ratio = f"{mine / theirs:.2f}" if mine is not None and theirs else "–"
        target = verdict(key, mine) if mine is not None else ""
        lines.append(
            f"| {label} | {fmt(mine, pattern)} | {fmt(theirs, pattern)} | {ratio} | {fmt(bare_value, pattern)} | "
            f"{target} |"
        )
    return lines


def ahead(mine: dict[str, Any], bare: dict[str, Any] | None) -> bool | None:
    if bare is None:
        return None
    return mine["errors"] == 0 and mine["turns_per_s"] >= bare["turns_per_s"] and mine["p95_ms"] <= bare["p95_ms"]


def pair_cells(ours: Result, bare: Result) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    index = {(c["channel"], c["users"]): c for c in bare.cells}
    return [(c, index.get((c["channel"], c["users"]))) for c in ours.cells]


def issue_targets(ours: Result, bare: Result, quick: bool) -> list[str]:
    o, b = ours.figures, bare.figures
    last = max((t for t in (20, *CHECKPOINTS) if f"curve_{t}_ratio" in o), default=None)
    rows: list[tuple[str, str, str, str, bool | None]] = []

    def limit(label: str, value: float | None, bound: float, pattern: str, reference: str = "") -> None:
        ok = None if value is None else value <= bound
        ratio = "–" if value is None else f"{value / bound:.2f}"
        rows.append((label, fmt(value, pattern), reference or f"≤ {bound:g}", ratio, ok))

    if last is None:
        rows.append(("1. Median turn at turn 400 ≤ 1.2 × turns 1–10", "not measured (curve too short)", "", "–", None))
    else:
        label = f"1. Median turn around turn {last} ≤ 1.2 × turns 1–10 (ratio)"
        limit(label, o.get(f"curve_{last}_ratio"), 1.2, "{:.2f}",
              f"≤ 1.2 (bare bot: {fmt(b.get(f'curve_{last}_ratio'), '{:.2f}')})")  # fmt: skip
    limit("1. Returning user after a restart, median of its turns ≤ 1.2 × turns 1–10 (ratio)",
          o.get("returning_ratio"), 1.2, "{:.2f}")  # fmt: skip
    p95, hello = o.get("p95_ms"), b.get("p95_ms")
    rows.append((
        "2. Symptom turn p95 ≤ bare bot 'hello' p95 (ms)", fmt(p95), f"≤ {fmt(hello)}",
        f"{p95 / hello:.2f}" if p95 and hello else "–", None if p95 is None or hello is None else p95 <= hello,
    ))  # fmt: skip
    pairs = pair_cells(ours, bare)
    won = [ahead(mine, theirs) for mine, theirs in pairs]
    rows.append((
        "3. Concurrency: ahead of the bare bot (turns/s ≥, p95 ≤, 0 errors) in every cell",
        f"{sum(1 for w in won if w)} of {len(won)} cells", "all", "–", bool(won) and all(won),
    ))  # fmt: skip
    limit("4. Rasa server peak RSS while serving (MB)", o.get("rasa_peak_rss_mb"), 1000, "{:.0f}")
    limit("4. Rasa server start-up to ready (s)", o.get("startup_s"), 25, "{:.1f}")
    limit("4. Action server peak RSS (MB)", o.get("actions_peak_rss_mb"), 150, "{:.0f}")
    if "train_s" in o:
        limit("4. Training from scratch (s)", o["train_s"], 120, "{:.0f}")
    else:
        rows.append(("4. Training from scratch (s)", "not measured (quick run reuses models/)", "≤ 120", "–", None))
    retrain = o.get("retrain_needed")
    rows.append((
        "4. No retraining when nothing changed (`make --question models/.trained` exit code 0)",
        "–" if retrain is None else ("retraining needed" if retrain else "nothing to retrain"), "nothing to retrain",
        "–", None if retrain is None else not retrain,
    ))  # fmt: skip
    lines = [
        "## Targets of the performance issue, first round (issue 4)",
        "",
        "Ratio = measured / limit (≤ 1 passes)."
        + (" Quick run: tiny counts, so these marks say only that the code ran." if quick else ""),
        "",
        "| Target | Ours | Limit | Ratio | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [f"| {label} | {value} | {bound} | {ratio} | {mark(ok)} |" for label, value, bound, ratio, ok in rows]
    return lines


def curve_section(ours: Result, bare: Result, plot: str) -> list[str]:
    o, b = ours.figures, bare.figures
    lines = [
        "## Latency along one conversation",
        "",
        f"One sender, REST, {o.get('curve_turns', 0):.0f} turns for ours (a cycle of a symptom, 'no', two point "
        "questions, more points, a guided session with its questions, three steps and stop, thanks) and "
        f"{b.get('curve_turns', 0):.0f} for the bare bot (its sad-path story and goodbye rule). Windows are "
        "medians of turns N−9…N+10. The returning user: the Rasa server alone is restarted (the SQLite "
        "tracker store keeps the conversation), another user's few turns warm the new process up (its "
        "first turn is in the table above), and the same sender goes on.",
        "",
        f"![latency per turn]({plot})",
        "",
        "| Turns | Ours (ms) | Ours / turns 1–10 | Bare bot (ms) | Bare / turns 1–10 |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| turn 1 | {fmt(o.get('curve_first_ms'))} | | {fmt(b.get('curve_first_ms'))} | |",
        f"| 1–10 | {fmt(o.get('curve_1_10_ms'))} | 1.00 | {fmt(b.get('curve_1_10_ms'))} | 1.00 |",
    ]
    for turn in sorted({20, *CHECKPOINTS}):
        if f"curve_{turn}_ms" in o or f"curve_{turn}_ms" in b:
            lines.append(
                f"| {turn - 9}–{turn + 10} | {fmt(o.get(f'curve_{turn}_ms'))} | "
                f"{fmt(o.get(f'curve_{turn}_ratio'), '{:.2f}')} | {fmt(b.get(f'curve_{turn}_ms'))} | "
                f"{fmt(b.get(f'curve_{turn}_ratio'), '{:.2f}')} |"
            )
    if "returning_ms" in o:
        first = int(o.get("curve_turns", 0)) + 1
        lines.append(
            f"| returning user, turns {first}–{first + len(ours.returning) - 1} | {fmt(o['returning_ms'])} | "
            f"{fmt(o['returning_ratio'], '{:.2f}')} | – | – |"
        )
    return lines


def concurrency_section(ours: Result, bare: Result, plot: str, seconds: float) -> list[str]:
    lines = [
        "## Concurrent users",
        "",
        f"Each user repeats one fixed conversation (ours: the first cycle above with 'my lower back is stiff'; "
        f"bare: the mood cycle twice) under a new sender id, for about {seconds:g} s per cell; every turn is "
        "timed. REST users share a keep-alive aiohttp session; socket.io users open a websocket per "
        "conversation (session persistence) and a turn ends at its last expected `bot_uttered` event "
        "(counts taken from the REST replies to the same conversation and checked once over socket.io). "
        "The load generator runs on the same cores as the servers.",
        "",
        f"![throughput and p95 against users]({plot})",
        "",
        "| Channel | Users | Ours turns/s | Bare turns/s | Ratio | Ours p50 / p95 (ms) | Bare p50 / p95 (ms) "
        "| p95 ratio | Errors ours / bare | Ahead |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for mine, theirs in pair_cells(ours, bare):
        t = theirs or {}
        tps = f"{mine['turns_per_s'] / t['turns_per_s']:.2f}" if t.get("turns_per_s") else "–"
        p95 = f"{mine['p95_ms'] / t['p95_ms']:.2f}" if t.get("p95_ms") else "–"
        lines.append(
            f"| {'REST' if mine['channel'] == 'rest' else 'socket.io'} | {mine['users']} | "
            f"{mine['turns_per_s']:.1f} | {fmt(t.get('turns_per_s'), '{:.1f}')} | {tps} | "
            f"{mine['p50_ms']:.0f} / {mine['p95_ms']:.0f} | {fmt(t.get('p50_ms'))} / {fmt(t.get('p95_ms'))} | "
            f"{p95} | {mine['errors']} / {fmt(t.get('errors'))} | {mark(ahead(mine, theirs))} |"
        )
    errors = [
        f"{c['bot']} {c['channel']} x{c['users']}: {e}" for c in ours.cells + bare.cells for e in c["first_errors"]
    ]
    if errors:
        lines += ["", "First errors:", ""] + [f"- `{e}`" for e in errors[:10]]
    return lines


def profile_section(ours: Result, py_spy: str | None) -> list[str]:
    lines = ["## Where the time goes (py-spy profile of our Rasa server)", ""]
    if not ours.profiles:
        why = (
            "py-spy was not found or --no-profile" if py_spy is None else "the profile failed (see the failures below)"
        )
        return lines + [
            f"Not profiled: {why}. Install it with `.venv/bin/pip install py-spy==0.4.3` (or set PY_SPY to its "
            "binary) and run the bench again."
        ]
    names = {
        "fresh": "symptom turns, new conversation every 10 turns", "long": "the long conversation, continued",
        "first": "first message of a new conversation (a fresh sender every turn)",
    }  # fmt: skip
    profiles = {k: v for k, v in ours.profiles.items() if v.get("samples")}
    lines += [
        f"py-spy {py_spy}, 100 samples/s, non-idle Python threads of the Rasa server only (the action server "
        "and TensorFlow's native threads are not in it). Each sample goes to the innermost frame that names "
        "a subsystem (bench/spy.py). ms/turn ≈ samples × 10 ms / turns sent during the profile.",
        "",
        "| Group | " + " | ".join(f"{names.get(k, k)}: share, ≈ms/turn" for k in profiles) + " |",
        "| --- |" + " ---: |" * len(profiles),
    ]
    for group in GROUPS:
        cells = []
        for profile in profiles.values():
            n = profile["groups"].get(group, 0)
            per_turn = n * 10 / profile["turns"] if profile["turns"] else 0
            cells.append(f"{n / profile['samples']:.0%}, {per_turn:.0f}")
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    totals = [f"{p['samples']} samples, {p['turns']} turns" for p in profiles.values()]
    lines.append("| (total) | " + " | ".join(totals) + " |")
    for key, profile in profiles.items():
        lines += ["", f"Largest parts ({names.get(key, key)}):", "", "| Group | Part | Share |", "| --- | --- | ---: |"]
        for group, part, n in profile["parts"][:10]:
            lines.append(f"| {group} | {part or '–'} | {n / profile['samples']:.0%} |")
        lines += ["", "Innermost functions: " + "; ".join(
            f"`{name}` {n / profile['samples']:.0%}" for name, n in profile["leaves"][:6]
        )]  # fmt: skip
    return lines


SET_HEADINGS = {
    "development": "Development", "development-tricky": "Dev. tricky", "development-2": "Dev. 2 emergencies",
    "development-2-tricky": "Dev. 2 tricky", "development-3-tricky": "Dev. 3 tricky",
    "development-contraindication": "Dev. situations", "development-contraindication-2": "Dev. situations 2",
    "development-4-negatives": "Dev. 4 negatives",
    "held-out": "Held-out", "blind": "Blind 1", "blind-2": "Blind 2", "blind-3": "Blind 3", "blind-4": "Blind 4",
    "blind-5": "Blind 5", "blind-6": "Blind 6", "blind-7": "Blind 7 (read)", "blind-8": "Blind 8 (read)",
    "blind-9": "Blind 9 (read)", "blind-10": "Blind 10 (read)", "blind-11": "Blind 11 (fresh)",
}  # fmt: skip


def triage_section(ours: Result | None = None) -> list[str]:
    """Red-flag figures of the screening (lexicon + classifier) on every case set, one row a set."""
    lines = [
        "## Safety triage (red flags: lexicon + learned classifier)",
        "",
        "Development sets (written from the reference, then read to improve the layers): the figures",
        "overstate. Held-out: its misses have not been read. Blind 1 to 11: written from the reference",
        "alone by someone who saw neither the lexicon, the classifier's corpus nor the other sets. Blind 1",
        "to 6 were watched while tuning and the misses of blind 7 to 10 were read (2026-12-03/04), so",
        "they overstate: blind 11 (532 cases, scored first on 2026-12-04 evening before the changes read",
        "from blind 10; only its aggregates are ever printed) is the",
        "honest figure. Each case is read as a session: each message alone and with the",
        "session's earlier ones. Targets: emergency recall >= 97%, urgent >= 93%, false alarms",
        "<= 5% on tricky wording (negated, past, someone else's, lookalike) and <= 2% on ordinary",
        "aches, 0 emergencies that could be shown points, <= 2 ms a message.",
        "",
        "| Set | Emergency recall | Urgent or better | False alarms, tricky | False alarms, ordinary"
        " | Emergencies that could be shown points | Cost mean / p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path in SETS.items():
        if not path.exists():
            continue
        r = score(load_cases(path))[0]
        keys = ("emergency", "urgent_or_better", "false_alarm_tricky", "false_alarm_ordinary")
        cells = [f"{r[key]:.1%} (n={r[f'n_{key}']})" if key in r else "–" for key in keys]
        cells.append(str(int(r.get("points_shown_in_emergencies", 0))))
        cells.append(f"{r['ms_per_message_mean']:.2f} / {r['ms_per_message_p95']:.2f}")
        lines.append(f"| {SET_HEADINGS.get(name, name)} | {' | '.join(cells)} |")
    figures = ours.figures if ours else {}
    rest = {k.removeprefix("blind_rest_"): v for k, v in figures.items() if k.startswith("blind_rest_")}
    if rest:
        lines += [
            "",
            f"The fresh blind set ({FRESH_BLIND_SET.replace('-', ' ')}) chatted over REST with both servers,"
            " each case a new conversation",
            '(tests/e2e/test_blind_triage.py; the pregnancy question answered as the case implies, else "no"):',
            "",
            "| Figure | Blind set over REST | Target |",
            "| --- | ---: | --- |",
            f"| Emergency advice given | {rest['emergency_advice']:.1%} (n={rest['n_emergency_advice']:.0f})"
            " | >= 97% |",
            f"| Urgent advice or better | {rest['urgent_or_better']:.1%} (n={rest['n_urgent_or_better']:.0f})"
            " | >= 93% |",
            f"| Emergencies shown points | {rest['points_in_emergencies']:.0f} | 0 |",
            f"| Contraindicated points shown | {rest['contraindicated_points']:.0f} | 0 |",
            f"| False alarms, negated / past / other / lookalike | {rest['false_alarm_tricky']:.1%} | <= 5% |",
            f"| False alarms, ordinary | {rest['false_alarm_ordinary']:.1%} | <= 2% |",
            f"| Severe pain gets the clinician warning | {rest['severe_reminder']:.1%} | 100% |",
        ]
    return lines


@dataclass
class ReportSettings:
    quick: bool
    reuse_peer: bool
    load_seconds: float
    curve_plot: str
    load_plot: str
    py_spy: str | None
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def cpu_model() -> str:
    """The CPU's name: virtual machines here differ between days (the bare bot's training took
    42 s on one, 82 s on another), so figures compare within a run, not across runs."""
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def write_report(ours: Result, peer: Result, bare: Result, settings: ReportSettings) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.machine()} ({cpu_model()}, {os.cpu_count()} cores), Python {platform.python_version()}; "
        f"{'QUICK smoke run (tiny counts): not for comparison' if settings.quick else 'full run'}.",
        "Peer: the same data and domain trained with the config `rasa init` writes (Rasa's defaults)"
        + (" (peer figures reused from the previous full run on this machine)." if settings.reuse_peer else ".")
        + " Bare bot: the moodbot `rasa init --no-prompt` creates, served with `rasa run --enable-api`, "
        "in-memory tracker store, measured in this run.",
        "Ours and the peer run with the action server and the SQLite tracker store (tests/support/servers.py). "
        "The load generator runs on the same 2 cores as the servers.",
        *[f"Note: {note}" for note in settings.notes],
        "",
        *main_table(ours, peer, bare),
        "",
        *issue_targets(ours, bare, settings.quick),
        "",
        *second_round.section(ours.figures, bare.figures, ours.cells, bare.cells, settings.quick),
        "",
        *curve_section(ours, bare, settings.curve_plot),
        "",
        *concurrency_section(ours, bare, settings.load_plot, settings.load_seconds),
        "",
        *profile_section(ours, settings.py_spy),
        "",
        *triage_section(ours),
    ]
    if settings.failures:
        lines += ["", "## Failures in this run", ""] + [f"- {f}" for f in settings.failures]
    return "\n".join(lines) + "\n"
