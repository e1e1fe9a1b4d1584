"""`rasa …` for our Rasa server: the same CLI, minus an import it never uses.

TensorFlow 2.12 imports JAX at start-up only to offer converting JAX functions to TFLite
(tensorflow/lite/python/util.py, inside try/except ImportError). Nothing here converts
models, and the import costs the server 64 MB of RSS and 0.3 s of start-up (measured
2026-12-02: 520 → 456 MB after `import rasa.core.agent`). A `None` entry in sys.modules
makes that import fail the way TensorFlow expects, so JAX is never loaded.

Usage: python scripts/run_rasa.py run --model models … (any `rasa` arguments).
"""

import sys

sys.path.pop(0)  # this folder: its scripts are not modules of the server
sys.modules["jax"] = None  # type: ignore[assignment]

from rasa.__main__ import main  # noqa: E402 - must come after the block above

if __name__ == "__main__":
    main()
