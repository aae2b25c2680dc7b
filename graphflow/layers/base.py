"""`Layer`: TF1's `tf.layers.Layer`, an object that owns variables and applies ops to inputs.

The first call opens the layer's variable scope (`dense`, `dense_1`, ... unless built with a
scope, as the functional `tf.layers.dense(..., name=...)` does), calls `build(input_shape)`, which
creates variables with `add_weight`, then `call(inputs)`. Later calls reuse the same scope with
`reuse=True` and put their ops in the same name scope (`dense/MatMul_1`), so the variables are
shared. `layer.name` follows TF1's object naming (`dense_1` for the first unnamed Dense, as TF1's
legacy layers do) while variables follow the scope. Regularisation losses and update ops are
kept on the layer (`losses`, `updates`) and added to TF1's graph collections. Subclasses
(Keras-style layers too) override `build`, `call` and, when it is cheaper than building the layer
in a scratch graph, `compute_output_shape`.
"""

from __future__ import annotations

import re

from graphflow import nest
from graphflow.core.dtypes import as_dtype
from graphflow.core.graph import Graph, GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.core.site import argument_error
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable, variable_scope

__all__ = ["InputSpec", "Layer", "to_snake_case"]


def to_snake_case(name: str) -> str:
    """`Conv2DTranspose` -> `conv2d_transpose`, TF1's rule for default layer names."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    snake = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return snake if snake[0] != "_" else "private" + snake


def _unique_object_name(base: str) -> str:
    """`base_1`, `base_2`, ... per graph: TF1's names for layer objects built without a name."""
    counts = get_default_graph().attached("layer_names", dict)
    counts[base] = counts.get(base, 0) + 1
    return f"{base}_{counts[base]}"


class InputSpec:
    """What a layer accepts: a rank (`ndim`, `min_ndim`, `max_ndim`), dims at `axes`, a dtype.

    A layer sets `self.input_spec`; calling the layer on a tensor that does not fit raises a
    ValueError naming the layer and the mismatch, before any op is built.

    Args:
        dtype: The dtype inputs must have (None: any).
        shape: The full shape; sets `ndim` from its rank.
        ndim: The exact rank.
        max_ndim: The largest rank.
        min_ndim: The smallest rank.
        axes: {axis: size} for dims that must have that size.
        allow_last_axis_squeeze: Kept for Keras's signature; not checked.
        name: Kept for Keras's signature.
        optional: Kept for Keras's signature.

    Examples:
        >>> spec = tf.layers.InputSpec(ndim=2, axes={-1: 4})
        >>> spec.problem(tf.placeholder(tf.float32, [None, 4])) is None
        True
        >>> spec.problem(tf.placeholder(tf.float32, [None, 3]))
        'expected axis -1 of input shape to have value 4, but received input with shape (?, 3)'
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = as_dtype(dtype) if dtype is not None else None
        self.shape = as_shape(shape) if shape is not None else None
        self.ndim = self.shape.rank if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze, self.name, self.optional = (allow_last_axis_squeeze,
                                                                  name, optional)

    def problem(self, t: Tensor) -> str | None:
        """Why `t` does not fit, or None (a tensor of unknown rank fits any rank).

        Args:
            t: The tensor to check.

        Returns:
            A message for the error, or None when `t` fits.

        Examples:
            >>> tf.layers.InputSpec(min_ndim=3).problem(tf.zeros([2, 2]))
            'expected min_ndim=3, found ndim=2'
        """
        rank = t.shape.rank
        if self.dtype is not None and t.dtype is not self.dtype:
            return f"expected dtype {self.dtype.name}, found {t.dtype.name}"
        if rank is None:
            return None
        if self.ndim is not None and rank != self.ndim:
            return f"expected ndim={self.ndim}, found ndim={rank}"
        if self.min_ndim is not None and rank < self.min_ndim:
            return f"expected min_ndim={self.min_ndim}, found ndim={rank}"
        if self.max_ndim is not None and rank > self.max_ndim:
            return f"expected max_ndim={self.max_ndim}, found ndim={rank}"
        for axis, value in self.axes.items():
            dim = t.shape[axis] if -rank <= axis < rank else None
            if value is not None and dim not in (None, value):
                return (f"expected axis {axis} of input shape to have value {value}, but "
                        f"received input with shape {t.shape}")
        return None

    def __repr__(self):
        return (f"InputSpec(ndim={self.ndim}, min_ndim={self.min_ndim}, "
                f"max_ndim={self.max_ndim}, axes={self.axes})")


def _map(fn, structure):
    return nest.pack_sequence_as(structure, [fn(v) for v in nest.flatten(structure)])


def _as_tensors(inputs):
    return _map(lambda v: v if isinstance(v, Tensor) else convert_to_tensor(v), inputs)


def _attribute_layers(layer) -> list:
    """The layers in `layer`'s attributes (or in lists of them), in assignment order, once."""
    found = []
    for value in layer.__dict__.values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Layer) and item is not layer and \
                    not any(item is f for f in found):
                found.append(item)
    return found


