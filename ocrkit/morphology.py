"""Erosion, dilation and the morphology family; median and bilateral live in filters."""

__all__ = []
