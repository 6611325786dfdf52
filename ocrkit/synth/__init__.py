"""Synthetic text images rendered with Pillow: the training and test data of ocrkit's models.
"""
from .documents import make_document
from .scenes import make_scene

__all__ = ["make_scene", "make_document"]
