# distutils: sources =
"""Thread-count plumbing: whether OpenMP was compiled in, and how many threads it has."""

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static int ok_have_openmp(void) { return 1; }
    static int ok_omp_max_threads(void) { return omp_get_max_threads(); }
    #else
    static int ok_have_openmp(void) { return 0; }
    static int ok_omp_max_threads(void) { return 1; }
    #endif
    """
    int ok_have_openmp() nogil
    int ok_omp_max_threads() nogil


def have_openmp():
    """True when the kernels were built with OpenMP."""
    return bool(ok_have_openmp())


def omp_max_threads():
    return ok_omp_max_threads()
