"""How bench/results.md writes a figure and a verdict (shared by the report's sections)."""

from __future__ import annotations


def mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✅" if ok else "❌")


def fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "–" if value is None else pattern.format(value)
