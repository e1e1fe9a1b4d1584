"""The learned red-flag layer: its corpus, its fast scoring, and how it joins the lexicon."""

from __future__ import annotations

from collections import Counter

import pytest

from actions.core.screening import Screener
from actions.core.triage import default_checker
from actions.core.triage_model import NONE, Prediction, default_model, load_corpus, load_model, normalise

CHECK = default_checker()
CORE_VOICES = {"elderly", "teen", "non_native", "typo", "clinical", "proxy", "long_story", "sarcastic"}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(known_labels=set(CHECK.concepts))


def test_corpus_is_large_varied_and_covers_every_concept(corpus) -> None:
    flags = [e for e in corpus if e.label != NONE]
    negatives = [e for e in corpus if e.label == NONE]
    assert len(flags) >= 1500 and len(negatives) >= 1000
    assert set(CHECK.concepts) <= {e.label for e in flags}
    for concept, count in Counter(e.label for e in flags).items():
        voices = {e.voice for e in flags if e.label == concept}
        assert count >= 30 and len(voices & CORE_VOICES) >= 6, concept
    assert {e.voice for e in corpus} >= CORE_VOICES
    texts = [" ".join(e.text.lower().split()) for e in corpus]
    assert len(set(texts)) == len(texts), [t for t, n in Counter(texts).items() if n > 1][:5]


def test_fast_scoring_gives_scikit_learns_probabilities() -> None:
    model = load_model(keep_pipeline=True)
    for text in ["my lower back is stiff", "cant feel my bum when i wipe", "his face is drooping", ""]:
        fast = model.probabilities(text)
        slow = dict(zip(model.pipeline.classes_, model.pipeline.predict_proba([text.lower()])[0], strict=True))
        assert all(abs(fast[c] - slow[c]) < 1e-6 for c in slow)  # float32 weights


def test_fast_scoring_counts_every_n_gram_as_scikit_learn_does(corpus) -> None:
    """The fast scorer counts character n-grams word by word (cached): one-letter and
    n-gram-long words, accents, emoji, tabs, repeats and a corpus sample all score alike."""
    model = load_model(keep_pipeline=True)
    odd = ["i a ab abc abcd abcde", "ça fait très mal 😩😩 au dos", "tab\there  two  spaces\n new line",
           "numb numb numb numb, can't pee!!!", "x" * 300]  # fmt: skip
    for text in odd + [e.text for e in corpus[::40]]:
        row = normalise(text)
        fast = model._scorer.probabilities(row)
        slow = model.pipeline.predict_proba([row])[0]
        assert max(abs(f - s) for f, s in zip(fast, slow, strict=True)) < 1e-6, text


class FixedModel:
    """A stand-in model that always predicts the same thing."""

    def __init__(self, concept: str, probability: float = 0.9) -> None:
        self.prediction = Prediction(concept, probability)
        self.concepts = tuple(CHECK.concepts)

    def scores(self, text: str) -> str:
        return "any row"

    def decide(self, row: str, excluding: frozenset[str] = frozenset()) -> Prediction:
        return Prediction(NONE, 0.0) if self.prediction.concept in excluding else self.prediction

    def predict(self, text: str, excluding: frozenset[str] = frozenset()) -> Prediction:
        return self.decide(self.scores(text), excluding)


def test_the_classifier_can_raise_a_level_with_the_concepts_own_reason() -> None:
    screener = Screener(CHECK, FixedModel("possible_dvt"))
    result = screener.assess("my calf is a bit odd after the flight")
    assert result.level == "urgent"
    assert result.hits[0].reason == CHECK.concept_level_and_reason("possible_dvt")[1]
    assert "calf" in result.ruled_out or "leg" in result.ruled_out


def test_the_classifier_never_lowers_what_the_lexicon_found() -> None:
    screener = Screener(CHECK, FixedModel(NONE, 0.01))
    assert screener.assess("I can't feel anything when I wipe and my back hurts").level == "emergency"
    screener = Screener(CHECK, FixedModel("fever"))
    assert screener.assess("I can't feel anything when I wipe and my back hurts").level == "emergency"


