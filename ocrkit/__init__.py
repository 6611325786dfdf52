"""ocrkit: a small, fast imaging and OCR toolkit for CPUs.

Kernels give OpenCV's answers (BGR channel order, OpenCV's rounding and borders)
from our own C, with NumPy as the only runtime dependency.

>>> import numpy as np, ocrkit
>>> img = np.zeros((4, 4), np.uint8)
>>> ocrkit.gaussian_blur(img, (3, 3), 0).shape
(4, 4)
"""
__version__ = "0.1.0"

from . import color, contours, edges, filters, geometry, labeling, morphology, nms, threshold  # noqa: E402

# collected before the star imports: ``threshold`` the function then shadows
# ``threshold`` the module in this namespace
_PUBLIC = (filters.__all__ + morphology.__all__ + threshold.__all__
           + color.__all__ + geometry.__all__ + nms.__all__
           + edges.__all__ + contours.__all__ + labeling.__all__)
from ._threads import get_num_threads, set_num_threads  # noqa: E402
from .color import *  # noqa: E402,F401,F403
from .contours import *  # noqa: E402,F401,F403
from .edges import *  # noqa: E402,F401,F403
from .filters import *  # noqa: E402,F401,F403
from .geometry import *  # noqa: E402,F401,F403
from .labeling import *  # noqa: E402,F401,F403
from .morphology import *  # noqa: E402,F401,F403
from .nms import *  # noqa: E402,F401,F403
from .threshold import *  # noqa: E402,F401,F403
# the character recogniser loads TFLite only when one is made, so these import
# without an interpreter installed
from .charnet import CharRecognizer  # noqa: E402
from .east import EASTDetector  # noqa: E402
from .segment import CharReading, read_characters, segment_characters  # noqa: E402

__all__ = ["__version__", "set_num_threads", "get_num_threads", "CharRecognizer", "EASTDetector",
           "CharReading", "read_characters", "segment_characters"] + _PUBLIC
