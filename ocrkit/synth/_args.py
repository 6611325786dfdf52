"""Argument checks shared by the generators (built on ocrkit._validate)."""
import numpy as np

from .. import _validate

__all__ = ["SPLITS", "check_rng", "check_split", "check_size"]

#: the two disjoint data splits: fonts, vocabulary and codes never cross between them
SPLITS = ("train", "val")


def check_rng(rng, name="rng"):
    """Every generator draws from one caller-owned ``numpy.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    return rng


def check_split(split, name="split"):
    return _validate.choice(split, SPLITS, name)


def check_size(size, name="size", minimum=32, maximum=8192):
    """An image size as (width, height), like OpenCV; an int means square."""
    if isinstance(size, (str, bytes)):
        raise TypeError(f"{name} must be an int or a (width, height) pair, got {size!r}")
    w, h = _validate.size_pair(size, name, minimum=minimum)
    if w > maximum or h > maximum:
        raise ValueError(f"{name} must be at most {maximum} per side, got {size!r}")
    return w, h
