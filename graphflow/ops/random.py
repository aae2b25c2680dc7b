"""Random tensors with TF1's seed rules. The streams are NumPy's (PCG64), not TensorFlow's.

Each random op gets `(seed, seed2)` when it is built: with a graph seed (`set_random_seed`) and
no op seed, seed2 is the graph's node count at that moment; with an op seed and no graph seed,
the graph seed is 87654321; with neither the op is unseeded and differs between sessions. A
Session keeps one generator per op: successive runs draw new values, a new Session repeats them.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape, shape_argument
from graphflow.core.site import argument_error
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec

__all__ = ["multinomial", "random_normal", "random_shuffle", "random_uniform", "set_random_seed",
           "truncated_normal"]

DEFAULT_GRAPH_SEED = 87654321
_RANDOM = NoExamples("draws random values, so its results cannot be compared across executors "
                     "or against a reference; tested in tests/ops/test_random.py")


def get_seed(op_seed):
    """TF1's `(seed, seed2)` for a new random op in the default graph."""
    graph = get_default_graph()
    if graph.seed is not None:
        index = graph.seed_index() if hasattr(graph, "seed_index") else len(graph.nodes)
        seeds = (int(graph.seed), index if op_seed is None else int(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, int(op_seed))
    else:
        return None, None
    if seeds == (0, 0):  # (0, 0) means "unseeded" to TF's kernels, so TF1 avoids it
        seeds = (0, 2**31 - 1)
    return tuple(s % 2**63 for s in seeds)  # NumPy's seed material must be non-negative


def set_random_seed(seed: int | None) -> None:
    """Set the default graph's seed, from which random ops without their own seed derive theirs.

    Args:
        seed: An int, or None for fresh draws in every Session.

    Examples:
        >>> tf.set_random_seed(42)
        >>> x = tf.random_uniform([3])
        >>> with tf.Session() as sess:
        ...     first = sess.run(x)
        >>> with tf.Session() as sess:
        ...     print(bool((sess.run(x) == first).all()))
        True
    """
    get_default_graph().seed = seed


def draw_dtype(dtype):
    """NumPy draws float32 or float64 directly; other float dtypes are cast from float64."""
    return dtype.np if dtype.np in (np.float32, np.float64) else np.float64


class RandomOp(Op):
    """Draws `shape` values from the node's generator; shape is static (attr) or a 1-D int input."""

    attrs = {"shape": None, "dtype": dtypes.float32, "seed": None, "seed2": None, "key": None}
    takes_context = True
    stateful = True
    keyed_by_name = True  # its random stream in the session state
    not_differentiable = True
    examples = _RANDOM
    allowed = "float"

    def _static_shape(self, inputs) -> TensorShape:
        if self.shape is not None:
            return as_shape(self.shape)
        shape_t = inputs[0]
        if not shape_t.dtype.is_integer or shape_t.shape.rank not in (None, 1):
            raise shape_rule(f"shape must be a 1-D integer tensor, got {shape_t.describe()}")
        n = shape_t.shape[0] if shape_t.shape.rank == 1 else None
        return TensorShape(None if n is None else [None] * n)

    def infer(self, *inputs):
        ok = self.dtype.is_floating if self.allowed == "float" else self.dtype.is_integer
        if not ok:
            kind = "floating" if self.allowed == "float" else "integer"
            raise dtype_rule(f"{self.type} makes {kind} values; dtype {self.dtype.name} is not one")
        return spec(self.dtype, self._static_shape(inputs))

    def _shape_and_rest(self, inputs):
        if self.shape is not None:
            return tuple(as_shape(self.shape).as_list()), inputs
        return tuple(int(d) for d in inputs[0]), inputs[1:]

    def compute(self, ctx, *inputs):
        shape, rest = self._shape_and_rest(inputs)
        out = self.draw(ctx.rng(self.key, self.seed, self.seed2), shape, *rest)
        return np.asarray(out, dtype=self.dtype.np)



@register("RandomStandardNormal")
class RandomStandardNormal(RandomOp):
    """Samples of N(0, 1)."""

    def draw(self, rng, shape):
        return rng.standard_normal(shape, dtype=draw_dtype(self.dtype))


@register("TruncatedNormal")
class TruncatedNormal(RandomOp):
    """Samples of N(0, 1) with values beyond two standard deviations redrawn."""

    def draw(self, rng, shape):
        dt = draw_dtype(self.dtype)
        out = np.asarray(rng.standard_normal(shape, dtype=dt))
        bad = np.abs(out) > 2.0
        while bad.any():
            out[bad] = rng.standard_normal(int(bad.sum()), dtype=dt)
            bad = np.abs(out) > 2.0
        return out


@register("RandomUniform")
class RandomUniform(RandomOp):
    """Samples of U[0, 1)."""

    def draw(self, rng, shape):
        return rng.random(shape, dtype=draw_dtype(self.dtype))


@register("RandomUniformInt")
class RandomUniformInt(RandomOp):
    """Integers drawn uniformly from [minval, maxval)."""

    attrs = {"shape": None, "dtype": dtypes.int32, "seed": None, "seed2": None, "key": None}
    allowed = "int"

    def infer(self, *inputs):
        for label, t in zip(("minval", "maxval"), inputs[-2:], strict=True):
            if t.dtype is not self.dtype or t.shape.rank not in (None, 0):
                raise dtype_rule(f"{label} must be a {self.dtype.name} scalar, got "
                                 f"{t.describe()}")
        return super().infer(*inputs)

    def draw(self, rng, shape, lo, hi):
        if not lo < hi:
            raise ValueError(f"Need minval < maxval: {lo} >= {hi}")
        return rng.integers(lo, hi, size=shape, dtype=self.dtype.np)


@register("RandomShuffle")
class RandomShuffle(Op):
    """`value` with its first dimension randomly permuted."""

    attrs = {"seed": None, "seed2": None, "key": None}
    input_names = ("value",)
    takes_context = True
    stateful = True
    keyed_by_name = True  # its random stream in the session state
    not_differentiable = True
    examples = _RANDOM

    def infer(self, value):
        return spec(value.dtype, value.shape)

    def compute(self, ctx, value):
        if value.ndim == 0:
            return np.array(value, copy=True)
        return np.asarray(ctx.rng(self.key, self.seed, self.seed2).permutation(value))



@register("Multinomial")
class Multinomial(Op):
    """`num_samples` class indices per row of `logits` [batch, classes], drawn by softmax."""

    attrs = {"num_samples": 1, "output_dtype": dtypes.int64, "seed": None, "seed2": None,
             "key": None}
    input_names = ("logits",)
    takes_context = True
    stateful = True
    keyed_by_name = True  # its random stream in the session state
    not_differentiable = True
    examples = _RANDOM

    def infer(self, logits):
        if not logits.dtype.is_floating:
            raise dtype_rule(f"logits must be floating-point, not {logits.dtype.name}")
        if logits.shape.rank not in (None, 2):
            raise shape_rule(f"logits must be 2-D [batch_size, num_classes], got {logits.shape}")
        if not self.output_dtype.is_integer:
            raise dtype_rule(f"output_dtype must be an integer dtype, not "
                             f"{self.output_dtype.name}")
        batch = logits.shape[0] if logits.shape.rank == 2 else None
        return spec(self.output_dtype, [batch, self.num_samples])

    def compute(self, ctx, logits):
        if logits.ndim != 2 or (logits.shape[1] == 0 and self.num_samples > 0):
            raise ValueError(f"logits must be 2-D [batch_size, num_classes] with at least one "
                             f"class, got shape {list(logits.shape)}")
        rng = ctx.rng(self.key, self.seed, self.seed2)
        z = logits.astype(np.float64)
        z = z - np.max(z, axis=1, keepdims=True, initial=-np.inf)
        cdf = np.cumsum(np.exp(z), axis=1)
        u = rng.random((logits.shape[0], self.num_samples)) * cdf[:, -1:]
        out = np.empty((logits.shape[0], self.num_samples), dtype=self.output_dtype.np)
        for row in range(logits.shape[0]):
            out[row] = np.minimum(np.searchsorted(cdf[row], u[row], side="right"),
                                  logits.shape[1] - 1)
        return out


# --- public functions ---------------------------------------------------------------------------
def _shape_arg(shape, function):
    """(static shape tuple, None) when known while building, else (None, a 1-D int tensor)."""
    if isinstance(shape, Tensor) and shape.op.type == "Const":
        shape = shape.op.get_attr("value").tolist()
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    if not isinstance(shape, Tensor) and not any(isinstance(d, Tensor) for d in shape):
        dims = shape_argument(shape, function)
        if not dims.is_fully_defined():
            raise argument_error(function, f"a random tensor needs a fully known shape, "
                                 f"got {dims}; pass a shape tensor (e.g. graphflow.shape(x)) for "
                                 "a run-time shape")
        return tuple(dims.as_list()), None
    return None, convert_to_tensor(shape, dtype=None if isinstance(shape, Tensor) else "int32")


def _random(cls, shape, dtype, seed, extra=(), name=None, **attrs):
    static, shape_t = _shape_arg(shape, f"the {cls.type} op's builder")
    seed, seed2 = get_seed(seed)
    op = cls(shape=static, dtype=dtype, seed=seed, seed2=seed2, **attrs)
    inputs = ([] if shape_t is None else [shape_t]) + list(extra)
    return apply_op(op, inputs, name=name)


def _float_dtype(dtype, what: str):
    dtype = as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"{what} makes floating-point values; dtype {dtype.name} is not one")
    return dtype


