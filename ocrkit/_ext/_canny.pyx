# distutils: sources = csrc/canny.c
"""Bindings for csrc/canny.c. Arrays arrive checked and C-contiguous (H×W×C)."""
cimport numpy as cnp
from libc.stdint cimport int16_t, uint8_t
from libc.stdlib cimport calloc, free
from cython.parallel cimport prange

cnp.import_array()

cdef extern from "ok_common.h" nogil:
    void ok_row_range(int h, int n, int i, int *y0, int *y1)

cdef extern from "canny.h" nogil:
    ctypedef struct ok_canny_args:
        const uint8_t *src
        Py_ssize_t sstep
        const int16_t *dx
        const int16_t *dy
        Py_ssize_t gstep
        int width, height, cn
        int ksize
        int l2
        int low, high
        uint8_t *map
        Py_ssize_t mapstep
    ctypedef struct ok_canny_stack:
        Py_ssize_t size
    int ok_canny_nms(const ok_canny_args *a, int y0, int y1, ok_canny_stack *st)
    int ok_canny_hysteresis(const ok_canny_args *a, ok_canny_stack *stacks, int nstacks)
    void ok_canny_output(const ok_canny_args *a, uint8_t *dst, Py_ssize_t dstep, int y0, int y1)
    void ok_canny_map_frame(const ok_canny_args *a)
    void ok_canny_stack_free(ok_canny_stack *st)


cdef void _run(ok_canny_args *a, cnp.ndarray dst, int nthreads) except *:
    cdef int h = a.height
    # stage 1 recomputes one halo row of gradients per chunk: keep chunks tall
    cdef int nchunks = max(1, min(nthreads, h // 16))
    cdef int i, y0, y1, err = 0
    cdef cnp.ndarray mapbuf = cnp.PyArray_EMPTY(1, [<cnp.npy_intp>(a.height + 2) * (a.width + 2)],
                                                cnp.NPY_UINT8, 0)
    a.map = <uint8_t *>cnp.PyArray_DATA(mapbuf)
    a.mapstep = a.width + 2
    cdef ok_canny_stack *stacks = <ok_canny_stack *>calloc(nchunks, sizeof(ok_canny_stack))
    if stacks == NULL:
        raise MemoryError()
    cdef uint8_t *out = <uint8_t *>cnp.PyArray_DATA(dst)
    cdef Py_ssize_t dstep = dst.strides[0]
    try:
        with nogil:
            ok_canny_map_frame(a)
            for i in prange(nchunks, num_threads=nthreads, schedule="static"):
                y0 = 0  # assigned here so prange makes y0, y1 thread-private
                y1 = 0
                ok_row_range(h, nchunks, i, &y0, &y1)
                err += ok_canny_nms(a, y0, y1, &stacks[i])
            if err == 0:
                err = ok_canny_hysteresis(a, stacks, nchunks)
            if err == 0:
                for i in prange(nchunks, num_threads=nthreads, schedule="static"):
                    y0 = 0  # assigned here so prange makes y0, y1 thread-private
                    y1 = 0
                    ok_row_range(h, nchunks, i, &y0, &y1)
                    ok_canny_output(a, out, dstep, y0, y1)
    finally:
        for i in range(nchunks):
            ok_canny_stack_free(&stacks[i])
        free(stacks)
    if err:
        raise MemoryError("ocrkit: out of memory in canny")


def canny_u8(cnp.ndarray src, cnp.ndarray dst, int ksize, bint l2, int low, int high, int nthreads):
    cdef ok_canny_args a
    a.src = <const uint8_t *>cnp.PyArray_DATA(src)
    a.sstep = src.strides[0]
    a.dx = NULL
    a.dy = NULL
    a.gstep = 0
    a.height = <int>src.shape[0]
    a.width = <int>src.shape[1]
    a.cn = <int>src.shape[2]
    a.ksize = ksize
    a.l2 = l2
    a.low = low
    a.high = high
    _run(&a, dst, nthreads)


def canny_grad(cnp.ndarray dx, cnp.ndarray dy, cnp.ndarray dst, bint l2, int low, int high,
               int nthreads):
    cdef ok_canny_args a
    a.src = NULL
    a.sstep = 0
    a.dx = <const int16_t *>cnp.PyArray_DATA(dx)
    a.dy = <const int16_t *>cnp.PyArray_DATA(dy)
    a.gstep = dx.strides[0] // 2
    a.height = <int>dx.shape[0]
    a.width = <int>dx.shape[1]
    a.cn = <int>dx.shape[2]
    a.ksize = 3
    a.l2 = l2
    a.low = low
    a.high = high
    _run(&a, dst, nthreads)
