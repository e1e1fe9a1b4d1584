"""Where a Rasa server's time goes: a py-spy profile taken while turns run, grouped by subsystem.

py-spy is optional: the bench looks for it in .venv/bin, then on PATH (or at $PY_SPY), and
reports its absence instead of failing. Samples are of Python threads that are not idle
(the event loop waiting for a request is idle), so the shares are of the server's busy time.

Each sample's stack is read from the innermost frame outwards and takes the group of the
first frame that names one (so the policy featuriser building states from events counts as
policies, and event deserialisation inside the tracker store counts as the tracker store);
frames of the graph runner or of our components that serve both NLU and policies (e.g.
rasa_server/safety.py) fall through to the processor step that called them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")

# (file path fragment, functions or None for any) -> group; checked innermost frame first.
RULES: list[tuple[str, frozenset[str] | None, str]] = [
    ("rasa/core/tracker_store.py", None, "Tracker store"),
    ("rasa_server/tracker_store.py", None, "Tracker store"),
    ("sqlalchemy/", None, "Tracker store"),
    ("rasa/core/actions/", None, "Actions"),
    ("rasa/nlu/", None, "NLU pipeline"),
    ("rasa_server/input_guard.py", None, "NLU pipeline"),
    ("rasa/core/policies/", None, "Policies"),
    ("rasa/core/featurizers/", None, "Policies"),
    ("rasa/core/processor.py", frozenset({"parse_message", "_parse_message_with_graph"}), "NLU pipeline"),
    ("rasa/core/processor.py", frozenset({"_predict_next_with_tracker", "predict_next_with_tracker_if_should"}),
     "Policies"),
    ("rasa/core/processor.py", frozenset({"_run_action"}), "Actions"),
    ("rasa/core/processor.py", frozenset({"fetch_tracker_and_update_session", "get_tracker", "save_tracker",
                                          "fetch_full_tracker_with_initial_session", "get_tracker_with_session_start"}),
     "Tracker store"),
    ("rasa/core/processor.py", None, "Processor (events, tracker updates)"),
    ("rasa/core/channels/", None, "Channels and HTTP server"),
    ("rasa_server/rest_channel.py", None, "Channels and HTTP server"),
    ("sanic/", None, "Channels and HTTP server"),
    ("socketio/", None, "Channels and HTTP server"),
    ("engineio/", None, "Channels and HTTP server"),
]  # fmt: skip
GROUPS = ["NLU pipeline", "Policies", "Tracker store", "Actions", "Processor (events, tracker updates)",
          "Channels and HTTP server", "Other"]  # fmt: skip
# Within a group, a finer name: the component file for NLU and policies, and what part of
# the tracker store or action step the sample is in.
RASA_COMPONENT_DIRS = ("rasa/nlu/", "rasa/core/policies/", "rasa/core/featurizers/")
OURS = Path(__file__).resolve().parent.parent / "rasa_server"


def graph_component_files(folder: Path = OURS) -> tuple[str, ...]:
    """Our modules that register a graph component (rasa_server/safety.py, ...). The others
    (channels, the turn wrapper every channel calls, stores) are outside the graph: named as
    the component, they hid the DIET or rule policy frame inside them."""
    return tuple(
        f"rasa_server/{path.name}"
        for path in sorted(folder.glob("*.py"))
        if "DefaultV1Recipe.register" in path.read_text(encoding="utf-8")
    )


COMPONENT_FILES = RASA_COMPONENT_DIRS + graph_component_files()


@dataclass
class Profile:
    samples: int = 0
    turns: int = 0
    seconds: float = 0.0
    groups: Counter[str] = field(default_factory=Counter)
    parts: Counter[tuple[str, str]] = field(default_factory=Counter)
    leaves: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "samples": self.samples, "turns": self.turns, "seconds": self.seconds, "groups": dict(self.groups),
            "parts": [[g, p, n] for (g, p), n in self.parts.most_common()], "leaves": self.leaves.most_common(12),
        }  # fmt: skip


def find_py_spy() -> Path | None:
    from tests.support.servers import BIN

    candidates = [os.environ.get("PY_SPY"), str(BIN / "py-spy"), shutil.which("py-spy")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def _frames(stack: str) -> list[tuple[str, str]]:
    frames = []
    for raw in stack.split(";"):
        match = FRAME.match(raw)
        if match:
            frames.append((match["function"], match["file"].replace("\\", "/")))
    return frames


def classify(frames: list[tuple[str, str]]) -> tuple[str, str]:
    """(group, part) for one stack, outermost frame first in `frames`."""
    group = "Other"
    for function, path in reversed(frames):
        hit = next((g for fragment, fns, g in RULES if fragment in path and (fns is None or function in fns)), None)
        if hit:
            group = hit
            break
    functions = {function for function, _ in frames}
    if group in ("NLU pipeline", "Policies"):
        component = next((p for _, p in frames if any(c in p for c in COMPONENT_FILES)), "")
        part = Path(component).stem or "graph runner"
    elif group == "Tracker store":
        part = "save" if functions & {"save", "save_tracker"} else "load and deserialise"
    elif group == "Actions":
        if any("jsonschema/" in path for _, path in frames):
            part = "response validation (jsonschema)"
        elif any("aiohttp/" in path for _, path in frames):
            part = "HTTP call to the action server"
        else:
            part = "events and bot messages"
    else:
        part = ""
    return group, part


def short(path: str) -> str:
    return path.split("site-packages/")[-1].split("/work/main/")[-1]


def aggregate(raw: Path, turns: int, seconds: float) -> Profile:
    """Group py-spy `--format raw` output (collapsed stacks, `a;b;c count` per line)."""
    profile = Profile(turns=turns, seconds=seconds)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = _frames(stack)
        group, part = classify(frames)
        profile.samples += n
        profile.groups[group] += n
        profile.parts[(group, part)] += n
        if frames:
            function, path = frames[-1]
            profile.leaves[f"{function} ({short(path)})"] += n
    return profile


def record(py_spy: Path, pid: int, seconds: float, out: Path, drive: Callable[[threading.Event], int]) -> Profile:
    """Profile `pid` for `seconds` while `drive(stop)` sends turns until `stop` is set (returns the turn count)."""
    log = out.with_suffix(".log")
    cmd = [str(py_spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "100",
           "--format", "raw", "--full-filenames", "--output", str(out)]  # fmt: skip
    stop = threading.Event()
    outcome: list[int | BaseException] = []

    def run_driver() -> None:
        try:
            outcome.append(drive(stop))
        except BaseException as problem:  # noqa: BLE001 - re-raised in the caller's thread
            outcome.append(problem)

    driver = threading.Thread(target=run_driver, daemon=True)
    with log.open("w") as log_file:
        spy = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
        driver.start()
        try:
            code = spy.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            spy.send_signal(signal.SIGINT)
            code = spy.wait(timeout=30)
        finally:
            stop.set()
            driver.join(timeout=180)
    if code or not out.exists():
        raise RuntimeError(f"py-spy failed ({code}): {log.read_text()[-500:]}")
    if not outcome or isinstance(outcome[0], BaseException):
        raise RuntimeError(f"the turns during the profile failed: {outcome[0] if outcome else 'still running'}")
    return aggregate(out, outcome[0], seconds)
