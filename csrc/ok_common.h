/* Shared helpers for ocrkit's C99 kernels: border indexing and saturating casts.
 *
 * Everything here is static inline so each kernel family stays a self-contained
 * translation unit that builds for x86-64 and aarch64 alike.  Border codes use
 * OpenCV's numbering so the Python layer can pass them straight through.
 */
#ifndef OK_COMMON_H
#define OK_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

enum ok_border {
    OK_BORDER_CONSTANT = 0,   /* iiiiii|abcdefgh|iiiiiii  with i given      */
    OK_BORDER_REPLICATE = 1,  /* aaaaaa|abcdefgh|hhhhhhh                    */
    OK_BORDER_REFLECT = 2,    /* fedcba|abcdefgh|hgfedcb                    */
    OK_BORDER_WRAP = 3,       /* cdefgh|abcdefgh|abcdefg                    */
    OK_BORDER_REFLECT101 = 4  /* gfedcb|abcdefgh|gfedcba  (OpenCV default)  */
};

/* Map a coordinate outside [0, len) back inside, as cv::borderInterpolate does.
 * Returns -1 for OK_BORDER_CONSTANT, meaning "use the constant". */
static inline ptrdiff_t ok_border_index(ptrdiff_t p, ptrdiff_t len, int border)
{
    if ((size_t)p < (size_t)len)
        return p;
    switch (border) {
    case OK_BORDER_REPLICATE:
        return p < 0 ? 0 : len - 1;
    case OK_BORDER_REFLECT:
    case OK_BORDER_REFLECT101: {
        ptrdiff_t delta = border == OK_BORDER_REFLECT101;
        if (len == 1)
            return 0;
        do {
            if (p < 0)
                p = -p - 1 + delta;
            else
                p = len - 1 - (p - len) - delta;
        } while ((size_t)p >= (size_t)len);
        return p;
    }
    case OK_BORDER_WRAP:
        if (p < 0)
            p -= ((p - len + 1) / len) * len;
        if (p >= len)
            p %= len;
        return p;
    default:
        return -1;
    }
}

static inline uint8_t ok_sat_u8(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static inline int16_t ok_sat_s16(int v)
{
    return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v);
}

static inline uint16_t ok_sat_u16(int v)
{
    return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

/* cvRound: round half to even (the FPU's default mode), saturated to int. */
static inline int ok_round_f32(float v)
{
    if (!(v > -2147483520.0f))  /* also catches NaN, which OpenCV maps to INT_MIN */
        return INT32_MIN;
    if (v >= 2147483520.0f)
        return INT32_MAX;
    return (int)lrintf(v);
}

static inline int ok_round_f64(double v)
{
    if (!(v > -2147483648.5))
        return INT32_MIN;
    if (v >= 2147483647.5)
        return INT32_MAX;
    return (int)lrint(v);
}

/* Round half to even for |v| < 2^22 by adding and removing 1.5 * 2^23: the
 * addition rounds in the FPU's default mode. Unlike lrintf this vectorises
 * with plain SSE2/NEON. (Relies on no -ffast-math, which would fold it.) */
static inline float ok_rint_small(float v)
{
    return (v + 12582912.0f) - 12582912.0f;
}

static inline uint8_t ok_sat_u8_f32(float v) { return ok_sat_u8(ok_round_f32(v)); }
static inline int16_t ok_sat_s16_f32(float v) { return ok_sat_s16(ok_round_f32(v)); }
static inline uint16_t ok_sat_u16_f32(float v) { return ok_sat_u16(ok_round_f32(v)); }

/* Hot loops get an AVX2 clone next to the portable one on x86-64 Linux with GCC;
 * the loader picks the clone at run time, so wheels stay -march-portable. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    defined(__GLIBC__) && !defined(OK_NO_CLONES)
/* the clone is picked through an IFUNC, which needs glibc (musl has none) */
#define OK_HOT __attribute__((target_clones("avx2", "default")))
#define OK_HAVE_CLONES 1
#else
#define OK_HOT
#define OK_HAVE_CLONES 0
#endif

/* Loops whose results are defined by a fused multiply-add (OpenCV's warps use
 * v_fma): the x86-64-v3 clone (AVX2 + FMA) turns fmaf into vfmadd; the default
 * clone calls libm's fmaf, exact but slow, on x86-64 CPUs older than 2013.
 * OK_NATIVE_FMA says fmaf is cheap wherever the hot loops run. */
#if OK_HAVE_CLONES && __GNUC__ >= 12
#define OK_HOT_FMA __attribute__((target_clones("arch=x86-64-v3", "default")))
#define OK_NATIVE_FMA 1
#elif defined(__FMA__) || defined(__ARM_FEATURE_FMA) || defined(__aarch64__)
#define OK_HOT_FMA OK_HOT
#define OK_NATIVE_FMA 1
#else
#define OK_HOT_FMA OK_HOT
#define OK_NATIVE_FMA 0
#endif

/* Element types shared by the kernels (values fixed: the Cython layer passes them). */
enum ok_type { OK_U8 = 0, OK_S16 = 1, OK_U16 = 2, OK_F32 = 3 };

/* Rows [y0, y1) of an image split into `n` near-equal parts: part i. */
static inline void ok_row_range(int h, int n, int i, int *y0, int *y1)
{
    *y0 = (int)((int64_t)h * i / n);
    *y1 = (int)((int64_t)h * (i + 1) / n);
}

#endif
