"""Font discovery, classification and the train/validation split of font families.

Fonts come from the Debian packages listed in :data:`APT_PACKAGES`. Only faces that
draw the Latin letters and digits are kept (symbol, maths and other-script faces of
fonts-noto-core are dropped). Families that are metric clones of one design
(Liberation Sans, Nimbus Sans and FreeSans are all Helvetica) share one *design*
key, and the split is made per design, so a held-out family never has a twin in
training.

A *wide* training set (``wide=True``, for the character CNN) adds the designs of
:data:`WIDE_APT_PACKAGES`: more families than the base set by far, all on the
training side. It never changes the held-out faces, and families derived from a
held-out design (Hack from DejaVu Sans Mono, Open Sans from Noto Sans, TeX Gyre
Pagella from P052 ...) are left out of both sides wherever they are installed.
"""
import bisect
import functools
import math
import os
from dataclasses import dataclass

from PIL import ImageFont

from ._args import check_rng, check_split

__all__ = ["APT_PACKAGES", "WIDE_APT_PACKAGES", "FONT_DIRS", "VAL_DESIGNS", "Face", "FontsNotFoundError",
           "all_faces", "classify", "faces", "families", "font_size", "font_size_near", "load_font", "pick_face"]

APT_PACKAGES = ("fonts-dejavu", "fonts-liberation2", "fonts-freefont-ttf",
                "fonts-urw-base35", "fonts-noto-core")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

#: more font packages for ``wide=True`` (training only; none is needed at run time)
WIDE_APT_PACKAGES = (
    "fonts-inconsolata", "fonts-jetbrains-mono", "fonts-firacode", "fonts-anonymous-pro",
    "fonts-hermit", "fonts-league-mono", "fonts-mononoki", "fonts-fantasque-sans", "fonts-go",
    "fonts-3270", "fonts-agave", "fonts-tlwg-mono-ttf", "fonts-tlwg-typewriter-ttf",
    "fonts-ocr-b", "fonts-cmu", "fonts-roboto-unhinted", "fonts-lato", "fonts-cantarell",
    "fonts-inter", "fonts-crosextra-carlito", "fonts-croscore", "fonts-clear-sans",
    "fonts-b612", "fonts-cabin", "fonts-karla", "fonts-manrope", "fonts-quicksand",
    "fonts-jura", "fonts-play", "fonts-opendin", "fonts-oxygen", "fonts-sil-andika",
    "fonts-paratype", "fonts-tuffy", "fonts-comic-neue", "fonts-adf-gillius",
    "fonts-adf-switzera", "fonts-league-spartan", "fonts-tlwg-loma-ttf",
    "fonts-crosextra-caladea", "fonts-linuxlibertine",
    "fonts-sil-gentiumplus", "fonts-sil-charis", "fonts-roboto-slab", "fonts-adf-baskervald",
    "fonts-stix", "fonts-tlwg-kinnari-ttf", "fonts-junicode", "fonts-dosis")

