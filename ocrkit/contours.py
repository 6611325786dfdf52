"""Contours and shape analysis: find_contours, approx_poly_dp, areas, hulls, rectangles."""

__all__ = []
