"""Memory planning: liveness, buffer reuse across values, and in-place updates where legal.

Each intermediate value of fully known shape gets a buffer index; values whose lifetimes do not
overlap share a buffer of the same byte size, and an elementwise op whose input dies at that op
writes its output over it where the target's kernel allows. Fed, fetched, constant and variable
values never get a buffer (their memory belongs to the caller or the session), and an op that
may return a view of its input keeps that input's buffer alive for as long as the view lives.
Whether a kernel's result is fresh, and whether it may write over its input, are properties of
the target's kernels.
"""

from __future__ import annotations

import heapq


def _nbytes(value):
    if not value.shape.is_fully_defined() or value.dtype.is_string:
        return None
    return value.shape.num_elements() * value.dtype.np.itemsize


def plan_memory(program) -> str:
    target = program.target
    fresh, in_place = target.fresh, target.in_place

    def is_fresh(node) -> bool:
        return fresh(node.op)

    position = {n: i for i, n in enumerate(program.nodes)}
    fetched = set(program.fetches)
    uses = program.consumers()

    # Lifetime of each value's memory: until its last reader, extended through views of it.
    last = {}
    for node in reversed(program.nodes):
        for v in node.outputs:
            end = max((position[c] for c in uses.get(v, [])), default=position[node])
            for c in uses.get(v, []):
                if not is_fresh(c):  # c may return a view of v: v lives as long as c's outputs
                    end = max([end, *(last.get(o, position[c]) for o in c.outputs)])
            last[v] = end

    # A value escapes when the caller may end up holding its memory: it is fetched, or a view
    # of it (through ops that may return views) is. Escaping values never share a buffer.
    escapes = set(fetched)
    for node in reversed(program.nodes):
        if not is_fresh(node) and any(o in escapes for o in node.outputs):
            escapes.update(node.inputs)

    def plannable(v) -> bool:
        p = v.producer
        return (p is not None and v not in escapes and not p.op.stateful
                and (v.device or target.device) == target.device
                and not p.op.takes_context and p.type != "Const" and _nbytes(v) is not None)

    free: dict[int, list[int]] = {}  # nbytes -> free buffer ids
    sizes: list[int] = []
    # Buffers in use as a heap of (last use, when it was taken, buffer); an entry is stale once
    # its buffer was taken over in place (`taken` then holds a later time for it).
    live_until: list[tuple[int, int, int]] = []
    taken: dict[int, int] = {}
    clock = 0
    naive = peak = current = inplace = 0
    for i, node in enumerate(program.nodes):
        expired = []
        while live_until and live_until[0][0] < i:
            _, when, buf = heapq.heappop(live_until)
            if taken[buf] == when:
                expired.append((when, buf))
        for _, buf in sorted(expired):  # freed in the order they were taken
            free.setdefault(sizes[buf], []).append(buf)
            current -= sizes[buf]
        for v in node.outputs:
            if not plannable(v):
                continue
            nbytes = _nbytes(v)
            naive += nbytes
            buf = None
            if in_place(node.op):
                for x in node.inputs:  # overwrite an input that dies here (same bytes, same shape)
                    if x.buffer is not None and last.get(x) == i and sizes[x.buffer] == nbytes \
                            and x.shape == v.shape and all(o.buffer != x.buffer
                                                           for o in node.outputs):
                        buf = x.buffer
                        inplace += 1
                        current -= nbytes
                        break
            if buf is None:
                pool = free.get(nbytes)
                if pool:
                    buf = pool.pop()
                else:
                    buf = len(sizes)
                    sizes.append(nbytes)
            v.buffer = buf
            clock += 1
            taken[buf] = clock
            heapq.heappush(live_until, (last[v], clock, buf))
            current += nbytes
            peak = max(peak, current)
    program.buffers = sizes
    planned = sum(sizes)
    program.memory = {"naive_bytes": naive, "planned_bytes": planned, "peak_bytes": peak,
                      "buffers": len(sizes), "in_place": inplace}
    return (f"{len(sizes)} buffers, {planned} bytes planned vs {naive} naive "
            f"(peak live {peak}); {inplace} in-place")
