"""Generate the sample inputs ``ocrkit demo`` runs on, into ocrkit/data/.

    python models/make_demo_data.py

Every image comes from ocrkit.synth with a fixed seed and split="val" (fonts and
words the models never trained on), so the files are reproducible byte for byte
with the same Pillow, fonts and word list. ocrkit/data/demo.json records what
each image holds (the true text, words to search for) so the demo can say how
well it did. Kept small (JPEG for the photos): the whole folder stays under 1 MB.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ocrkit.io import imwrite                         # noqa: E402
from ocrkit.synth import make_document, make_plate, make_scene, make_sudoku  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "ocrkit", "data")
SEED = 2024


def _jpeg(path, img, quality):
    from PIL import Image
    Image.fromarray(np.ascontiguousarray(img[:, :, ::-1])).save(path, quality=quality)


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"seed": SEED, "split": "val"}

    rng = np.random.default_rng(SEED)
    img, _, words, text = make_document(rng, (1240, 1754), "val", 6.0, look="scan")
    _jpeg(os.path.join(OUT, "page.jpg"), img, 70)
    long_words = [w.strip(".,") for w in words if len(w.strip(".,")) >= 7 and w.isalpha()]
    meta["page.jpg"] = {"job": "ocr", "skew_deg": 6.0, "text": text,
                        "search": [long_words[3], long_words[len(long_words) // 2]]}

    rng = np.random.default_rng(SEED + 1)
    img, _, _, text, page = make_document(rng, (1240, 1754), "val", -14.0, look="photo",
                                          with_page=True)
    _jpeg(os.path.join(OUT, "photo.jpg"), img, 60)
    meta["photo.jpg"] = {"job": "scan", "skew_deg": -14.0, "text": text,
                         "page": np.round(page, 1).tolist()}

    rng = np.random.default_rng(SEED + 2)
    img, quads, words = make_scene(rng, (512, 512), "val")
    _jpeg(os.path.join(OUT, "scene.jpg"), img, 90)
    meta["scene.jpg"] = {"job": "detect", "words": words}

    rng = np.random.default_rng(SEED + 3)
    img, text, _ = make_plate(rng, "val", (320, 160))
    imwrite(os.path.join(OUT, "plate.png"), img)
    meta["plate.png"] = {"job": "plate", "text": text}

    rng = np.random.default_rng(SEED + 4)
    img, grid = make_sudoku(rng, "val", (512, 512))
    _jpeg(os.path.join(OUT, "sudoku.jpg"), img, 90)
    meta["sudoku.jpg"] = {"job": "sudoku", "grid": grid.tolist()}

    with open(os.path.join(OUT, "demo.json"), "w") as f:
        json.dump(meta, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {OUT}: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
