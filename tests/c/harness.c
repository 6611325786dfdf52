/* Runs csrc kernels on a fixed pseudo-random image and prints one FNV-1a hash
 * per result, so the same kernels built for another architecture (aarch64
 * under qemu) can be checked bit for bit against the x86-64 Python build.
 *
 * Build: cc -O3 -fno-trapping-math -ffp-contract=off -Icsrc tests/c/harness.c csrc/convolve.c csrc/convolve_q8_x86.c -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convolve.h"
#include "ok_common.h"

static uint64_t fnv1a(const void *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The image the Python side rebuilds: x_{k+1} = x_k * 1103515245 + 12345 (mod 2^32), byte = x >> 24. */
static void fill(uint8_t *img, size_t n)
{
    uint32_t x = 20261123u;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        img[i] = (uint8_t)(x >> 24);
    }
}

int main(void)
{
    enum { H = 67, W = 101, CN = 3 };
    static uint8_t src[H * W * CN], dst[H * W * CN * 4];
    fill(src, sizeof(src));
    ok_planes p = {src, W * CN, OK_U8, dst, W * CN, OK_U8, W, H, CN, OK_BORDER_REFLECT101};

    /* Gaussian 5x5, sigma 0: OpenCV's fixed binomial taps in Q8 */
    const uint16_t g5[5] = {16, 64, 96, 64, 16};
    ok_sep_filter_u8_q8(&p, g5, 5, 2, g5, 5, 2, 0, 0, H);
    printf("gaussian5 %016llx\n", (unsigned long long)fnv1a(dst, H * W * CN));

    /* 13-tap Q8 row/column (the paired multi-pass path) */
    const uint16_t g13[13] = {1, 3, 8, 16, 27, 37, 84, 37, 27, 16, 8, 3, 1};
    ok_sep_filter_u8_q8(&p, g13, 13, 6, g13, 13, 6, 0, 0, H);
    printf("gaussian13 %016llx\n", (unsigned long long)fnv1a(dst, H * W * CN));

    /* box mean 7x5, replicate */
    p.border = OK_BORDER_REPLICATE;
    ok_box_filter_u8(&p, 7, 5, 3, 2, 1, 0, H);
    printf("box7x5 %016llx\n", (unsigned long long)fnv1a(dst, H * W * CN));

    /* Sobel dx to int16, constant border */
    p.border = OK_BORDER_CONSTANT;
    p.dtype = OK_S16;
    p.dstep = W * CN * 2;
    const int16_t d1[3] = {-1, 0, 1}, s1[3] = {1, 2, 1};
    ok_sep_filter_u8_i16(&p, d1, 3, 1, s1, 3, 1, 0.0f, 0, H);
    printf("sobel_dx %016llx\n", (unsigned long long)fnv1a(dst, H * W * CN * 2));

    /* float 2-D kernel to uint8, reflect */
    p.border = OK_BORDER_REFLECT;
    p.dtype = OK_U8;
    p.dstep = W * CN;
    const float k[9] = {0.0f, -0.5f, 0.0f, -0.5f, 3.0f, -0.5f, 0.0f, -0.5f, 0.0f};
    ok_filter2d_f32(&p, k, 3, 3, 1, 1, 0.0f, 0, H);
    printf("filter2d %016llx\n", (unsigned long long)fnv1a(dst, H * W * CN));
    return 0;
}
