"""Non-maximum suppression: boxes, rotated boxes, polygons, EAST's locality-aware merge."""

__all__ = []
