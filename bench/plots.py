"""PNG plots for bench/results.md: latency along one conversation, and load curves."""

from __future__ import annotations

import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter  # noqa: E402

COLOURS = {"ours": "tab:blue", "bare": "tab:orange"}
LABELS = {"ours": "ours", "bare": "bare `rasa init` bot"}


def _log_axis(axis: matplotlib.axis.Axis) -> None:
    """Log scale ticks at 1, 2 and 5 times powers of ten, written as plain numbers."""
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_formatter(NullFormatter())


def rolling_median(values: list[float], width: int = 21) -> list[float]:
    half = width // 2
    return [statistics.median(values[max(0, i - half) : i + half + 1]) for i in range(len(values))]


def latency_vs_turn(curves: dict[str, list[float]], returning: list[float], out: Path) -> None:
    """Per-turn latency (dots) and its 21-turn rolling median (line) for each bot; our
    returning user's turns after the restart are drawn after the long conversation."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for bot, samples in curves.items():
        turns = range(1, len(samples) + 1)
        ax.scatter(turns, samples, s=4, alpha=0.25, color=COLOURS[bot])
        ax.plot(turns, rolling_median(samples), color=COLOURS[bot], label=f"{LABELS[bot]} (rolling median of 21)")
    if returning and "ours" in curves:
        start = len(curves["ours"]) + 1
        turns = range(start, start + len(returning))
        ax.scatter(turns, returning, s=10, marker="x", color="tab:green", label="ours, returning user after restart")
    ax.set_xlabel("turn of one conversation")
    ax.set_ylabel("latency (ms)")
    ax.set_yscale("log")
    _log_axis(ax.yaxis)
    ax.set_title("Latency per turn along one conversation (REST, one user)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def concurrency(cells: list[dict], out: Path) -> None:
    """Turns/s and p95 against concurrent users, per bot and channel."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    series: dict[tuple[str, str], list[dict]] = {}
    for cell in cells:
        series.setdefault((cell["bot"], cell["channel"]), []).append(cell)
    for (bot, channel), points in sorted(series.items()):
        points = sorted(points, key=lambda c: c["users"])
        users = [c["users"] for c in points]
        style = "-o" if channel == "rest" else "--s"
        label = f"{LABELS[bot]}, {'REST' if channel == 'rest' else 'socket.io'}"
        left.plot(users, [c["turns_per_s"] for c in points], style, color=COLOURS[bot], label=label)
        right.plot(users, [c["p95_ms"] for c in points], style, color=COLOURS[bot], label=label)
    levels = sorted({cell["users"] for cell in cells})
    right.set_yscale("log")
    for ax, ylabel in ((left, "turns per second"), (right, "p95 latency (ms)")):
        ax.set_xscale("log")
        ax.set_xticks(levels)
        ax.set_xlabel("concurrent users")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
    _log_axis(right.yaxis)
    left.set_ylim(bottom=0)
    left.set_title("Throughput")
    right.set_title("p95 latency")
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
