"""Candidate samplers (log-uniform, uniform, learned unigram) and accidental-hit detection for
sampled losses.

A sampler returns TF1's triple: `sampled_candidates` int64 [num_sampled], `true_expected_count`
[batch, num_true] and `sampled_expected_count` [num_sampled] (float32), the expected number of
times each class appears among the draws. Without `unique`, that is P(k) * num_sampled; with
`unique`, classes are drawn until num_sampled distinct ones are found after `num_tries` draws, and
the count is 1 - (1 - P(k))^num_tries, written -expm1(num_tries * log1p(-P(k))) as TF1 does
(its range_sampler.cc), in float32. Log-uniform (Zipfian) draws k = floor(exp(u log(R+1))) - 1
with P(k) = (log(k+2) - log(k+1)) / log(R+1). Seeds follow graphflow.ops.random's TF1 rules; the
streams are NumPy's, so the classes drawn differ from TensorFlow's for the same seed.
"""

from __future__ import annotations

import abc

import numpy as np

from graphflow.core import dtypes
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.naming import name_public_functions
from graphflow.ops.random import get_seed
from graphflow.ops.registry import Example, NoExamples, Op, apply_op, register, spec

FLT_MAX = float(np.finfo(np.float32).max)


def _check_true_classes(true_classes, num_true):
    if true_classes.dtype is not dtypes.int64:
        raise dtype_rule(f"true_classes must be int64, got {true_classes.describe()} "
                         "(cast it with graphflow.cast(..., graphflow.int64))")
    if true_classes.shape.rank not in (None, 2):
        raise shape_rule(f"true_classes must be a matrix [batch_size, num_true], got "
                         f"{true_classes.describe()}")
    cols = true_classes.shape[1] if true_classes.shape.rank == 2 else None
    if cols is not None and cols != num_true:
        raise shape_rule(f"true_classes must have num_true columns, expected: {num_true} "
                         f"was: {cols}")


class CandidateSampler(Op):
    """Draws `num_sampled` classes in [0, range_max) from the node's random stream."""

    attrs = {"num_true": 1, "num_sampled": 1, "unique": True, "range_max": 1, "seed": None,
             "seed2": None, "key": None}
    input_names = ("true_classes",)
    takes_context = True
    stateful = True
    keyed_by_name = True
    not_differentiable = True
    examples = NoExamples("draws random classes; tested with fixed seeds and by their "
                          "frequencies in tests/nn/test_sampled_losses.py")

    def infer(self, true_classes):
        for what in ("num_true", "num_sampled", "range_max"):
            value = self.attrs[what]
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise dtype_rule(f"{what} must be a positive int, got {value!r}")
        if self.unique and self.num_sampled > self.range_max:
            raise shape_rule(f"Sampler's range is too small: {self.num_sampled} unique samples "
                             f"from range_max={self.range_max} classes")
        _check_true_classes(true_classes, self.num_true)
        batch = true_classes.shape[0] if true_classes.shape.rank == 2 else None
        return [spec(dtypes.int64, [self.num_sampled]),
                spec(dtypes.float32, [batch, self.num_true]),
                spec(dtypes.float32, [self.num_sampled])]

    def compute(self, ctx, true_classes):
        if true_classes.ndim != 2 or true_classes.shape[1] != self.num_true:
            raise ValueError(f"true_classes must have num_true columns, expected: "
                             f"{self.num_true} was: {list(true_classes.shape)}")
        rng = ctx.rng(self.key, self.seed, self.seed2)
        dist = self.distribution(ctx)
        n = self.num_sampled
        if self.unique:
            sampled, tries = self._draw_unique(dist, rng, n)
        else:
            sampled, tries = dist.sample(rng, n), n
        result = (sampled.astype(np.int64), self._expected(dist, true_classes, tries),
                  self._expected(dist, sampled, tries))
        self.observe(ctx, true_classes)
        return result

    @abc.abstractmethod
    def distribution(self, ctx):
        """What this run draws from: an object with `sample(rng, n)` (n classes drawn with
        replacement, int64) and `probability(classes)` (P(k) of one draw, float64)."""

    def observe(self, ctx, true_classes) -> None:
        """After a run: a learning sampler counts the true classes it was given."""

    def _draw_unique(self, dist, rng, n):
        """Draws until n distinct classes are found, in draw order; also the number of draws."""
        picked, seen, tries = [], set(), 0
        while len(picked) < n:
            for value in dist.sample(rng, max(2 * (n - len(picked)), 16)).tolist():
                tries += 1
                if value not in seen:
                    seen.add(value)
                    picked.append(value)
                    if len(picked) == n:
                        break
        return np.array(picked, dtype=np.int64), tries

    def _expected(self, dist, classes, tries):
        p = dist.probability(np.asarray(classes, dtype=np.int64)).astype(np.float32)
        if tries == self.num_sampled:
            return p * np.float32(self.num_sampled)
        with np.errstate(divide="ignore"):
            return -np.expm1(np.float32(tries) * np.log1p(-p))



