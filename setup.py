"""Build script for ocrkit's C kernels (csrc/) and their Cython bindings (ocrkit/_ext/).

Each ``ocrkit/_ext/*.pyx`` names the C files it needs with a
``# distutils: sources = csrc/....c`` line at its top, so adding a kernel family
never touches this file.  OpenMP is used when the compiler accepts it (set
``OCRKIT_NO_OPENMP=1`` to build without it); flags stay portable (no -march=native).
"""
import glob
import os
import sys
import tempfile

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))

# -fno-trapping-math lets GCC if-convert float clamps (results are unchanged: we never
# rely on FP exceptions); -ffp-contract=off keeps float results identical across ISAs.
# -fno-wrapv undoes the -fwrapv that Python's own CFLAGS bring: with wrapping
# int arithmetic GCC cannot prove index expressions such as 2*j or x*cn+c
# monotonic and leaves those loops scalar.  The kernels never rely on signed
# overflow (tests/test_portable_c.py builds them without -fwrapv and compares).
COMMON_CFLAGS = ["-O3", "-fno-wrapv", "-ffp-contract=off", "-fno-math-errno",
                 "-fno-trapping-math", "-Wno-unused-function"]


def _compiler_accepts(compiler, cflags, ldflags):
    """Compile and link a tiny OpenMP program with the given flags."""
    src = "#include <omp.h>\nint main(void){return omp_get_max_threads() > 0 ? 0 : 1;}\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "probe.c")
        with open(path, "w") as fh:
            fh.write(src)
        try:
            objs = compiler.compile([path], output_dir=tmp, extra_postargs=cflags)
            compiler.link_executable(objs, os.path.join(tmp, "probe"), extra_postargs=ldflags)
        except Exception:
            return False
    return True


class BuildExt(build_ext):
    def build_extensions(self):
        ctype = self.compiler.compiler_type
        if ctype == "msvc":
            cflags, ldflags, omp = ["/O2"], [], (["/openmp"], [])
        else:
            cflags, ldflags = list(COMMON_CFLAGS), []
            omp = (["-fopenmp"], ["-fopenmp"])
            if sys.platform == "darwin":
                omp = (["-Xpreprocessor", "-fopenmp"], ["-lomp"])
        use_omp = os.environ.get("OCRKIT_NO_OPENMP", "") not in ("1", "true", "yes")
        if use_omp and _compiler_accepts(self.compiler, omp[0], omp[1]):
            cflags += omp[0]
            ldflags += omp[1]
            print("ocrkit: building with OpenMP")
        else:
            print("ocrkit: building without OpenMP (kernels run on one thread)")
        for ext in self.extensions:
            ext.extra_compile_args = cflags + list(ext.extra_compile_args or [])
            ext.extra_link_args = ldflags + list(ext.extra_link_args or [])
        super().build_extensions()


def extensions():
    exts = []
    for pyx in sorted(glob.glob(os.path.join("ocrkit", "_ext", "*.pyx"))):
        name = os.path.splitext(pyx)[0].replace(os.sep, ".")
        exts.append(
            Extension(
                name,
                [pyx],
                include_dirs=[np.get_include(), "csrc"],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            )
        )
    return cythonize(
        exts,
        compiler_directives={
            "language_level": "3",
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