def _scaled(cls, shape, scale, shift, dtype, seed, scope: str):
    """TF1's composite inside the current name scope: a standard sample * scale + shift."""
    from graphflow.ops.elementwise import add, multiply

    sample = _random(cls, shape, dtype, seed, name=cls.type)
    return add(multiply(sample, scale, name="mul"), shift, name=scope)


def _normal(cls, default_name, shape, mean, stddev, dtype, seed, name):
    dtype = _float_dtype(dtype, default_name)
    with get_default_graph().name_scope(name or default_name) as scope:
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        return _scaled(cls, shape, stddev_t, mean_t, dtype, seed, scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed: int | None = None,
                  name: str | None = None) -> Tensor:
    """Samples of N(mean, stddev²); `mean` and `stddev` may be tensors.

    Each run draws new values; with a graph seed (`tf.set_random_seed`) or an op `seed`, the
    sequence of draws is the same in every new Session.

    Args:
        shape: The output shape: a list of ints or a 1-D int32 tensor.
        mean: The mean (a scalar or a tensor that broadcasts).
        stddev: The standard deviation.
        dtype: A floating dtype (default float32).
        seed: The op seed.
        name: A name for the ops' scope.

    Returns:
        A Tensor of `shape` and `dtype`.

    Examples:
        >>> x = tf.random_normal([1000], mean=3.0, stddev=0.5, seed=1)
        >>> with tf.Session() as sess:
        ...     values = sess.run(x)
        >>> print(values.shape, bool(abs(values.mean() - 3.0) < 0.1))
        (1000,) True
    """
    return _normal(RandomStandardNormal, "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed: int | None = None,
                     name: str | None = None) -> Tensor:
    """Samples of N(mean, stddev²) with values more than 2 stddev from the mean redrawn.

    Args:
        shape: The output shape: a list of ints or a 1-D int32 tensor.
        mean: The mean.
        stddev: The standard deviation before truncation.
        dtype: A floating dtype (default float32).
        seed: The op seed.
        name: A name for the ops' scope.

    Returns:
        A Tensor of `shape` and `dtype`, every value within 2 stddev of the mean.

    Examples:
        >>> x = tf.truncated_normal([1000], stddev=0.1, seed=1)
        >>> with tf.Session() as sess:
        ...     print(bool(np.abs(sess.run(x)).max() <= 0.2))
        True
    """
    return _normal(TruncatedNormal, "truncated_normal", shape, mean, stddev, dtype, seed, name)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed: int | None = None,
                   name: str | None = None) -> Tensor:
    """Samples of U[minval, maxval); floats default to [0, 1), integers need `maxval`.

    Args:
        shape: The output shape: a list of ints or a 1-D int32 tensor.
        minval: The lower bound (included).
        maxval: The upper bound (excluded); default 1 for floats, needed for integers.
        dtype: A floating or integer dtype (default float32).
        seed: The op seed.
        name: A name for the ops' scope.

    Returns:
        A Tensor of `shape` and `dtype`.

    Examples:
        >>> dice = tf.random_uniform([100], 1, 7, dtype=tf.int32, seed=1)
        >>> with tf.Session() as sess:
        ...     rolls = sess.run(dice)
        >>> print(sorted(set(rolls.tolist())))
        [1, 2, 3, 4, 5, 6]
    """
    from graphflow.ops.elementwise import subtract

    dtype = as_dtype(dtype)
    if dtype.is_integer and maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dtype.name}")
    if not dtype.is_integer:
        dtype = _float_dtype(dtype, "random_uniform")
        maxval = 1.0 if maxval is None else maxval
    with get_default_graph().name_scope(name or "random_uniform") as scope:
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            return _random(RandomUniformInt, shape, dtype, seed, extra=(lo, hi), name=scope)
        return _scaled(RandomUniform, shape, subtract(hi, lo, name="sub"), lo, dtype, seed, scope)


