"""The declared reference fallbacks for the rarer ops of the TF1 surface (erf, truncated division,
top_k, multinomial, Print, py_func, the metrics' range check, the uninitialised-variable report)
and the MPI collectives; the trigonometric ops are ufunc kernels in kernels_elementwise."""

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
                 "Print", "PrintV2")
reference_kernel("serialises a Summary protocol buffer on the host (tensorboard's protos); "
                 "there is no numeric work to compile", "ScalarSummary", "HistogramSummary",
                 "ImageSummary", "AudioSummaryV2", "TensorSummaryV2", "MergeSummary")
reference_kernel("calls the user's Python function on host arrays: the reference is that call",
                 "PyFunc", "PyFuncStateless", "EagerPyFunc")
reference_kernel("a value check that passes its input through; the NumPy comparison is the work",
                 "CheckRange")
reference_kernel("lists the session's uninitialised variables by name: a host-side lookup",
                 "ReportUninitialized")
reference_kernel("MPI collectives over the job's ranks (graphflow.distributed): mpi4py on the "
                 "NumPy buffers is the whole computation", "MPIAllreduce", "MPIAllgather",
                 "MPIBroadcast")
reference_kernel("draws classes from the session's per-node stream with rejection for unique "
                 "samples, as the reference does", "LogUniformCandidateSampler",
                 "UniformCandidateSampler", "LearnedUnigramCandidateSampler",
                 "AllCandidateSampler")
reference_kernel("a hash lookup per true class; its output length depends on the values",
                 "ComputeAccidentalHits")
