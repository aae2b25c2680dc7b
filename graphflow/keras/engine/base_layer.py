"""Keras's `Layer`: a `tf.layers.Layer` that tracks the layers it holds, names itself as Keras
does (`dense`, `dense_1`, ...), records every call for the functional API, and serialises its
constructor arguments with `get_config`.

Each call appends an inbound node `(input tensors, output tensors, call kwargs)` to
`layer._inbound_nodes` and records, for every output tensor, `keras_history(t) = (layer, node index,
tensor index)`, which `Model(inputs, outputs)` walks back from its outputs (kept with the graph's
Keras state, so tensors carry no Keras attribute and the map goes with the graph). Weights are
read and written through the Keras session (`graphflow.keras.backend.get_session()`).

Masks travel the same way: `keras_mask(t)` is the boolean mask recorded for `t` (Keras's
`t._keras_mask`). A call passes the inputs' masks to `call(..., mask=)` when `call` takes a
`mask` argument (unless the caller gave one), and records `compute_mask(inputs, mask)` for the
outputs when the layer supports masking (`supports_masking`, or its own `compute_mask`); by
default a masking layer passes its input mask on and any other layer drops it, as Keras does.
"""

from __future__ import annotations

import inspect

from graphflow import nest
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.keras.backend import graph_state
from graphflow.layers.base import InputSpec, to_snake_case
from graphflow.layers.base import Layer as GraphLayer

__all__ = ["InputSpec", "Layer", "keras_history", "keras_mask", "record_node", "set_keras_mask",
           "unique_layer_name"]


def keras_history(tensor):
    """`(layer, node index, tensor index)` of the layer call that made `tensor`, or None."""
    history = tensor.graph.attached("keras", dict).get("history")
    return history.get(tensor) if history is not None else None


def record_node(layer, inputs, outputs, kwargs) -> None:
    """Append the call `(inputs, outputs, kwargs)` to `layer._inbound_nodes` and point each
    output's `keras_history` at it."""
    node_index = len(layer._inbound_nodes)
    layer._inbound_nodes.append((inputs, outputs, dict(kwargs)))
    for i, t in enumerate(nest.flatten(outputs)):
        graph_state(t.graph).setdefault("history", {})[t] = (layer, node_index, i)


def keras_mask(tensor):
    """The mask Keras propagates with `tensor` (a bool tensor, [batch, time] for sequences), or
    None (also for anything that is not a graphflow Tensor)."""
    if not isinstance(tensor, Tensor):
        return None
    masks = tensor.graph.attached("keras", dict).get("masks")
    return masks.get(tensor) if masks is not None else None


def set_keras_mask(tensor, mask) -> None:
    """Record `mask` as the mask that goes with `tensor` (None leaves the record as it is)."""
    if mask is not None:
        graph_state(tensor.graph).setdefault("masks", {})[tensor] = mask


def _input_masks(inputs):
    """The inputs' masks in the inputs' structure, or None when no input has one."""
    masks = [keras_mask(t) for t in nest.flatten(inputs)]
    if all(m is None for m in masks):
        return None
    return nest.pack_sequence_as(inputs, masks)


def unique_layer_name(base: str, zero_based: bool = True) -> str:
    """Keras's names per graph: `dense` for the first, then `dense_1`, `dense_2`, ...
    (`input_1`, `input_2`, ... when not `zero_based`, as Keras names Input layers)."""
    counts = graph_state(get_default_graph()).setdefault("layer_names", {})
    n = counts.get(base, 0)
    counts[base] = n + 1
    if not zero_based:
        return f"{base}_{n + 1}"
    return base if n == 0 else f"{base}_{n}"


