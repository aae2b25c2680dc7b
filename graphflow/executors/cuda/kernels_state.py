"""State ops on the device: variables stay cupy arrays in the `CupyState` for the session's life;
assign_add / assign_sub update the variable's own array when the plan marks the step
`updates_in_place` (as the cpu executor does); Transfer crosses the bus through the state.
Random tensors are drawn on the device (kernels_random.py); the samplers below still draw on the
host and are declared host fallbacks, so the placement pass copies their results in."""

from __future__ import annotations

from graphflow.executors.cuda.table import Kernel, cuda_kernel, host_fallback

host_fallback("samplers with a per-row search (Multinomial's np.searchsorted) or sampling without "
              "replacement over a vocabulary: rare, small results, drawn from the session's "
              "per-key NumPy stream on the host and copied to the device",
              "Multinomial", "LogUniformCandidateSampler", "UniformCandidateSampler",
              "LearnedUnigramCandidateSampler", "AllCandidateSampler",
              quiet=True)
host_fallback("a hash lookup per true class whose output length depends on the values; the "
              "host computes it", "ComputeAccidentalHits")

host_fallback("tf.data iterators: host pipelines whose streams are Python objects in the session "
              "state; elements are copied to the device by the placement pass",
              "IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext", quiet=True)
host_fallback("the compiler makes FusedUpdate only for executors whose kernel for it updates in "
              "place; here assign_sub stays split (its device kernels run as before)",
              "FusedUpdate")


@cuda_kernel("Placeholder", fresh=False)
def _placeholder(step, lowering):
    return Kernel(step.op.compute, passes_out=False, takes_context=True, quiet=True)


@cuda_kernel("Identity", "StopGradient", "PlaceholderWithDefault", fresh=False)
def _identity(step, lowering):
    return Kernel(lambda x: x, passes_out=False, quiet=True)


@cuda_kernel("NoOp", fresh=False)
def _noop(step, lowering):
    return Kernel(step.op.compute, passes_out=False, quiet=True)


@cuda_kernel("Const", fresh=False)
def _const(step, lowering):  # plans bind constants once; a Const step copies its value once
    value = lowering.backend.asarray(step.op.value)
    return Kernel(lambda: value, passes_out=False, quiet=True)


@cuda_kernel("VariableV2", "ReadVariable", fresh=False)
def _read(step, lowering):
    key = step.op.key

    def read(ctx, *ref):
        return ctx.read_variable(key)

    return Kernel(read, passes_out=False, takes_context=True, quiet=True)


@cuda_kernel("Assign", fresh=False)
def _assign(step, lowering):
    op, xp = step.op, lowering.backend.xp

    def assign(ctx, value):
        return ctx.write_variable(op.key, xp.array(value, copy=True))

    return Kernel(assign, passes_out=False, takes_context=True, quiet=True)


def _update(step, lowering, ufunc_name: str):
    op, xp = step.op, lowering.backend.xp
    ufunc = getattr(xp, ufunc_name)
    key = op.key

    if not step.updates_in_place:
        def update(ctx, value):
            op.check_runtime_shape(value)
            return ctx.write_variable(key, ufunc(ctx.read_variable(key), value))

        return Kernel(update, passes_out=False, takes_context=True)

    def update_in_place(ctx, value):
        var = ctx.read_variable(key)
        if value.shape != var.shape:
            op.check_runtime_shape(value)  # raises with TF1's message
        ufunc(var, value, out=var)
        return var

    return Kernel(update_in_place, passes_out=False, takes_context=True, quiet=True)


@cuda_kernel("AssignAdd", updates_in_place=True, fresh=False)
def _assign_add(step, lowering):
    return _update(step, lowering, "add")


@cuda_kernel("AssignSub", updates_in_place=True, fresh=False)
def _assign_sub(step, lowering):
    return _update(step, lowering, "subtract")


@cuda_kernel("Transfer")
def _transfer(step, lowering):
    to_device = step.op.dst != "host"

    def transfer(ctx, x):
        return ctx.from_host(x) if to_device else ctx.to_host(x)

    return Kernel(transfer, passes_out=False, takes_context=True, quiet=True)