def test_a_lexicon_hit_waiting_on_a_fact_does_not_silence_the_classifier() -> None:
    """ "my elderly mother slipped": the lexicon's fall hit waits for an age of 70 or over, which
    the message does not give in numbers; the classifier's reading of the same concept counts.
    Until 2026-12-02 the waiting hit made the classifier's reading look redundant."""
    said = "my elderly mother slipped on the kitchen floor this morning and now her back is agony"
    waiting = [hit for hit in CHECK.candidates(said).hits if hit.concept == "older_fall_fracture"]
    assert waiting and waiting[0].needs == ("age_over_70",)
    assert CHECK.assess(said).level == "none"
    assert Screener(CHECK, FixedModel("older_fall_fracture")).assess(said).level == "emergency"


def test_the_trained_classifier_reads_wordings_it_was_not_written_for() -> None:
    # Phrasings from the list of misses (kinds, not sentences of the corpus).
    screener = Screener(CHECK, default_model())
    for text in ["had an accident in bed last night and didnt even wake up, back is bad",
                 "grandad's face has gone droopy on one side and he's not making sense"]:  # fmt: skip
        assert screener.assess(text).level == "emergency", text
    assert screener.assess("my lower back is stiff after gardening").level == "none"


def test_being_pregnant_is_no_warning_sign_without_a_sign_word() -> None:
    # red_flags.yml classifier_cues: the classifier's pregnancy readings need a sign word
    screener = Screener(CHECK, FixedModel("pregnancy_emergency"))
    assert screener.assess("my wife is 30 weeks pregnant and her lower back hurts").level == "none"
    assert screener.assess("28 weeks pregnant and my bump feels odd").level == "emergency"
    trained = Screener(CHECK, default_model())
    for text in ["I'm 30 weeks pregnant and my lower back aches",
                 "my wife is 30 weeks pregnant and her lower back hurts",
                 "im 7 months pregnant and my hips hurt at night"]:  # fmt: skip
        assert trained.assess(text).level == "none", text


@pytest.mark.parametrize(
    ("concept", "knock", "serious"),
    [
        ("major_trauma", "slipped on the wet kitchen floor and my knee is swollen and bruised",
         "came off my motorbike at speed and my knee is swollen and bruised"),
        ("head_injury", "fell on my shoulder skiing, it's swollen and there's a bruise now",
         "fell skiing and hit my head, I've been sick twice"),
        ("older_fall_fracture", "my wife slipped on the wet floor and landed on her knee, it's bruised",
         "my nan slipped on the wet floor and landed on her hip, it's bruised"),
        ("hot_swollen_joint", "rolled my ankle 6 hours ago, swelling and a bruise on the outside, can walk",
         "my ankle is swollen, hot and red and I haven't hurt it"),
        ("both_legs", "forgot to mention, I'm 23 weeks pregnant and my back is sore",
         "forgot to mention, both my feet have gone numb and my back is sore"),
    ],
)  # fmt: skip
def test_a_reading_needs_a_word_of_its_red_flag(concept: str, knock: str, serious: str) -> None:
    """red_flags.yml classifier_cues (2026-12-03): a knock to a limb is no accident, head
    injury or fracture risk without a vehicle, a head, an age; nor a hot joint without heat."""
    screener = Screener(CHECK, FixedModel(concept))
    assert screener.assess(knock).level == "none"
    expected = CHECK.concept_level_and_reason(concept)[0]
    assert screener.assess(serious).level == expected


def test_the_trained_classifier_leaves_minor_knocks_alone() -> None:
    # Not sentences of the corpus: the kind its fresh-injury negatives teach (2026-12-03).
    trained = Screener(CHECK, default_model())
    for text in ["walked into the dishwasher door and my shin has a big purple bruise, still walking fine",
                 "my daughter banged her knee on the slide at the park, it's a bit puffy but she's running about",
                 "sprained my thumb at netball, it's swollen but it bends, which points help"]:  # fmt: skip
        assert trained.assess(text).level == "none", text
    assert trained.assess("a car hit me on my bike an hour ago, my back is agony").level == "emergency"


