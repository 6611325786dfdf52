"""Tests of the synthetic data generator (ocrkit.synth): determinism, shapes, exact
ground truth, disjoint splits, balanced classes, argument errors."""
import math
import re
import subprocess
import sys

import numpy as np
import pytest

from ocrkit import synth
from ocrkit.synth import chars, degrade, documents, fonts, render, scenes, sudoku, words
from ocrkit.synth import make_char_crops, make_document, make_plate, make_scene, make_sudoku


def _same(a, b):
    """Deep equality of generator outputs (arrays compared byte for byte)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape \
            and a.tobytes() == b.tobytes()
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _inside(quads, w, h):
    q = np.asarray(quads).reshape(-1, 2)
    return q.size == 0 or (q.min() >= -0.5 and q[:, 0].max() <= w - 0.5 and q[:, 1].max() <= h - 0.5)


def _clockwise(quad):
    x, y = quad[:, 0], quad[:, 1]
    # shoelace sum, positive for clockwise on screen (y grows downwards)
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) > 0


# ---------------------------------------------------------------- determinism

GENERATORS = [
    ("scene", lambda rng: make_scene(rng, size=(160, 128))),
    ("document", lambda rng: make_document(rng, size=(240, 320))),
    ("crops", lambda rng: make_char_crops(rng, 24, size=24)),
    ("plate", lambda rng: make_plate(rng, size=(200, 100), with_quad=True)),
    ("sudoku", lambda rng: make_sudoku(rng, size=(160, 160), with_quad=True)),
]


@pytest.mark.parametrize("name,gen", GENERATORS, ids=[g[0] for g in GENERATORS])
def test_same_seed_same_bytes(name, gen):
    a = gen(np.random.default_rng(7))
    b = gen(np.random.default_rng(7))
    assert _same(a, b), name
    c = gen(np.random.default_rng(8))
    assert not _same(a[0], c[0]), f"{name}: different seeds gave the same image"


def test_val_split_deterministic_and_different():
    a = make_scene(np.random.default_rng(3), size=(128, 128), split="val")
    b = make_scene(np.random.default_rng(3), size=(128, 128), split="val")
    assert _same(a, b)


# ---------------------------------------------------------------- scenes

@pytest.mark.parametrize("seed", range(4))
def test_scene_shapes_and_quads(seed):
    size = [(512, 512), (320, 200), (200, 320)][seed % 3]
    img, quads, ws = make_scene(np.random.default_rng(seed), size=size)
    w, h = size
    assert img.shape == (h, w, 3) and img.dtype == np.uint8 and img.flags.c_contiguous
    assert isinstance(quads, list) and isinstance(ws, list) and len(quads) == len(ws)
    for q, word in zip(quads, ws):
        assert q.shape == (4, 2) and q.dtype == np.float32
        assert _clockwise(q), (word, q)
        assert word and not any(c.isspace() for c in word)
    assert _inside(quads, w, h)


def test_scenes_have_words_on_average():
    counts = [len(make_scene(np.random.default_rng(s), size=(256, 256))[2]) for s in range(5)]
    assert sum(counts) >= 5 and max(counts) >= 3


def _flat_scene(monkeypatch, seed, size=(320, 256), level=128):
    """make_scene over a flat background with no global degradation, so every
    changed pixel is text (or a text effect)."""
    from PIL import Image
    monkeypatch.setattr(scenes, "background_image",
                        lambda rng, s: Image.new("RGB", s, (level,) * 3))
    monkeypatch.setattr(scenes.degrade, "camera", lambda rng, img, strength=1.0: img)
    img, quads, ws = make_scene(np.random.default_rng(seed), size=size)
    changed = np.any(img != level, axis=2)
    return changed, quads, ws


def _poly_mask(quad, w, h, grow=0):
    """Pixels inside `quad`, dilated by `grow` pixels (a square footprint)."""
    from PIL import Image, ImageDraw, ImageFilter
    q = np.asarray(quad, np.float64) + 0.5                  # to Pillow's pixel-edge coordinates
    m = Image.new("L", (w, h))
    ImageDraw.Draw(m).polygon([tuple(p) for p in q], fill=255)
    if grow:
        m = m.filter(ImageFilter.MaxFilter(2 * int(grow) + 1))
    return np.asarray(m) > 0


def _edge_distances(quad, pts):
    """For each of the quad's 4 edges, the smallest distance from `pts` to it."""
    out = []
    for i in range(4):
        a, b = quad[i].astype(np.float64), quad[(i + 1) % 4].astype(np.float64)
        n = np.array([-(b - a)[1], (b - a)[0]]) / np.linalg.norm(b - a)
        out.append(float(np.abs((pts - a) @ n).min()))
    return out


