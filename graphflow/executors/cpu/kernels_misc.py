"""The declared reference fallbacks for the rarer ops of the TF1 surface (erf, truncated division,
top_k, multinomial, Print); the trigonometric ops are ufunc kernels in kernels_elementwise."""

from __future__ import annotations

from graphflow.executors.cpu.registry import reference_kernel

reference_kernel("NumPy has no erf ufunc; the reference's math.erf per element is the "
                 "definition", "Erf")
reference_kernel("integer division by zero must raise as the reference does; np.fmod / np.trunc "
                 "are already the whole computation", "TruncateDiv", "TruncateMod")
reference_kernel("a sort along the last axis (np.argsort) is the whole computation",
                 "TopKV2", "TopKGrad")
reference_kernel("draws random numbers from the session's per-node stream, as the "
                 "reference does", "Multinomial")
reference_kernel("prints to stderr as a side effect; the reference does exactly that",
                 "Print")
