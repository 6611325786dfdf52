"""Private Cython bindings over the C kernels in csrc/. They trust their inputs:
all checking happens in the public modules (ocrkit.filters, ...)."""
