"""Build the local spaCy pipeline Rasa's SpacyNLP loads: blank English + lookup lemmas.

The pretrained English pipelines cannot be downloaded here, so we assemble one from
packages on PyPI (spacy + spacy-lookups-data) and save it to a folder given on the
command line. Runs once in the setup step; nothing is fetched at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    # The lookup lemmatizer reads its table from spacy-lookups-data at initialise time.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "en_acupressure_lookup"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English tokenizer with lookup lemmas (built locally)"
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_en_lookup")
    build(out)
    check = spacy.load(out)
    print(f"spaCy pipeline saved to {out}: {[t.lemma_ for t in check('my knees were aching')]}")
