"""Words people use reach the right canonical complaint, sensation and side."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from actions.core.vocabulary import default_vocabulary
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "said,complaint",
    [
        ("lumbar", "lower_back"), ("lumbago", "lower_back"), ("small of my back", "lower_back"),
        ("lowr back", "lower_back"), ("crick in my neck", "neck"), ("sciatca", "sciatica"),
        ("Migraine", "head"), ("shoulders", "shoulder"), ("between my shoulder blades", "upper_back"),
        ("charley horse", "calf"), ("can't sleep", "sleep"), ("queasy", "nausea"), ("stressed out", "stress"),
    ],
)  # fmt: skip
def test_complaint_synonyms_and_typos(said: str, complaint: str) -> None:
    assert default_vocabulary().complaint(said) == complaint


def test_unrelated_words_are_not_complaints() -> None:
    vocabulary = default_vocabulary()
    for said in ("elbow", "pizza", "", "tooth"):
        assert vocabulary.complaint(said) is None, said
    assert vocabulary.uncovered_area("elbow") == "elbow"


def test_several_complaints_in_one_message_keep_their_order() -> None:
    found = default_vocabulary().complaints_in_text("Stiff neck, a headache and my lower back aches too")
    assert found == ["neck", "head", "lower_back"]


def test_sensations_and_sides() -> None:
    vocabulary = default_vocabulary()
    assert vocabulary.sensation("aching") == "ache"
    assert vocabulary.sensation("pins and needles") == "tingling"
    assert vocabulary.side("left side") == "left"
    assert vocabulary.side("both sides") == "both"


def test_generated_nlu_files_match_the_vocabulary() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/generate_nlu_vocabulary.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _english_words() -> set[str]:
    """The word forms of spaCy's English lemma table (spacy-lookups-data, installed)."""
    import spacy_lookups_data
    import srsly

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    table = srsly.read_gzip_json(next(folder.glob("en_lemma_lookup.json*")))
    return {w.lower() for pair in table.items() for w in pair if re.fullmatch(r"[a-z]{5,}", w.lower())}


def test_no_english_word_is_read_as_a_misspelt_complaint() -> None:
    # "what should I press?" was read as the shoulder. A word that shares its first four
    # letters with the complaint's word is an inflection of it ("kneels", "sleepy").
    vocabulary = default_vocabulary()
    words = {w: c.name for c in vocabulary.complaints.values() for w in c.words}
    read_as = {}
    for word in sorted(_english_words() - set(words)):
        found = vocabulary.complaints_misspelt_in_text(word)
        if found and not any(w[:4] == word[:4] for w, name in words.items() if name == found[0]):
            read_as[word] = found[0]
    assert read_as == {}, "add these to not_misspellings in actions/catalogue/vocabulary.yml"
    assert vocabulary.complaints_misspelt_in_text("what should I press?") == []
    assert vocabulary.complaints_misspelt_in_text("my shouldr is sore") == ["shoulder"]
