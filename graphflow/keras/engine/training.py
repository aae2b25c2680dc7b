"""`Model`: a Network that trains. `compile` records the loss, metrics and optimizer; the first
`fit`/`evaluate`/`predict` builds, once, the graph for that mode: target placeholders
`<output>_target`, sample weights, the total loss (plus the layers' regularisation losses), the
metrics, and for training the optimizer's updates grouped with the layers' update ops (BatchNorm).
Each mode runs through one `Session.make_callable`, so its compiled plan is reused every batch
(another plan only for the last, partial batch's shape). `fit` feeds the learning phase True.

The loops (epochs, batches, validation, callbacks) live in `training_loops.py`.
"""

from __future__ import annotations

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.keras.engine import compile_utils, serialization, training_loops
from graphflow.keras.engine.functional import Network

__all__ = ["Model", "bind_saving"]

# graphflow.keras.saving is built on the engine, so the engine does not import it: the
# graphflow.keras package binds it here when it is imported (before any model can exist).
_SAVING: list = []


def bind_saving(module) -> None:
    """Use `module` (graphflow.keras.saving) for Model.save / save_weights / load_weights."""
    _SAVING[:] = [module]


def _saving():
    if not _SAVING:
        raise RuntimeError("graphflow.keras.saving is not bound; import graphflow.keras "
                           "(which binds it) before saving a model.")
    return _SAVING[0]


def _is_tf1_optimizer(optimizer) -> bool:
    from graphflow.train.optimizer import Optimizer

    return isinstance(optimizer, Optimizer)


class _ModeFunction:
    """One compiled run signature: `fn(*feed values) -> fetched values` in the Keras session."""

    def __init__(self, session, fetches, feeds):
        self.session, self.fetches, self.feeds = session, fetches, feeds
        self.call = session.make_callable(fetches, feed_list=feeds)