@register("LogUniformCandidateSampler")
class LogUniformCandidateSampler(CandidateSampler):
    """Classes drawn from the log-uniform (Zipfian) distribution over [0, range_max)."""

    def distribution(self, ctx):
        return self

    def sample(self, rng, n):
        log_range = np.log(self.range_max + 1.0)
        return (np.exp(rng.random(n) * log_range).astype(np.int64) - 1) % self.range_max

    def probability(self, classes):
        k = classes.astype(np.float64)
        return np.log((k + 2.0) / (k + 1.0)) / np.log(self.range_max + 1.0)


@register("UniformCandidateSampler")
class UniformCandidateSampler(CandidateSampler):
    """Classes drawn uniformly from [0, range_max)."""

    def distribution(self, ctx):
        return self

    def sample(self, rng, n):
        return rng.integers(0, self.range_max, size=n, dtype=np.int64)

    def probability(self, classes):
        return np.full(np.shape(classes), 1.0 / self.range_max)


def _all_examples(s):
    def build(dims):
        batch, num_true, n = dims
        attrs = {"num_true": num_true, "num_sampled": n, "unique": True, "range_max": n}
        return s.values(dtypes.int64, (batch, num_true), 0, 5).map(
            lambda v: Example([v], attrs))

    return s.st.tuples(s.st.integers(0, 3), s.st.integers(1, 3),
                       s.st.integers(1, 6)).flatmap(build)


@register("AllCandidateSampler")
class AllCandidateSampler(CandidateSampler):
    """Every class 0 .. num_sampled - 1, each expected once (TF1's AllSampler: for tests and
    small vocabularies); draws nothing."""

    stateful = takes_context = keyed_by_name = False
    examples = staticmethod(_all_examples)

    def compute(self, true_classes):
        if true_classes.ndim != 2 or true_classes.shape[1] != self.num_true:
            raise ValueError(f"true_classes must have num_true columns, expected: "
                             f"{self.num_true} was: {list(true_classes.shape)}")
        return (np.arange(self.num_sampled, dtype=np.int64),
                np.ones(true_classes.shape, np.float32), np.ones(self.num_sampled, np.float32))

    def distribution(self, ctx):
        return None  # compute above draws nothing


class _Weighted:
    """Draws in proportion to `weights` (TF1's WeightedPicker)."""

    def __init__(self, weights):
        self.weights = weights

    def sample(self, rng, n):
        total = self.weights.sum()
        picks = np.searchsorted(np.cumsum(self.weights), rng.random(n) * total, side="right")
        return np.minimum(picks, len(self.weights) - 1).astype(np.int64)

    def probability(self, classes):
        return self.weights[classes] / self.weights.sum()


@register("LearnedUnigramCandidateSampler")
class LearnedUnigramCandidateSampler(CandidateSampler):
    """Classes drawn in proportion to counts learnt in the session: every class starts at 1,
    and after each run the run's true classes are counted (TF1's UnigramSampler)."""

    def compute(self, ctx, true_classes):
        flat = true_classes.ravel()
        if flat.size and (flat.min() < 0 or flat.max() >= self.range_max):
            raise ValueError(f"true_classes must lie in [0, range_max={self.range_max}), got "
                             f"values from {flat.min()} to {flat.max()}")
        return super().compute(ctx, true_classes)

    def distribution(self, ctx):
        weights = ctx.resource(self.key)
        if weights is None:
            weights = np.ones(self.range_max, dtype=np.float64)
            ctx.set_resource(self.key, weights)
        return _Weighted(weights)

    def observe(self, ctx, true_classes) -> None:
        np.add.at(ctx.resource(self.key), true_classes.ravel(), 1.0)


