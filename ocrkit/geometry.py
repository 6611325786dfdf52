"""Resize, affine and perspective warps."""

__all__ = []
