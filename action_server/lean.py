"""Keep TensorFlow out of the action server.

The action server reads negation and pregnancy words with spaCy's blank English tokenizer
(actions/core/triage.py). Importing spaCy imports thinc, which imports TensorFlow whenever
it is installed (thinc/compat.py, inside try/except ImportError), and TensorFlow is
installed for the Rasa server. One "which points should I avoid while pregnant?" therefore
took the action server from 50 to 684 MB (make bench, 2026-12-02). A `None` entry in
sys.modules makes those imports fail the way thinc expects; the tokenizer needs neither.
"""

from __future__ import annotations

import sys

UNUSED_HEAVY_MODULES = ("tensorflow", "jax", "torch")


def block_unused_imports() -> None:
    """Call before anything imports spaCy; a module already loaded is left alone."""
    for name in UNUSED_HEAVY_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
