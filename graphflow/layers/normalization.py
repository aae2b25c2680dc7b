"""`BatchNormalization` and `batch_normalization`: normalise with the batch's statistics while
training, with moving averages of them otherwise.

gamma and beta are trainable; moving_mean and moving_variance are global, non-trainable variables
updated by ops placed in the UPDATE_OPS collection (run them with the training step, e.g. under
`control_dependencies(get_collection(GraphKeys.UPDATE_OPS))`):
`moving = moving - (moving - batch) * (1 - momentum)`.

The m/(m-1) choice: outputs always use the biased batch variance (1/m)Σ(x-μ)². The moving variance
follows TF1: `tf.layers.batch_normalization` runs TF's fused kernel on 4-D inputs (channels
first or last) when `fused` is None or True, and that kernel feeds the unbiased variance,
times m/(m-1) with m the count of values per channel (N·H·W), into the moving average. Other
inputs, or `fused=False`, use the biased variance there too.
"""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.core.shape import as_shape
from graphflow.initializers import ONES, ZEROS
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import nn_function


class BatchNormalization(Layer):
    """TF1's `tf.layers.BatchNormalization`; call it with `training=` a bool or a bool tensor.

    While training it normalises with the batch's mean and variance and adds update ops for the
    moving averages to UPDATE_OPS (run them with the train op); otherwise it uses the moving
    averages. Differs from TF1: `fused` changes nothing but the moving variance's m/(m-1)
    (see the module docstring); renorm, virtual batches and `adjustment` raise.

    Args:
        axis: The channels axis (one int), normalised per entry of it.
        momentum: The moving averages' decay: moving = moving * momentum + batch * (1 - momentum).
        epsilon: Added to the variance before its square root.
        center: Whether to add a trainable offset `beta`.
        scale: Whether to multiply by a trainable `gamma`.
        beta_initializer: beta's initializer (zeros).
        gamma_initializer: gamma's initializer (ones).
        moving_mean_initializer: moving_mean's initializer (zeros).
        moving_variance_initializer: moving_variance's initializer (ones).
        beta_regularizer: A function of beta giving a loss for REGULARIZATION_LOSSES.
        gamma_regularizer: The same for gamma.
        beta_constraint: A function applied to beta after each optimizer update.
        gamma_constraint: The same for gamma.
        renorm: Must be False (batch renormalisation is not supported).
        renorm_clipping: Must be None.
        renorm_momentum: Accepted and ignored (it only matters with renorm).
        fused: Changes no computation; it chooses, as TF1's fused kernel does, whether 4-D inputs
            feed the unbiased (m/(m-1)) batch variance to the moving variance (None or True: yes).
        trainable: Whether gamma and beta go to TRAINABLE_VARIABLES.
        virtual_batch_size: Must be None (virtual batches are not supported).
        adjustment: Must be None.
        name: The layer's name, and its variable scope's.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> bn = tf.layers.BatchNormalization()
        >>> y = bn(tf.constant([[0.0], [2.0]]), training=True)
        >>> [v.name for v in bn.non_trainable_weights]
        ['batch_normalization/moving_mean:0', 'batch_normalization/moving_variance:0']
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     print(sess.run(y).ravel())
        [-0.9995  0.9995]
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=ZEROS, gamma_initializer=ONES, moving_mean_initializer=ZEROS,
                 moving_variance_initializer=ONES, beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
                 adjustment=None, name=None, **kwargs):
        from graphflow.compat.missing import unsupported_argument

        super().__init__(trainable=trainable, name=name, **kwargs)
        for arg, value, default in (("renorm", renorm, False),
                                    ("renorm_clipping", renorm_clipping, None),
                                    ("virtual_batch_size", virtual_batch_size, None),
                                    ("adjustment", adjustment, None)):
            if value is not default and value != default:
                raise unsupported_argument("batch_normalization", arg, value)
        del renorm_momentum
        if not isinstance(axis, int):
            raise TypeError(f"graphflow's BatchNormalization takes one int axis, got {axis!r}")
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        """Create gamma, beta, moving_mean and moving_variance, one value per channel.

        Args:
            input_shape: The inputs' shape; its rank and the size of `axis` must be known.

        Examples:
            >>> bn = tf.layers.BatchNormalization(axis=1)
            >>> bn.build([None, 3, 5])
            >>> [v.shape.as_list() for v in bn.weights]
            [[3], [3], [3], [3]]
        """
        input_shape = as_shape(input_shape)
        rank = input_shape.rank
        if rank is None or not -rank <= self.axis < rank:
            raise ValueError(f"axis {self.axis} is out of range for inputs of shape "
                             f"{input_shape}")
        self.axis %= rank
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"Axis {self.axis} of the inputs to `batch_normalization` should "
                             f"be defined, got inputs of shape {input_shape}")
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        if self.scale:
            self.gamma = self.add_weight("gamma", [channels], initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", [channels], initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.moving_mean = self.add_weight("moving_mean", [channels], trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight("moving_variance", [channels], trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.built = True

    def call(self, inputs, training=False):
        """Normalise `inputs` with the batch's statistics when training, the moving ones otherwise.

        Args:
            inputs: The input tensor.
            training: A Python bool, or a bool scalar tensor to choose at run time.

        Returns:
            The normalised tensor, of the inputs' shape.

        Examples:
            >>> bn = tf.layers.BatchNormalization()
            >>> y = bn(tf.constant([[4.0]]), training=False)
            >>> with tf.Session() as sess:
            ...     sess.run(tf.global_variables_initializer())
            ...     print(sess.run(y))
            [[3.998]]
        """
        rank, axis = inputs.shape.rank, self.axis
        channels = self.moving_mean.shape[0]
        moving_mean, moving_var = self.moving_mean, self.moving_variance
        if training is False or training is None:
            mean, variance = moving_mean, moving_var
        else:
            reduce_axes = [i for i in range(rank) if i != axis]
            batch_mean, batch_var = nn_function("moments")(inputs, reduce_axes)
            mean, variance = _choose(training, batch_mean, moving_mean, batch_var, moving_var)
            unbiased = self.fused is not False and rank == 4 and axis in (1, 3)
            update_var = _bessel(inputs, batch_var, channels) if unbiased else batch_var
            new_mean, new_var = _choose(training, batch_mean, moving_mean, update_var,
                                        moving_var)
            self.add_update([_moving_average(var, value, self.momentum)
                             for var, value in ((moving_mean, new_mean),
                                                (moving_var, new_var))])
        shaped = [_broadcastable(t, rank, axis, channels)
                  for t in (mean, variance, self.beta, self.gamma)]
        return nn_function("batch_normalization")(inputs, *shaped, self.epsilon)

    def compute_output_shape(self, input_shape):
        """The inputs' shape: normalisation does not change it.

        Args:
            input_shape: A TensorShape or list of dims.

        Returns:
            The same TensorShape.

        Examples:
            >>> tf.layers.BatchNormalization().compute_output_shape([None, 4])
            TensorShape([None, 4])
        """
        return as_shape(input_shape)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=ZEROS, gamma_initializer=ONES,
                        moving_mean_initializer=ZEROS, moving_variance_initializer=ONES,
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """TF1's `tf.layers.batch_normalization`: a `BatchNormalization` layer applied once;
    `training` is a bool or a bool tensor, the moving-average updates go to UPDATE_OPS.

    Run the updates with the train op, e.g. under
    `tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))`. Differs from TF1:
    `fused` changes nothing but the moving variance's m/(m-1); renorm, renorm_clipping,
    virtual_batch_size and adjustment raise.

    Args:
        inputs: The input tensor.
        axis: The channels axis (one int), normalised per entry of it.
        momentum: The moving averages' decay: moving = moving * momentum + batch * (1 - momentum).
        epsilon: Added to the variance before its square root.
        center: Whether to add a trainable offset `beta`.
        scale: Whether to multiply by a trainable `gamma`.
        beta_initializer: beta's initializer (zeros).
        gamma_initializer: gamma's initializer (ones).
        moving_mean_initializer: moving_mean's initializer (zeros).
        moving_variance_initializer: moving_variance's initializer (ones).
        beta_regularizer: A function of beta giving a loss for REGULARIZATION_LOSSES.
        gamma_regularizer: The same for gamma.
        beta_constraint: A function applied to beta after each optimizer update.
        gamma_constraint: The same for gamma.
        training: A Python bool, or a bool scalar tensor choosing at run time.
        trainable: Whether gamma and beta go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        reuse: Reuse the variables of a previous call with the same `name`.
        renorm: Must be False (batch renormalisation is not supported).
        renorm_clipping: Must be None.
        renorm_momentum: Accepted and ignored (it only matters with renorm).
        fused: Changes no computation; it chooses, as TF1's fused kernel does, whether 4-D inputs
            feed the unbiased (m/(m-1)) batch variance to the moving variance (None or True: yes).
        virtual_batch_size: Must be None (virtual batches are not supported).
        adjustment: Must be None.

    Returns:
        The normalised tensor, of the inputs' shape.

    Examples:
        >>> x = tf.constant([[0.0], [4.0]])
        >>> y = tf.layers.batch_normalization(x, training=True, momentum=0.5)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     _ = sess.run([y, tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
        ...     print(sess.run(tf.global_variables()[2:]))
        [array([1.], dtype=float32), array([2.5], dtype=float32)]
    """
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _scope=name, _reuse=reuse)
    return layer(inputs, training=training)


def _choose(training, batch_mean, moving_mean, batch_var, moving_var):
    """The batch statistics when training is True; a run-time choice when it is a tensor."""
    if not isinstance(training, Tensor):
        return batch_mean, batch_var
    from graphflow.layers.utils import choose

    return choose(training, batch_mean, moving_mean), choose(training, batch_var, moving_var)


def _bessel(inputs, batch_var, channels):
    """batch_var · m/(m-1), m = values per channel (at run time when the batch size is unknown)."""
    from graphflow.ops.cast import cast
    from graphflow.ops.elementwise import maximum
    from graphflow.ops.shape_ops import size

    count = inputs.shape.num_elements()
    if count is not None:
        m = count // channels
        return batch_var * (m / max(m - 1, 1))
    m = cast(size(inputs), inputs.dtype) / float(channels)
    return batch_var * (m / maximum(m - 1.0, 1.0))


def _moving_average(variable, value, momentum):
    from graphflow.core.graph import get_default_graph

    with get_default_graph().name_scope("AssignMovingAvg") as scope:
        return variable.assign_sub((variable - value) * (1.0 - momentum), name=scope)


def _broadcastable(t, rank, axis, channels):
    """A [C] tensor reshaped to broadcast over `axis` (unchanged when it is the last axis)."""
    if t is None or axis == rank - 1:
        return t
    from graphflow.ops.array import reshape

    return reshape(t, [channels if i == axis else 1 for i in range(rank)])
