"""``ocrkit demo``: run the OCR jobs on the bundled sample images.

The samples (ocrkit/data/, made by models/make_demo_data.py from ocrkit.synth
with a fixed seed and held-out fonts) are read by each job that is installed;
what was read is printed next to the truth, and annotated images are written
to the output folder.
"""
import os

_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

# the jobs other modules provide: run through their own subcommand when present
_OPTIONAL = (("detect", "scene.jpg"), ("plate", "plate.png"), ("sudoku", "sudoku.jpg"))


def _say(title):
    print(f"\n== {title}")


def _preview(text, lines=4):
    rows = [r for r in text.splitlines() if r.strip()]
    out = "\n".join("   " + r for r in rows[:lines])
    return out + (f"\n   ... ({len(rows)} lines)" if len(rows) > lines else "")


def _subcommand_options(name):
    """Option strings the subcommand `name` accepts (None when not installed)."""
    import argparse

    from ..cli import build_parser
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return {s for a in action.choices[name]._actions for s in a.option_strings}
    return None


def _run_optional(name, image, out_dir):
    from ..cli import main
    options = _subcommand_options(name)
    _say(f"{name}: {os.path.basename(image)}")
    if options is None:
        print(f"   skipped: ocrkit {name} is not installed in this version")
        return True
    argv = [name, image]
    if "-o" in options:
        argv += ["-o", os.path.join(out_dir, f"{name}.png")]
    print("   $ ocrkit " + " ".join(argv[:1] + [os.path.basename(image)] + argv[2:]))
    status = main(argv)
    if status != 0:
        print(f"   ocrkit {name} exited with status {status}")
    return status == 0


def run(args):
    import json

    import numpy as np

    from ..io import imread, imwrite
    from ..pipelines._draw import draw_polygons
    from ..pipelines._text import char_error_rate
    from ..pipelines.ocr import read_page
    from ..pipelines.scan import scan
    from ..pipelines.search import draw_matches, search
    from .. import tesseract
    from . import CommandError

    data = args.data or _DATA
    meta_path = os.path.join(data, "demo.json")
    if not os.path.isfile(meta_path):
        raise CommandError(f"{data}: no demo.json (the sample images are missing; "
                           "run python models/make_demo_data.py)")
    with open(meta_path) as f:
        meta = json.load(f)
    if not tesseract.available():
        raise CommandError("the demo reads pages with Tesseract, which is not installed: "
                           + tesseract.INSTALL_HINT)
    out = args.output
    os.makedirs(out, exist_ok=True)
    print(f"ocrkit demo: samples from {data}, annotated images in {out}/")
    ok = True

    page_path = os.path.join(data, "page.jpg")
    page_img = imread(page_path)
    _say(f"ocr: a scanned page turned by {meta['page.jpg']['skew_deg']}° (page.jpg)")
    page = read_page(page_img)
    print(f"   skew found: {page.angle:.1f}°, {len(page.regions)} words read")
    print(_preview(page.text))
    cer = char_error_rate(page.text, meta["page.jpg"]["text"])
    print(f"   character error rate against the true text: {100 * cer:.2f}%")
    imwrite(os.path.join(out, "ocr_page.png"),
            draw_polygons(page_img, [r.polygon for r in page.regions], color=(0, 160, 0)))

    terms = meta["page.jpg"]["search"]
    _say("search: " + " ".join(repr(t) for t in terms) + " in page.jpg")
    found = search(page_img, terms, ocr_result=page)
    for m in found.matches:
        print(f"   {m.term!r} at x={m.box[0]} y={m.box[1]} w={m.box[2]} h={m.box[3]}")
    for t, n in found.counts.items():
        if n == 0:
            print(f"   {t!r}: not found")
            ok = False
    imwrite(os.path.join(out, "search.png"), draw_matches(page_img, found))

    photo_path = os.path.join(data, "photo.jpg")
    photo = imread(photo_path)
    _say("scan: a page photographed on a desk (photo.jpg)")
    scanned = scan(photo, ocr=True)
    if scanned.quad is None:
        print("   no page outline found")
        ok = False
    else:
        err = float(np.abs(scanned.quad - np.asarray(meta["photo.jpg"]["page"])).max())
        print("   page corners: " + " ".join(f"{x:.0f},{y:.0f}" for x, y in scanned.quad)
              + f" (within {err:.1f} px of the truth)")
        imwrite(os.path.join(out, "scan_outline.png"),
                draw_polygons(photo, [scanned.quad], color=(0, 0, 255), thickness=4))
    imwrite(os.path.join(out, "scan_page.png"), scanned.clean)
    print(_preview(scanned.text))
    cer = char_error_rate(scanned.text, meta["photo.jpg"]["text"])
    print(f"   character error rate against the true text: {100 * cer:.2f}%")

    scene_path = os.path.join(data, "scene.jpg")
    scene_img = imread(scene_path)
    from ..pipelines.ocr import read_scene
    scene = read_scene(scene_img)
    import importlib.util
    how = "EAST regions, Tesseract per region" if importlib.util.find_spec("ocrkit.east") \
        else "Tesseract sparse text: ocrkit.east not installed"
    _say(f"ocr: a scene photo (scene.jpg; {how})")
    print("   read: " + " | ".join(r.text for r in scene.regions))
    print("   true: " + " ".join(meta["scene.jpg"]["words"]))
    imwrite(os.path.join(out, "ocr_scene.png"),
            draw_polygons(scene_img, [r.polygon for r in scene.regions], color=(0, 160, 0)))

    for name, image in _OPTIONAL:
        ok &= _run_optional(name, os.path.join(data, image), out)
        truth = meta[image]
        if "text" in truth:
            print(f"   true text: {truth['text']}")
        elif "words" in truth:
            print(f"   true words: {' '.join(truth['words'])}")
        elif "grid" in truth:
            print("   true grid: " + " ".join("".join(map(str, row)) for row in truth["grid"]))

    print(f"\nannotated images written to {out}/: "
          + ", ".join(sorted(n for n in os.listdir(out) if n.endswith(".png"))))
    return 0 if ok else 4


def register(sub):
    p = sub.add_parser("demo", help="run the OCR jobs on bundled sample images (the main job)")
    p.add_argument("-o", "--output", default="ocrkit-demo",
                   help="folder for the annotated images (default ./ocrkit-demo)")
    p.add_argument("--data", default=None,
                   help="folder of sample images with their demo.json (default: the bundled ones)")
    p.set_defaults(func=run)
