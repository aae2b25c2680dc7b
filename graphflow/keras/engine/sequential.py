"""`Sequential`: a stack of single-input, single-output layers, as a functional model.

The model is built as soon as its input shape is known: from the first layer's `input_shape`
(an InputLayer `<first layer>_input` is made for it), an InputLayer added first, or the data of
the first fit / predict / call. Each `add` after that calls the new layer on the last output;
`pop` drops the last one. `layers` does not list the InputLayer, as in Keras.
"""

from __future__ import annotations

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.keras.engine import serialization
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.engine.input_layer import InputLayer
from graphflow.keras.engine.training import Model

__all__ = ["Sequential"]


class Sequential(Model):
    """`Sequential([Dense(8, input_shape=(4,)), Dense(3)])` or built with `.add(layer)`."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._stack: list = []
        self._input_layer = None
        self._chain: list = []  # the output tensor of the input and of each layer, once built
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list:
        return list(self._stack)

    def _sublayers(self) -> list:
        return list(self._stack)

    def add(self, layer) -> None:
        """Append `layer` (called on the current output when the model is built)."""
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. Received: "
                            f"layer={layer} of type {type(layer)}.")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError("An InputLayer can only be added first to a Sequential model.")
            self._input_layer = layer
            self._chain = [layer.output]
            return
        if any(layer.name == other.name for other in self._stack):
            raise ValueError(f'All layers added to a Sequential model should have unique '
                             f'names. Name "{layer.name}" is already the name of a layer in '
                             f"this model. Update the `name` argument to pass a unique name.")
        self._stack.append(layer)
        if self._input_layer is None and len(self._stack) == 1:
            shape = _input_shape_of(layer)
            if shape is not None:
                self._input_layer = InputLayer(batch_input_shape=shape, dtype=layer.dtype,
                                               name=f"{layer.name}_input")
                self._chain = [self._input_layer.output]
        if self._chain:
            self._extend()

    def _extend(self) -> None:
        """Call every layer not yet in the chain, then re-map the graph."""
        while len(self._chain) <= len(self._stack):
            layer = self._stack[len(self._chain) - 1]
            out = layer(self._chain[-1])
            if len(nest.flatten(out)) != 1:
                self._stack.pop()
                raise ValueError(f"All layers in a Sequential model should have a single "
                                 f"output tensor; {layer.name!r} returned "
                                 f"{len(nest.flatten(out))}. For multi-output layers, use the "
                                 f"functional API.")
            self._chain.append(out)
        self._functions = {}
        self._specs = self._logged = None
        self._init_graph_network(self._chain[0], self._chain[-1])

    def pop(self) -> None:
        """Remove the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if self._chain:
            self._chain.pop()
            if self._stack:
                self._init_graph_network(self._chain[0], self._chain[-1])
            else:
                self.outputs, self._is_graph_network = [], False
        self._functions = {}
        self._specs = self._logged = None

    def build(self, input_shape=None) -> None:
        """Build the model for inputs of `input_shape` (batch dimension included)."""
        if self._chain:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._input_layer = InputLayer(batch_input_shape=tuple(input_shape),
                                       name=f"{self._stack[0].name}_input" if self._stack
                                       else None)
        self._chain = [self._input_layer.output]
        if self._stack:
            self._extend()
        self.built = True

    def _build_from_shapes(self, shapes):
        if len(shapes) != 1:
            raise argument_error(f"{self.name}", f"a Sequential model takes one input; the "
                                 f"data has {len(shapes)} arrays", ValueError)
        if not self._stack:
            raise TypeError(f"The Sequential model {self.name!r} has no layers to run.")
        self.build(shapes[0])

    def call(self, inputs, training=None, mask=None):
        if not self._chain:
            shape = inputs.shape.as_list() if inputs.shape.rank is not None else None
            if shape is None:
                raise ValueError(f"The Sequential model {self.name!r} cannot be built on an "
                                 f"input of unknown rank: {inputs!r}")
            self.build([None, *shape[1:]])
        return super().call(inputs, training=training, mask=mask)

    def get_config(self) -> dict:
        layers = []
        if self._input_layer is not None:
            layers.append({"class_name": "InputLayer", "config": self._input_layer.get_config()})
        layers += [{"class_name": type(lay).__name__, "config": lay.get_config()}
                   for lay in self._stack]
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        model = cls(name=config.get("name"))
        for data in config["layers"]:
            model.add(serialization.deserialize_layer(data, custom_objects))
        return model


serialization.register_model_class("Sequential", Sequential)


def _input_shape_of(layer):
    """The batch input shape a first layer declares (input_shape=, or a built model's)."""
    shape = getattr(layer, "_batch_input_shape", None)
    if shape is not None:
        return tuple(shape)
    if getattr(layer, "_is_graph_network", False) and len(layer.inputs) == 1:
        return tuple(layer.inputs[0].shape.as_list())
    return None
