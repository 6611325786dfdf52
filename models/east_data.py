"""Training data for the EAST detector: crops from ocrkit.synth with EAST label maps.

A sample is a 256x256 BGR crop and its maps at a quarter of that resolution:

- score (64x64 uint8): 1 on cells whose centre lies inside a word's quad shrunk
  by 0.2 of its height on every side (the paper shrinks by 0.3; 0.2 keeps a
  cell inside 10-px words), else 0;
- geometry (64x64x5 float16): for positive cells, the distances (top, right,
  bottom, left) from the cell's pixel (4*j, 4*i) to the sides of the word's
  rotated box, and the box angle in radians (counter-clockwise, OpenCV's EAST
  decoder convention: the text's right-hand direction is (cos a, -sin a));
- mask (64x64 uint8): 0 where the loss ignores the cell: words cut by the crop
  (less than 80 % of the quad inside) and words under 6 px high.

Cell (i, j) stands for input pixel (4*j, 4*i), as in the original EAST code and
OpenCV's sample decoder.

Shards are written by ``python models/east_data.py OUT_DIR`` as
``shard_NNNNN_{x,score,geo,mask}.npy`` (renamed into place when complete) so the
trainer can memory-map them while more are being made.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from ocrkit.synth import make_document, make_scene  # noqa: E402

CROP = 256
STRIDE = 4
SHRINK = 0.2
MIN_HEIGHT = 6.0


def rbox_of_quad(q):
    """(angle, R, D, u0, u1, v0, v1, height) of the rotated box around quad `q` (4x2)."""
    q = np.asarray(q, np.float64)
    v = (q[1] - q[0]) + (q[2] - q[3])
    a = np.arctan2(-v[1], v[0])
    R = np.array([np.cos(a), -np.sin(a)])
    D = np.array([np.sin(a), np.cos(a)])
    u, w = q @ R, q @ D
    return a, R, D, u.min(), u.max(), w.min(), w.max(), w.max() - w.min()


def label_maps(quads, size):
    """EAST maps for `quads` in an image of `size` (w, h), both multiples of 4."""
    w, h = size
    gw, gh = w // STRIDE, h // STRIDE
    score = np.zeros((gh, gw), np.uint8)
    geo = np.zeros((gh, gw, 5), np.float32)
    mask = np.ones((gh, gw), np.uint8)
    ys, xs = np.mgrid[0:gh, 0:gw]
    px, py = xs * float(STRIDE), ys * float(STRIDE)
    # Larger words first so small ones painted later win overlapping cells.
    order = sorted(range(len(quads)), key=lambda k: -abs(_area(quads[k])))
    for k in order:
        q = np.asarray(quads[k], np.float64)
        a, R, D, u0, u1, v0, v1, hgt = rbox_of_quad(q)
        x0, y0 = np.floor(q.min(0) / STRIDE).astype(int)
        x1, y1 = np.ceil(q.max(0) / STRIDE).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1 + 1, gw), min(y1 + 1, gh)
        if x0 >= x1 or y0 >= y1:
            continue
        sx, sy = px[y0:y1, x0:x1], py[y0:y1, x0:x1]
        full = _inside(q, sx, sy)
        inside_frac = _inside_fraction(q, w, h)
        if hgt < MIN_HEIGHT or inside_frac < 0.8:
            mask[y0:y1, x0:x1][full] = 0
            score[y0:y1, x0:x1][full] = 0
            continue
        uu = sx * R[0] + sy * R[1]
        vv = sx * D[0] + sy * D[1]
        s = SHRINK * hgt
        core = full & (uu >= u0 + s) & (uu <= u1 - s) & (vv >= v0 + s) & (vv <= v1 - s)
        if not core.any():
            # Keep the cell nearest the centre so every word has a positive cell.
            c = q.mean(0)
            ci = int(np.clip(np.rint(c[1] / STRIDE), 0, gh - 1)) - y0
            cj = int(np.clip(np.rint(c[0] / STRIDE), 0, gw - 1)) - x0
            if 0 <= ci < y1 - y0 and 0 <= cj < x1 - x0:
                core[ci, cj] = True
        score[y0:y1, x0:x1][full & ~core] = 0
        score[y0:y1, x0:x1][core] = 1
        g = geo[y0:y1, x0:x1]
        g[core, 0] = (vv - v0)[core]
        g[core, 1] = (u1 - uu)[core]
        g[core, 2] = (v1 - vv)[core]
        g[core, 3] = (uu - u0)[core]
        g[core, 4] = a
        mask[y0:y1, x0:x1][core] = 1
    return score, geo.astype(np.float16), mask


def _area(q):
    q = np.asarray(q, np.float64)
    x, y = q[:, 0], q[:, 1]
    return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _inside(q, sx, sy):
    """Points inside convex quad `q` (either winding)."""
    sgn = np.sign(_area(q)) or 1.0
    ok = np.ones(sx.shape, bool)
    for i in range(4):
        ax, ay = q[i]
        bx, by = q[(i + 1) % 4]
        cross = (bx - ax) * (sy - ay) - (by - ay) * (sx - ax)
        ok &= cross * sgn >= 0
    return ok


def _inside_fraction(q, w, h):
    """Share of the quad's area inside [0, w-1] x [0, h-1] (sampled on a 9x9 grid)."""
    t = np.linspace(0.05, 0.95, 9)
    s, r = np.meshgrid(t, t)
    top = q[0] + (q[1] - q[0]) * s[..., None]
    bot = q[3] + (q[2] - q[3]) * s[..., None]
    p = top + (bot - top) * r[..., None]
    ok = (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)
    return ok.mean()


