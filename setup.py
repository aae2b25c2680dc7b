"""Build every Cython module in ext/ into graphflow._ext, with OpenMP and warnings on.

`ext/NAME.pyx` becomes `graphflow._ext.NAME`; C sources in `ext/NAME/` (if any) are compiled
into the same extension, and its headers there are dependencies (a changed header rebuilds it).
A module other modules cimport declares itself in `graphflow/_ext/NAME.pxd`, beside the module.
Cython translates the modules in parallel and build_ext compiles them in parallel (one job per
core unless `-j N` is given); each compiled module prints how long it took.

Environment: GRAPHFLOW_EXT_ONLY=a,b limits a development rebuild to those modules;
GRAPHFLOW_NO_EXT=1 leaves the extension out (scripts/setup.sh builds it in place itself, then
makes an editable install that must not compile it a second time).
"""

import glob
import os
import platform
import runpy
import time

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

OPENMP = ["-fopenmp"]
WARNINGS = ["-Wall", "-Wno-unused-function", "-Wno-unreachable-code"]
JOBS = os.cpu_count() or 1


def extension(pyx: str) -> Extension:
    name = os.path.splitext(os.path.basename(pyx))[0]
    c_sources = sorted(glob.glob(os.path.join("ext", name, "*.c")))
    return Extension(
        f"graphflow._ext.{name}",
        [pyx, *c_sources],
        depends=sorted(glob.glob(os.path.join("ext", name, "*.h")))
        + glob.glob(os.path.join("graphflow", "_ext", f"{name}.pxd")),  # cimportable layout
        include_dirs=[numpy.get_include(), "ext", os.path.join("ext", name)],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3", *OPENMP, *WARNINGS]
        + (["-fno-math-errno"] if platform.machine() in ("x86_64", "AMD64") else []),
        extra_link_args=OPENMP,
    )


def forget_stale_translation(pyx: str) -> None:
    """Make Cython translate `pyx` again when its own `graphflow/_ext/NAME.pxd` changed.

    Cython's dependency check sees the .pxd files a module cimports, but not the one that
    declares the module itself from another folder: without this, an edited method table in
    the .pxd is compiled into modules that cimport it, not into the module, and the two disagree.
    """
    name = os.path.splitext(os.path.basename(pyx))[0]
    own = os.path.join("graphflow", "_ext", f"{name}.pxd")
    translated = os.path.splitext(pyx)[0] + ".c"
    if os.path.exists(own) and os.path.exists(translated) \
            and os.path.getmtime(own) > os.path.getmtime(translated):
        os.remove(translated)


def modules() -> list[str]:
    """Every ext/*.pyx; GRAPHFLOW_EXT_ONLY=a,b limits a development rebuild to those modules."""
    if os.environ.get("GRAPHFLOW_NO_EXT") == "1":
        return []
    found = sorted(glob.glob(os.path.join("ext", "*.pyx")))
    only = os.environ.get("GRAPHFLOW_EXT_ONLY")
    if only:
        wanted = set(only.split(","))
        found = [p for p in found if os.path.splitext(os.path.basename(p))[0] in wanted]
    return found


class TimedParallelBuildExt(build_ext):
    """build_ext with one compile job per core by default, reporting each module's time."""

    def finalize_options(self):
        if self.parallel is None:
            self.parallel = JOBS
        super().finalize_options()

    def build_extension(self, ext):
        path = self.get_ext_fullpath(ext.name)
        before = os.path.getmtime(path) if os.path.exists(path) else None
        start = time.perf_counter()
        super().build_extension(ext)  # skips a module whose output is newer than its sources
        if os.path.exists(path) and os.path.getmtime(path) != before:
            print(f"setup.py: compiled {ext.name} in {time.perf_counter() - start:.1f} s",
                  flush=True)


# The fused evaluator's opcodes are rendered from the ops' own scalar declarations first.
runpy.run_path(os.path.join("ext", "gen_elementwise.py"))["generate"](os.path.dirname(
    os.path.abspath(__file__)))

for source in modules():
    forget_stale_translation(source)

setup(
    ext_modules=cythonize(
        [extension(p) for p in modules()],
        compiler_directives={"language_level": "3", "boundscheck": False, "wraparound": False},
        annotate=False,
        nthreads=JOBS if JOBS > 1 else 0,
    ),
    cmdclass={"build_ext": TimedParallelBuildExt},
)
