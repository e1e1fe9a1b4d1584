"""The TensorFlow-free intent classifier: its arithmetic, its fitting, its model file, its Rasa glue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from rasa_server.linear_intent import LinearIntentClassifier
from rasa_server.linear_intent_model import LinearIntentModel, best_temperature, fit, smoothed_idf, tfidf

TRAINING = {
    "greet": ["hello there", "hi", "good morning", "hey", "hello", "hi there friend"],
    "ask_point": [
        "where is LI4",
        "where is the point GB20",
        "how do I find ST36",
        "where is PC6 located",
        "show me where LI4 is",
        "find the point SP6",
    ],
    "thank": ["thanks", "thank you so much", "cheers thanks", "many thanks", "thank you", "thanks a lot"],
}


def counts_and_intents() -> tuple[CountVectorizer, sp.csr_matrix, list[str]]:
    texts = [t for ts in TRAINING.values() for t in ts]
    intents = [i for i, ts in TRAINING.items() for _ in ts]
    vectorizer = CountVectorizer().fit(texts)
    return vectorizer, vectorizer.transform(texts), intents


def test_tfidf_and_idf_equal_scikit_learns_sublinear_tfidf() -> None:
    counts = sp.csr_matrix(np.array([[3, 0, 1, 0], [0, 0, 2, 1], [1, 1, 0, 0], [0, 0, 0, 0]]))
    reference = TfidfTransformer(sublinear_tf=True).fit(counts)
    assert np.allclose(smoothed_idf(counts), reference.idf_)
    assert np.allclose(tfidf(counts, smoothed_idf(counts)).toarray(), reference.transform(counts).toarray())


@pytest.mark.parametrize("balanced", [True, False])
def test_fit_tells_the_training_intents_apart_on_new_messages(balanced: bool) -> None:
    vectorizer, counts, intents = counts_and_intents()
    model = fit(counts, intents, folds=3, balanced=balanced)
    rankings = model.rankings(vectorizer.transform(["hello friend", "where do I find SP6", "thank you very much"]))
    assert [r[0][0] for r in rankings] == ["greet", "ask_point", "thank"]
    for ranking in rankings:
        confidences = [c for _, c in ranking]
        assert sorted(confidences, reverse=True) == confidences
        assert sum(confidences) == pytest.approx(1.0)
        assert {name for name, _ in ranking} == {"greet", "ask_point", "thank"}


def test_a_message_of_unknown_words_is_less_confident_than_a_training_phrase() -> None:
    vectorizer, counts, intents = counts_and_intents()
    model = fit(counts, intents, folds=3)
    known, unknown = model.rankings(vectorizer.transform(["thanks", "zebra quantum"]))
    assert known[0][0] == "thank"
    assert unknown[0][1] < known[0][1]


def test_two_intents_get_one_row_each() -> None:
    vectorizer = CountVectorizer().fit(TRAINING["greet"] + TRAINING["thank"])
    counts = vectorizer.transform(TRAINING["greet"] + TRAINING["thank"])
    model = fit(counts, ["greet"] * 6 + ["thank"] * 6, folds=3)
    assert model.coef.shape == (2, counts.shape[1])
    assert [r[0][0] for r in model.rankings(vectorizer.transform(["hey there", "many thanks"]))] == ["greet", "thank"]


def test_one_intent_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least two intents"):
        fit(sp.csr_matrix(np.eye(3)), ["greet"] * 3)


def test_temperature_is_fitted_to_the_cross_validated_scores() -> None:
    # Scores where the true class always leads by a wide margin deserve the sharpest softmax
    # on the grid; scores that are noise around zero, with the truth random, the flattest.
    truth = np.array([0, 1, 2] * 20)
    clear = np.full((60, 3), -0.1)
    clear[np.arange(60), truth] = 0.1
    assert best_temperature(clear, truth) == 30.0
    noise = np.random.default_rng(0).normal(0, 1, (60, 3))
    assert best_temperature(noise, truth) == 0.5
    # Without enough messages per intent for the folds, the temperature stays 1.
    _, counts, intents = counts_and_intents()
    assert fit(counts, intents, folds=7).temperature == 1.0


def test_model_file_round_trip_and_no_pickles(tmp_path: Path) -> None:
    vectorizer, counts, intents = counts_and_intents()
    model = fit(counts, intents, folds=3)
    model.save(tmp_path / "m.npz")
    loaded = LinearIntentModel.load(tmp_path / "m.npz")
    probe = vectorizer.transform(["hi", "where is LI4"])
    assert np.array_equal(loaded.probabilities(probe), model.probabilities(probe))
    assert loaded.temperature == model.temperature and list(loaded.classes) == ["ask_point", "greet", "thank"]
    # A file holding Python objects (which would be unpickled) is refused.
    np.savez(tmp_path / "evil.npz", classes=np.array([object()], dtype=object), idf=np.ones(1), coef=np.ones((1, 1)),
             intercept=np.ones(1), temperature=np.array(1.0))  # fmt: skip
    with pytest.raises(ValueError, match="allow_pickle"):
        LinearIntentModel.load(tmp_path / "evil.npz")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def featurise(messages: list[Message], training: bool = False, cvf: CountVectorsFeaturizer | None = None) -> None:
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process(messages)
    if training:
        assert cvf is not None
        cvf.train(TrainingData(messages))
        cvf.process_training_data(TrainingData(messages))
    else:
        assert cvf is not None
        cvf.process(messages)


def test_rasa_component_trains_persists_loads_and_sets_intent_and_ranking(storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    cvf = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context)
    training = [Message(data={"text": t, "intent": i}) for i, ts in TRAINING.items() for t in ts]
    featurise(training, training=True, cvf=cvf)
    config = {"temperature_folds": 3, "ranking_length": 2}
    resource = Resource("linear_intent")
    LinearIntentClassifier.create({**LinearIntentClassifier.get_default_config(), **config}, storage, resource,
                                  context).train(TrainingData(training))  # fmt: skip
    loaded = LinearIntentClassifier.load({**LinearIntentClassifier.get_default_config(), **config}, storage,
                                         resource, context)  # fmt: skip
    messages = [Message(data={"text": "hello friend"}), Message(data={"text": "where is ST36"})]
    featurise(messages, cvf=cvf)
    loaded.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["greet", "ask_point"]
    ranking = messages[1].get("intent_ranking")
    assert len(ranking) == 2 and ranking[0] == messages[1].get("intent")
    assert ranking[0]["confidence"] > ranking[1]["confidence"]


def test_rasa_component_without_sparse_features_says_what_is_missing(storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.create(LinearIntentClassifier.get_default_config(), storage,
                                               Resource("x"), context)  # fmt: skip
    messages = [Message(data={"text": "hi", "intent": "greet"}), Message(data={"text": "thanks", "intent": "thank"})]
    with pytest.raises(ValueError, match="needs a sparse featurizer"):
        classifier.train(TrainingData(messages))


def test_rasa_component_trained_on_nothing_predicts_nothing(storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("empty")
    LinearIntentClassifier.create({}, storage, resource, context).train(TrainingData([]))
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    message = Message(data={"text": "hi"})
    loaded.process([message])
    assert loaded.model is None and message.get("intent") is None
