"""Build the Cython extensions in ext/ into graphflow._ext, with OpenMP and warnings on."""

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

OPENMP = ["-fopenmp"]
WARNINGS = ["-Wall", "-Wno-unused-function", "-Wno-unreachable-code"]


def extension(name: str) -> Extension:
    return Extension(
        f"graphflow._ext.{name}",
        [f"ext/{name}.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3", *OPENMP, *WARNINGS],
        extra_link_args=OPENMP,
    )


setup(
    ext_modules=cythonize(
        [extension("runloop")],
        compiler_directives={"language_level": "3", "boundscheck": False, "wraparound": False},
        annotate=False,
    ),
)
