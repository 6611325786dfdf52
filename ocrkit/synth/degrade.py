"""Camera and scanner degradations: blur, noise, uneven light, shadows, JPEG.

Every function takes the caller's ``numpy.random.Generator`` and returns a new
uint8 array (gray H×W or BGR H×W×3); the input is never modified.

Gaussian noise is cut from a fixed bank of N(0, 1) samples (made once from a
constant seed) at a random offset chosen by `rng`: drawing 786k fresh normals
per 512×512 image would cost more than the rest of a scene, and the output still
depends only on `rng`.
"""
import functools
import io

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .backgrounds import _smooth_image, smooth_field

__all__ = ["gaussian_blur", "motion_blur", "defocus", "add_noise", "uneven_light", "camera",
           "cast_shadow", "adjust_contrast", "jpeg", "warp_onto"]

_BANK = 1024
_BANK_SCALE = 16   # bank holds round(16 · N(0, 1)) as int8: sigma has 1/16 level steps


@functools.lru_cache(maxsize=1)
def _noise_bank():
    z = np.random.default_rng(0x5EED).standard_normal((_BANK, _BANK)) * _BANK_SCALE
    return np.clip(np.round(z), -127, 127).astype(np.int8)


def _noise_plane(rng, h, w):
    bank = _noise_bank()
    if h > _BANK or w > _BANK:
        bank = np.tile(bank, (h // _BANK + 1, w // _BANK + 1))
    y = int(rng.integers(0, bank.shape[0] - h + 1))
    x = int(rng.integers(0, bank.shape[1] - w + 1))
    plane = bank[y:y + h, x:x + w]
    # four orientations of the bank so neighbouring offsets do not repeat a pattern
    k = int(rng.integers(4))
    if k & 1:
        plane = plane[::-1]
    if k & 2:
        plane = plane[:, ::-1]
    return plane


def _pil(img):
    return Image.fromarray(img)


def gaussian_blur(rng, img, sigma):
    """Gaussian blur with standard deviation `sigma` pixels (no-op below 0.2)."""
    if sigma < 0.2:
        return img.copy()
    return np.asarray(_pil(img).filter(ImageFilter.GaussianBlur(float(sigma)))).copy()


def defocus(rng, img, factor):
    """Cheap soft blur: downscale by `factor` (> 1) and back up (bilinear)."""
    if factor <= 1.05:
        return img.copy()
    h, w = img.shape[:2]
    small = _pil(img).resize((max(1, int(w / factor)), max(1, int(h / factor))), Image.Resampling.BOX)
    return np.asarray(small.resize((w, h), Image.Resampling.BILINEAR)).copy()


def motion_blur(rng, img, length, angle_deg=None):
    """Linear motion blur over `length` pixels at a random (or given) angle: the
    mean of `length` copies shifted along the motion (edges replicated)."""
    n = int(round(length))
    if n < 2:
        return img.copy()
    angle = np.radians(rng.uniform(0, 180) if angle_deg is None else angle_deg)
    h, w = img.shape[:2]
    pad = n
    spec = ((pad, pad), (pad, pad)) + (((0, 0),) if img.ndim == 3 else ())
    src = np.pad(img, spec, mode="edge")
    acc = np.zeros(img.shape, np.uint16)
    for t in np.linspace(-0.5, 0.5, n) * (n - 1):
        dx, dy = int(round(t * np.cos(angle))), int(round(-t * np.sin(angle)))
        acc += src[pad + dy:pad + dy + h, pad + dx:pad + dx + w]
    acc += n // 2
    return (acc // n).astype(np.uint8)


def _noise_q8(sigma):
    # Q8 gain on the ×16 bank, capped so 127 · gain stays inside int16
    return min(int(round(sigma * 256 / _BANK_SCALE)), 256)


def _add_noise_inplace(rng, out, sigma, color):
    """out (int16) += N(0, sigma²) noise, luma or per channel."""
    h, w = out.shape[:2]
    q = _noise_q8(sigma)
    if color and out.ndim == 3:
        for c in range(out.shape[2]):
            out[:, :, c] += (_noise_plane(rng, h, w).astype(np.int16) * q + 128) >> 8
    else:
        n = (_noise_plane(rng, h, w).astype(np.int16) * q + 128) >> 8
        out += n[:, :, None] if out.ndim == 3 else n


def _to_u8(out):
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


def add_noise(rng, img, sigma, color=False):
    """Additive Gaussian noise of standard deviation `sigma` grey levels (luma noise,
    or independent per channel when `color`)."""
    if _noise_q8(sigma) == 0:
        return img.copy()
    out = img.astype(np.int16)
    _add_noise_inplace(rng, out, sigma, color)
    return _to_u8(out)


def _light_field(rng, shape, strength):
    """Smooth gain field in Q6 (64 = 1.0), varying by about ±strength."""
    h, w = shape[:2]
    lo = max(0.0, 1.0 - strength)
    hi = min(1.98, 1.0 + strength * 0.5)
    return smooth_field(rng, (w, h), rng.integers(2, 4), channels=1,
                        lo=int(lo * 64), hi=int(hi * 64) + 1)


def _gain_inplace(out, gain_q6):
    # Q6 gain ≤ 127 keeps 255·127 inside int16; +32 makes the shift round
    g = gain_q6.astype(np.int16)
    out *= g[:, :, None] if out.ndim == 3 else g
    out += 32
    out >>= 6


def uneven_light(rng, img, strength):
    """Multiply by a smooth random illumination field varying by about ±`strength`
    (0 … 0.8) around a random exposure, like a lamp or window off to one side."""
    out = img.astype(np.int16)
    _gain_inplace(out, _light_field(rng, img.shape, strength))
    return _to_u8(out)


def cast_shadow(rng, img, darkness):
    """Darken a random soft-edged polygon (a hand's or a phone's shadow) by
    `darkness` (0 … 1)."""
    h, w = img.shape[:2]
    m = Image.new("L", (w, h), 64)
    edge = int(rng.integers(4))
    pts = [(rng.uniform(0, w), rng.uniform(0, h)) for _ in range(3)]
    corner = [(0, 0), (w, 0), (w, h), (0, h)][edge]
    ImageDraw.Draw(m).polygon([corner] + pts, fill=int(64 * (1 - darkness)))
    m = m.filter(ImageFilter.BoxBlur(max(1.0, min(w, h) * rng.uniform(0.01, 0.05))))
    out = img.astype(np.int16)
    _gain_inplace(out, np.asarray(m))
    return _to_u8(out)


def adjust_contrast(rng, img, contrast, brightness=0.0, gamma=1.0):
    """Tone curve via a lookup table: ((x/255)^gamma·255 − 128)·contrast + 128 + brightness."""
    x = np.arange(256) / 255.0
    lut = (np.power(x, gamma) * 255.0 - 128.0) * contrast + 128.0 + brightness
    lut = np.clip(np.round(lut), 0, 255).astype(np.uint8)
    return lut[img]


def jpeg(rng, img, quality):
    """JPEG round trip in memory at `quality` (5 … 95): blocking and ringing.
    BGR is coded as if it were RGB (no channel swap, for speed): the artefacts are
    JPEG's own, only the chroma weighting of blue and red is exchanged."""
    buf = io.BytesIO()
    _pil(img).save(buf, format="JPEG", quality=int(quality))
    return np.array(Image.open(io.BytesIO(buf.getvalue())))


def warp_onto(background, img, h, resample=Image.Resampling.BILINEAR):
    """Warp `img` by the 3×3 homography `h` (continuous coordinates, see
    :mod:`ocrkit.synth.render`) and composite it over `background` (same number of
    channels). Returns a new array the size of `background`."""
    bh, bw = background.shape[:2]
    inv = np.linalg.inv(h)
    inv = tuple((inv / inv[2, 2]).ravel()[:8])
    # the alpha channel carries the coverage; channel order is irrelevant to a warp
    src = _pil(img).convert("RGBA" if img.ndim == 3 else "LA")
    out = np.asarray(src.transform((bw, bh), Image.Transform.PERSPECTIVE, inv, resample))
    pix = out[:, :, :3] if img.ndim == 3 else out[:, :, 0]
    return _composite(background, pix, out[:, :, -1])


def _composite(back, front, alpha):
    a = alpha[:, :, None].astype(np.uint16) if back.ndim == 3 else alpha.astype(np.uint16)
    return ((back * (255 - a) + front * a + 127) // 255).astype(np.uint8)


def _noise_image(rng, size, sigma, bands):
    """An "L" image of 128 + N(0, sigma²) noise cut from the bank (Pillow LUT)."""
    w, h = size
    plane = np.ascontiguousarray(_noise_plane(rng, h, w)).view(np.uint8)   # int8 as raw bytes
    v = np.arange(256).astype(np.uint8).view(np.int8).astype(np.float64)     # the int8 each byte holds
    lut = np.clip(np.round(128 + v * (sigma / _BANK_SCALE)), 0, 255).astype(np.uint8)
    one = Image.fromarray(plane).point(lut.tolist())
    if bands == 1:
        return one
    return Image.merge("RGB", (one, one, one))


def _camera_pil(rng, pil, s):
    """camera() on a Pillow image: every step runs in Pillow's C loops (saturating
    add and multiply from ImageChops), which is 2–3× cheaper than NumPy int16 passes."""
    w, h = pil.size
    bands = len(pil.getbands())
    if rng.random() < 0.15 * s:                                  # cast shadow
        m = Image.new("L", (w, h), 255)
        corner = [(0, 0), (w, 0), (w, h), (0, h)][int(rng.integers(4))]
        pts = [(rng.uniform(0, w), rng.uniform(0, h)) for _ in range(3)]
        ImageDraw.Draw(m).polygon([corner] + pts, fill=int(255 * (1 - rng.uniform(0.2, 0.6))))
        m = m.filter(ImageFilter.BoxBlur(max(1.0, min(w, h) * rng.uniform(0.01, 0.05))))
        pil = ImageChops.multiply(pil, m if bands == 1 else Image.merge("RGB", (m, m, m)))
    r = rng.random()
    if r < 0.25 * s:                                             # defocus
        f = rng.uniform(1.2, 1.2 + 1.0 * s)
        pil = pil.resize((max(1, int(w / f)), max(1, int(h / f))), Image.Resampling.BOX) \
                 .resize((w, h), Image.Resampling.BILINEAR)
    elif r < 0.30 * s:                                           # motion
        pil = Image.fromarray(motion_blur(rng, np.asarray(pil), rng.uniform(2, 2 + 4 * s)))
    if rng.random() < 0.35 * s:                                  # uneven light, then exposure
        strength = rng.uniform(0.1, 0.6) * min(s, 1.3)
        g = _smooth_image(rng, (w, h), rng.integers(2, 4), channels=1,
                          lo=int(255 * (1 - strength)), hi=256)
        pil = ImageChops.multiply(pil, g if bands == 1 else Image.merge("RGB", (g, g, g)))
        gain = rng.uniform(1.0, 1.0 / (1 - strength / 2))
        pil = pil.point([min(255, int(v * gain + 0.5)) for v in range(256)] * bands)
    if rng.random() < 0.7:                                       # sensor noise
        sigma = rng.uniform(0.5, 8.0 * s)
        if bands == 3 and rng.random() < 0.3:
            noise = Image.merge("RGB", [_noise_image(rng, (w, h), sigma, 1) for _ in range(3)])
        else:
            noise = _noise_image(rng, (w, h), sigma, bands)
        pil = ImageChops.add(pil, noise, 1.0, -128)              # saturating a + n
    if rng.random() < 0.4 * s:                                   # JPEG round trip
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=int(rng.uniform(max(5, 60 - 45 * s), 92)))
        pil = Image.open(io.BytesIO(buf.getvalue()))
        pil.load()
    return pil


def camera(rng, img, strength=1.0):
    """A random chain of photo degradations: cast shadow, defocus or motion blur,
    uneven light with an exposure change, sensor noise, JPEG. `strength` (0 … 1+)
    scales how often and how hard each applies. `img` may be a uint8 array (a new
    writeable array is returned) or a Pillow image (a Pillow image is returned)."""
    s = float(strength)
    if isinstance(img, Image.Image):
        return _camera_pil(rng, img, s)
    return np.asarray(_camera_pil(rng, _pil(img), s)).copy()
