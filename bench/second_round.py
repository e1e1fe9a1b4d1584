"""The section "Targets of the performance issue, second round (issue 15)" of bench/results.md.

Every limit that names the bare bot is a multiple of the bare bot's figure measured in the
same run; each row shows ours, the limit, ours / limit and ✅/❌ (no figure: "–").
Pure: reads the figures and concurrency cells the run collected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bench.marks import fmt, mark

HEADING = "## Targets of the performance issue, second round (issue 15)"
LEVELS = (1, 8, 50)
CHANNELS = (("rest", "REST"), ("socketio", "socket.io"))
FIRST_MESSAGE_FACTOR = 0.9  # ours' first message p95 ≤ 0.9 × the bare bot's first "hello"
LATER_TURN_FACTOR = 0.5  # later symptom turns p95 ≤ 0.5 × the bare bot's "hello"
TURN_400_RATIO = 1.0
THROUGHPUT_FACTOR = 2.0
PEAK_RSS_MB = 600.0
STARTUP_S = 5.0
TRAINING_S = 90.0

Figures = dict[str, float]
Cells = list[dict[str, Any]]


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    limit: str
    ratio: str
    ok: bool | None

    def line(self) -> str:
        return f"| {self.label} | {self.value} | {self.limit} | {self.ratio} | {mark(self.ok)} |"


def known(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def bounded(
    label: str, value: float | None, bound: float | None, pattern: str, limit: str, at_least: bool = False
) -> Row:
    """A row for `value` ≤ `bound` (≥ with `at_least`); "not measured" when either is missing."""
    if not known(value) or not known(bound) or not bound:
        return Row(label, fmt(value, pattern) if known(value) else "not measured in this run", limit, "–", None)
    assert value is not None and bound is not None
    ok = value >= bound if at_least else value <= bound
    return Row(label, fmt(value, pattern), limit, f"{value / bound:.2f}", ok)


def relative(factor: float, reference: float | None, pattern: str, op: str = "≤") -> tuple[float | None, str]:
    """(limit, its text) for `factor` × a bare-bot figure."""
    if not known(reference):
        return None, f"{op} {factor:g} × bare (not measured)"
    assert reference is not None
    return factor * reference, f"{op} {factor:g} × {fmt(reference, pattern)} = {fmt(factor * reference, pattern)}"


def last_checkpoint(figures: Figures) -> int | None:
    """The furthest turn of the long conversation with a window median (400 in a full run)."""
    turns = [int(key.split("_")[1]) for key in figures if key.startswith("curve_") and key.endswith("_ratio")]
    return max(turns, default=None)


def throughput_rows(ours_cells: Cells, bare_cells: Cells) -> list[Row]:
    """One row per channel and user count of the issue; a cell with errors fails."""
    ours = {(c["channel"], c["users"]): c for c in ours_cells}
    bare = {(c["channel"], c["users"]): c for c in bare_cells}
    rows = []
    for channel, name in CHANNELS:
        for users in LEVELS:
            label = f"Throughput, {name}, {users} user{'s' if users > 1 else ''} (turns/s) ≥ 2 × bare bot, 0 errors"
            mine, theirs = ours.get((channel, users)), bare.get((channel, users))
            bound, limit = relative(THROUGHPUT_FACTOR, theirs["turns_per_s"] if theirs else None, "{:.1f}", "≥")
            row = bounded(label, mine["turns_per_s"] if mine else None, bound, "{:.1f}", limit, at_least=True)
            if mine and mine["errors"]:
                row = Row(label, f"{row.value} ({mine['errors']} errors)", row.limit, row.ratio, False)
            rows.append(row)
    return rows


def target_rows(ours: Figures, bare: Figures, ours_cells: Cells, bare_cells: Cells) -> list[Row]:
    bound, limit = relative(FIRST_MESSAGE_FACTOR, bare.get("first_p95_ms"), "{:.1f}")
    rows = [bounded("First message of a new conversation, p95 (ms) ≤ 0.9 × bare bot's first 'hello' p95",
                    ours.get("first_p95_ms"), bound, "{:.1f}", limit)]  # fmt: skip
    bound, limit = relative(LATER_TURN_FACTOR, bare.get("p95_ms"), "{:.1f}")
    rows.append(bounded("Later symptom turns, 1 user, p95 (ms) ≤ 0.5 × bare bot's 'hello' p95",
                        ours.get("p95_ms"), bound, "{:.1f}", limit))  # fmt: skip
    turn = last_checkpoint(ours)
    if turn is None:
        rows.append(Row("Median turn around turn 400 ≤ 1.0 × turns 1–10 (ratio)", "not measured in this run",
                        "≤ 1.0", "–", None))  # fmt: skip
    else:
        label = f"Median turn around turn {turn} ≤ 1.0 × turns 1–10 (ratio)"
        ratio = ours.get(f"curve_{turn}_ratio")
        rows.append(bounded(label, ratio, TURN_400_RATIO, "{:.2f}", f"≤ {TURN_400_RATIO:.1f}"))
    rows += throughput_rows(ours_cells, bare_cells)
    rows.append(bounded("Rasa server peak RSS while serving, all phases (MB)", ours.get("rasa_peak_rss_mb"),
                        PEAK_RSS_MB, "{:.0f}", f"≤ {PEAK_RSS_MB:.0f}"))  # fmt: skip
    rows.append(bounded("Rasa server start-up to ready (s)", ours.get("startup_s"), STARTUP_S, "{:.1f}",
                        f"≤ {STARTUP_S:g}"))  # fmt: skip
    training = full_training_s(ours)
    rows.append(bounded("Full training from scratch: red-flag classifier + `rasa train` (NLU, core) (s)",
                        training, TRAINING_S, "{:.0f}", f"≤ {TRAINING_S:g}"))  # fmt: skip
    return rows


def full_training_s(figures: Figures) -> float | None:
    """Both trainings `make train` runs from scratch; None unless both were timed in this run."""
    if "train_s" not in figures or "triage_train_s" not in figures:
        return None
    return figures["train_s"] + figures["triage_train_s"]


def first_message_table(ours: Figures, bare: Figures) -> list[str]:
    lines = [
        "| First message of a new conversation | Ours (a symptom) | Bare bot ('hello') | Ours / bare |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label, pattern in (
        ("first_p50_ms", "p50 (ms)", "{:.1f}"),
        ("first_p95_ms", "p95 (ms)", "{:.1f}"),
        ("first_replies", "messages in the reply (mean)", "{:.1f}"),
        ("first_turns", "turns timed", "{:.0f}"),
    ):
        mine, theirs = ours.get(key), bare.get(key)
        ratio = f"{mine / theirs:.2f}" if known(mine) and known(theirs) and theirs and key != "first_turns" else "–"
        lines.append(f"| {label} | {fmt(mine, pattern)} | {fmt(theirs, pattern)} | {ratio} |")
    return lines


def section(ours: Figures, bare: Figures, ours_cells: Cells, bare_cells: Cells, quick: bool) -> list[str]:
    lines = [
        HEADING,
        "",
        "First message of a new conversation: every message from a fresh sender id, over REST, ours and the "
        "bare bot served at the same time and their turns interleaved (ours a symptom message, rotating "
        "bench/symptom_messages.txt; the bare bot 'hello'; who goes first alternates), after "
        "three untimed first messages on each side. A turn is timed to the complete REST reply, which holds "
        "every message of the turn, the scope statement that starts the session included (bench/first_message.py).",
        "",
        *first_message_table(ours, bare),
        "",
        "Ratio = ours / limit: a ≤ limit passes at ≤ 1, a ≥ limit at ≥ 1. The throughput cells are those of the "
        "concurrency table below."
        + (" Quick run: tiny counts, so these marks say only that the code ran." if quick else ""),
        "",
        "| Target | Ours | Limit | Ratio | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    return lines + [row.line() for row in target_rows(ours, bare, ours_cells, bare_cells)]
