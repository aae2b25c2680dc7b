"""`dense`: outputs = activation(inputs · kernel + bias), with kernel and bias from get_variable."""

from __future__ import annotations

from graphflow.initializers import ZEROS
from graphflow.layers.utils import attach_constraints, bias_add, finish, known_dim
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable, variable_scope


def dense(inputs, units: int, activation=None, use_bias: bool = True, kernel_initializer=None,
          bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable: bool = True, name: str | None = None, reuse=None):
    """TF1's `tf.layers.dense`: variables `<name>/kernel` [in, units] (glorot_uniform by default)
    and `<name>/bias` [units]. Inputs of rank > 2 are contracted over their last axis."""
    with variable_scope(name, default_name="dense", reuse=reuse):
        outputs = affine(inputs, units, "kernel", kernel_initializer, kernel_regularizer,
                         "bias", bias_initializer if use_bias else None, bias_regularizer,
                         trainable)
        attach_constraints(kernel=kernel_constraint, bias=bias_constraint)
        return finish(outputs, activation, activity_regularizer)


def affine(inputs, units, kernel_name, kernel_initializer, kernel_regularizer, bias_name,
           bias_initializer, bias_regularizer, trainable, collections=None):
    """inputs · W (+ b when `bias_initializer` is not None) in the current variable scope."""
    from graphflow.ops.array import reshape
    from graphflow.ops.joining import stack
    from graphflow.ops.matmul import matmul
    from graphflow.ops.shape_ops import shape as shape_of

    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.rank
    if rank is None or rank < 2:
        raise ValueError(f"A dense layer needs inputs of rank >= 2, got {inputs.describe()}")
    in_dim = known_dim(inputs, -1, "dense")
    kernel = get_variable(kernel_name, [in_dim, units], inputs.dtype, kernel_initializer,
                          kernel_regularizer, trainable, collections)
    if rank == 2:
        outputs = matmul(inputs, kernel)
    else:  # flatten the leading axes, multiply, restore them
        lead = inputs.shape.as_list()[:-1]
        flat = matmul(reshape(inputs, [-1, in_dim]), kernel)
        if all(d is not None for d in lead[1:]):
            outputs = reshape(flat, [-1, *lead[1:], units])
        else:
            dyn = shape_of(inputs)
            outputs = reshape(flat, stack([dyn[i] for i in range(rank - 1)] + [units]))
    if bias_initializer is not None:
        bias = get_variable(bias_name, [units], inputs.dtype, bias_initializer,
                            bias_regularizer, trainable, collections)
        outputs = bias_add(outputs, bias)
    return outputs