@pytest.mark.parametrize("seed", range(3))
def test_scene_quads_cover_the_text(monkeypatch, seed):
    changed, quads, ws = _flat_scene(monkeypatch, seed)
    h, w = changed.shape
    union = np.zeros_like(changed)
    for q in quads:
        # drop shadows (≤ 3 px) and blurred text (σ ≤ 1.3) spill a few pixels out
        union |= _poly_mask(q, w, h, grow=5)
    assert not np.any(changed & ~union), "text pixels outside every word quad"
    for q, word in zip(quads, ws):
        inside = _poly_mask(q, w, h) & changed
        ys, xs = np.nonzero(inside)
        assert xs.size > 0, f"no text pixels inside the quad of {word!r}"
        # tight: ink reaches within 2 px of each of the four sides
        d = _edge_distances(q, np.stack([xs, ys], 1).astype(np.float64))
        assert max(d) <= 2.0, (word, d)


def test_render_quads_exact_on_flat_canvas():
    """Lower level, no effects: ink (alpha > 0) lies inside the quads grown by the
    bilinear footprint (1 px) and touches every side."""
    rng = np.random.default_rng(11)
    face = fonts.faces("train")[0]
    for k in range(12):
        font = fonts.load_font(face.path, [14, 24, 40][k % 3])
        line = render.render_line(font, ["Quick", "brown", "fox"], space=1.2)
        lw, lh = line.size
        hmat = render.line_homography(lw, lh, (200, 150), rng.uniform(-45, 45),
                                      shear=rng.uniform(-0.3, 0.3), persp=tuple(rng.uniform(-0.3, 0.3, 2)))
        canvas = np.zeros((300, 400, 3), np.uint8)
        patch, x0, y0 = render.warp_alpha(line.alpha, hmat, (400, 300))
        render.blend(canvas, patch, x0, y0, (255, 255, 255))
        ink = canvas[:, :, 0] > 0
        quads = render.box_quads(line.boxes, hmat)
        union = np.zeros_like(ink)
        for q in quads:
            union |= _poly_mask(q, 400, 300, grow=1)
        assert not np.any(ink & ~union)
        for q in quads:
            ys, xs = np.nonzero(_poly_mask(q, 400, 300) & ink)
            assert max(_edge_distances(q, np.stack([xs, ys], 1).astype(np.float64))) <= 1.5


def test_convex_overlap_with_margin():
    a = np.array([(0, 0), (10, 0), (10, 2), (0, 2)], np.float64)
    assert scenes.convex_overlap(a, a + (5, 1))
    assert not scenes.convex_overlap(a, a + (0, 4))
    assert scenes.convex_overlap(a, a + (0, 4), margin=3.0)      # 2 px apart < 3 px margin
    rot = np.array([(20, 0), (22, 2), (12, 12), (10, 10)], np.float64)
    assert not scenes.convex_overlap(a, rot)


def test_prewarm_fills_glyph_cache(monkeypatch):
    monkeypatch.setattr(scenes, "faces", lambda split: fonts.faces(split)[:1])
    scenes.prewarm("val")
    font = fonts.load_font(fonts.faces("val")[0].path, scenes._RENDER_SIZES[-1])
    before = render._glyph.cache_info().hits
    render.word_ink(font, "Quay42", stroke=1)
    assert render._glyph.cache_info().hits == before + 6


