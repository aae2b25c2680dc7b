"""The CUDA executor's GPU-free foundation: code generation, NVRTC compiles, host emulation.

- `codegen.render_plan(plan)`: every generated kernel of a plan (fused elementwise groups from the
  ops' `scalar` declarations, im2col / col2im, pooling, data movement, batch norm, row-wise
  softmax, reductions) as one CUDA C module with a cache key;
- `nvrtc.compile_module(module)`: PTX or sm_90 cubin through the `nvidia-cuda-nvrtc` wheel, loaded
  with ctypes (no driver, no CuPy), with each kernel's registers and spills;
- `emulate`: the same source compiled by the host C++ compiler, launches run as loops over blocks
  and threads on NumPy buffers (test support: it checks the generated code without a GPU).

Nothing here imports CuPy or needs a GPU; importing the package loads no native library.
"""

from graphflow.executors.cuda.codegen import generates, render_plan, render_step, render_steps
from graphflow.executors.cuda.source import CodegenError, KernelSource, Module

__all__ = ["CodegenError", "KernelSource", "Module", "generates", "render_plan", "render_step",
           "render_steps"]
