"""Rendered character crops for the character CNN, cached as .npy chunks.

Each chunk is ``make_char_crops(np.random.default_rng(seed), CHUNK, alphabet,
32, split)`` with a seed derived from (base seed, split, chunk index), so a chunk
is the same bytes whoever renders it and whenever: several processes may render
disjoint chunk ranges at once. Only NumPy, Pillow and ``ocrkit.synth`` are needed
(no TensorFlow), so this also runs under the plain ocrkit interpreter.

    python models/charnet_data.py --data /tmp/charnet --alphabet 36 --split train --chunks 0:10
    python models/charnet_data.py --data /tmp/charnet --alphabet 36 --split val --chunks 0:1
    python models/charnet_data.py --data /tmp/charnet --alphabet 36 --split train --chunks 0:30 --wide
"""
import argparse
import hashlib
import os
import string
import sys
import time

import numpy as np

CHUNK = 20000           # crops per chunk file: ~20 s to render, 20 MB on disk
SIZE = 32

ALPHABETS = {
    "36": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    # printable ASCII without the space: 94 classes
    "94": "".join(c for c in string.printable if not c.isspace()),
}


def resolve_alphabet(spec):
    """'36', '94' or the characters themselves."""
    return ALPHABETS.get(spec, spec)


def tag(alphabet):
    """Short file-name key of an alphabet (its size and a hash of its characters)."""
    return f"a{len(alphabet)}-{hashlib.sha1(alphabet.encode()).hexdigest()[:8]}"


def chunk_seed(seed, split, index):
    # the split is part of the seed: train and val never share a random stream
    return [int(seed), {"train": 1, "val": 2}[split], int(index)]


def chunk_paths(data, alphabet, split, index, wide=False):
    # wide-font training chunks are other bytes: they carry a "w" in their name
    fonts = "w" if wide and split == "train" else ""
    stem = os.path.join(data, f"{tag(alphabet)}_{split}{fonts}_{index:03d}")
    return stem + "_x.npy", stem + "_y.npy"


def check_wide_fonts():
    """Fail unless every design of the wide font set is installed: a chunk rendered
    with some of them missing would be other bytes under the same name."""
    from ocrkit.synth import fonts
    missing = fonts.wide_designs_missing()
    if missing:
        raise SystemExit(f"wide font set incomplete (missing designs: {', '.join(missing)}); "
                         f"install: apt-get install -y {' '.join(fonts.WIDE_APT_PACKAGES)}")


def render_chunk(data, alphabet, split, index, seed=0, wide=False):
    """Render one chunk unless it is already on disk; returns its two paths."""
    from ocrkit.synth import make_char_crops
    px, py = chunk_paths(data, alphabet, split, index, wide)
    if os.path.exists(px) and os.path.exists(py):
        return px, py
    if wide and split == "train":
        check_wide_fonts()
    os.makedirs(data, exist_ok=True)
    x, y = make_char_crops(np.random.default_rng(chunk_seed(seed, split, index)), CHUNK,
                           alphabet, SIZE, split, wide=wide)
    # write under a temporary name, then rename: a reader never sees half a chunk
    for path, arr in ((px, x), (py, y.astype(np.int16))):
        tmp = path + ".part.npy"
        np.save(tmp, arr)
        os.replace(tmp, path)
    return px, py


def render_with_families(rng, n, alphabet, split, wide=False):
    """``make_char_crops(rng, n, alphabet, SIZE, split, wide)`` and the font family
    of each crop (for error breakdowns): ``pick_face`` is wrapped to record its
    draws, a draw refused for a missing glyph is dropped, and the random stream is
    the one the plain call uses, so the crops are the same bytes."""
    from ocrkit.synth import chars
    fams, pick, has = [], chars.pick_face, chars._has_glyph

    def recording_pick(*args, **kw):
        face = pick(*args, **kw)
        fams.append(face.family)
        return face

    def recording_has(path, char):
        ok = has(path, char)
        if not ok:
            fams.pop()
        return ok
    chars.pick_face, chars._has_glyph = recording_pick, recording_has
    try:
        x, y = chars.make_char_crops(rng, n, alphabet, SIZE, split, wide=wide)
    finally:
        chars.pick_face, chars._has_glyph = pick, has
    return x, y, np.array(fams)


def load_chunks(data, alphabet, split, indices, wide=False):
    """Concatenated (crops uint8 (n,32,32), labels int64) of the chunks on disk."""
    xs, ys = [], []
    for i in indices:
        px, py = chunk_paths(data, alphabet, split, i, wide)
        xs.append(np.load(px))
        ys.append(np.load(py).astype(np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder of the chunk files")
    ap.add_argument("--alphabet", default="36", help="'36', '94' or the characters")
    ap.add_argument("--split", choices=("train", "val"), default="train")
    ap.add_argument("--chunks", default="0:1", help="range start:stop of chunk indices")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--wide", action="store_true",
                    help="training crops from the wide font set (ocrkit.synth.fonts.WIDE_APT_PACKAGES)")
    a = ap.parse_args(argv)
    alphabet = resolve_alphabet(a.alphabet)
    lo, hi = (int(v) for v in a.chunks.split(":"))
    for i in range(lo, hi):
        t = time.time()
        px, _ = render_chunk(a.data, alphabet, a.split, i, a.seed, a.wide)
        print(f"{px}: {time.time() - t:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
