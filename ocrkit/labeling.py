"""Connected-component labelling."""

__all__ = []
