"""Latency per turn along one long conversation (one sender, REST), and its summary windows.

The issue's yardstick: the median turn around turn 400 should be at most 1.2x the median of
turns 1-10, also for a returning user whose history is in the tracker store.
"""

from __future__ import annotations

import statistics

import requests

from bench.client import rest_turn
from bench.conversations import Script

CHECKPOINTS = (100, 200, 300, 400)
HALF_WINDOW = 10  # the window around turn N is turns N-9 .. N+10


def run_curve(url: str, script: Script, sender: str, turns: int, start: int = 0) -> list[float]:
    """Send turns `start`+1 .. `start`+`turns` of the script's long conversation; ms per turn."""
    with requests.Session() as session:
        return [rest_turn(url, sender, text, session)[0] for text in script.curve(turns, start)]


def window(samples: list[float], turn: int) -> list[float]:
    """Latencies of turns `turn`-9 .. `turn`+10 (1-based)."""
    return samples[max(0, turn - HALF_WINDOW) : turn + HALF_WINDOW]


def summarise(samples: list[float], checkpoints: tuple[int, ...], returning: list[float] | None = None) -> dict:
    """Median of turns 1-10, of the window around each checkpoint that fits, and their ratios."""
    base = statistics.median(samples[:10])
    figures = {"curve_turns": len(samples), "curve_first_ms": samples[0], "curve_1_10_ms": base}
    for turn in checkpoints:
        if turn + HALF_WINDOW <= len(samples):
            median = statistics.median(window(samples, turn))
            figures[f"curve_{turn}_ms"] = median
            figures[f"curve_{turn}_ratio"] = median / base
    if returning:
        figures["returning_ms"] = statistics.median(returning)
        figures["returning_ratio"] = figures["returning_ms"] / base
    return figures
