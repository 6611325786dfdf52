"""Font discovery, classification and the train/validation split of font families.

Fonts come from the Debian packages listed in :data:`APT_PACKAGES`. Only faces that
draw the Latin letters and digits are kept (symbol, maths and other-script faces of
fonts-noto-core are dropped). Families that are metric clones of one design
(Liberation Sans, Nimbus Sans and FreeSans are all Helvetica) share one *design*
key, and the split is made per design, so a held-out family never has a twin in
training.
"""
import bisect
import functools
import math
import os
import zlib
from dataclasses import dataclass

from PIL import ImageFont

from ._args import check_rng, check_split

__all__ = ["APT_PACKAGES", "FONT_DIRS", "VAL_DESIGNS", "Face", "FontsNotFoundError",
           "all_faces", "faces", "families", "font_size", "font_size_near", "load_font", "pick_face"]

APT_PACKAGES = ("fonts-dejavu", "fonts-liberation2", "fonts-freefont-ttf",
                "fonts-urw-base35", "fonts-noto-core")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# family-name fragments of faces that are not running text (their letters map to
# symbols, or they carry another script only)
_NOT_TEXT = ("symbol", "math", "dingbat", "d050000l", "nushu", "emoji", "music")

# metric-compatible clones: one design, one side of the split
_DESIGN = {
    "liberation sans": "helvetica", "nimbus sans": "helvetica",
    "nimbus sans narrow": "helvetica", "freesans": "helvetica",
    "liberation serif": "times", "nimbus roman": "times", "freeserif": "times",
    "liberation mono": "courier", "nimbus mono ps": "courier", "freemono": "courier",
    "noto sans display": "noto sans", "noto serif display": "noto serif",
}
#: designs held out of training entirely: a humanist sans, an old-style serif, a mono
VAL_DESIGNS = ("noto sans", "p052", "dejavu sans mono")
_SERIF = ("serif", "roman", "c059", "p052", "bookman", "times")
_SCRIPT = ("z003", "chancery")


class FontsNotFoundError(RuntimeError):
    """No usable Latin font was found on this machine."""


@dataclass(frozen=True)
class Face:
    """One font file: ``family`` as the font names it, ``design`` (the split key),
    ``category`` in {"sans", "serif", "mono", "script"}."""
    path: str
    family: str
    style: str
    design: str
    category: str
    bold: bool
    italic: bool


def _design_of(family):
    key = family.lower()
    return _DESIGN.get(key, key)


def _category_of(family, design):
    key = family.lower()
    if "mono" in key or design == "courier":
        return "mono"
    if any(s in key for s in _SCRIPT):
        return "script"
    if any(s in key for s in _SERIF) or design == "times":
        return "serif"
    return "sans"


def split_of_design(design):
    """"val" for held-out designs; unknown designs are split by a stable hash (1 in 5)."""
    if design in VAL_DESIGNS:
        return "val"
    if design in _DESIGN.values() or design in _KNOWN_TRAIN:
        return "train"
    return "val" if zlib.crc32(design.encode()) % 5 == 0 else "train"


_KNOWN_TRAIN = ("dejavu sans", "dejavu serif", "noto serif", "c059", "urw bookman",
                "urw gothic", "z003")


def _draws_latin(font):
    # a missing glyph renders as .notdef: compare each probe with a code point no
    # Latin font has
    notdef = bytes(font.getmask("\U0010fffd"))
    probes = [bytes(font.getmask(c)) for c in "AZaz09"]
    return all(p != notdef for p in probes) and len(set(probes)) == len(probes)


@functools.lru_cache(maxsize=None)
def all_faces(dirs=FONT_DIRS):
    """Every usable face under `dirs`, sorted by path (cached per process).

    Raises
    ------
    FontsNotFoundError
        When none is found; the message names the apt packages to install.
    """
    paths = []
    for top in dirs:
        for root, _, files in os.walk(top):
            paths.extend(os.path.join(root, f) for f in files
                         if f.lower().endswith((".ttf", ".otf")))
    found, seen = [], set()
    for path in sorted(paths):
        try:
            font = ImageFont.truetype(path, 24, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            continue
        family, style = font.getname()
        family, style = family or os.path.basename(path), style or "Regular"
        if any(s in family.lower() for s in _NOT_TEXT) or (family, style) in seen:
            continue
        if not _draws_latin(font):
            continue
        seen.add((family, style))
        design = _design_of(family)
        lstyle = style.lower()
        found.append(Face(path, family, style, design, _category_of(family, design),
                          bold=any(s in lstyle for s in ("bold", "demi", "black", "heavy")),
                          italic=any(s in lstyle for s in ("italic", "oblique"))))
    if not found:
        raise FontsNotFoundError(
            f"no Latin TTF/OTF fonts found under {', '.join(dirs)}; install them with: "
            f"apt-get install -y {' '.join(APT_PACKAGES)}")
    return tuple(found)


@functools.lru_cache(maxsize=None)
def faces(split="train"):
    """The faces of one split ("train" or "val"); the two never share a design."""
    split = check_split(split)
    chosen = tuple(f for f in all_faces() if split_of_design(f.design) == split)
    if not chosen:
        raise FontsNotFoundError(
            f"no font families of the {split!r} split are installed; install: "
            f"apt-get install -y {' '.join(APT_PACKAGES)}")
    return chosen


def families(split="train"):
    """Sorted family names of one split."""
    return sorted({f.family for f in faces(split)})


# pixel sizes a font is loaded at: a geometric ladder (steps of about 6 %) keeps
# the number of (face, size) pairs, and so the font cache, small
SIZE_LADDER = tuple(sorted({int(round(6 * 1.06 ** k)) for k in range(60)}))


def font_size(rng, lo, hi):
    """A log-uniform pixel size in [lo, hi], snapped to :data:`SIZE_LADDER`."""
    return font_size_near(math.exp(rng.uniform(math.log(lo), math.log(max(hi, lo)))))


def font_size_near(target):
    """The :data:`SIZE_LADDER` size nearest to `target` pixels."""
    k = bisect.bisect_left(SIZE_LADDER, target)
    if k == len(SIZE_LADDER) or (k > 0 and target - SIZE_LADDER[k - 1] < SIZE_LADDER[k] - target):
        k -= 1
    return SIZE_LADDER[k]


@functools.lru_cache(maxsize=4096)
def load_font(path, size):
    """A FreeType font at an integer pixel size (cached: loading costs ~0.3 ms).
    The basic layout engine is enough for Latin and several times faster than raqm."""
    return ImageFont.truetype(path, int(size), layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=None)
def _pool(split, categories, bold):
    """Designs and their faces for one (split, categories, bold) filter."""
    pool = faces(split)
    if categories is not None:
        pool = tuple(f for f in pool if f.category in categories) or pool
    if bold is not None:
        pool = tuple(f for f in pool if f.bold == bold) or pool
    designs = sorted({f.design for f in pool})
    return tuple(tuple(f for f in pool if f.design == d) for d in designs)


def pick_face(rng, split="train", categories=None, bold=None):
    """Draw a face: first a design uniformly (so a family with many styles is not
    favoured), then one of its faces. `categories` restricts the kinds
    ({"sans", "serif", "mono", "script"}); `bold` True/False restricts weight where
    the split has such faces (either filter is ignored where nothing would be left)."""
    check_rng(rng)
    groups = _pool(split, None if categories is None else tuple(sorted(categories)),
                   None if bold is None else bool(bold))
    members = groups[int(rng.integers(len(groups)))]
    return members[int(rng.integers(len(members)))]