def _held_layers(layer, found=None) -> list:
    """Every layer reachable through attributes from `layer`, once each."""
    found = [] if found is None else found
    for item in _attribute_layers(layer):
        if not any(item is f for f in found):
            found.append(item)
            _held_layers(item, found)
    return found


def _is_one_shape(value) -> bool:
    return isinstance(value, TensorShape) or value is None or (
        isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value))


class Layer:
    """Base of TF1's layer classes: variables built on the first call, shared afterwards.

    Subclass it and override `build` (create variables with `add_weight`) and `call` (the
    computation). The first call opens the layer's variable scope (`dense`, `dense_1`, ...), so
    later calls reuse the same variables.

    Args:
        trainable: Whether the layer's variables are trainable (go to TRAINABLE_VARIABLES).
        name: The layer's name (default: the class name in snake case, made unique).
        dtype: The variables' dtype (default: the first input's).
        **kwargs: `activity_regularizer`, and Keras's `input_shape`, `batch_input_shape`,
            `batch_size` and `autocast`, which need no action here; others raise a TypeError.

    Examples:
        >>> class Scale(tf.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight("w", [input_shape[-1]],
        ...                                  initializer=tf.ones_initializer())
        ...     def call(self, inputs):
        ...         return inputs * self.w
        >>> layer = Scale()
        >>> y = layer(tf.constant([[1.0, 2.0]]))
        >>> [v.name for v in layer.weights]
        ['scale/w:0']
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     print(sess.run(y))
        [[1. 2.]]
    """

    # Keras layers report the variables, losses and updates of the layers they hold in
    # attributes; TF1's tf.layers.Layer does not (its weights are its own), so it is off here.
    tracks_sublayers = False

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        self.activity_regularizer = kwargs.pop("activity_regularizer", None)
        for ignored in ("input_shape", "batch_input_shape", "batch_size", "autocast"):
            kwargs.pop(ignored, None)  # Keras hints that need no action on a graph layer
        if kwargs:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: "
                            f"{', '.join(sorted(kwargs))}")
        self.trainable = trainable
        self.dtype = as_dtype(dtype) if dtype is not None else None
        self.built = False
        self.input_spec = None
        self._trainable_weights: list = []
        self._non_trainable_weights: list = []
        self._losses: list = []
        self._updates: list = []
        base = to_snake_case(type(self).__name__)
        self._name = name if name else _unique_object_name(base)
        self._base_name = name if name else base
        self._scope = None
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured

    # --- calling ------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        """Build on the first call (variables in the layer's scope), then `call(inputs)`."""
        scope = kwargs.pop("scope", None)
        inputs = _as_tensors(inputs)
        self._set_scope(scope)
        self._check_input_spec(inputs)
        graph = get_default_graph()
        with variable_scope(self._scope, reuse=True if self.built else self._reuse,
                            auxiliary_name_scope=False):
            with graph.name_scope(self._scope.original_name_scope):
                if not self.built:
                    first = nest.flatten(inputs)[0]
                    if self.dtype is None:
                        self.dtype = first.dtype
                    self.build(_map(lambda t: t.shape, inputs))
                    self.built = True
                outputs = self.call(inputs, *args, **kwargs)
                if self.activity_regularizer is not None:
                    self._regularize_activity(outputs)
        for op in self.updates:
            if not any(op is u for u in graph.get_collection(GraphKeys.UPDATE_OPS)):
                graph.add_to_collection(GraphKeys.UPDATE_OPS, op)
        return outputs

    def apply(self, inputs, *args, **kwargs):
        """TF1's old name for calling the layer.

        Args:
            inputs: The input tensor (or a nest of them).
            *args: Passed on to `call`.
            **kwargs: Passed on to `call` (`training=`, ...).

        Returns:
            The layer's outputs.

        Examples:
            >>> layer = tf.layers.Dense(2)
            >>> layer.apply(tf.zeros([1, 3])).shape
            TensorShape([1, 2])
        """
        return self.__call__(inputs, *args, **kwargs)

    def build(self, input_shape) -> None:
        """Create the layer's variables for inputs of `input_shape` (a TensorShape, or a
        structure of them); the default has none.

        The first call runs it, inside the layer's variable scope; override it in a subclass.

        Args:
            input_shape: The static shape of the inputs.

        Examples:
            >>> layer = tf.layers.Dense(3)
            >>> layer.build(tf.TensorShape([None, 5]))
            >>> layer.kernel.shape
            TensorShape([5, 3])
        """
        self.built = True

    def call(self, inputs, **kwargs):
        """The layer's computation on `inputs`; the default passes them through.

        Override it in a subclass; call the layer itself (not `call`), which builds it first.

        Args:
            inputs: The input tensor (or a nest of them).
            **kwargs: A subclass's own arguments, e.g. `training`.

        Returns:
            The outputs.

        Examples:
            >>> class Double(tf.layers.Layer):
            ...     def call(self, inputs):
            ...         return 2 * inputs
            >>> with tf.Session() as sess:
            ...     print(sess.run(Double()(tf.constant([1.0, 2.0]))))
            [2. 4.]
        """
        return inputs

    def compute_output_shape(self, input_shape):
        """The outputs' shape for inputs of `input_shape`, found by building and calling the
        layer on placeholders in a scratch graph (Keras's rule); the layer, and the layers it
        holds, are left as they were.

        Args:
            input_shape: A TensorShape or list of dims (or a list of them for several inputs).

        Returns:
            The output's TensorShape (a nest of them for several outputs).

        Examples:
            >>> layer = tf.layers.Conv2D(8, 3)
            >>> layer.compute_output_shape([None, 28, 28, 1])
            TensorShape([None, 26, 26, 8])
            >>> layer.built
            False
        """
        from graphflow.ops.state import placeholder

        layers = [self, *_held_layers(self)]
        saved = [dict(layer.__dict__) for layer in layers]
        try:
            with Graph().as_default():
                for layer in layers:
                    layer._reset()
                dtype = self.dtype or as_dtype("float32")
                if _is_one_shape(input_shape):
                    inputs = placeholder(dtype, as_shape(input_shape))
                else:
                    inputs = [placeholder(dtype, as_shape(s)) for s in input_shape]
                return _map(lambda t: t.shape, self(inputs))
        finally:
            for layer, state in zip(layers, saved):
                layer.__dict__.clear()
                layer.__dict__.update(state)

    def _reset(self) -> None:
        """Unbuilt, with no scope, variables, losses or updates (for a scratch graph)."""
        self.built, self._scope = False, None
        self._trainable_weights, self._non_trainable_weights = [], []
        self._losses, self._updates = [], []

    # --- variables, losses and updates --------------------------------------------------------
    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, use_resource=None, synchronization=None,
                   aggregation=None, partitioner=None, **kwargs):
        """A variable `<scope>/<name>` made with get_variable, tracked by the layer; trainable
        only when the layer is (`trainable=None` follows the layer).

        Call it from `build`.

        Args:
            name: The variable's name within the layer's scope.
            shape: Its shape.
            dtype: Its dtype (default: the layer's, else float32).
            initializer: Its initializer (default: get_variable's, glorot_uniform for floats).
            regularizer: A function of the variable giving a loss; it goes to the layer's `losses`
                and to REGULARIZATION_LOSSES.
            trainable: Whether it is trained (None: as the layer).
            constraint: A function applied to the variable after updates (a projection).
            use_resource: Accepted for TF1 scripts; changes nothing.
            synchronization: Accepted for TF1 scripts; changes nothing.
            aggregation: Accepted for TF1 scripts; changes nothing.
            partitioner: Must be None (partitioned variables are not supported).
            **kwargs: `getter` is accepted and ignored; others raise a TypeError.

        Returns:
            The Variable.

        Examples:
            >>> class Bias(tf.layers.Layer):
            ...     def build(self, input_shape):
            ...         self.b = self.add_weight("b", [input_shape[-1]])
            ...     def call(self, inputs):
            ...         return inputs + self.b
            >>> layer = Bias(name="shift")
            >>> _ = layer(tf.zeros([2, 3]))
            >>> layer.b.name, layer.b.shape
            ('shift/b:0', TensorShape([3]))
        """
        del use_resource, synchronization, aggregation
        if partitioner is not None:
            from graphflow.compat.missing import unsupported_argument

            raise unsupported_argument("add_weight", "partitioner", partitioner)
        kwargs.pop("getter", None)
        if kwargs:
            raise TypeError(f"add_weight() got unexpected keyword arguments: "
                            f"{', '.join(sorted(kwargs))}")
        trainable = self.trainable if trainable is None else bool(trainable and self.trainable)
        self._set_scope(None)
        graph = get_default_graph()
        before = len(graph.get_collection(GraphKeys.REGULARIZATION_LOSSES))
        with variable_scope(self._scope, reuse=True if self.built else self._reuse,
                            auxiliary_name_scope=False):
            var = get_variable(name, shape, dtype or self.dtype or as_dtype("float32"),
                               initializer, regularizer, trainable, constraint=constraint)
        self._losses.extend(graph.get_collection(GraphKeys.REGULARIZATION_LOSSES)[before:])
        tracked = self._trainable_weights if trainable else self._non_trainable_weights
        if not any(var is v for v in self._trainable_weights + self._non_trainable_weights):
            tracked.append(var)
        return var

    def add_loss(self, losses, inputs=None) -> None:
        """Record losses (a tensor or a list) on the layer and in REGULARIZATION_LOSSES.

        `tf.losses.get_total_loss()` then includes them.

        Args:
            losses: A scalar tensor, or a list of them (None entries are skipped).
            inputs: Accepted for TF1's signature (losses are not conditioned on inputs here).

        Examples:
            >>> layer = tf.layers.Layer()
            >>> layer.add_loss(tf.constant(0.5))
            >>> len(layer.losses), len(tf.losses.get_regularization_losses())
            (1, 1)
        """
        del inputs
        graph = get_default_graph()
        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            if loss is not None:
                self._losses.append(loss)
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    def add_update(self, updates, inputs=None) -> None:
        """Record update ops (run them with the training step; they go to UPDATE_OPS).

        They are added to UPDATE_OPS when the layer is next called.

        Args:
            updates: An op or tensor, or a list of them.
            inputs: Accepted for TF1's signature.

        Examples:
            >>> counter = tf.Variable(0)
            >>> layer = tf.layers.Layer()
            >>> layer.add_update(tf.assign_add(counter, 1))
            >>> len(layer.updates)
            1
        """
        del inputs
        for op in updates if isinstance(updates, (list, tuple)) else [updates]:
            self._updates.append(op)

    def _regularize_activity(self, outputs) -> None:
        with get_default_graph().name_scope("ActivityRegularizer"):
            losses = [self.activity_regularizer(t) for t in nest.flatten(outputs)]
        self.add_loss([loss for loss in losses if loss is not None])

    # --- properties ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The layer object's name (`dense_1` for the first unnamed Dense, as in TF1)."""
        return self._name

    @property
    def scope_name(self) -> str:
        """The variable scope the layer's variables are in (known after the first call)."""
        if self._scope is None:
            raise ValueError(f"No name available for layer scope because the layer "
                             f"{self._name!r} has not been used yet. The scope name is "
                             "determined the first time the layer instance is called.")
        return self._scope.name

    def _sublayers(self) -> list:
        """Layers held in attributes (or lists of them), in assignment order, when the class
        tracks them (`tracks_sublayers`): their variables, losses and updates count as this
        layer's too."""
        return _attribute_layers(self) if self.tracks_sublayers else []

    def _collect(self, own: list, attr: str) -> list:
        out = list(own)
        for layer in self._sublayers():
            for item in getattr(layer, attr):
                if not any(item is o for o in out):
                    out.append(item)
        return out

    @property
    def trainable_weights(self) -> list:
        """The layer's trainable variables ([] when the layer is not trainable)."""
        return self._collect(self._trainable_weights, "trainable_weights") if self.trainable \
            else []

    @property
    def non_trainable_weights(self) -> list:
        """The layer's other variables (all of them when it is not trainable)."""
        if self.trainable:
            return self._collect(self._non_trainable_weights, "non_trainable_weights")
        return self._collect(self._trainable_weights + self._non_trainable_weights, "weights")

    @property
    def weights(self) -> list:
        """All the layer's variables: the trainable ones, then the others."""
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def losses(self) -> list:
        """The losses the layer added: regularizers' and `add_loss`'s."""
        return self._collect(self._losses, "losses")

    @property
    def updates(self) -> list:
        """The update ops the layer added (moving averages of batch normalization)."""
        return self._collect(self._updates, "updates")

    def count_params(self) -> int:
        """The number of values in the layer's variables (it must be built).

        Returns:
            An int.

        Raises:
            ValueError: the layer has not been built (called) yet.

        Examples:
            >>> layer = tf.layers.Dense(3)
            >>> _ = layer(tf.zeros([1, 4]))
            >>> layer.count_params()
            15
        """
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on {self.name}, but the layer "
                             "isn't built. You can build it manually via: "
                             f"`{self.name}.build(batch_input_shape)`.")
        return sum(v.shape.num_elements() for v in self.weights)

    # --- helpers ------------------------------------------------------------------------------
    def _set_scope(self, scope=None) -> None:
        if self._scope is None:
            if self._reuse:
                opened = variable_scope(scope if scope is not None else self._base_name)
            else:
                opened = variable_scope(scope, default_name=self._base_name)
            with opened as captured:
                self._scope = captured

    def _check_input_spec(self, inputs) -> None:
        specs = self.input_spec
        if specs is None:
            return
        specs = specs if isinstance(specs, (list, tuple)) else [specs]
        flat = nest.flatten(inputs)
        for i, (spec, t) in enumerate(zip(specs, flat)):
            problem = spec.problem(t) if spec is not None else None
            if problem:
                raise argument_error(f'layer "{self.name}"', f"input {i} is incompatible with "
                                     f"the layer: {problem}")

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r} built={self.built}>"