class Model(Network):
    """Keras's Model: `Model(inputs, outputs)` (functional) or a subclass with `call`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self.compile_args: dict = {}
        self._compiled = False
        self._specs = None
        self._functions: dict = {}
        self._targets = self._sample_weights = self._logged = None

    # --- compile --------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None,
                **kwargs):
        """Choose the optimizer (name, Keras optimizer or TF1 `tf.train` optimizer), the loss
        (per output), the metrics to log and the loss weights."""
        from graphflow.keras import optimizers

        if kwargs:
            raise argument_error(f"{self.name}.compile", f"Invalid keyword argument(s) in "
                                 f"`compile`: {sorted(kwargs)}", TypeError)
        if loss is None:
            raise argument_error(f"{self.name}.compile", "The model cannot be compiled "
                                 "because it has no loss to optimize.", ValueError)
        self.optimizer = optimizer if _is_tf1_optimizer(optimizer) else \
            optimizers.get(optimizer)
        self.loss = loss
        self._compile_inputs = (loss, metrics, loss_weights, weighted_metrics)
        self._sample_weight_mode = sample_weight_mode
        self._target_tensors = target_tensors
        self.compile_args = {
            "loss": _describe(loss), "metrics": _describe(metrics),
            "loss_weights": loss_weights, "sample_weight_mode": sample_weight_mode,
            "weighted_metrics": _describe(weighted_metrics),
            "optimizer_config": None if _is_tf1_optimizer(optimizer) else
            {"class_name": type(self.optimizer).__name__,
             "config": self.optimizer.get_config()}}
        self._compiled = True
        self._specs = None
        self._functions = {}
        self._targets = self._sample_weights = self._logged = None
        if self.outputs:
            self._resolve()

    def _resolve(self):
        if self._specs is None:
            loss, metrics, loss_weights, weighted = self._compile_inputs
            self._specs = compile_utils.resolve_outputs(self, loss, metrics, loss_weights,
                                                        weighted)
        return self._specs

    @property
    def metrics_names(self) -> list:
        """The names `evaluate` returns values for, in order: loss, output losses, metrics."""
        if not self._compiled or not self.outputs:
            return ["loss"] if self._compiled else []
        specs = self._resolve()
        names = ["loss"]
        if len(specs) > 1:
            names += [f"{s.name}_loss" for s in specs if s.loss is not None]
        return names + [name for s in specs for name, _, _ in s.metrics]

    # --- the graph of each mode -----------------------------------------------------------------
    def _check_compiled(self, what: str):
        if not self._compiled:
            raise RuntimeError(f"You must compile your model {self.name!r} before "
                               f"{what}. Use `model.compile(optimizer, loss)`.")

    def _build_for(self, x):
        """Build a model that has no inputs yet (subclassed, or a Sequential without an
        input_shape) for data like `x`: float32 Inputs of its shapes, as Keras does."""
        if self.outputs:
            return
        import numpy as np

        arrays = list(x.values()) if isinstance(x, dict) else \
            list(x) if isinstance(x, (list, tuple)) else [x]
        shapes = [np.shape(a) for a in arrays]
        self._build_from_shapes([(None, *s[1:]) if len(s) > 1 else (None, 1) for s in shapes])

    def _build_from_shapes(self, shapes):
        """Subclassed models: call the model on Inputs of `shapes`; that call is the graph."""
        from graphflow.keras.engine.input_layer import Input

        ins = [Input(batch_shape=s) for s in shapes]
        outs = self(ins[0] if len(ins) == 1 else ins)
        self.inputs, self.outputs = ins, nest.flatten(outs)
        self.input_names = [t.name.split(":")[0] for t in ins]
        self.output_names = [f"output_{i + 1}" for i in range(len(self.outputs))]

    def _loss_graph(self):
        """Targets, sample weights and the logged values (built once per compile)."""
        if self._logged is not None:
            return self._targets, self._sample_weights, self._total, self._logged
        from graphflow.ops.state import placeholder

        specs = self._resolve()
        modes = self._weight_modes()
        targets, weights = [], []
        given = nest.flatten(self._target_tensors) if self._target_tensors is not None else None
        for i, (spec, out) in enumerate(zip(specs, self.outputs)):
            rank = out.shape.rank
            if given is not None:
                target = given[i]
            elif spec.loss_name == "sparse_categorical_crossentropy" and rank is not None:
                target = placeholder(out.dtype, [None] * rank, name=f"{spec.name}_target")
            else:
                shape = [None, *out.shape.as_list()[1:]] if rank is not None else None
                target = placeholder(out.dtype, shape, name=f"{spec.name}_target")
            targets.append(target)
            weights.append(placeholder("float32", [None, None] if modes[i] == "temporal"
                                       else [None], name=f"{spec.name}_sample_weights"))
        self._total, self._logged = compile_utils.build_losses_and_metrics(
            self, specs, targets, weights)
        self._targets, self._sample_weights = targets, weights
        return targets, weights, self._total, self._logged

    def _weight_modes(self) -> list:
        mode = self._sample_weight_mode
        names = self.output_names
        if isinstance(mode, dict):
            return [mode.get(n) for n in names]
        if isinstance(mode, (list, tuple)):
            return list(mode)
        return [mode] * len(names)

    def _function(self, mode: str) -> _ModeFunction:
        """The compiled function of `mode` ('train', 'test' or 'predict') in the Keras session."""
        from graphflow.keras import backend

        fn = self._functions.get(mode)
        if fn is None:
            feeds = list(self.inputs)
            if mode == "predict":
                fetches = list(self.outputs)
            else:
                targets, weights, total, logged = self._loss_graph()
                feeds += targets + weights
                fetches = _logged_fetches(logged)
                if mode == "train":
                    fetches = [self._train_op(total), *fetches]
                    feeds.append(backend.learning_phase_placeholder())
            fn = self._functions[mode] = _ModeFunction(backend.get_session(), fetches, feeds)
        session = backend.get_session()
        if fn.session is not session:  # the Keras session changed: bind a new callable
            fn = self._functions[mode] = _ModeFunction(session, fn.fetches, fn.feeds)
        return fn

    def _train_op(self, total):
        from graphflow.core.graph import get_default_graph
        from graphflow.ops.state import group

        params = self.trainable_weights
        if not params:
            raise ValueError(f"The model {self.name!r} has no trainable weights to train.")
        with get_default_graph().name_scope("training"):
            if _is_tf1_optimizer(self.optimizer):
                updates = [self.optimizer.minimize(total, var_list=params)]
            else:
                updates = list(self.optimizer.get_updates(total, params))
            return group(*updates, *self.updates)

    # --- public API (the loops are in training_loops) -------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_freq=1, **kwargs):
        """Train for `epochs` over (x, y); returns the History of loss, metrics and val_*."""
        return training_loops.fit(self, x, y, batch_size, epochs, verbose, callbacks,
                                  validation_split, validation_data, shuffle, class_weight,
                                  sample_weight, initial_epoch, steps_per_epoch,
                                  validation_steps, validation_freq, kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """The loss and metrics over (x, y): a scalar, or a list aligned with metrics_names."""
        return training_loops.evaluate(self, x, y, batch_size, verbose, sample_weight, steps,
                                       callbacks, kwargs)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """The outputs for `x`, batch by batch, concatenated (a list for several outputs)."""
        return training_loops.predict(self, x, batch_size, verbose, steps, callbacks, kwargs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True):
        """One optimizer step on this batch; returns its loss (and metrics)."""
        del reset_metrics
        return training_loops.on_batch(self, "train", x, y, sample_weight, class_weight)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True):
        del reset_metrics
        return training_loops.on_batch(self, "test", x, y, sample_weight, None)

    def predict_on_batch(self, x):
        return training_loops.on_batch(self, "predict", x, None, None, None)

    # --- weights and saving (K4's saving package) -----------------------------------------------
    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        return _saving().save_model(self, filepath, overwrite=overwrite,
                                 include_optimizer=include_optimizer, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        return _saving().save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, by_name=False, **kwargs):
        return _saving().load_weights(self, filepath, by_name=by_name, **kwargs)

    def to_json(self, **kwargs) -> str:
        """The architecture without weights, as JSON text for `keras.models.model_from_json`
        (`kwargs` go to json.dumps, e.g. indent=2)."""
        import json

        return json.dumps({"class_name": type(self).__name__, "config": self.get_config(),
                           "backend": "graphflow"}, default=_plain, **kwargs)

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Print Keras's table of layers, output shapes and parameter counts."""
        from graphflow.keras.engine.summary import print_summary

        if not self.built or not (self.outputs or self.layers):
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or by calling the model on a batch of data.")
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      **kwargs)


def _describe(value):
    """A JSON-able form of a compile argument: names for functions and objects."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {k: _describe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_describe(v) for v in value]
    return getattr(value, "__name__", None) or getattr(value, "name", None) or \
        type(value).__name__


def _plain(value):
    """NumPy scalars and arrays in a config, as JSON numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"Model.to_json: {type(value).__name__} {value!r} in the model's config is "
                    f"not JSON-serialisable; a layer's get_config must return plain values")


def _logged_fetches(logged) -> list:
    fetches = []
    for value in logged:
        fetches.append(value.total)
        if value.count is not None:
            fetches.append(value.count)
    return fetches


serialization.register_model_class("Model", Model)
serialization.register_model_class("Functional", Model)
