"""Edge detection (Canny)."""

__all__ = []
