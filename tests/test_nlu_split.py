"""The NLU held-out split (tests/nlu) must not contain any training message (data/nlu)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def messages(path: Path) -> set[str]:
    found = set()
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        for line in (block.get("examples") or "").splitlines():
            text = ANNOTATION.sub(r"\1", line.strip().removeprefix("- ")).lower().strip()
            if text:
                found.add(text)
    return found


def test_held_out_messages_are_not_training_messages() -> None:
    training = set().union(*(messages(p) for p in (ROOT / "data" / "nlu").glob("*.yml")))
    held_out = messages(ROOT / "tests" / "nlu" / "test_nlu.yml")
    assert held_out and not held_out & training, sorted(held_out & training)