class Layer(GraphLayer):
    """Base of every Keras layer (and of Model): override `build`, `call`, `get_config`."""

    tracks_sublayers = True
    supports_masking = False  # a subclass (or its __init__) sets True to pass masks on

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self._batch_input_shape = kwargs.pop("batch_input_shape", None)
        input_shape = kwargs.pop("input_shape", None)
        if input_shape is not None and self._batch_input_shape is None:
            self._batch_input_shape = (kwargs.pop("batch_size", None), *tuple(input_shape))
        kwargs.pop("input_dim", None)
        base = to_snake_case(type(self).__name__)
        super().__init__(trainable=trainable, name=name or unique_layer_name(base),
                         dtype=dtype, **kwargs)
        self._base_name = self._name  # variables live under the layer's own name, as in Keras
        self._inbound_nodes: list = []

    def __call__(self, inputs, *args, **kwargs):
        explicit = "mask" in kwargs
        mask = kwargs["mask"] if explicit else _input_masks(inputs)
        call_kwargs = dict(kwargs)
        if not explicit and mask is not None and self._expects_mask_arg():
            call_kwargs["mask"] = mask
        outputs = super().__call__(inputs, *args, **call_kwargs)
        record_node(self, inputs, outputs, kwargs)  # without the implicit mask: a replay on
        self._record_output_masks(inputs, outputs, mask)  # new inputs finds theirs
        return outputs

    # --- masks ----------------------------------------------------------------------------------
    def _expects_mask_arg(self) -> bool:
        try:
            params = inspect.signature(self.call).parameters
        except (TypeError, ValueError):
            return False
        return "mask" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())

    def _masking_supported(self) -> bool:
        return bool(self.supports_masking) or type(self).compute_mask is not Layer.compute_mask

    def _record_output_masks(self, inputs, outputs, mask) -> None:
        """Record `compute_mask(inputs, mask)` for the outputs, unless every output already has
        a mask (a model's outputs get theirs from the layers inside it)."""
        if not self._masking_supported():
            return
        flat = nest.flatten(outputs)
        if all(keras_mask(t) is not None for t in flat):
            return
        graph = get_default_graph()
        scope = self._scope.original_name_scope if self._scope is not None else None
        with graph.name_scope(scope):
            masks = self.compute_mask(inputs, mask)
        if masks is None:
            return
        masks = list(masks) if isinstance(masks, (list, tuple)) else [masks]
        for t, m in zip(flat, masks):
            if isinstance(t, Tensor):
                set_keras_mask(t, m)

    def compute_mask(self, inputs, mask=None):
        """The outputs' mask for `inputs` with `mask`: the input mask for a layer that supports
        masking, else None (the mask stops here, as in Keras).

        Args:
            inputs: The layer's inputs.
            mask: Their masks (None, a bool tensor, or a structure like `inputs`).

        Returns:
            The outputs' mask, or None.
        """
        del inputs
        return mask if self.supports_masking else None

    # --- weights --------------------------------------------------------------------------------
    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, **kwargs):
        """Keras's add_weight: `initializer`, `regularizer` and `constraint` may be Keras
        identifiers ('ones', 'glorot_uniform', 'l2', a config dict, an object) resolved through
        keras.initializers / regularizers / constraints; the shape defaults to a scalar and the
        initializer to glorot_uniform for floats (zeros for integers and bools), as in Keras.

        Args:
            name: The weight's name within the layer (default "Variable").
            shape: Its shape (default: a scalar).
            dtype: Its dtype (default: the layer's, else float32).
            initializer: A Keras initializer identifier or a function (shape, dtype) -> Tensor.
            regularizer: A Keras regularizer identifier or a function of the weight.
            trainable: Whether it is trained (None: as the layer).
            constraint: A Keras constraint identifier or a function applied after updates.
            **kwargs: Passed on to `tf.layers.Layer.add_weight` (use_resource, ...).

        Returns:
            The Variable.
        """
        from graphflow.core.dtypes import as_dtype, float32
        from graphflow.keras import constraints, initializers, regularizers

        dtype = as_dtype(dtype) if dtype is not None else (self.dtype or float32)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        return super().add_weight(name or "Variable", () if shape is None else shape, dtype,
                                  initializers.get(initializer), regularizers.get(regularizer),
                                  trainable, constraints.get(constraint), **kwargs)

    # --- shapes of the last call ----------------------------------------------------------------
    def _node_shape(self, which: int, attr: str):
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name!r} has never been called and thus has "
                                 f"no defined {attr}.")
        shapes = [tuple(t.shape.as_list()) if t.shape.rank is not None else None
                  for t in nest.flatten(self._inbound_nodes[-1][which])]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input(self):
        return self._inbound_nodes[-1][0] if self._inbound_nodes else None

    @property
    def output(self):
        return self._inbound_nodes[-1][1] if self._inbound_nodes else None

    @property
    def input_shape(self):
        return self._node_shape(0, "input shape")

    @property
    def output_shape(self):
        return self._node_shape(1, "output shape")

    # --- configuration --------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments that rebuild this layer (subclasses add theirs)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self.dtype.name if self.dtype is not None else "float32"}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    # --- weights as arrays ----------------------------------------------------------------------
    def get_weights(self) -> list:
        """The layer's weights as NumPy arrays, read in the Keras session."""
        from graphflow.keras import backend

        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        """Assign arrays to the layer's weights (same order and shapes as `get_weights`)."""
        from graphflow.keras import backend

        params = self.weights
        if len(weights) != len(params):
            raise ValueError(f"You called `set_weights(weights)` on layer {self.name!r} with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(params)} weights.")
        backend.batch_set_value(list(zip(params, weights)))
