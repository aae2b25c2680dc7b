"""How TF1's `tf.losses` weight and reduce a loss tensor (`compute_weighted_loss`).

As in TF1 the arithmetic is float32 whatever the inputs (losses and weights are cast to float32,
and the result back to the losses' dtype), weights must broadcast to the losses with TF1's static
check and message, and every division by a count is TF1's `div_no_nan` (0 when the count is 0).
"""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.site import argument_error
from graphflow.errors import ShapeError
from graphflow.losses.collection import add_loss
from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.shape_ops import ones_like, size, zeros_like


class Reduction:
    """How a weighted loss tensor becomes the returned value (TF1's names).

    NONE keeps the weighted losses; SUM adds them; MEAN divides the sum by the sum of the
    weights; SUM_OVER_BATCH_SIZE by the number of entries; SUM_BY_NONZERO_WEIGHTS (the
    default, also called SUM_OVER_NONZERO_WEIGHTS) by the number of non-zero weights.

    Examples:
        >>> loss = tf.losses.compute_weighted_loss([1., 2., 3.], reduction=tf.losses.Reduction.SUM)
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        6.0
    """

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        """Every reduction key, as TF1's `Reduction.all()` lists them.

        Returns:
            A tuple of strings.

        Examples:
            >>> print(tf.losses.Reduction.MEAN in tf.losses.Reduction.all())
            True
        """
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS,
                cls.SUM_OVER_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key, function: str = "tf.losses") -> None:
        """Raise a ValueError naming `function` unless `key` is a reduction key.

        Args:
            key: The value given as `reduction=`.
            function: The function to name in the error.

        Examples:
            >>> tf.losses.Reduction.validate("sum")
            Traceback (most recent call last):
            ...
            ValueError: ... Invalid Reduction Key sum. ...
        """
        if key not in cls.all():
            raise argument_error(function, f"Invalid Reduction Key {key}. Key should be one of "
                                 f"{cls.all()}.", ValueError)


def _np_dims(dims) -> str:
    return "[" + " ".join(str(d) for d in dims) + "]"


def assert_broadcastable(function: str, weights, values) -> None:
    """TF1's static check that `weights` broadcast to `values`: a scalar, or the same rank with
    each dimension 1 or equal (a ShapeError, a ValueError, with TF1's text)."""
    w, v = weights.shape, values.shape
    if w.rank is None or v.rank is None or w.rank == 0:
        return
    prefix = "weights can not be broadcast to values."
    if w.rank != v.rank:
        raise argument_error(function, f"{prefix} values.rank={v.rank}. weights.rank={w.rank}. "
                             f"values.shape={v}. weights.shape={w}.", ShapeError)
    if w.is_fully_defined() and v.is_fully_defined():
        for i, (dw, dv) in enumerate(zip(w.as_list(), v.as_list())):
            if dw not in (1, dv):
                raise argument_error(function, f"{prefix} Mismatch at dim {i}. values.shape="
                                     f"{_np_dims(v.as_list())}, weights.shape="
                                     f"{_np_dims(w.as_list())}.", ShapeError)


def div_no_nan(numerator, denominator, name: str | None = None):
    """numerator / denominator, and 0 where the denominator is exactly 0 (TF1's div_no_nan)."""
    zero = ew.equal(denominator, zeros_like(denominator))
    safe = where(zero, ones_like(denominator), denominator)
    return where(zero, zeros_like(numerator), numerator / safe, name=name)


def num_present(losses, weights, per_batch: bool = False):
    """The number of entries of `losses` whose (broadcast) weight is not 0; per example (summed
    over every axis but the first, kept) when `per_batch`."""
    if isinstance(weights, float) and weights != 0.0:
        return cast(size(losses), losses.dtype)
    weights = cast(convert_to_tensor(weights), dtypes.float32)
    present = where(ew.equal(weights, 0.0), zeros_like(weights), ones_like(weights))
    present = present * ones_like(losses)
    if per_batch:
        rank = losses.shape.rank
        if rank is None:
            raise ValueError("per-example counts need the losses' rank known")
        return reduce_sum(present, axis=list(range(1, rank)), keepdims=True)
    return reduce_sum(present)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weight `losses`, reduce them as `reduction` says and add the result to `loss_collection`.

    The default divides the weighted sum by the number of non-zero weights (TF1's default), so
    weights of 0 drop examples without shrinking the loss of the others.

    Args:
        losses: A tensor of per-entry losses.
        weights: A scalar, or a tensor that broadcasts to losses.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction`.

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.compute_weighted_loss([1., 2., 3.], weights=[1., 0., 1.])
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        2.0
    """
    fn = "tf.losses.compute_weighted_loss"
    Reduction.validate(reduction, fn)
    with get_default_graph().name_scope(scope or "weighted_loss"):
        losses = convert_to_tensor(losses)
        if not losses.dtype.is_floating:
            raise argument_error(fn, f"losses must be floating-point, not {losses.dtype.name}",
                                 ValueError)
        input_dtype = losses.dtype
        weights_t = convert_to_tensor(weights, dtype_hint=dtypes.float32)
        assert_broadcastable(fn, weights_t, losses)
        losses32 = losses if losses.dtype is dtypes.float32 else cast(losses, dtypes.float32)
        weights32 = weights_t if weights_t.dtype is dtypes.float32 else \
            cast(weights_t, dtypes.float32)
        weighted = losses32 * weights32
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = div_no_nan(loss, reduce_sum(ones_like(losses32) * weights32),
                                  name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, num_present(losses32, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, cast(size(losses32), dtypes.float32), name="value")
        if input_dtype is not dtypes.float32:
            loss = cast(loss, input_dtype)
    add_loss(loss, loss_collection)
    return loss