def test_word_ink_matches_pillow():
    """Glyph-cache assembly gives the pixels Pillow draws for the whole word (for a
    word without kerning pairs)."""
    font = fonts.load_font(fonts.faces("train")[0].path, 29)
    for word in ["minimum", "Histamines", "12:30"]:
        ours, ox, oy = render.word_ink(font, word)
        ref, rx, ry = render._draw_ink(font, word, 0)
        assert (ox, oy) == (rx, ry) and ours.shape == ref.shape
        assert np.abs(ours.astype(int) - ref).max() <= 0


def test_line_homography_perspective_ratio():
    hmat = render.line_homography(100, 20, (0, 0), 0.0, persp=(0.5, 0.0))
    c = render.apply_homography(hmat, [(0, 0), (100, 0), (100, 20), (0, 20)])
    left, right = c[3, 1] - c[0, 1], c[2, 1] - c[1, 1]
    assert right / left == pytest.approx(1.5)


# ---------------------------------------------------------------- documents

@pytest.mark.parametrize("look", ["scan", "photo"])
def test_document(look):
    img, quads, ws, text, page = make_document(np.random.default_rng(5), size=(384, 512), look=look,
                                               with_page=True)
    assert img.shape == (512, 384, 3) and img.dtype == np.uint8
    assert len(quads) == len(ws) >= 40                   # dense text
    assert text.split() == ws
    assert "\n" in text
    assert _inside(quads, 384, 512) and _inside(page, 384, 512)
    assert all(_clockwise(q) for q in quads)
    # dark text on light paper: the page is mostly bright, the words darker
    gray = img.mean(axis=2)
    ink = np.zeros(gray.shape, bool)
    for q in quads[:30]:
        ink |= _poly_mask(q, 384, 512)
    assert np.median(gray[ink]) < np.median(gray[_poly_mask(page, 384, 512) & ~ink])


def test_document_default_size():
    img, quads, ws, text = make_document(np.random.default_rng(1))
    assert img.shape == (1024, 768, 3) and len(ws) > 100


@pytest.mark.parametrize("skew", [-12.0, 7.5])
def test_document_skew_angle(skew):
    _, quads, _, _ = make_document(np.random.default_rng(2), size=(300, 400), skew_deg=skew, look="scan")
    top = np.array([q[1] - q[0] for q in quads], np.float64)
    angles = np.degrees(np.arctan2(-top[:, 1], top[:, 0]))   # counter-clockwise positive
    assert np.median(angles) == pytest.approx(skew, abs=0.3)


# ---------------------------------------------------------------- fonts and words

def test_font_split_disjoint():
    train, val = fonts.faces("train"), fonts.faces("val")
    assert len(train) >= 20 and len(val) >= 4
    assert not {f.design for f in train} & {f.design for f in val}
    assert not set(fonts.families("train")) & set(fonts.families("val"))
    assert not {f.path for f in train} & {f.path for f in val}
    assert {f.category for f in train} >= {"sans", "serif", "mono"}
    # clones of one design never straddle the split
    by_family = {f.family: fonts.split_of_design(f.design) for f in fonts.all_faces()}
    for a, b in [("Liberation Sans", "Nimbus Sans"), ("Liberation Serif", "FreeSerif"),
                 ("Noto Sans", "Noto Sans Display")]:
        if a in by_family and b in by_family:
            assert by_family[a] == by_family[b]


