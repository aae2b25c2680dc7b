"""Build every Cython module in ext/ into graphflow._ext, with OpenMP and warnings on.

`ext/NAME.pyx` becomes `graphflow._ext.NAME`; C sources in `ext/NAME/` (if any) are compiled
into the same extension.
"""

import glob
import os
import platform

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

OPENMP = ["-fopenmp"]
WARNINGS = ["-Wall", "-Wno-unused-function", "-Wno-unreachable-code"]


def extension(pyx: str) -> Extension:
    name = os.path.splitext(os.path.basename(pyx))[0]
    c_sources = sorted(glob.glob(os.path.join("ext", name, "*.c")))
    return Extension(
        f"graphflow._ext.{name}",
        [pyx, *c_sources],
        include_dirs=[numpy.get_include(), "ext", os.path.join("ext", name)],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3", *OPENMP, *WARNINGS]
        + (["-fno-math-errno"] if platform.machine() in ("x86_64", "AMD64") else []),
        extra_link_args=OPENMP,
    )


def modules() -> list[str]:
    """Every ext/*.pyx; GRAPHFLOW_EXT_ONLY=a,b limits a development rebuild to those modules."""
    found = sorted(glob.glob(os.path.join("ext", "*.pyx")))
    only = os.environ.get("GRAPHFLOW_EXT_ONLY")
    if only:
        wanted = set(only.split(","))
        found = [p for p in found if os.path.splitext(os.path.basename(p))[0] in wanted]
    return found


setup(
    ext_modules=cythonize(
        [extension(p) for p in modules()],
        compiler_directives={"language_level": "3", "boundscheck": False, "wraparound": False},
        annotate=False,
    ),
)
