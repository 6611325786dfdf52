"""Image arguments of the jobs: checked once, turned gray once."""
from .. import _validate
from ..color import to_gray


def gray(img, name="img"):
    """A uint8 gray view of a job's input (H×W, H×W×1, BGR or BGRA)."""
    img = _validate.uint8_image(img, name)
    return img if img.ndim == 2 else to_gray(img[:, :, :3])
