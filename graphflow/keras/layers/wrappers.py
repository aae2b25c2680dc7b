"""Keras's layer wrappers: `Bidirectional` (a recurrent layer run both ways over time, the two
results merged) and `TimeDistributed` (a layer applied to every time step of [batch, time, ...]).

Bidirectional makes two copies of the layer from its config, `forward_<name>` and
`backward_<name>` (go_backwards flipped), so its weights are the forward layer's then the
backward layer's, named `bidirectional/forward_lstm/lstm_cell/kernel` as in tf-keras. The
backward sequence is turned back into forward time order before merging. TimeDistributed folds
time into the batch axis, calls the layer once and unfolds; the layer's weights live directly in
the wrapper's scope (`time_distributed/kernel`), as in tf-keras.
"""

from __future__ import annotations

import inspect

from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.layers.recurrent_cells import (
    flat_state_sizes,
    layer_config,
    layer_from_config,
)
from graphflow.nn.rnn.sequences import reverse_time
from graphflow.ops.array import reshape
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.joining import concat
from graphflow.ops.shape_ops import shape

__all__ = ["Bidirectional", "TimeDistributed"]

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _takes(layer, argument: str) -> bool:
    return argument in inspect.signature(layer.call).parameters


class Bidirectional(Layer):
    """`layer` (an RNN) run forwards and backwards; outputs merged by `merge_mode` ('concat',
    'sum', 'mul', 'ave', or None for the list [forward, backward])."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if merge_mode not in _MERGE_MODES:
            raise argument_error("Bidirectional", f"Invalid merge mode. Received: "
                                 f"{merge_mode!r}. Merge mode should be one of {{'sum', "
                                 "'mul', 'ave', 'concat', None}}", ValueError)
        if not hasattr(layer, "go_backwards") or not isinstance(layer, Layer):
            raise argument_error("Bidirectional", f"Please initialize `Bidirectional` layer "
                                 f"with a recurrent Keras layer (RNN, LSTM, GRU, ...), got "
                                 f"{layer!r}", ValueError)
        super().__init__(**kwargs)
        self._layer_config = layer_config(layer)
        self.forward_layer = self._copy(layer, "forward", layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = self._copy(layer, "backward", not layer.go_backwards)
        else:
            for attr in ("go_backwards", "return_sequences", "return_state"):
                want = getattr(layer, attr) != (attr == "go_backwards")
                if getattr(backward_layer, attr, None) != want:
                    raise argument_error("Bidirectional", f"backward_layer.{attr} must be "
                                         f"{want} (the forward layer's {attr} is "
                                         f"{getattr(layer, attr)})", ValueError)
            self.backward_layer = backward_layer
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):  # masked steps give zeros both ways
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = getattr(layer, "stateful", False)
        self.supports_masking = True
        self._initial_weights = weights

    @staticmethod
    def _copy(layer, direction: str, go_backwards: bool):
        config = dict(layer.get_config())
        config["name"] = f"{direction}_{layer.name}"
        config["go_backwards"] = go_backwards
        return type(layer).from_config(config)

    def call(self, inputs, training=None, mask=None, initial_state=None):
        kwargs = {}
        if training is not None:
            kwargs["training"] = training
        if mask is not None:
            kwargs["mask"] = mask
        f_state = b_state = None
        if initial_state is not None:
            states = list(initial_state)
            if len(states) % 2:
                raise argument_error(f'layer "{self.name}"', f"When passing `initial_state` "
                                     f"to a Bidirectional RNN, the state should be a list "
                                     f"containing the states of the underlying RNNs; got "
                                     f"{len(states)} tensors", ValueError)
            half = len(states) // 2
            f_state, b_state = states[:half], states[half:]
        y_f = self.forward_layer(inputs, initial_state=f_state, **kwargs)
        y_b = self.backward_layer(inputs, initial_state=b_state, **kwargs)
        if self._initial_weights is not None:  # `weights=`: forward's then backward's arrays
            self.set_weights(self._initial_weights)
            self._initial_weights = None
        states = []
        if self.return_state:
            states = list(y_f[1:]) + list(y_b[1:])
            y_f, y_b = y_f[0], y_b[0]
        if self.return_sequences:
            y_b = reverse_time(y_b, None, getattr(self.backward_layer, "time_major", False))
        if self.merge_mode == "concat":
            out = concat([y_f, y_b], -1)
        elif self.merge_mode == "sum":
            out = y_f + y_b
        elif self.merge_mode == "ave":
            out = (y_f + y_b) / 2
        elif self.merge_mode == "mul":
            out = y_f * y_b
        else:
            out = [y_f, y_b]
        if self.return_state:
            return (out if isinstance(out, list) else [out]) + states
        return out

    def reset_states(self) -> None:
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        n_out = 2 if self.merge_mode is None else 1
        if self.return_state:
            n_states = 2 * len(flat_state_sizes(self.forward_layer.cell.state_size))
            return [out_mask] * n_out + [None] * n_states
        return [out_mask] * n_out if n_out == 2 else out_mask

    def compute_output_shape(self, input_shape):
        out = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            out, states = out[0], list(out[1:])
        if self.merge_mode == "concat":
            dims = out.as_list()
            dims[-1] = None if dims[-1] is None else 2 * dims[-1]
            out = TensorShape(dims)
        result = [out, out] if self.merge_mode is None else [out]
        result += states + states
        return result if len(result) > 1 else result[0]

    def get_config(self) -> dict:
        config = {**super().get_config(), "layer": self._layer_config,
                  "merge_mode": self.merge_mode}
        if self.backward_layer.name != f"backward_{self._layer_config['config']['name']}":
            config["backward_layer"] = layer_config(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = layer_from_config(config.pop("layer"), custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            backward = layer_from_config(backward, custom_objects)
        return cls(layer, backward_layer=backward, **config)


class TimeDistributed(Layer):
    """`layer` applied to each slice x[:, t] of inputs [batch, time, ...] (one call on the
    batch and time axes folded together)."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise argument_error("TimeDistributed", f"Please initialize `TimeDistributed` "
                                 f"layer with a Keras layer instance; got {layer!r}",
                                 ValueError)
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def build(self, input_shape) -> None:
        seq = TensorShape(input_shape)
        if seq.rank is not None and seq.rank < 3:
            raise argument_error(f'layer "{self.name}"', f"`TimeDistributed` Layer should be "
                                 f"passed an input shape with at least 3 dimensions, "
                                 f"received: {seq}", ValueError)
        self.layer._scope = self._scope  # the layer's weights go straight into this scope

    def call(self, inputs, training=None, mask=None):
        x = convert_to_tensor(inputs)
        dims = x.shape.as_list()
        inner = dims[2:]
        if any(d is None for d in inner):
            folded = reshape(x, concat([[-1], shape(x)[2:]], 0))
        else:
            folded = reshape(x, [-1, *inner])
        kwargs = {}
        if training is not None and _takes(self.layer, "training"):
            kwargs["training"] = training
        if mask is not None and _takes(self.layer, "mask"):  # the mask folded as the inputs
            mask = convert_to_tensor(mask)
            kwargs["mask"] = reshape(mask, concat([[-1], shape(mask)[2:]], 0))
        y = self.layer(folded, **kwargs)
        out_inner = y.shape.as_list()[1:]
        if dims[0] is not None and dims[1] is not None and None not in out_inner:
            return reshape(y, [dims[0], dims[1], *out_inner])
        lead = shape(x)[:2]
        out = reshape(y, concat([lead, shape(y)[1:]], 0))
        out.set_shape(TensorShape([dims[0], dims[1], *out_inner]))
        return out

    def compute_mask(self, inputs, mask=None):
        return mask

    def compute_output_shape(self, input_shape):
        seq = TensorShape(input_shape).as_list()
        inner = self.layer.compute_output_shape(TensorShape([None, *seq[2:]]))
        return TensorShape([seq[0], seq[1], *TensorShape(inner).as_list()[1:]])

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": layer_config(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        return cls(layer_from_config(config.pop("layer"), custom_objects), **config)

