"""Synthetic text images rendered with Pillow: the training and test data of ocrkit's models.
"""
from .scenes import make_scene

__all__ = ["make_scene"]