def test_a_gated_reading_leaves_what_else_the_classifier_saw() -> None:
    model = default_model()
    classes = list(model.classes)
    row = [0.0] * len(classes)
    row[classes.index(NONE)], row[classes.index("pregnancy_emergency")], row[classes.index("both_legs")] = 0.1, 0.5, 0.4
    assert model.decide(row).concept == "pregnancy_emergency"
    excluded = frozenset({"pregnancy_emergency", "pregnancy_warning_signs"})
    assert model.decide(row, excluded) == Prediction("both_legs", pytest.approx(0.4))


def test_a_plain_complaint_is_not_read_by_the_classifier() -> None:
    # red_flags.yml plain_complaint_words: "my back hurts" was read as sepsis
    screener = Screener(CHECK, FixedModel("sepsis_signs"))
    for text in ["my back hurts", "My back really hurts a lot!!", "my neck is killing me"]:
        assert screener.assess(text).level == "none", text
    assert screener.assess("my back hurts and I feel shivery").level == "emergency"


class RecordingModel(FixedModel):
    def __init__(self, concept: str) -> None:
        super().__init__(concept)
        self.read: list[str] = []

    def scores(self, text: str) -> str:
        self.read.append(text)
        return "any row"


def test_the_classifier_does_not_read_a_programme_a_story_or_a_job() -> None:
    """2026-12-04 (blind set 8, read as a development set): a drama's collapse was read as the
    writer's aortic tear. A sentence that tells of others is left out of what the classifier
    reads, unless the writer comes into it after the telling."""
    model = RecordingModel("tearing_pain")
    screener = Screener(CHECK, model)
    screener.assess("Saw a medical drama on the telly where a woman's aorta tore. My neck's just stiff.")
    assert model.read == ["my neck's just stiff"]
    assert screener.assess("As a nurse my shifts are full of strokes and collapses").level == "none"
    assert len(model.read) == 1  # nothing of the writer's own: the classifier is not asked
    watching = "watching something on the tv when my chest felt like it was ripping through to my back"
    assert screener.assess(watching).level == "emergency"
    assert model.read[-1] == watching


def test_repeated_phrases_are_read_once() -> None:
    assert normalise("back back back back") == "back"
    assert normalise("my back hurts " * 200) == "my back hurts"
    assert default_model().predict("back " * 10000).concept == NONE


def test_the_classifier_learns_from_the_listed_nlu_files_only(tmp_path) -> None:
    from scripts.train_triage_classifier import negative_nlu_files

    listed = negative_nlu_files()
    assert listed and all(f.is_file() and f.parent.name == "nlu" for f in listed)
    listing = tmp_path / "list.txt"
    listing.write_text("# a comment\nno_such_file.yml\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no_such_file"):
        negative_nlu_files(listing)


def test_a_clot_or_a_cancer_read_by_the_classifier_needs_a_sign_of_one() -> None:
    """2026-12-04 (blind set 9, read): "points behind the knee and on the calf for back pain" was
    read as a clot, "previous breast cancer, discharged" as the cancer flag. Their readings now
    count only with a word for swelling, colour, heat or travel, or for pain where cancer spreads."""
    assert (
        Screener(CHECK, FixedModel("possible_dvt"))
        .assess("I want to press points behind the knee and on the calf for back pain.")
        .level
        == "none"
    )
    assert (
        Screener(CHECK, FixedModel("possible_dvt"))
        .assess("after the long-haul flight my calf is tight and sore, can I press there?")
        .level
        == "urgent"
    )
    assert (
        Screener(CHECK, FixedModel("cancer_history"))
        .assess("Previous breast cancer 15 years ago, discharged from oncology, now a tension headache.")
        .level
        == "none"
    )
    assert (
        Screener(CHECK, FixedModel("cancer_history"))
        .assess("hatte Brustkrebs vor 3 Jahren, jetzt neue Rückenschmerzen")
        .level
        == "urgent"
    )