# design key -> (category, family-name prefixes) of the wide set; a family joins the
# first design whose prefix it starts with (weights and widths are one design)
_WIDE = {
    "agave": ("mono", ("agave",)), "andika": ("sans", ("andika",)),
    "anonymous pro": ("mono", ("anonymous pro",)), "b612": ("sans", ("b612 mono", "b612")),
    "baskervald": ("serif", ("baskervald",)), "cabin": ("sans", ("cabin",)),
    "caladea": ("serif", ("caladea",)), "charis": ("serif", ("charis",)), "cantarell": ("sans", ("cantarell",)),
    "clear sans": ("sans", ("clear sans",)), "cm typewriter": ("mono", ("cmu typewriter",)),
    "cm sans": ("sans", ("cmu sans", "cmu bright")),
    "cm serif": ("serif", ("cmu serif", "cmu classical", "cmu concrete")),
    "comic neue": ("sans", ("comic neue",)), "dosis": ("sans", ("dosis",)),
    "fantasque": ("mono", ("fantasque",)),
    "fira code": ("mono", ("fira code",)), "gentium": ("serif", ("gentium",)),
    "gillius": ("sans", ("gillius",)), "go mono": ("mono", ("go mono",)),
    "go": ("sans", ("go",)), "hermit": ("mono", ("hermit",)),
    "ibm 3270": ("mono", ("ibm 3270",)), "inconsolata": ("mono", ("inconsolata",)),
    "inter": ("sans", ("inter",)), "jetbrains mono": ("mono", ("jetbrains mono",)),
    "junicode": ("serif", ("junicode",)),
    "jura": ("sans", ("jura",)), "karla": ("sans", ("karla",)),
    "kinnari": ("serif", ("kinnari",)), "lato": ("sans", ("lato", "carlito")),
    "league mono": ("mono", ("league mono",)), "league spartan": ("sans", ("league spartan",)),
    "libertine mono": ("mono", ("linux libertine mono",)),
    "libertine": ("serif", ("linux libertine",)), "biolinum": ("sans", ("linux biolinum o",)),
    "loma": ("sans", ("loma",)), "manrope": ("sans", ("manrope",)),
    "mononoki": ("mono", ("mononoki",)), "ocr b": ("mono", ("ocr b",)),
    "din": ("sans", ("osp-din",)), "oxygen mono": ("mono", ("oxygen mono",)),
    "oxygen": ("sans", ("oxygen",)), "play": ("sans", ("play",)),
    "pt mono": ("mono", ("pt mono",)), "pt sans": ("sans", ("pt sans",)),
    "pt serif": ("serif", ("pt serif",)), "quicksand": ("sans", ("quicksand",)),
    "roboto slab": ("serif", ("roboto slab",)), "roboto": ("sans", ("roboto",)),
    "stix": ("serif", ("stix", "stixgeneral")), "switzera": ("sans", ("switzera",)),
    "tlwg mono": ("mono", ("tlwg mono", "tlwg typewriter")), "tuffy": ("sans", ("tuffy",)),
    # metric clones of base designs (Chrome OS core fonts)
    "helvetica": ("sans", ("arimo",)), "times": ("serif", ("tinos",)),
    "courier": ("mono", ("cousine",)),
}
# families copied from or derived from a held-out design: used on neither side
_HELD_OUT_KIN = ("hack", "bitstream vera sans mono", "menlo", "open sans", "droid sans",
                 "noto sans mono", "noto sans ui", "tex gyre pagella", "palatino",
                 "palladio", "book antiqua")
# styles whose glyphs are not plain characters (OCR-B's inverted and outline cuts),
# and keyboard-key faces
_NOT_PLAIN = ("inverted", "outline", "keyboard")

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
    wide: bool = False


def _wide_design(family):
    """(design, category) of a wide-set family, or None."""
    key = family.lower()
    for design, (category, prefixes) in _WIDE.items():
        if any(key == p or key.startswith(p + " ") or key.startswith(p + "-") for p in prefixes):
            return design, category
    return None


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
    """"val" for held-out designs, "train" for the known training designs (wide
    set included), None for any other design: those are not used, so rendered data
    does not depend on what else a machine has installed."""
    if design in VAL_DESIGNS:
        return "val"
    if design in _DESIGN.values() or design in _KNOWN_TRAIN or design in _WIDE:
        return "train"
    return None


_KNOWN_TRAIN = ("dejavu sans", "dejavu serif", "noto serif", "c059", "urw bookman",
                "urw gothic", "z003")


def _draws_latin(font):
    # a missing glyph renders as .notdef: compare each probe with a code point no
    # Latin font has
    notdef = bytes(font.getmask("\U0010fffd"))
    probes = [bytes(font.getmask(c)) for c in "AZaz09"]
    return all(p != notdef for p in probes) and len(set(probes)) == len(probes)


