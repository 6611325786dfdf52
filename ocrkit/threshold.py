"""Fixed, Otsu, triangle and adaptive thresholding."""

__all__ = []
