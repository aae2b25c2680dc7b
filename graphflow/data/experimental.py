"""`tf.data.experimental`: the transformations TF1 scripts commonly take from it, for
`dataset.apply(...)`, and AUTOTUNE."""

from __future__ import annotations

from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.dataset import Dataset
from graphflow.data.stage import Stage
from graphflow.errors import InvalidArgumentError

AUTOTUNE = -1  # prefetch(AUTOTUNE), map(num_parallel_calls=AUTOTUNE): graphflow needs no tuning


class Unbatch(Stage):
    """Each row of every element: the inverse of `batch`."""

    def __init__(self, upstream):
        specs = structure.leaves(upstream.structure)
        if any(s.shape.rank == 0 for s in specs):
            raise argument_error("unbatch", "Unbatching a dataset is only supported for rank "
                                 ">= 1", ValueError)
        self.upstream = (upstream,)
        self.structure = structure.of(upstream.structure, [
            structure.TensorSpec(s.shape[1:], s.dtype) for s in specs])

    def stream(self, env):
        for element in self.upstream[0].stream(env):
            rows = {len(v) for v in element}
            if len(rows) > 1:
                raise InvalidArgumentError("unbatch: the components of an element have "
                                           f"different first dimensions {sorted(rows)}")
            for i in range(rows.pop()):
                yield tuple(v[i] for v in element)


def unbatch():
    """`ds.apply(tf.data.experimental.unbatch())`: one element per row of each element."""
    return lambda dataset: Dataset(Unbatch(dataset.stage))


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """`ds.shuffle(buffer_size, seed).repeat(count)`, each pass in a new order."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """`ds.map(map_func).batch(batch_size, drop_remainder)`."""
    return lambda dataset: dataset.map(map_func).batch(batch_size, drop_remainder)


__all__ = ["AUTOTUNE", "map_and_batch", "shuffle_and_repeat", "unbatch"]