def test_classify_wide_set_and_held_out_relatives():
    # wide-set families join one design per typeface, on the training side
    assert fonts.classify("JetBrains Mono", "ExtraBold") == ("jetbrains mono", "mono", True)
    assert fonts.classify("Go Mono")[:2] == ("go mono", "mono")
    assert fonts.classify("Go Medium")[:2] == ("go", "sans")
    assert fonts.classify("Carlito")[0] == fonts.classify("Lato")[0] == "lato"
    assert fonts.classify("Arimo")[0] == fonts.classify("Liberation Sans")[0] == "helvetica"
    for family in ("JetBrains Mono", "Go", "Carlito", "PT Serif Caption", "CMU Bright"):
        assert fonts.split_of_design(fonts.classify(family)[0]) == "train"
    # relatives of the held-out designs are used on neither side
    for family in ("Hack", "Open Sans", "Droid Sans Mono", "Noto Sans Mono", "TeX Gyre Pagella"):
        assert fonts.classify(family) is None
    # nor are cuts whose glyphs are not plain characters
    assert fonts.classify("OCR B", "Inverted") is None
    assert fonts.classify("OCR B", "Regular")[2] is True
    # base families keep their designs; unknown designs are not used at all
    assert fonts.classify("DejaVu Sans Mono") == ("dejavu sans mono", "mono", False)
    assert fonts.split_of_design(fonts.classify("Some Other Font")[0]) is None


def test_wide_set_adds_training_faces_only(monkeypatch):
    base_val, base_train = fonts.faces("val"), fonts.faces("train")
    assert fonts.faces("val", wide=True) == base_val
    if any(f.wide for f in fonts.all_faces()):
        wide = fonts.faces("train", wide=True)
        assert set(base_train) < set(wide)
        assert not {f.design for f in wide} & {f.design for f in base_val}
        assert all(fonts.split_of_design(f.design) == "train" for f in wide)
    # without the wide packages, asking for them names them
    only_base = tuple(f for f in fonts.all_faces() if not f.wide)
    monkeypatch.setattr(fonts, "all_faces", lambda dirs=fonts.FONT_DIRS: only_base)
    fonts.faces.cache_clear()
    try:
        with pytest.raises(fonts.FontsNotFoundError, match="fonts-jetbrains-mono"):
            fonts.faces("train", wide=True)
        assert fonts.faces("train") == base_train
    finally:
        monkeypatch.undo()
        fonts.faces.cache_clear()


def test_fonts_are_latin_text_faces():
    for f in fonts.all_faces():
        assert f.path.lower().endswith((".ttf", ".otf"))
        assert not any(s in f.family.lower() for s in ("symbol", "math", "dingbat"))


def test_no_fonts_error_names_packages(tmp_path):
    with pytest.raises(fonts.FontsNotFoundError, match="fonts-dejavu.*fonts-noto-core"):
        fonts.all_faces((str(tmp_path),))


def test_missing_word_list_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="wamerican"):
        words._all_words(str(tmp_path / "nowords"))


def test_vocabulary_split_disjoint():
    train, val = words.vocabulary("train"), words.vocabulary("val")
    assert len(train) > 30000 and len(val) > 3000
    assert not {w.lower() for w in train} & {w.lower() for w in val}
    assert all(re.fullmatch(r"[A-Za-z]+", w) for w in train[::97] + val[::13])


def test_sampled_text_stays_in_split():
    rng = np.random.default_rng(0)
    for split in ("train", "val"):
        for _ in range(300):
            t = words.sample_text(rng, split, p_code=0.5)
            assert words.split_of(t) == split and t


def test_codes_formats():
    rng = np.random.default_rng(1)
    plates = [words.plate_text(rng) for _ in range(200)]
    assert all(re.fullmatch(r"[A-Z0-9 -]{6,9}", p) for p in plates)
    assert any(re.fullmatch(r"[A-Z]{2}\d{2} [A-Z]{3}", p) for p in plates)
    codes = [words.random_code(rng) for _ in range(300)]
    assert any(re.fullmatch(r"[$€£]?\d+\.\d\d", c) for c in codes)          # prices
    assert any(re.fullmatch(r"\d{2}[/.-]\d{2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}", c) for c in codes)
    assert any(re.fullmatch(r"\d+", c) for c in codes)


# ---------------------------------------------------------------- characters

def test_char_crops_balanced_and_shaped():
    crops, labels = make_char_crops(np.random.default_rng(0), 100)
    assert crops.shape == (100, 32, 32) and crops.dtype == np.uint8
    assert labels.dtype == np.int64 and labels.min() >= 0 and labels.max() < 36
    counts = np.bincount(labels, minlength=36)
    assert counts.max() - counts.min() <= 1