def _crop(img, quads, rng, size=CROP):
    """A random size x size crop of `img` (biased toward text), quads shifted with it."""
    h, w = img.shape[:2]
    if quads and rng.random() < 0.8:
        c = np.asarray(quads[int(rng.integers(len(quads)))]).mean(0)
        x = int(np.clip(c[0] - rng.integers(size // 4, 3 * size // 4), 0, w - size))
        y = int(np.clip(c[1] - rng.integers(size // 4, 3 * size // 4), 0, h - size))
    else:
        x, y = int(rng.integers(0, w - size + 1)), int(rng.integers(0, h - size + 1))
    q = [np.asarray(p, np.float32) - np.float32([x, y]) for p in quads]
    return img[y:y + size, x:x + size], q


def make_samples(rng, split="train"):
    """(crop, quads) pairs: a whole 256x256 scene, or four crops of one page.

    Pages are rendered 720-1000 px wide, where their text is about 9-21 px high
    (as on a 768x1024 page); a page costs several scenes, so it gives four crops.
    About half the samples are scenes, half page crops.
    """
    if rng.random() < 0.8:
        img, quads, _ = make_scene(rng, (CROP, CROP), split)
        return [(img, quads)]
    pw = int(rng.integers(720, 1001))
    ph = int(pw * rng.uniform(1.1, 1.45))
    skew = float(rng.normal(0, 4)) if rng.random() < 0.7 else float(rng.uniform(-30, 30))
    img, quads, _, _ = make_document(rng, (pw, ph), split, skew_deg=skew)
    return [_crop(img, quads, rng) for _ in range(4)]


def write_shards(out, seed, shard_size, count, split):
    os.makedirs(out, exist_ok=True)
    for n in range(count):
        name = os.path.join(out, f"shard_{seed:03d}_{n:05d}")
        if os.path.exists(name + "_mask.npy"):
            continue
        rng = np.random.default_rng([seed, n])
        xs, ss, gs, ms = [], [], [], []
        t0 = time.time()
        while len(xs) < shard_size:
            for img, quads in make_samples(rng, split):
                s, g, m = label_maps(quads, (CROP, CROP))
                xs.append(img), ss.append(s), gs.append(g), ms.append(m)
        for key, arr in (("x", xs), ("score", ss), ("geo", gs), ("mask", ms)):
            np.save(name + f"_{key}.tmp.npy", np.stack(arr[:shard_size]))
        for key in ("x", "score", "geo", "mask"):   # mask last: it marks the shard complete
            os.replace(name + f"_{key}.tmp.npy", name + f"_{key}.npy")
        print(f"{time.strftime('%H:%M:%S')} {name} {shard_size / (time.time() - t0):.1f} samples/s",
              flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shard-size", type=int, default=256)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--split", default="train")
    a = ap.parse_args(argv)
    write_shards(a.out, a.seed, a.shard_size, a.count, a.split)


if __name__ == "__main__":
    main()
