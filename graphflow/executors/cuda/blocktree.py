"""The block-wide tree reduction in shared memory that the block kernels share (reduce.py, rows.py).

A block kernel runs one block per work unit (an output, a chunk of an output, a row): its threads
fold interleaved values into registers, store them in `__shared__` arrays of BLOCK_THREADS
entries, and halve the live lanes each step with a `__syncthreads()` between steps until lane 0
holds the result, which every thread may then read from entry 0. The code is right for any
launch: units are grid-strided over `blockIdx.x`, and a block of any size folds with
`lanes = min(blockDim.x, BLOCK_THREADS)` of its threads (a size that is not a power of two first
folds its top lanes into the largest power of two below it). No warp shuffles: every step goes
through shared memory, which the host emulation runs with real barriers.
"""

from __future__ import annotations

BLOCK_THREADS = 256  # the executor's threads per block (backend.BLOCK): one shared entry each


def block_work(units: int) -> int:
    """The `work` of a block kernel: a launch of BLOCK_THREADS-thread blocks gets a block per
    unit (grids are capped; the units loop strides over the rest)."""
    return units * BLOCK_THREADS


def block_prologue(arrays) -> list[str]:
    """The shared arrays ((name, C type) pairs) and the thread's lane."""
    return [*(f"__shared__ {ctype} {name}[{BLOCK_THREADS}];" for name, ctype in arrays),
            "const unsigned int tid = threadIdx.x;",
            f"const unsigned int lanes = blockDim.x < {BLOCK_THREADS}u ? blockDim.x : "
            f"{BLOCK_THREADS}u;"]


def units_loop(index: str, units: int) -> str:
    """The header of the loop over a kernel's units, one block at a time (`u`)."""
    return (f"for ({index} u = ({index})blockIdx.x; u < {units}; "
            f"u += ({index})gridDim.x)")


def block_tree(slots, combine: str) -> list[str]:
    """Lines reducing every lane's registers across the block; lane 0 ends with the result and,
    after the last barrier, entry 0 of each array holds it for every thread.

    `slots` are (shared array, register, C type, loaded name) tuples: lane `tid`'s register is
    stored in `array[tid]`; `combine` folds the loaded names (read from another lane's entries)
    into the registers."""
    store = " ".join(f"{a}[tid] = {reg};" for a, reg, _, _ in slots)

    def fold(other: str) -> str:
        loads = " ".join(f"const {t} {name} = {a}[{other}];" for a, _, t, name in slots)
        return f"{{ {loads} {combine} {store} }}"

    return [f"if (tid < lanes) {{ {store} }}",
            "__syncthreads();",
            "{",
            "    unsigned int gf_half = 1u;",
            "    while (2u * gf_half <= lanes) gf_half *= 2u;",
            f"    if (tid + gf_half < lanes) {fold('tid + gf_half')}",
            "    __syncthreads();",
            "    for (unsigned int gf_w = gf_half / 2u; gf_w > 0u; gf_w /= 2u) {",
            f"        if (tid < gf_w) {fold('tid + gf_w')}",
            "        __syncthreads();",
            "    }",
            "}"]
