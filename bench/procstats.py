"""Process memory from /proc: current RSS and a sampler for peak RSS of a process tree."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def anon_mb(pid: int) -> float:
    """Private memory of one process in MB (RssAnon): RSS without the pages of mapped
    files, which count only as far as they are in the page cache and mapped (TensorFlow's
    libraries alone vary by ~100 MB between a cold and a warm cache, measured 2026-12-02)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        path = task / "children"
        if path.exists():
            kids += [int(c) for c in path.read_text().split()]
    return kids


def tree_rss_mb(pid: int) -> float:
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += rss_mb(current)
            stack += _children(current)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class PeakSampler:
    """Samples the RSS of a process tree every 0.2 s until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.peak = max(self.peak, tree_rss_mb(self.pid))
            except (FileNotFoundError, ProcessLookupError):
                return

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed_run(cmd: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run a command to completion with its output in `log`: (wall seconds, peak tree RSS MB, exit code)."""
    began = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        with PeakSampler(process.pid) as sampler:
            code = process.wait()
    return time.monotonic() - began, sampler.peak, code