def test_char_crops_custom_alphabet_and_polarity():
    crops, labels = make_char_crops(np.random.default_rng(1), 200, alphabet="0123456789", size=28, split="val")
    assert crops.shape == (200, 28, 28)
    assert np.all(np.bincount(labels, minlength=10) == 20)
    border = np.concatenate([crops[:, :2].reshape(200, -1), crops[:, -2:].reshape(200, -1)], 1)
    bright = np.median(border, axis=1) > 128
    assert 0.1 < bright.mean() < 0.95                        # both polarities occur
    # the character sits near the centre: the centre differs more from the border
    centre = crops[:, 9:19, 9:19].reshape(200, -1).astype(np.float64)
    spread = np.abs(centre - np.median(border, axis=1, keepdims=True)).mean(1)
    assert np.median(spread) > 15


def test_char_crops_only_from_faces_that_draw_the_character(monkeypatch):
    from ocrkit.synth import chars
    # a character no installed face draws: a clear error, not .notdef boxes
    with pytest.raises(ValueError, match="no font of the 'train' split draws"):
        make_char_crops(np.random.default_rng(0), 4, alphabet="A\u4e00")
    # a face that lacks the character is passed over for another draw
    drawn = []
    real_pick = chars.pick_face
    faces = fonts.faces("train")
    lacking = faces[0]

    def pick(rng, split="train", categories=None, bold=None, wide=False):
        face = lacking if len(drawn) % 3 == 0 else real_pick(rng, split, wide=wide)
        drawn.append(face)
        return face
    monkeypatch.setattr(chars, "pick_face", pick)
    monkeypatch.setattr(chars, "_has_glyph", lambda path, char: path != lacking.path)
    make_char_crops(np.random.default_rng(0), 5, alphabet="AB")
    assert len(drawn) > 5                           # the lacking face was drawn and refused


def test_char_crops_empty():
    crops, labels = make_char_crops(np.random.default_rng(0), 0, size=16)
    assert crops.shape == (0, 16, 16) and labels.shape == (0,)


def test_plate():
    for seed in range(4):
        img, text, boxes, quad = make_plate(np.random.default_rng(seed), with_quad=True)
        assert img.shape == (160, 320, 3) and img.dtype == np.uint8
        assert boxes.shape == (len(text.replace(" ", "")), 4, 2) and boxes.dtype == np.float32
        assert _inside(boxes, 320, 160) and _inside(quad, 320, 160)
        centres = boxes.mean(1)
        assert np.all(np.diff(centres[:, 0]) > 0)            # reading order, left to right
        assert all(_clockwise(b) for b in boxes)


def test_sudoku_grid_valid():
    for seed in range(3):
        img, grid, quad = make_sudoku(np.random.default_rng(seed), size=(256, 224), with_quad=True)
        assert img.shape == (224, 256, 3) and grid.shape == (9, 9) and grid.dtype == np.int64
        assert 22 <= np.count_nonzero(grid) < 42 and grid.min() >= 0 and grid.max() <= 9
        assert _inside(quad, 256, 224)
        units = list(grid) + list(grid.T) + [grid[r:r + 3, c:c + 3].ravel()
                                              for r in (0, 3, 6) for c in (0, 3, 6)]
        for u in units:
            nz = u[u > 0]
            assert len(set(nz.tolist())) == len(nz)


def test_solved_grid():
    g = sudoku.solved_grid(np.random.default_rng(4))
    for u in list(g) + list(g.T) + [g[r:r + 3, c:c + 3].ravel() for r in (0, 3, 6) for c in (0, 3, 6)]:
        assert sorted(u.tolist()) == list(range(1, 10))


# ---------------------------------------------------------------- degradations

def test_degradations_keep_shape_and_input():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    keep = img.copy()
    for out in [degrade.add_noise(rng, img, 5.0), degrade.add_noise(rng, img, 5.0, color=True),
                degrade.uneven_light(rng, img, 0.5), degrade.cast_shadow(rng, img, 0.5),
                degrade.defocus(rng, img, 2.0), degrade.motion_blur(rng, img, 5),
                degrade.gaussian_blur(rng, img, 1.0), degrade.jpeg(rng, img, 30),
                degrade.adjust_contrast(rng, img, 1.3, 5, 0.9), degrade.camera(rng, img)]:
        assert out.shape == img.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(img, keep)


