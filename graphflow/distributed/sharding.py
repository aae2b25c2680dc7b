"""Each rank's share of the data: every size()-th example, starting at rank() (tf.data's rule).

Strided shards partition every global batch: with per-rank batches of B, batch t of rank r holds
the examples tB*size + r, tB*size + r + size, ..., so the ranks' batch t together are batch t of
one process reading the whole data with batches of B*size. Shards of unequal length mean unequal
numbers of steps, and a rank left waiting in an allreduce: `drop_remainder=True` cuts the data to
a multiple of size() first.
"""

from __future__ import annotations

import numpy as np

from graphflow.distributed import comm

__all__ = ["shard", "shard_dataset"]


def _place(rank: int | None, size: int | None) -> tuple[int, int]:
    rank = comm.rank() if rank is None else int(rank)
    size = comm.size() if size is None else int(size)
    if size < 1 or not 0 <= rank < size:
        raise ValueError(f"shard: rank {rank} is not in a job of size {size}")
    return rank, size


def shard(*arrays, drop_remainder: bool = False, rank: int | None = None,
          size: int | None = None):
    """This rank's examples of each array (sharing axis 0): one array back for one array given,
    else a tuple. `rank`/`size` default to this process's place in the job."""
    if not arrays:
        raise ValueError("shard: give at least one array")
    rank, size = _place(rank, size)
    arrays = [np.asarray(a) for a in arrays]
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"shard: the arrays differ in length along axis 0: "
                         f"{[len(a) for a in arrays]}")
    n = lengths.pop()
    if drop_remainder:
        n -= n % size
    out = tuple(a[rank:n:size] for a in arrays)
    return out[0] if len(out) == 1 else out


def shard_dataset(dataset, rank: int | None = None, size: int | None = None):
    """`dataset.shard(size(), rank())`: this rank's elements of a tf.data-style dataset."""
    rank, size = _place(rank, size)
    method = getattr(dataset, "shard", None)
    if method is None:
        raise TypeError(f"shard_dataset needs a dataset with a shard(num_shards, index) method "
                        f"(tf.data's); got {type(dataset).__name__}. Shard the arrays instead: "
                        "Dataset.from_tensor_slices(graphflow.distributed.shard(x, y))")
    return method(size, rank)