@register("ComputeAccidentalHits")
class ComputeAccidentalHits(Op):
    """The (row, sampled position) pairs where a sampled class is one of the row's true classes;
    a class sampled twice counts at its last position only (TF1's kernel)."""

    attrs = {"num_true": 1}
    input_names = ("true_classes", "sampled_candidates")
    not_differentiable = True
    examples = NoExamples("its output length depends on the values, so the generated test's "
                          "static-shape check cannot hold; tested on every executor in "
                          "tests/nn/test_sampled_losses.py")

    def infer(self, true_classes, sampled_candidates):
        _check_true_classes(true_classes, self.num_true)
        if sampled_candidates.dtype is not dtypes.int64 or \
                sampled_candidates.shape.rank not in (None, 1):
            raise dtype_rule(f"sampled_candidates must be an int64 vector, got "
                             f"{sampled_candidates.describe()}")
        return [spec(dtypes.int32, [None]), spec(dtypes.int64, [None]),
                spec(dtypes.float32, [None])]

    def compute(self, true_classes, sampled_candidates):
        if true_classes.ndim != 2 or true_classes.shape[1] != self.num_true:
            raise ValueError(f"true_classes must have num_true columns, expected: "
                             f"{self.num_true} was: {list(true_classes.shape)}")
        position = {int(c): j for j, c in enumerate(sampled_candidates.tolist())}
        indices, ids = [], []
        for i, row in enumerate(true_classes.tolist()):
            for c in row:
                if c in position:
                    indices.append(i)
                    ids.append(position[c])
        return (np.array(indices, dtype=np.int32), np.array(ids, dtype=np.int64),
                np.full(len(ids), -FLT_MAX, dtype=np.float32))


