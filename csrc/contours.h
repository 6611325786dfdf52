/* Contour retrieval: Suzuki–Abe border following as OpenCV 5's cv::findContours.
 *
 * Two steps: ok_contours_binarize() copies rows of the source into a padded
 * 0/1 label image (row-parallel), then ok_find_contours() scans it once,
 * following every border it meets, and returns the contours in OpenCV's order
 * with their hierarchy.  The label image is overwritten by the scan.
 */
#ifndef OK_CONTOURS_H
#define OK_CONTOURS_H

#include <stddef.h>
#include <stdint.h>

enum ok_retr { OK_RETR_EXTERNAL = 0, OK_RETR_LIST = 1, OK_RETR_CCOMP = 2, OK_RETR_TREE = 3 };
enum ok_chain { OK_CHAIN_NONE = 1, OK_CHAIN_SIMPLE = 2 };

/* Extra bytes the label buffer needs after its last row (word-wide row scans). */
#define OK_CONTOURS_SLACK 16

typedef struct {
    int32_t *pts;     /* x, y pairs of all contours, in tracing order          */
    int64_t npts;
    int64_t *start;   /* per output contour: index of its first point in pts   */
    int32_t *count;   /* per output contour: number of points                  */
    int32_t *hier;    /* per output contour: next, prev, first_child, parent   */
    int ncont;
} ok_contour_set;

/* Rows [y0, y1) of a width x height uint8 image into the (height+2) x (width+2)
 * label image `lab` (rows `lstep` bytes apart): 1 where src != 0, else 0, with
 * a zero frame (OpenCV 5 pads the image this way, so image-edge pixels count). */
void ok_contours_binarize(const uint8_t *src, ptrdiff_t sstep, int width, int height,
                          int8_t *lab, ptrdiff_t lstep, int y0, int y1);

/* Trace every contour of the label image made by ok_contours_binarize.
 * Returns 0, or -1 when out of memory (out is then empty). */
int ok_find_contours(int8_t *lab, ptrdiff_t lstep, int width, int height, int mode,
                     int method, ok_contour_set *out);

void ok_contour_set_free(ok_contour_set *cs);

#endif
