"""Load DIET without tracing a training graph that is thrown away.

To create its weights before reading them from disk, Rasa 3.6 (`RasaModel.load`) runs one
training step on one example. Keras traces that step into a TensorFlow graph first:
20.7 of the server's 27 s start-up on this machine (py-spy, 2026-11-26). Here the same
single step runs eagerly, which creates the same variables without tracing; then the
model is switched back to graph mode, the trained weights are loaded as before, and the
warm-up prediction traces the graph that is used for every message.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


def load_without_tracing_training(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """Drop-in for `RasaModel.load` (a classmethod)."""
    if finetune_mode:
        # Training goes on after loading: keep Rasa's path, which traces what it will use.
        original = _original_load.__func__
        return original(cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = bool(config.get(RUN_EAGERLY))
    model.load_weights(model_file_name)
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


_original_load = RasaModel.__dict__["load"]


def install() -> None:
    RasaModel.load = classmethod(load_without_tracing_training)  # type: ignore[method-assign,assignment]
