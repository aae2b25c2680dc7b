"""Data-parallel training over MPI, the Horovod pattern: `import graphflow.distributed as hvd`.

```
hvd.init()
opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.001 * hvd.size()))
train_op = opt.minimize(loss)
sync = hvd.broadcast_global_variables(0)      # run once, after the initializer
```
Start it with `graphflow-run -np 2 python train.py` (or mpirun). mpi4py is imported by `init()`
only: `pip install 'graphflow[mpi]'`. docs/distributed.md is the guide.
"""

from graphflow.distributed.broadcast import broadcast_global_variables, broadcast_variables
from graphflow.distributed.collectives import allgather, allreduce, broadcast
from graphflow.distributed.comm import (
    init,
    is_initialized,
    local_rank,
    local_size,
    rank,
    size,
)
from graphflow.distributed.fusion import grouped_allreduce
from graphflow.distributed.optimizer import DistributedOptimizer
from graphflow.distributed.sharding import shard, shard_dataset

__all__ = [
    "DistributedOptimizer", "allgather", "allreduce", "broadcast", "broadcast_global_variables",
    "broadcast_variables", "grouped_allreduce", "init", "is_initialized", "local_rank",
    "local_size", "rank", "shard", "shard_dataset", "size",
]
