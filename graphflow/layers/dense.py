"""`Dense` and `dense`: outputs = activation(inputs · kernel + bias).

`dense_apply` is the one implementation of the product; the class builds `kernel` [in, units]
(glorot_uniform by default) and `bias` [units], the function is a thin wrapper over the class,
and contrib's fully_connected uses `affine` (the same product over get_variable variables).
"""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.initializers import ZEROS
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import add_kernel_and_bias, bias_add, known_dim
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable


def dense_apply(inputs, kernel, bias=None):
    """inputs · kernel (+ bias); inputs of rank > 2 are contracted over their last axis."""
    from graphflow.ops.array import reshape
    from graphflow.ops.joining import stack
    from graphflow.ops.matmul import matmul
    from graphflow.ops.shape_ops import shape as shape_of

    rank = inputs.shape.rank
    units = kernel.shape[-1]
    if rank == 2:
        outputs = matmul(inputs, kernel)
    else:  # flatten the leading axes, multiply, restore them
        lead = inputs.shape.as_list()[:-1]
        flat = matmul(reshape(inputs, [-1, kernel.shape[0]]), kernel)
        if all(d is not None for d in lead[1:]):
            outputs = reshape(flat, [-1, *lead[1:], units])
        else:
            dyn = shape_of(inputs)
            outputs = reshape(flat, stack([dyn[i] for i in range(rank - 1)] + [units]))
    return bias_add(outputs, bias) if bias is not None else outputs


def _check_rank(inputs):
    rank = inputs.shape.rank
    if rank is None or rank < 2:
        raise ValueError(f"A dense layer needs inputs of rank >= 2, got {inputs.describe()}")


def affine(inputs, units, kernel_name, kernel_initializer, kernel_regularizer, bias_name,
           bias_initializer, bias_regularizer, trainable, collections=None):
    """inputs · W (+ b when `bias_initializer` is not None) in the current variable scope."""
    inputs = convert_to_tensor(inputs)
    _check_rank(inputs)
    in_dim = known_dim(inputs, -1, "dense")
    kernel = get_variable(kernel_name, [in_dim, units], inputs.dtype, kernel_initializer,
                          kernel_regularizer, trainable, collections)
    bias = None
    if bias_initializer is not None:
        bias = get_variable(bias_name, [units], inputs.dtype, bias_initializer,
                            bias_regularizer, trainable, collections)
    return dense_apply(inputs, kernel, bias)


class Dense(Layer):
    """TF1's `tf.layers.Dense`: a fully connected layer with variables `kernel` and `bias`.

    outputs = activation(inputs · kernel + bias), kernel [in, units]; inputs of rank > 2 are
    contracted over their last axis.

    Args:
        units: The number of outputs.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> layer = tf.layers.Dense(3, activation=tf.nn.relu)
        >>> y = layer(tf.placeholder(tf.float32, [None, 4]))
        >>> y.shape, layer.name, [v.name for v in layer.weights]
        (TensorShape([None, 3]), 'dense_1', ['dense/kernel:0', 'dense/bias:0'])
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(min_ndim=2)
        self.kernel = self.bias = None

    def build(self, input_shape):
        """Create `kernel` [in, units] and `bias` [units] for inputs of `input_shape`.

        Args:
            input_shape: The inputs' shape; its last dim must be known.

        Examples:
            >>> layer = tf.layers.Dense(2)
            >>> layer.build([None, 7])
            >>> layer.kernel.shape, layer.bias.shape
            (TensorShape([7, 2]), TensorShape([2]))
        """
        input_shape = as_shape(input_shape)
        if input_shape.rank is None or input_shape[-1] is None:
            raise ValueError(f"The last dimension of the inputs to `Dense` should be defined. "
                             f"Found `None` (input shape {input_shape}).")
        in_dim = input_shape[-1]
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})
        add_kernel_and_bias(self, [in_dim, self.units], self.units)
        self.built = True

    def call(self, inputs):
        """activation(inputs · kernel + bias) with the built variables.

        Args:
            inputs: A tensor of rank >= 2 whose last dim is the kernel's first.

        Returns:
            The outputs, [..., units].

        Examples:
            >>> layer = tf.layers.Dense(2, kernel_initializer=tf.ones_initializer())
            >>> y = layer(tf.constant([[1.0, 2.0, 3.0]]))
            >>> with tf.Session() as sess:
            ...     sess.run(tf.global_variables_initializer())
            ...     print(sess.run(y))
            [[6. 6.]]
        """
        outputs = dense_apply(inputs, self.kernel, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        """The outputs' shape for inputs of `input_shape`: the last dim becomes `units`.

        Args:
            input_shape: A TensorShape or list of dims; the last must be known.

        Returns:
            The TensorShape.

        Examples:
            >>> tf.layers.Dense(10).compute_output_shape([None, 5, 64])
            TensorShape([None, 5, 10])
        """
        input_shape = as_shape(input_shape)
        if input_shape.rank is None or input_shape[-1] is None:
            raise ValueError(f"The innermost dimension of input_shape must be defined, but "
                             f"saw: {input_shape}")
        return TensorShape(input_shape.as_list()[:-1] + [self.units])


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.dense`: a `Dense` layer applied once; with `name` its variables are
    `<name>/kernel` and `<name>/bias` exactly (so `reuse=True` shares them).

    Args:
        inputs: The input tensor, rank >= 2 with a known last dim.
        units: The number of outputs.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        reuse: Reuse the variables of a previous call with the same `name`.

    Returns:
        The outputs, [..., units].

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 4])
        >>> h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="hidden")
        >>> h2 = tf.layers.dense(x, 8, name="hidden", reuse=True)
        >>> h.shape, [v.name for v in tf.trainable_variables()]
        (TensorShape([None, 8]), ['hidden/kernel:0', 'hidden/bias:0'])
    """
    inputs = convert_to_tensor(inputs)
    _check_rank(inputs)
    known_dim(inputs, -1, "dense")
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


__all__ = ["Dense", "affine", "dense", "dense_apply"]
