"""The pieces every generated CUDA module shares: kernels, modules, the device header, C types.

A `KernelSource` is one `extern "C" __global__` function: its name, its parameters (pointers,
each an input or an output of the step it serves), the number of work items its grid-stride loop
covers, and its text. All shapes are static (a plan is specialised on them), so kernels take only
pointers. A `Module` is the one source string of a plan's kernels, with the device header
rendered once at its top, and the cache key a compiled module is kept under.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np

from graphflow.errors import GraphflowError


class CodegenError(GraphflowError, ValueError):
    """A step the CUDA code generator cannot render (the message names the op and its site)."""


class Param(NamedTuple):
    name: str
    ctype: str  # the element type: "float", "double", "unsigned char"
    role: str  # "in" or "out"
    size: int  # elements the kernel may touch: the buffer passed must hold at least these

    def declaration(self) -> str:
        const = "const " if self.role == "in" else ""
        return f"{const}{self.ctype}* {self.name}"


class KernelSource(NamedTuple):
    """One kernel: `name(params...)` over `work` items (launch enough threads, any grid)."""

    name: str
    params: tuple  # of Param, in call order: the step's inputs, then its outputs
    work: int
    text: str
    kind: str  # "fused", "im2col", "col2im", "maxpool", ...


class Module(NamedTuple):
    """All kernels of one plan in one source string, and which kernels serve which step."""

    source: str
    kernels: dict  # name -> KernelSource (identical kernels are rendered once)
    steps: dict  # step index -> tuple of kernel names, in launch order
    dtypes: tuple  # the element types the module uses
    key: str  # sha256 of the source and the dtypes: the compiled module's cache key
    lines: dict  # name -> (first line, last line) of the kernel in `source` (1-based)
    sites: dict  # name -> the steps it serves, described (for compile errors)


CTYPES = {np.dtype(np.float32): "float", np.dtype(np.float64): "double",
          np.dtype(np.bool_): "unsigned char"}


def ctype(dtype) -> str:
    """The C element type of a graphflow or NumPy dtype the generator supports."""
    np_dtype = np.dtype(getattr(dtype, "np", dtype))
    try:
        return CTYPES[np_dtype]
    except KeyError:
        raise CodegenError(f"the CUDA code generator has no element type for {np_dtype}; "
                           f"it supports {sorted(str(d) for d in CTYPES)}") from None


def index_type(*sizes: int) -> str:
    """32-bit indices when every size (and a grid-stride step past it) fits, else 64-bit."""
    return "int" if max(sizes, default=0) <= (1 << 30) else "long long"


def grid_stride(index: str, work: int) -> str:
    """The grid-stride loop header over `work` items with index variable `i`."""
    return (f"for ({index} i = ({index})(blockIdx.x * blockDim.x + threadIdx.x); i < {work}; "
            f"i += ({index})(blockDim.x * gridDim.x))")


def kernel_text(name: str, params, body: list[str]) -> str:
    args = ", ".join(p.declaration() for p in params)
    inner = "\n".join("    " + line if line else "" for line in body)
    return f'extern "C" __global__ void {name}({args}) {{\n{inner}\n}}\n'


def digest(text: str, n: int = 10) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


# --- the device header: the math macros the ops' scalar expressions use -----------------------
# (macro, float function, double function); M_SIGMOID is defined below, numerically careful.
MATH = [("M_EXP", "expf", "exp"), ("M_LOG", "logf", "log"), ("M_LOG1P", "log1pf", "log1p"),
        ("M_TANH", "tanhf", "tanh"), ("M_FABS", "fabsf", "fabs"), ("M_SQRT", "sqrtf", "sqrt"),
        ("M_FLOOR", "floorf", "floor"), ("M_CEIL", "ceilf", "ceil"),
        ("M_RINT", "rintf", "rint"),  # rint: half to even in the default rounding mode
        ("M_EXPM1", "expm1f", "expm1"), ("M_ERFC", "erfcf", "erfc"),
        ("M_LGAMMA", "lgammaf", "lgamma")]
BINARY_MATH = [("M_ATAN2", "atan2f", "atan2")]  # (macro, float function, double function)


def _math_functions():
    """(macro, float function, double function, argument list) of every math macro."""
    return [(*m, "v") for m in MATH] + [(*m, "a, b") for m in BINARY_MATH]


def device_header(dtypes) -> str:
    """Math functions for the float types in `dtypes` and the M_* macros over them."""
    lines = ["/* graphflow device header: the math macros of the ops' scalar expressions. */",
             "#define GF_DEVICE __device__ __forceinline__"]
    types = [t for t in ("float", "double") if t in dtypes]
    for macro, f32, f64, args in _math_functions():
        for t in types:
            params = ", ".join(f"{t} {a}" for a in args.split(", "))
            call = f32 if t == "float" else f64
            lines.append(f"GF_DEVICE {t} gf_{macro[2:].lower()}({params}) "
                         f"{{ return {call}({args}); }}")
    for t in types:  # 1 / (1 + e^-|v|) or e^-|v| / (1 + e^-|v|): no overflow; NaN stays NaN
        e = "expf" if t == "float" else "exp"
        lines.append(f"GF_DEVICE {t} gf_sigmoid({t} v) {{ {t} e = {e}(v >= ({t})0 ? -v : v); "
                     f"return v >= ({t})0 ? ({t})1 / (({t})1 + e) : e / (({t})1 + e); }}")
    for macro, _, _, args in [*_math_functions(), ("M_SIGMOID", "", "", "v")]:
        lines += [f"#undef {macro}", f"#define {macro}({args}) gf_{macro[2:].lower()}({args})"]
    return "\n".join(lines) + "\n"


def unravel(itype: str, dims, var: str = "i") -> list[str]:
    """Lines declaring the coordinates `dims` ((name, size), outermost first) of index `var`."""
    lines, rest = [], var
    for k in reversed(range(len(dims))):
        name, size = dims[k]
        if k == 0:
            lines.append(f"const {itype} {name} = {rest};")
        else:
            lines.append(f"const {itype} {name} = {rest} % {size};")
            lines.append(f"const {itype} {name}_r = {rest} / {size};")
            rest = f"{name}_r"
    return lines


def named(kind: str, params, body: list[str]) -> tuple[str, str]:
    """(deterministic name, text) of a kernel: identical kernels get identical names."""
    name = f"gf_{kind}_{digest(repr(tuple(params)) + chr(10).join(body))}"
    return name, kernel_text(name, params, body)