def random_shuffle(value, seed: int | None = None, name: str | None = None) -> Tensor:
    """`value` shuffled along its first dimension; a new order every run.

    Args:
        value: A tensor.
        seed: The op seed.
        name: A name for the op.

    Returns:
        A Tensor of value's shape and dtype.

    Examples:
        >>> x = tf.random_shuffle([1, 2, 3, 4], seed=1)
        >>> with tf.Session() as sess:
        ...     print(sorted(sess.run(x).tolist()))
        [1, 2, 3, 4]
    """
    seed, seed2 = get_seed(seed)
    return apply_op(RandomShuffle(seed=seed, seed2=seed2), [convert_to_tensor(value)], name=name)


def multinomial(logits, num_samples, seed: int | None = None, name: str | None = None,
                output_dtype=None) -> Tensor:
    """TF1's `tf.multinomial`: `num_samples` class indices per row, P(i) = softmax(logits)[i].

    Args:
        logits: A `[batch, classes]` floating tensor of unnormalised log-probabilities.
        num_samples: How many indices to draw per row (a Python int).
        seed: The op seed.
        name: A name for the op.
        output_dtype: The index dtype (default int64).

    Returns:
        A `[batch, num_samples]` Tensor of class indices.

    Examples:
        >>> draws = tf.multinomial([[0., 100.]], 3, seed=1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(draws))
        [[1 1 1]]
    """
    if not isinstance(num_samples, (int, np.integer)) or num_samples < 0:
        raise TypeError(f"num_samples must be a non-negative Python int, got {num_samples!r}")
    seed, seed2 = get_seed(seed)
    op = Multinomial(num_samples=int(num_samples), seed=seed, seed2=seed2,
                     output_dtype=as_dtype(output_dtype or dtypes.int64))
    return apply_op(op, [convert_to_tensor(logits)], name=name)


def categorical(logits, num_samples, dtype=None, seed: int | None = None,
                name: str | None = None) -> Tensor:
    """`tf.random.categorical`: `multinomial` with the output dtype called `dtype`.

    Args:
        logits: A `[batch, classes]` floating tensor of unnormalised log-probabilities.
        num_samples: How many indices to draw per row.
        dtype: The index dtype (default int64).
        seed: The op seed.
        name: A name for the op.

    Returns:
        A `[batch, num_samples]` Tensor of class indices.

    Examples:
        >>> draws = tf.random.categorical([[100., 0.]], 2, seed=1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(draws))
        [[0 0]]
    """
    return multinomial(logits, num_samples, seed=seed, name=name, output_dtype=dtype)
