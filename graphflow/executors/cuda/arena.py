"""One device allocation per lowered plan: the memory plan's buffers carved out of an arena.

The compiler's memory plan gives a plan's buffers (`plan.buffers`, bytes each, already shared
between values whose lives do not overlap). Allocating them as one arena sized by the plan asks
CuPy's pool for one block of exactly the plan's size, once, instead of one block per buffer
rounded up separately; each buffer is a byte view of it starting on a 256-byte boundary, the
alignment cudaMalloc guarantees, so typed views of any element type and vectorised loads are
aligned. A run of the lowered plan allocates nothing for planned values.
"""

from __future__ import annotations

ALIGN = 256  # bytes: cudaMalloc's alignment, and more than any element type needs


def layout(sizes) -> tuple[list[int], int]:
    """(offset of each buffer, arena bytes): buffers in order, each on an ALIGN boundary."""
    offsets, end = [], 0
    for n in sizes:
        if n < 0:
            raise ValueError(f"a buffer of {n} bytes in the memory plan")
        start = -(-end // ALIGN) * ALIGN
        offsets.append(start)
        end = start + n
    return offsets, end


def carve(xp, sizes) -> list:
    """The buffers as byte views of one `xp.uint8` arena (none for a plan without buffers)."""
    sizes = [int(n) for n in sizes]
    if not sizes:
        return []
    offsets, total = layout(sizes)
    arena = xp.empty(max(total, 1), dtype=xp.uint8)
    return [arena[o:o + n] for o, n in zip(offsets, sizes, strict=True)]
