"""Array ops on the device: gather, scatter-add and one_hot with bounds checks on the device (the
generated check of bounds.py replaces an index out of range by a safe one and records it; the
run then raises naming the op, device_errors.py), views
(reshape, expand_dims, squeeze: no copy), transpose, concat, stack, selects and fills (slices,
tiles, pads and splits are generated kernels: kernels_movement.py). What is rare or has a
value-dependent shape stays a declared host fallback, bridged by transfers."""

from __future__ import annotations

from graphflow.executors.cuda.device_errors import index_guard
from graphflow.executors.cuda.table import Kernel, cuda_kernel, host_fallback

host_fallback("a shape query: a small host array read from the value's metadata", "Shape",
              "Size", "Rank")
host_fallback("a short vector whose length is known only at run time (np.arange does it)",
              "Range")
host_fallback("its output length depends on the values: the host's np.argwhere sizes it",
              "Where")
host_fallback("rare ops not yet written as device kernels (a shuffle, a top-k membership test, "
              "a NaN check that raises on the host): the host reference, behind transfers",
              "RandomShuffle", "InTopK", "CheckNumerics")
host_fallback("top-k selection and its gradient: a partial sort on the host (np.argpartition); "
              "a device kernel needs shared memory, future work", "TopKV2", "TopKGrad")
host_fallback("the cpu compiler's fused GEMM-into-variable update (fuse_matmul_updates); the "
              "pass never fires for a device plan, so this only serves a plan made for cpu",
              "MatMulUpdate")
host_fallback("prints on the host, where its text goes: the value is copied out anyway",
              "Print", "PrintV2")
host_fallback("serialises a Summary protocol buffer on the host (tensorboard's protos); its "
              "input is copied out anyway", "ScalarSummary", "HistogramSummary",
              "ImageSummary", "AudioSummaryV2", "TensorSummaryV2", "MergeSummary")
host_fallback("calls the user's Python function, which takes and returns host NumPy arrays",
              "PyFunc", "PyFuncStateless", "EagerPyFunc")
host_fallback("a rare value check (metric inputs in range): the host comparison, behind a "
              "transfer", "CheckRange")
host_fallback("lists uninitialised variables by name: a host-side lookup in the state, whose "
              "result is a string tensor", "ReportUninitialized")
host_fallback("MPI collectives (graphflow.distributed) go through mpi4py on host buffers; "
              "a CUDA-aware MPI path is future work", "MPIAllreduce", "MPIAllgather",
              "MPIBroadcast")


def _axis(axis, rank):
    return axis + rank if axis < 0 else axis


def _into(xp, out, value):
    if out is None:
        return value
    xp.copyto(out, value)
    return out


@cuda_kernel("GatherV2")
def _gather(step, lowering):
    op, xp = step.op, lowering.backend.xp
    guard = index_guard(step, lowering)

    def gather(out, params, indices):
        axis = _axis(op.axis, params.ndim)
        indices = guard(indices, params.shape[axis], "indices")
        return _into(xp, out, xp.take(params, indices, axis=axis))

    return Kernel(gather)


@cuda_kernel("ScatterAddTo")
def _scatter_add(step, lowering):
    backend, op = lowering.backend, step.op
    xp, dtype = backend.xp, step.outputs[0].dtype.np
    guard = index_guard(step, lowering)

    def scatter_add(out, updates, indices, shape_t=None):
        shape = tuple(op.shape) if shape_t is None else tuple(
            int(d) for d in backend.asnumpy(shape_t))
        axis = _axis(op.axis, len(shape))
        indices = guard(indices, shape[axis], "indices")
        result = xp.zeros(shape, dtype) if out is None else out
        if out is not None:
            result.fill(0)
        moved = xp.moveaxis(result, axis, 0)
        upd = xp.moveaxis(updates.reshape(shape[:axis] + indices.shape + shape[axis + 1:]),
                          list(range(axis, axis + indices.ndim)),
                          list(range(indices.ndim))).reshape((indices.size,) + moved.shape[1:])
        xp.add.at(moved, indices.reshape(-1), upd)
        return result

    return Kernel(scatter_add)


@cuda_kernel("OneHot")
def _one_hot(step, lowering):
    xp, op = lowering.backend.xp, step.op
    dtype = op.dtype.np

    def one_hot(out, indices):
        # out-of-range indices give a row of off_value (TF1's rule), so nothing is read there
        axis = indices.ndim if op.axis == -1 else op.axis
        depth = xp.arange(op.depth).reshape((-1,) + (1,) * (indices.ndim - axis))
        hot = xp.expand_dims(indices, axis) == depth
        return _into(xp, out, xp.where(hot, op.on_value, op.off_value).astype(dtype))

    return Kernel(one_hot)


@cuda_kernel("Reshape", "ExpandDims", "Squeeze", fresh=False)  # views: nothing is copied
def _view(step, lowering):
    spec = step.outputs[0]
    if not spec.shape.is_fully_defined():
        raise ValueError(f"{step.describe()}: the cuda executor needs its static result shape "
                         "(plans are specialised on the fed shapes)")
    shape = tuple(spec.shape.as_list())
    return Kernel(lambda x, *shape_t: x.reshape(shape), passes_out=False, quiet=True)


@cuda_kernel("Transpose")
def _transpose(step, lowering):
    xp, perm = lowering.backend.xp, step.op.perm

    def transpose(out, x):
        value = xp.transpose(x, perm)
        return _into(xp, out, value) if out is not None else value.copy()

    return Kernel(transpose, quiet=True)


@cuda_kernel("ConcatV2", "Pack")
def _join(step, lowering):
    xp, axis = lowering.backend.xp, step.op.axis
    join = xp.concatenate if step.type == "ConcatV2" else xp.stack

    def join_(out, *values):
        return _into(xp, out, join(values, axis=axis))

    return Kernel(join_, quiet=True)


@cuda_kernel("ZerosLike", "OnesLike")
def _like(step, lowering):
    xp, value = lowering.backend.xp, step.op.fill_value
    dtype = step.outputs[0].dtype.np

    def like(out, x):
        out = xp.empty(x.shape, dtype) if out is None else out
        out.fill(value)
        return out

    return Kernel(like, quiet=True)


@cuda_kernel("SelectV2")
def _select(step, lowering):
    xp = lowering.backend.xp
    return Kernel(lambda out, c, x, y: _into(xp, out, xp.where(c, x, y)), quiet=True)


@cuda_kernel("BroadcastTo")
def _broadcast_to(step, lowering):
    xp, shape = lowering.backend.xp, tuple(step.op.shape)
    return Kernel(lambda out, x: _into(xp, out, xp.broadcast_to(x, shape).copy()),
                  quiet=True)