def test_noise_level():
    img = np.full((256, 256), 128, np.uint8)
    out = degrade.add_noise(np.random.default_rng(0), img, 6.0)
    assert out.astype(np.float64).std() == pytest.approx(6.0, rel=0.1)


# ---------------------------------------------------------------- arguments

@pytest.mark.parametrize("call,exc,name", [
    (lambda: make_scene(0), TypeError, "rng"),
    (lambda: make_scene(np.random.default_rng(0), split="test"), ValueError, "split"),
    (lambda: make_scene(np.random.default_rng(0), size=(10, 512)), ValueError, "size"),
    (lambda: make_scene(np.random.default_rng(0), size="big"), TypeError, "size"),
    (lambda: make_document(np.random.default_rng(0), skew_deg=float("nan")), ValueError, "skew_deg"),
    (lambda: make_document(np.random.default_rng(0), skew_deg=120), ValueError, "skew_deg"),
    (lambda: make_document(np.random.default_rng(0), look="fax"), ValueError, "look"),
    (lambda: make_document(np.random.default_rng(0), with_page=1), TypeError, "with_page"),
    (lambda: make_char_crops(np.random.default_rng(0), -1), ValueError, "n"),
    (lambda: make_char_crops(np.random.default_rng(0), 2.5), TypeError, "n"),
    (lambda: make_char_crops(np.random.default_rng(0), 4, alphabet=""), ValueError, "alphabet"),
    (lambda: make_char_crops(np.random.default_rng(0), 4, alphabet="AA"), ValueError, "alphabet"),
    (lambda: make_char_crops(np.random.default_rng(0), 4, alphabet=list("AB")), TypeError, "alphabet"),
    (lambda: make_char_crops(np.random.default_rng(0), 4, size=4), ValueError, "size"),
    (lambda: make_char_crops(np.random.default_rng(0), 4, split="validation"), ValueError, "split"),
    (lambda: make_plate(np.random.RandomState(0)), TypeError, "rng"),
    (lambda: make_plate(np.random.default_rng(0), with_quad="yes"), TypeError, "with_quad"),
    (lambda: make_sudoku(np.random.default_rng(0), size=(40, 40)), ValueError, "size"),
    (lambda: make_sudoku(np.random.default_rng(0), split=None), ValueError, "split"),
])
def test_bad_arguments(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_core_does_not_import_synth():
    code = "import sys, ocrkit; print('ocrkit.synth' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_public_names():
    for name in synth.__all__:
        assert hasattr(synth, name)
    assert chars.make_plate is make_plate and chars.make_sudoku is make_sudoku
    assert documents.LOOKS == ("scan", "photo")
    assert math.isfinite(fonts.SIZE_LADDER[0])


def test_samples_cli(tmp_path):
    from ocrkit.synth.__main__ import main
    assert main(["samples", str(tmp_path), "--n", "1", "--split", "val"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"scene_0.png", "scene_0_quads.png", "document_0.png", "document_0.txt",
            "sudoku_0.png", "sudoku_0.txt", "char_crops.png"} <= names
    assert any(n.startswith("plate_0_") for n in names)
    grid = np.loadtxt(tmp_path / "sudoku_0.txt", dtype=int)
    assert grid.shape == (9, 9)


def test_motion_blur_smears_along_the_motion():
    img = np.full((30, 40, 3), 100, np.uint8)
    img[10:20, 15:25] = 200
    out = degrade.motion_blur(np.random.default_rng(0), img, 7, angle_deg=0)
    # horizontal smear: rows outside the square untouched, the square's rows spread out
    assert np.all(out[:10] == 100) and np.all(out[15, 10] == 100)
    assert np.all(out[15, 13] > 100) and np.all(out[15, 13] < 200) and np.all(out[15, 20] == 200)
