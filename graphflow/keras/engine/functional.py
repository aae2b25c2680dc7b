"""The functional model's graph: the layers and calls between `Model(inputs, outputs)`.

`Network.__init__(inputs, outputs)` walks `keras_history` back from the outputs, as Keras does:
each node (a layer's call) gets a depth (0 at the outputs, one more than the deepest node that
consumes it), and `layers` lists layers by decreasing depth, ties in the order the walk first met
them, so the InputLayers come first. Calling the network on new tensors replays the nodes in that
order (the layers' variables are shared), which is what lets a model be a layer of another model.
A `Network` built without inputs and outputs is a subclassed model: its layers are its attributes
and `call` is the user's.
"""

from __future__ import annotations

import inspect

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.keras.engine.base_layer import Layer, keras_history, keras_mask, set_keras_mask
from graphflow.keras.engine.input_layer import InputLayer

__all__ = ["ModelConfigError", "Network"]


class ModelConfigError(TypeError):
    """`get_config()` on a subclassed model whose class does not define it: its architecture is
    Python code (`__init__` and `call`), which a config cannot hold."""


def _shape(t):
    return tuple(t.shape.as_list()) if t.shape.rank is not None else None


def _one_or_list(items):
    return items[0] if len(items) == 1 else list(items)


def _accepts(fn, name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _map_graph(inputs: list, outputs: list):
    """(layers in Keras's order, nodes by depth {depth: [(layer, node index)]})."""
    layer_indices: dict = {}       # id(layer) -> order in which the walk met it
    layers_by_id: dict = {}
    ordered_nodes: list = []       # post-order: every node after the nodes it consumes
    finished, in_progress = set(), set()
    input_ids = {id(t) for t in inputs}

    def visit(tensor, consumer):
        history = keras_history(tensor)
        if history is None:
            raise ValueError(f"Output tensors of a Functional model must be the output of a "
                             f"graphflow Keras `Layer` (thus holding past layer metadata). "
                             f"Found: {tensor!r}" if consumer is None else
                             f"The tensor {tensor!r} given to layer {consumer!r} does not come "
                             f"from a Keras layer or `Input`, so the model cannot be traced "
                             f"back through it; wrap the ops that made it in a "
                             f"`keras.layers.Lambda` layer.")
        layer, node_index, _ = history
        node = (id(layer), node_index)
        if node in finished:
            return
        if node in in_progress:
            raise ValueError(f"The tensor {tensor!r} at layer {layer.name!r} is part of a cycle.")
        layer_indices.setdefault(id(layer), len(layer_indices))
        layers_by_id[id(layer)] = layer
        in_progress.add(node)
        node_inputs = layer._inbound_nodes[node_index][0]
        if isinstance(layer, InputLayer) and id(tensor) not in input_ids:
            reached = [layers_by_id[i].name for i in layer_indices if i != id(layer)]
            raise ValueError(f"Graph disconnected: cannot obtain value for tensor {tensor!r} at "
                             f'layer "{layer.name}". The following previous layers were '
                             f"accessed without issue: {reached}")
        if id(tensor) not in input_ids:
            for t in nest.flatten(node_inputs):
                visit(t, layer.name)
        in_progress.discard(node)
        finished.add(node)
        ordered_nodes.append((layer, node_index))

    for t in outputs:
        visit(t, None)

    node_depth: dict = {}
    layer_depth: dict = {}
    for layer, node_index in reversed(ordered_nodes):
        depth = max(node_depth.get((id(layer), node_index), 0), layer_depth.get(id(layer), 0))
        layer_depth[id(layer)] = depth
        node_depth[(id(layer), node_index)] = depth
        node_inputs = layer._inbound_nodes[node_index][0]
        for t in nest.flatten(node_inputs) if not isinstance(layer, InputLayer) else []:
            parent, parent_index, _ = keras_history(t)
            key = (id(parent), parent_index)
            node_depth[key] = max(depth + 1, node_depth.get(key, 0))
    nodes_by_depth: dict = {}
    for layer, node_index in ordered_nodes:
        nodes_by_depth.setdefault(node_depth[(id(layer), node_index)], []).append(
            (layer, node_index))
    by_depth: dict = {}
    for layer_id, depth in layer_depth.items():
        by_depth.setdefault(depth, []).append(layers_by_id[layer_id])
    layers = []
    for depth in sorted(by_depth, reverse=True):
        layers.extend(sorted(by_depth[depth], key=lambda lay: layer_indices[id(lay)]))
    return layers, nodes_by_depth


class Network(Layer):
    """A model as a graph of layer calls (functional), or a subclassed model with a `call`."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            inputs, args = args[0], args[1:]
        if args:
            outputs, args = args[0], args[1:]
        if args:
            raise argument_error("Model", f"takes inputs and outputs positionally, got "
                                 f"{len(args)} more arguments", TypeError)
        super().__init__(name=kwargs.pop("name", None), trainable=kwargs.pop("trainable", True),
                         dtype=kwargs.pop("dtype", None), **kwargs)
        self._is_graph_network = False
        self._layers: list = []
        self.inputs: list = []
        self.outputs: list = []
        self.input_names: list = []
        self.output_names: list = []
        self._nodes_by_depth: dict = {}
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise argument_error("Model", "a functional model needs both `inputs` and "
                                     "`outputs`", TypeError)
            self._init_graph_network(inputs, outputs)

    # --- the graph ------------------------------------------------------------------------------
    def _init_graph_network(self, inputs, outputs) -> None:
        self._nested_inputs, self._nested_outputs = inputs, outputs
        self.inputs, self.outputs = nest.flatten(inputs), nest.flatten(outputs)
        for t in self.inputs:
            history = keras_history(t)
            if history is None or not isinstance(history[0], InputLayer):
                raise ValueError(f"Input tensors to a Functional model must come from "
                                 f"`keras.Input`. Received: {t!r} (missing previous layer "
                                 f"metadata).")
        self._layers, self._nodes_by_depth = _map_graph(self.inputs, self.outputs)
        names = [layer.name for layer in self._layers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                                 f"model. All layer names should be unique.")
        self._network_nodes = {(id(lay), i) for nodes in self._nodes_by_depth.values()
                               for lay, i in nodes}
        self.input_names = [keras_history(t)[0].name for t in self.inputs]
        self.output_names = [keras_history(t)[0].name for t in self.outputs]
        self._is_graph_network = True
        self.built = True

    @property
    def layers(self) -> list:
        if self._is_graph_network:
            return list(self._layers)
        return [lay for lay in self._sublayers() if not isinstance(lay, InputLayer)]

    def _sublayers(self) -> list:
        if self._is_graph_network:
            return list(self._layers)
        return super()._sublayers()

    def get_layer(self, name=None, index=None):
        """The layer called `name`, or at position `index` of `layers`."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(layers)} layers.")
            return layers[index]
        if name is None:
            raise ValueError("Provide either a layer name or layer index at `get_layer`.")
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[lay.name for lay in layers]}.")

    def call(self, inputs, training=None, mask=None):
        """Replay the network's layer calls on `inputs` (new tensors), sharing the weights."""
        if not self._is_graph_network:
            raise TypeError(f"The subclassed model {self.name!r} must define `call(self, "
                            f"inputs)`: it has no layer graph to run.")
        flat = nest.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f'Layer "{self.name}" expects {len(self.inputs)} input(s), but it '
                             f"received {len(flat)} input tensors. Inputs received: {flat}")
        tensors = {id(old): new for old, new in zip(self.inputs, flat)}
        if mask is not None:  # masks given for the inputs travel with them, as in Keras
            for t, m in zip(flat, nest.flatten(mask)):
                if keras_mask(t) is None:
                    set_keras_mask(t, m)
        for depth in sorted(self._nodes_by_depth, reverse=True):
            for layer, node_index in self._nodes_by_depth[depth]:
                if isinstance(layer, InputLayer):
                    continue
                node_inputs, node_outputs, kwargs = layer._inbound_nodes[node_index]
                args = nest.pack_sequence_as(node_inputs, [tensors[id(t)]
                                                           for t in nest.flatten(node_inputs)])
                kwargs = {k: nest.pack_sequence_as(v, [tensors.get(id(t), t)
                                                        for t in nest.flatten(v)])
                          for k, v in kwargs.items()}  # a recorded mask= tensor: its replay
                if training is not None and _accepts(layer.call, "training"):
                    kwargs["training"] = training
                results = layer(args, **kwargs)
                for old, new in zip(nest.flatten(node_outputs), nest.flatten(results)):
                    tensors[id(old)] = new
        return nest.pack_sequence_as(self._nested_outputs,
                                     [tensors[id(t)] for t in self.outputs])

    # --- shapes ---------------------------------------------------------------------------------
    def _own_shapes(self, tensors, attr: str):
        if not tensors:
            raise AttributeError(f"The model {self.name!r} has not yet been built, so it has no "
                                 f"defined {attr}; call it on data or give the first layer an "
                                 f"`input_shape`.")
        return _one_or_list([_shape(t) for t in tensors])

    @property
    def input_shape(self):
        return self._own_shapes(self.inputs, "input shape")

    @property
    def output_shape(self):
        return self._own_shapes(self.outputs, "output shape")

    @property
    def input(self):
        return _one_or_list(self.inputs) if self.inputs else super().input

    @property
    def output(self):
        return _one_or_list(self.outputs) if self.outputs else super().output

    @property
    def weights(self) -> list:
        """Every layer's weights layer by layer (each layer's trainable ones, then its others),
        then the model's own: Keras's order for a model, which get_weights / set_weights
        follow (a BatchNormalization's moving statistics sit after its gamma and beta)."""
        out: list = []
        for layer in self._sublayers():
            for v in layer.weights:
                if not any(v is o for o in out):
                    out.append(v)
        for v in self._trainable_weights + self._non_trainable_weights:
            if not any(v is o for o in out):
                out.append(v)
        return out

    variables = weights

    def count_params(self) -> int:
        return sum(v.shape.num_elements() for v in self.weights)

    # --- configuration --------------------------------------------------------------------------
    def _node_ids(self, layer) -> dict:
        """{layer's own node index: its index among the nodes of this network}."""
        kept = [i for i in range(len(layer._inbound_nodes))
                if (id(layer), i) in self._network_nodes]
        return {old: new for new, old in enumerate(kept)}

    def get_config(self) -> dict:
        """Keras's functional config: each layer's class and config, and its inbound nodes as
        `[[layer name, node index, tensor index, kwargs], ...]` per call."""
        if not self._is_graph_network:
            raise ModelConfigError(
                f"{type(self).__name__} (model {self.name!r}) is a subclassed model: its layers "
                f"are made by its Python code, so it has no config unless {type(self).__name__} "
                f"defines get_config() (and from_config). Save its weights with "
                f"model.save_weights(path) and load them into a model built by the same code.")
        ids = {id(lay): self._node_ids(lay) for lay in self._layers}
        layers = []
        for layer in self._layers:
            nodes = []
            if not isinstance(layer, InputLayer):
                for old in ids[id(layer)]:
                    node_inputs, _, kwargs = layer._inbound_nodes[old]
                    kwargs = {k: v for k, v in kwargs.items()
                              if isinstance(v, (bool, int, float, str, type(None)))}
                    entry = []
                    for t in nest.flatten(node_inputs):
                        parent, parent_node, tensor_index = keras_history(t)
                        entry.append([parent.name, ids[id(parent)][parent_node], tensor_index,
                                      kwargs])
                    nodes.append(entry)
            layers.append({"class_name": type(layer).__name__, "config": layer.get_config(),
                           "name": layer.name, "inbound_nodes": nodes})

        def ends(tensors):
            out = []
            for t in tensors:
                layer, node, tensor_index = keras_history(t)
                out.append([layer.name, ids[id(layer)][node], tensor_index])
            return out

        return {"name": self.name, "layers": layers, "input_layers": ends(self.inputs),
                "output_layers": ends(self.outputs)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """Rebuild a functional model from `get_config()`: new layers, called as recorded."""
        from graphflow.keras.engine.serialization import deserialize_layer

        created: dict = {}
        outputs: dict = {}  # layer name -> [flat outputs of each of its calls in the model]
        pending = []
        for data in config["layers"]:
            layer = deserialize_layer({"class_name": data["class_name"],
                                       "config": data["config"]}, custom_objects)
            created[data["name"]] = layer
            if isinstance(layer, InputLayer):
                outputs[data["name"]] = [[layer.output]]
            else:
                outputs[data["name"]] = []
                pending.extend((data["name"], node) for node in data["inbound_nodes"])
        while pending:
            left = []
            for name, node in pending:
                if any(parent not in outputs or len(outputs[parent]) <= index or
                       any(n == name for n, _ in left)
                       for parent, index, _, _ in node):
                    left.append((name, node))
                    continue
                args = [outputs[parent][index][t] for parent, index, t, _ in node]
                kwargs = node[0][3] if node and len(node[0]) > 3 else {}
                result = created[name](args[0] if len(args) == 1 else args, **kwargs)
                outputs[name].append(nest.flatten(result))
            if len(left) == len(pending):
                raise ValueError(f"Cannot rebuild the model {config.get('name')!r}: the inbound "
                                 f"nodes of {sorted({n for n, _ in left})} refer to layers or "
                                 f"calls the config does not define.")
            pending = left

        def ends(entries):
            return [outputs[name][node][t] for name, node, t in entries]

        ins, outs = ends(config["input_layers"]), ends(config["output_layers"])
        return cls(inputs=_one_or_list(ins), outputs=_one_or_list(outs), name=config.get("name"))
