"""Grayscale conversion and histogram equalisation."""

__all__ = []
