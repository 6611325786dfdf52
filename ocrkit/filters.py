"""Linear filtering: convolution, box, Gaussian, derivatives; median and bilateral."""

__all__ = []
