"""Benchmark cases for the non-linear smoothing kernels (family "smoothing"):
median_blur and bilateral_filter against cv2.medianBlur / cv2.bilateralFilter, with
scipy.ndimage.median_filter and skimage.restoration.denoise_bilateral as baselines."""
from . import Case, make_image


def _median_case(ksize, size, channels, quick=True):
    from .._nonlinear import median_blur

    def make(rng):
        return (make_image(rng, size, channels), ksize)

    def opencv(img, k):
        import cv2
        return cv2.medianBlur(img, k)

    def scipy_median(img, k):
        from scipy import ndimage
        return ndimage.median_filter(img, size=(k, k) if img.ndim == 2 else (k, k, 1), mode="nearest")

    return Case("smoothing", f"median_blur {ksize}x{ksize}", size, channels, make, median_blur,
                opencv=opencv, baseline=scipy_median, baseline_name="scipy", quick=quick)


def _bilateral_case(d, sigma_color, sigma_space, size, channels, quick=True):
    from .._nonlinear import bilateral_filter

    def make(rng):
        return (make_image(rng, size, channels), d, sigma_color, sigma_space)

    def opencv(img, d, sc, ss):
        import cv2
        return cv2.bilateralFilter(img, d, sc, ss)

    def skimage_bilateral(img, d, sc, ss):
        from skimage.restoration import denoise_bilateral
        # skimage works on floats in [0, 1]: the colour sigma scales accordingly
        return denoise_bilateral(img, win_size=d, sigma_color=sc / 255.0, sigma_spatial=ss,
                                 channel_axis=-1 if img.ndim == 3 else None)

    return Case("smoothing", f"bilateral_filter d={d}", size, channels, make, bilateral_filter,
                opencv=opencv, baseline=skimage_bilateral, baseline_name="skimage", quick=quick)


def cases():
    return [
        _median_case(3, "1080p", 1),
        _median_case(5, "1080p", 1),
        _median_case(15, "1080p", 1),
        _median_case(5, "1080p", 3),
        _median_case(3, "480p", 1),
        _median_case(7, "480p", 3, quick=False),
        _bilateral_case(9, 75.0, 75.0, "1080p", 3),
        _bilateral_case(9, 75.0, 75.0, "480p", 3),
        _bilateral_case(5, 30.0, 5.0, "480p", 1, quick=False),
    ]
