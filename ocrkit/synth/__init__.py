"""Synthetic text images rendered with Pillow and NumPy: the data ocrkit's models
are trained and evaluated on (no dataset or weights are downloaded).

Every generator takes a ``numpy.random.Generator`` (same seed, same bytes) and a
``split`` ("train" or "val"): the two splits share no font design and no word or
code. Needs Pillow and the Debian font packages listed in
:data:`ocrkit.synth.fonts.APT_PACKAGES` plus ``wamerican``; the core ``ocrkit``
never imports this package.

>>> import numpy as np
>>> from ocrkit.synth import make_scene
>>> img, quads, words = make_scene(np.random.default_rng(0))
>>> img.shape
(512, 512, 3)
"""
from .chars import DEFAULT_ALPHABET, make_char_crops
from .documents import make_document
from .fonts import FontsNotFoundError
from .plates import make_plate
from .scenes import make_scene
from .sudoku import make_sudoku

__all__ = ["make_scene", "make_document", "make_char_crops", "make_plate", "make_sudoku",
           "DEFAULT_ALPHABET", "FontsNotFoundError"]
