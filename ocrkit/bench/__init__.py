"""Benchmark cases shared by ``ocrkit bench`` and the pytest-benchmark suite.

Each kernel family registers its cases in a ``cases_<family>.py`` module here:
a module-level ``cases()`` returning a list of :class:`Case`.  A case times
ocrkit against OpenCV on the same input (and, for the record, against
scipy.ndimage or scikit-image where they have the operation).
"""
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

__all__ = ["Case", "all_cases", "make_image", "SIZES"]

SIZES = {"480p": (480, 640), "1080p": (1080, 1920)}


@dataclass
class Case:
    family: str                      # e.g. "filters"
    name: str                        # e.g. "gaussian_blur 5x5"
    size: str                        # key of SIZES, or a free label such as "10000 boxes"
    channels: int                    # 1 or 3 (0 when not an image)
    make: Callable[[np.random.Generator], tuple]   # builds the arguments once
    ours: Callable                   # ours(*args)
    opencv: Optional[Callable] = None
    baseline: Optional[Callable] = None
    baseline_name: str = ""
    quick: bool = True               # part of ``ocrkit bench --quick``
    tags: tuple = field(default_factory=tuple)

    @property
    def label(self):
        ch = {0: "", 1: " gray", 3: " BGR", 4: " BGRA"}.get(self.channels, f" {self.channels}ch")
        return f"{self.name} [{self.size}{ch}]"


def make_image(rng, size="1080p", channels=1, dtype=np.uint8):
    """A natural-looking test image: smooth gradients, edges and noise (not pure noise,
    which would flatter or punish some algorithms)."""
    h, w = SIZES[size] if isinstance(size, str) else size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = 128 + 60 * np.sin(xx / 37.0) * np.cos(yy / 23.0)
    base += 40 * ((xx // 64 + yy // 64) % 2) - 20
    out = []
    for c in range(channels):
        noise = rng.normal(0, 12, size=(h, w)).astype(np.float32)
        out.append(np.clip(base + noise + 15 * c, 0, 255))
    img = np.stack(out, axis=-1) if channels > 1 else out[0]
    if np.dtype(dtype) == np.uint8:
        return img.astype(np.uint8)
    return (img / 255.0).astype(dtype)


def all_cases(family=None):
    """Every registered case, optionally only those of one family."""
    from . import __path__ as pkg_path
    found = []
    for mod in sorted(m.name for m in pkgutil.iter_modules(pkg_path)):
        if not mod.startswith("cases_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod}")
        for case in module.cases():
            if family is None or case.family == family:
                found.append(case)
    return found
