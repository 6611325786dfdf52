"""EAST detector: C decoding on hand-built maps, the shipped model on generated
images, awkward inputs and clear errors."""
import builtins
import json
import math
import os
import sys

import numpy as np
import pytest

import ocrkit
from ocrkit import runtime
from ocrkit.io import imread, imwrite
from ocrkit.east import OCRKIT_GEOMETRY, ORIGINAL_GEOMETRY, EASTDetector, decode_east

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "models"))


def _rbox(center, w, h, angle):
    """Corners TL, TR, BR, BL of a w x h box turned `angle` radians counter-clockwise
    on screen (y down), built from a rotation of the upright box."""
    c, s = math.cos(angle), math.sin(angle)
    out = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        out.append((center[0] + dx * c + dy * s, center[1] - dx * s + dy * c))
    return np.array(out)


def _maps(boxes, gh, gw, cell=4):
    """Score and NHWC geometry maps with each box predicted by the cells near its centre."""
    score = np.zeros((gh, gw), np.float32)
    geo = np.zeros((gh, gw, 5), np.float32)
    for (cx, cy), w, h, a in boxes:
        R = np.array([math.cos(a), -math.sin(a)])
        D = np.array([math.sin(a), math.cos(a)])
        for i in range(int(cy // cell) - 1, int(cy // cell) + 2):
            for j in range(int(cx // cell) - 1, int(cx // cell) + 2):
                p = np.array([j * cell, i * cell], float) - (cx, cy)
                u, v = p @ R, p @ D
                geo[i, j] = [v + h / 2, w / 2 - u, h / 2 - v, u + w / 2, a]
                score[i, j] = 0.9
    return score, geo


@pytest.mark.parametrize("deg", [-89, -60, -45, -30, -7, 0, 3, 20, 45, 70, 89])
def test_decode_gives_exact_quads_at_any_angle(deg):
    a = math.radians(deg)
    score, geo = _maps([((101.3, 77.9), 90.0, 24.0, a)], 48, 64)
    quads, scores = decode_east(score, geo, 0.5)
    want = _rbox((101.3, 77.9), 90.0, 24.0, a)
    assert quads.shape == (9, 8) and np.all(scores == np.float32(0.9))
    for q in quads:
        np.testing.assert_allclose(q.reshape(4, 2), want, atol=2e-4)
    # the same maps as cv2.dnn gives them (NCHW), and in ocrkit's sigmoid units
    q2, _ = decode_east(score[None, None], np.ascontiguousarray(geo.transpose(2, 0, 1))[None],
                        0.5, layout="nchw")
    np.testing.assert_allclose(q2, quads, atol=1e-9)
    ds, as_, ao = OCRKIT_GEOMETRY
    raw = geo.copy()
    raw[..., :4] /= ds
    raw[..., 4] = (raw[..., 4] - ao) / as_
    q3, _ = decode_east(score[None, :, :, None], raw[None], 0.5, geometry_units=OCRKIT_GEOMETRY)
    np.testing.assert_allclose(q3, quads, atol=2e-3)


def test_decode_threshold_order_and_scale():
    score = np.zeros((8, 10), np.float32)
    geo = np.zeros((8, 10, 5), np.float32)
    geo[..., :4] = 2.0
    score[1, 7], score[3, 2], score[3, 3] = 0.6, 0.51, 0.5    # 0.5 is not above 0.5
    quads, scores = decode_east(score, geo, 0.5, scale=(2.0, 0.5))
    np.testing.assert_allclose(scores, [0.6, 0.51], rtol=1e-6)
    # cell (1, 7) is pixel (28, 4); box x 26..30, y 2..6; x' = (x + .5) * 2 - .5
    np.testing.assert_allclose(quads[0].reshape(4, 2)[0], [52.5, 0.75])
    np.testing.assert_allclose(quads[0].reshape(4, 2)[2], [60.5, 2.75])
    assert decode_east(score, geo, 0.9)[0].shape == (0, 8)
    with pytest.raises(ValueError, match="geometry"):
        decode_east(score, geo[:, :, :4], 0.5)
    with pytest.raises(ValueError, match="layout"):
        decode_east(score, geo, 0.5, layout="chw")


class _FakeNet:
    """Stands in for the network: returns fixed maps whatever the input."""

    def __init__(self, score, geo):
        self.score, self.geo, self.seen = score, geo, []

    def run(self, x):
        self.seen.append(x.shape)
        return [self.score[None, :, :, None], self.geo[None]]


def test_detect_maps_back_to_the_callers_pixels(monkeypatch):
    det = EASTDetector(input_size=(320, 224))
    box = ((150.0, 100.0), 120.0, 30.0, math.radians(12))
    score, geo = _maps([box], 56, 80)
    det._net, det._score_out, det.geometry_units = _FakeNet(score, geo), 0, ORIGINAL_GEOMETRY
    img = np.zeros((700, 1000, 3), np.uint8)
    found = det.detect(img)
    assert det._net.seen == [(1, 224, 320, 3)]
    assert len(found) == 1 and found[0].polygon.dtype == np.float32
    want = _rbox(*box)
    sx, sy = 1000 / 320, 700 / 224
    want = np.stack([(want[:, 0] + 0.5) * sx - 0.5, (want[:, 1] + 0.5) * sy - 0.5], 1)
    np.testing.assert_allclose(found[0].polygon, want, atol=1e-3)
    assert found[0].score == pytest.approx(0.9)
    assert set(det.timings) == {"preprocess", "inference", "decode"}



def test_detections_scored_by_the_cells_inside_them():
    # cells (row, col) on a 4-pixel grid; at scale 1 a cell centre is pixel (4 col, 4 row)
    smap = np.zeros((10, 12), np.float32)
    smap[2:4, 3:7] = [[0.6, 0.7, 0.8, 0.9], [0.6, 0.7, 0.8, 0.4]]   # 0.4: below threshold
    smap[8, 10] = 0.95                                               # outside both quads
    inner = [[10, 6], [26, 6], [26, 14], [10, 14]]      # clockwise, cells 3..6 x 2..3
    empty = [[30, 30], [38, 30], [38, 34], [30, 34]]    # no cell above threshold inside
    polys = np.array([empty, inner], np.float32).reshape(-1, 8)
    dets = EASTDetector._finish(polys, smap, (1.0, 1.0), 0.5)
    assert len(dets) == 1
    np.testing.assert_array_equal(dets[0].polygon, np.array(inner, np.float32))
    assert dets[0].score == pytest.approx(np.mean([0.6, 0.7, 0.8, 0.9, 0.6, 0.7, 0.8]))
    # a counter-clockwise quad has no inside: dropped, as are non-finite corners
    ccw = np.array(inner[::-1], np.float32).reshape(1, 8)
    assert EASTDetector._finish(ccw, smap, (1.0, 1.0), 0.5) == []
    assert EASTDetector._finish(np.full((1, 8), np.nan, np.float32), smap, (1.0, 1.0), 0.5) == []


def test_fragments_inside_a_larger_box_are_dropped():
    smap = np.zeros((20, 40), np.float32)
    smap[4:8, 2:30] = 0.9               # a whole word, cells 2..29 x 4..7
    smap[5:7, 5:9] = 0.95               # a brighter piece of it: scores above the word
    smap[14:17, 2:12] = 0.8             # another word, apart
    word = [[4, 14], [120, 14], [120, 30], [4, 30]]
    piece = [[18, 18], [38, 18], [38, 26], [18, 26]]       # all inside `word`
    half = [[100, 14], [150, 14], [150, 30], [100, 30]]    # 20 of its 50 px inside
    other = [[4, 54], [48, 54], [48, 68], [4, 68]]
    polys = np.array([word, piece, half, other], np.float32).reshape(-1, 8)
    every = EASTDetector._finish(polys, smap, (1.0, 1.0), 0.5)
    assert len(every) == 4 and every[0].polygon[0, 0] == 18   # the piece scores best
    kept = EASTDetector._finish(polys, smap, (1.0, 1.0), 0.5, 0.5)
    got = [tuple(d.polygon.ravel()) for d in kept]
    # the piece goes although it scores best; still best score first
    want = [tuple(d.polygon.ravel()) for d in every if d.polygon[0, 0] != 18]
    assert got == want
    # at 0.3, `half` (0.4 of it inside `word`) goes too
    kept = EASTDetector._finish(polys, smap, (1.0, 1.0), 0.5, 0.3)
    assert sorted(d.polygon[0, 1] for d in kept) == [14, 54]


def test_contained_nms_matches_brute_force():
    from eval_east import _area, _clip
    from ocrkit._ext import _nms
    rng = np.random.default_rng(3)
    for trial in range(30):
        n = int(rng.integers(1, 25))
        c = rng.uniform(0, 100, (n, 2))
        wh = rng.uniform(5, 40, (n, 2))
        ang = rng.uniform(-0.5, 0.5, n)
        quads = np.stack([_rbox((cx, cy), w, h, a) for (cx, cy), (w, h), a in zip(c, wh, ang)])
        keys = rng.permutation(n).astype(np.float32)
        thr, ct = 0.4, float(rng.uniform(0.3, 0.9))
        keep = []
        for i in np.argsort(-keys):
            p = [tuple(v) for v in quads[i]]
            ok = True
            for j in keep:
                q = [tuple(v) for v in quads[j]]
                inter = _clip(p, q)
                ia = abs(_area(inter)) if len(inter) >= 3 else 0.0
                a, b = abs(_area(p)), abs(_area(q))
                if ia / (a + b - ia) > thr or ia > ct * a:
                    ok = False
                    break
            if ok:
                keep.append(i)
        got = _nms.nms_polygons_contained(quads.reshape(n, 8).astype(np.float64), keys, thr, ct)
        assert list(got) == keep, trial


def test_contain_threshold_is_checked():
    det = EASTDetector()
    det.contain_threshold = 1.5
    with pytest.raises(ValueError, match="contain_threshold"):
        det.detect(np.zeros((64, 64), np.uint8))
    det.contain_threshold = None
    assert det.detect(np.zeros((64, 64), np.uint8)) == []

# ----------------------------------------------------------------- shipped model
def _recall(det, items):
    from eval_east import match
    found = total = 0
    for img, quads in items:
        found += match(quads, [d.polygon for d in det.detect(img)])
        total += len(quads)
    return found / total


@pytest.fixture(scope="module")
def scenes():
    synth = pytest.importorskip("ocrkit.synth")
    rng = np.random.default_rng(6)
    try:
        return [synth.make_scene(rng, (512, 512), "val")[:2] for _ in range(20)]
    except synth.FontsNotFoundError as e:     # environment without the fonts
        pytest.skip(str(e))


# Issue 6 asks the shipped model to find 90 % of these words. The default model
# (float16, run r3 at 16,000 steps, models/EAST.md) finds 92.4 % (121 of 131),
# and so does its int8 twin.


def test_shipped_model_finds_90_percent_of_words(scenes):
    r = _recall(EASTDetector(), scenes)
    assert r >= 0.90, f"recall {r:.3f} on 20 held-out scenes"


def test_bundled_int8_model_finds_90_percent_of_words(scenes):
    r = _recall(EASTDetector(runtime.model_path("east_int8.tflite")), scenes)
    assert r >= 0.90, f"recall {r:.3f} on 20 held-out scenes"


def test_grey_and_bgra_inputs_work_like_bgr(scenes):
    det = EASTDetector()
    items = scenes[:3]
    grey = [(ocrkit.to_gray(img), q) for img, q in items]
    bgra = [(np.dstack([img, np.full(img.shape[:2], 255, np.uint8)]), q) for img, q in items]
    r_bgr, r_grey, r_bgra = _recall(det, items), _recall(det, grey), _recall(det, bgra)
    assert r_bgra == r_bgr
    assert r_grey >= r_bgr - 0.15
    d3 = det.detect(grey[0][0][:, :, None])
    assert [d.polygon.tolist() for d in d3] == [d.polygon.tolist() for d in det.detect(grey[0][0])]


def test_tiny_huge_and_odd_sizes(scenes):
    det = EASTDetector()
    for shape in ((1, 1), (5, 7, 3), (31, 33, 3)):
        assert isinstance(det.detect(np.full(shape, 200, np.uint8)), list)
    from eval_east import match
    img = scenes[0][0]
    fixed = EASTDetector(input_size=512)
    ref = [d.polygon for d in fixed.detect(img)]
    assert ref
    # the same scene at an odd size (not a multiple of 32) and a huge one, seen by
    # the network at 512x512 both times: the quads come back in the caller's pixels
    for size in ((500, 333), (3000, 2100)):
        big = ocrkit.resize(img, size, interpolation="area")
        s = np.array([size[0] / 512, size[1] / 512])
        want = [(p + 0.5) * s - 0.5 for p in ref]
        got = fixed.detect(big)
        assert match(want, [d.polygon for d in got]) >= 0.8 * len(want), size
    # and with the default size rule (long side at most 1280)
    huge = det.detect(ocrkit.resize(img, (3000, 2100)))
    assert all(d.polygon.dtype == np.float32 and d.polygon.shape == (4, 2) for d in huge)
    assert det.timings["inference"] > 0


def test_bad_arguments():
    det = EASTDetector()
    with pytest.raises(TypeError, match="uint8"):
        det.detect(np.zeros((64, 64), np.float32))
    with pytest.raises(TypeError, match="numpy"):
        det.detect([[0, 1]])
    with pytest.raises(ValueError, match="shape"):
        det.detect(np.zeros((64, 64, 2), np.uint8))
    with pytest.raises(ValueError, match="empty"):
        det.detect(np.zeros((0, 64), np.uint8))
    with pytest.raises(ValueError, match="score_threshold"):
        det.detect(np.zeros((64, 64), np.uint8), score_threshold=1.5)
    with pytest.raises(ValueError, match="nms_threshold"):
        det.detect(np.zeros((64, 64), np.uint8), nms_threshold=-0.1)
    with pytest.raises(ValueError, match="multiples of 32"):
        EASTDetector(input_size=100)
    with pytest.raises(ValueError, match="backend"):
        EASTDetector(backend="onnx")


def test_corrupt_and_wrong_model_files(tmp_path):
    bad = tmp_path / "east.tflite"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(runtime.ModelFileError, match="not a TFLite model"):
        EASTDetector(str(bad))
    with pytest.raises(runtime.ModelFileError, match="cannot read"):
        EASTDetector(str(tmp_path / "missing.tflite"))
    tiny = os.path.join(os.path.dirname(__file__), "data", "tiny_f32.tflite")
    if os.path.exists(tiny):
        with pytest.raises(runtime.ModelFileError, match="not an EAST model"):
            EASTDetector(tiny)
    with pytest.raises(runtime.ModelFileError, match="cv2.dnn"):
        EASTDetector(str(bad), backend="opencv")


def test_missing_runtimes_name_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def blocked(name, *a, **k):
        if name.split(".")[0] in ("ai_edge_litert", "tflite_runtime", "tensorflow", "cv2"):
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", blocked)
    with pytest.raises(runtime.RuntimeMissingError, match="pip install ai-edge-litert"):
        EASTDetector()
    with pytest.raises(runtime.RuntimeMissingError, match="pip install opencv"):
        EASTDetector("model.pb", backend="opencv")


def test_opencv_backend_decodes_like_tflite():
    """The same weights through TFLite (NHWC maps) and cv2.dnn (NCHW maps) decode to
    the same quads. east_tiny_64.tflite: `python models/train_east.py tiny`."""
    pytest.importorskip("cv2")
    path = os.path.join(os.path.dirname(__file__), "data", "east_tiny_64.tflite")
    img = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    x = img.astype(np.float32)[None]
    a, b = EASTDetector(path), EASTDetector(path, backend="opencv")
    assert a.geometry_units == b.geometry_units == OCRKIT_GEOMETRY
    sa, ga, la = a._infer(x)
    sb, gb, lb = b._infer(x)
    assert (la, lb) == ("nhwc", "nchw") and sb.shape == (1, 1, 16, 16) and gb.shape == (1, 5, 16, 16)
    qa, ca = decode_east(sa, ga, 0.5, layout=la, geometry_units=OCRKIT_GEOMETRY)
    qb, cb = decode_east(sb, gb, 0.5, layout=lb, geometry_units=OCRKIT_GEOMETRY)
    assert 0 < len(qa) == len(qb) < 256
    np.testing.assert_allclose(qa, qb, atol=0.05)
    np.testing.assert_allclose(ca, cb, atol=1e-4)
    da, db = a.detect(img), b.detect(img)
    assert len(da) == len(db) >= 1
    np.testing.assert_allclose(da[0].polygon, db[0].polygon, atol=0.05)


def test_cli_detect(tmp_path, scenes, capsys):
    from ocrkit import cli
    img = scenes[2][0]
    src, out = tmp_path / "in.png", tmp_path / "out.png"
    imwrite(str(src), img)
    assert cli.main(["detect", str(src), "--json", "-o", str(out)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(len(d["polygon"]) == 4 and 0 < d["score"] <= 1 for d in found)
    drawn = imread(str(out))
    assert drawn.shape == img.shape and np.any(drawn != img)
    assert cli.main(["detect", str(tmp_path / "nope.png")]) == 1
    assert "nope.png" in capsys.readouterr().err