def classify(family, style="Regular"):
    """(design, category, wide) of a face by its names, or None for faces never
    used (symbols, other scripts, relatives of a held-out design, inverted or
    outline cuts). Designs outside the known sets get ``split_of_design`` None."""
    lfam, lstyle = family.lower(), style.lower()
    if any(s in lfam for s in _NOT_TEXT) or lfam.startswith(_HELD_OUT_KIN):
        return None
    if any(s in lfam or s in lstyle for s in _NOT_PLAIN):
        return None
    wide = _wide_design(family)
    if wide:
        return wide[0], wide[1], True
    design = _design_of(family)
    return design, _category_of(family, design), False


def _lining_figures(font):
    # old-style figures (0, 1, 2 at x-height) make a zero that the character CNN's
    # tight box turns into an O: such faces stay out of the wide set
    def height(c):
        bb = font.getbbox(c)
        return bb[3] - bb[1]
    return min(height(c) for c in "012") >= 0.85 * height("O")


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
        kind = classify(family, style)
        if kind is None or (family, style) in seen or not _draws_latin(font):
            continue
        design, category, wide = kind
        if wide and not _lining_figures(font):
            continue
        seen.add((family, style))
        lstyle = style.lower()
        found.append(Face(path, family, style, design, category,
                          bold=any(s in lstyle for s in ("bold", "demi", "black", "heavy")),
                          italic=any(s in lstyle for s in ("italic", "oblique")),
                          wide=wide))
    if not found:
        raise FontsNotFoundError(
            f"no Latin TTF/OTF fonts found under {', '.join(dirs)}; install them with: "
            f"apt-get install -y {' '.join(APT_PACKAGES)}")
    return tuple(found)


@functools.lru_cache(maxsize=None)
def faces(split="train", wide=False):
    """The faces of one split ("train" or "val"); the two never share a design.

    ``wide=True`` adds the faces of :data:`WIDE_APT_PACKAGES` to the training
    split (the held-out split is the same either way); it raises
    :class:`FontsNotFoundError` when none of them is installed."""
    split = check_split(split)
    chosen = tuple(f for f in all_faces()
                   if not f.wide and split_of_design(f.design) == split)
    if not chosen:
        raise FontsNotFoundError(
            f"no font families of the {split!r} split are installed; install: "
            f"apt-get install -y {' '.join(APT_PACKAGES)}")
    if wide and split == "train":
        extra = tuple(f for f in all_faces() if f.wide)
        if not extra:
            raise FontsNotFoundError(
                "the wide training font set is not installed; install: "
                f"apt-get install -y {' '.join(WIDE_APT_PACKAGES)}")
        chosen = tuple(sorted(chosen + extra, key=lambda f: f.path))
    return chosen


def wide_designs_missing():
    """Designs of the wide set that no installed face provides (sorted)."""
    have = {f.design for f in all_faces() if f.wide}
    return sorted(d for d, (_, prefixes) in _WIDE.items()
                  if d not in have and d not in ("helvetica", "times", "courier"))


def families(split="train", wide=False):
    """Sorted family names of one split."""
    return sorted({f.family for f in faces(split, wide)})


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
def _pool(split, categories, bold, wide=False):
    """Designs and their faces for one (split, categories, bold, wide) filter."""
    pool = faces(split, wide)
    if categories is not None:
        pool = tuple(f for f in pool if f.category in categories) or pool
    if bold is not None:
        pool = tuple(f for f in pool if f.bold == bold) or pool
    designs = sorted({f.design for f in pool})
    return tuple(tuple(f for f in pool if f.design == d) for d in designs)


def pick_face(rng, split="train", categories=None, bold=None, wide=False):
    """Draw a face: first a design uniformly (so a family with many styles is not
    favoured), then one of its faces. `categories` restricts the kinds
    ({"sans", "serif", "mono", "script"}); `bold` True/False restricts weight where
    the split has such faces (either filter is ignored where nothing would be left);
    `wide` draws training faces from the wide set (see :func:`faces`)."""
    check_rng(rng)
    groups = _pool(split, None if categories is None else tuple(sorted(categories)),
                   None if bold is None else bool(bold), bool(wide))
    members = groups[int(rng.integers(len(groups)))]
    return members[int(rng.integers(len(members)))]