# --- public functions ---------------------------------------------------------------------------
def _sampler(cls, true_classes, num_true, num_sampled, unique, range_max, seed, name):
    true_classes = convert_to_tensor(true_classes, dtype_hint=dtypes.int64)
    seed, seed2 = get_seed(seed)
    op = cls(num_true=num_true, num_sampled=num_sampled, unique=bool(unique),
             range_max=range_max, seed=seed, seed2=seed2)
    return apply_op(op, [true_classes], name=name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """(sampled_candidates, true_expected_count, sampled_expected_count), log-uniform draws.

    Class k is drawn with probability log((k + 2) / (k + 1)) / log(range_max + 1): small ids
    (frequent words, in a vocabulary sorted by frequency) more often.

    Args:
        true_classes: `[batch, num_true]` int64 true class ids.
        num_true: The number of true classes per example.
        num_sampled: How many classes to draw.
        unique: Draw without replacement within the batch.
        range_max: The number of classes; ids are in [0, range_max).
        seed: The op seed.
        name: A name for the op.

    Returns:
        A triple: the `[num_sampled]` int64 sampled ids, the `[batch, num_true]` float32
        expected counts of the true classes and the `[num_sampled]` expected counts of the
        sampled ones (what nce_loss and sampled_softmax_loss subtract as log-probabilities).

    Examples:
        >>> true_classes = tf.constant([[1], [3]], dtype=tf.int64)
        >>> ids, true_count, sampled_count = tf.nn.log_uniform_candidate_sampler(
        ...     true_classes, 1, 4, True, 10, seed=1)
        >>> with tf.Session() as sess:
        ...     drawn = sess.run(ids)
        >>> print(drawn.shape, len(set(drawn.tolist())), bool(drawn.max() < 10))
        (4,) 4 True
    """
    return _sampler(LogUniformCandidateSampler, true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """(sampled_candidates, true_expected_count, sampled_expected_count), uniform draws.

    Args:
        true_classes: `[batch, num_true]` int64 true class ids.
        num_true: The number of true classes per example.
        num_sampled: How many classes to draw.
        unique: Draw without replacement within the batch.
        range_max: The number of classes; ids are in [0, range_max).
        seed: The op seed.
        name: A name for the op.

    Returns:
        A triple: the `[num_sampled]` int64 sampled ids, the `[batch, num_true]` float32
        expected counts of the true classes and the `[num_sampled]` expected counts of the
        sampled ones (what nce_loss and sampled_softmax_loss subtract as log-probabilities).

    Examples:
        >>> true_classes = tf.constant([[1], [3]], dtype=tf.int64)
        >>> ids, true_count, sampled_count = tf.nn.uniform_candidate_sampler(
        ...     true_classes, 1, 4, True, 10, seed=1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(ids).shape, sess.run(true_count).shape)
        (4,) (2, 1)
    """
    return _sampler(UniformCandidateSampler, true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):
    """(sampled_candidates, true_expected_count, sampled_expected_count), drawn in proportion
    to how often each class was a true class in this session's earlier runs (plus one).

    Args:
        true_classes: `[batch, num_true]` int64 true class ids.
        num_true: The number of true classes per example.
        num_sampled: How many classes to draw.
        unique: Draw without replacement within the batch.
        range_max: The number of classes; ids are in [0, range_max).
        seed: The op seed.
        name: A name for the op.

    Returns:
        A triple: the `[num_sampled]` int64 sampled ids, the `[batch, num_true]` float32
        expected counts of the true classes and the `[num_sampled]` expected counts of the
        sampled ones (what nce_loss and sampled_softmax_loss subtract as log-probabilities).

    Examples:
        >>> true_classes = tf.constant([[1], [3]], dtype=tf.int64)
        >>> ids, _, _ = tf.nn.learned_unigram_candidate_sampler(true_classes, 1, 4, True, 10,
        ...                                                     seed=1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(ids).shape)
        (4,)
    """
    return _sampler(LearnedUnigramCandidateSampler, true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """(0 .. num_sampled - 1, ones [batch, num_true], ones [num_sampled]): every class once;
    `unique` and `seed` are accepted for TF1's signature and change nothing, as there.

    Args:
        true_classes: `[batch, num_true]` int64 true class ids.
        num_true: The number of true classes per example.
        num_sampled: The number of classes (all of them are "sampled").
        unique: Changes nothing.
        seed: Changes nothing.
        name: A name for the op.

    Returns:
        A triple: the ids 0 .. num_sampled - 1 and two tensors of ones (expected counts).

    Examples:
        >>> ids, _, _ = tf.nn.all_candidate_sampler(tf.constant([[1]], dtype=tf.int64), 1, 5, True)
        >>> with tf.Session() as sess:
        ...     print(sess.run(ids))
        [0 1 2 3 4]
    """
    del unique, seed
    true_classes = convert_to_tensor(true_classes, dtype_hint=dtypes.int64)
    op = AllCandidateSampler(num_true=num_true, num_sampled=num_sampled, unique=True,
                             range_max=num_sampled)
    return apply_op(op, [true_classes], name=name)


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """(indices int32, ids int64, weights float32 of -FLT_MAX) of the sampled classes that are
    true classes of a row; `seed` is accepted for TF1's signature and unused, as there.

    Adding the weights to those logits removes the "accidental hits" from a sampled loss.

    Args:
        true_classes: `[batch, num_true]` int64 true class ids.
        sampled_candidates: The `[num_sampled]` int64 sampled ids.
        num_true: The number of true classes per example.
        seed: Unused.
        name: A name for the op.

    Returns:
        A triple `(row indices, positions in sampled_candidates, weights)`, one entry per hit.

    Examples:
        >>> true_classes = tf.constant([[1], [3]], dtype=tf.int64)
        >>> rows, ids, weights = tf.nn.compute_accidental_hits(
        ...     true_classes, tf.constant([1, 2, 3], dtype=tf.int64), 1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(rows), sess.run(ids))
        [0 1] [0 2]
    """
    true_classes = convert_to_tensor(true_classes, dtype_hint=dtypes.int64)
    sampled = convert_to_tensor(sampled_candidates, dtype_hint=dtypes.int64)
    return apply_op(ComputeAccidentalHits(num_true=num_true), [true_classes, sampled], name=name)


name_public_functions(globals())
