"""The action server's process never loads TensorFlow (action_server/lean.py), even when an
action reads words with spaCy's tokenizer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
from action_server.lean import block_unused_imports
block_unused_imports()
from actions.core.triage import default_checker, _words
print(list(_words("I'm not pregnant, my lower back aches")))
print(default_checker().facts_in("which points should I avoid while pregnant?").pregnant)
print(sorted(m for m in ("tensorflow", "jax", "torch") if sys.modules.get(m) is not None))
"""


def test_the_tokenizer_works_without_tensorflow_in_the_process() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    words, pregnant, loaded = run.stdout.strip().splitlines()[-3:]
    assert words == str(["i", "'m", "not", "pregnant", ",", "my", "lower", "back", "aches"])
    assert pregnant == "True"
    assert loaded == "[]"
