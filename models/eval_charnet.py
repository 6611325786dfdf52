"""Evaluate the character CNN on held-out-font crops, against Tesseract.

The crops are ``ocrkit.synth.make_char_crops`` renderings from the validation
fonts (``models/charnet_data.py``, val chunk 0, first --n crops): fonts no
training crop was drawn from.

    # the CNN: accuracy, confusion pairs, throughput and latency on one thread
    python models/eval_charnet.py cnn --data /tmp/charnet --n 6000
    # the rival, one crop per tesseract process (slow: run it niced, in the background)
    nice -n 10 python models/eval_charnet.py tesseract --data /tmp/charnet --n 6000 \\
        --out /tmp/charnet/tess.jsonl
    python models/eval_charnet.py report --tess /tmp/charnet/tess.jsonl

Tesseract gets each crop as the CNN sees it after ``ocrkit.charnet.normalize_crops``
(dark ink on white, tight box, 32×32), enlarged 3× with a white border (it reads
small glyphs badly), ``--psm 10`` (one character) and a whitelist of the alphabet.
"""
import argparse
import collections
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import charnet_data  # noqa: E402


def load_eval(data, alphabet, n):
    charnet_data.render_chunk(data, alphabet, "val", 0)
    x, y = charnet_data.load_chunks(data, alphabet, "val", [0])
    if n > len(x):
        raise SystemExit(f"--n {n}: the val chunk has {len(x)} crops")
    return x[:n], y[:n]


def confusions(alphabet, truth, pred, top=10):
    c = collections.Counter((alphabet[t], alphabet[p] if p >= 0 else "∅")
                            for t, p in zip(truth, pred) if t != p)
    return c.most_common(top)


def run_cnn(a):
    import ocrkit
    from ocrkit.charnet import CharRecognizer, normalize_crops
    ocrkit.set_num_threads(1)
    rec = CharRecognizer(a.model, num_threads=1)
    alphabet = rec.alphabet
    x, y = load_eval(a.data, alphabet, a.n)
    t = time.perf_counter()
    labels, probs = rec.predict(x)
    dt = time.perf_counter() - t
    pred = np.array([alphabet.index(c) for c in labels])
    acc = float((pred == y).mean())
    print(f"model {rec!r}")
    print(f"accuracy on {len(y)} held-out-font crops: {100 * acc:.2f}% "
          f"({int((pred != y).sum())} errors)")
    print("top confusions (true -> read: count):",
          ", ".join(f"{t}->{p}: {k}" for (t, p), k in confusions(alphabet, y, pred)))
    # polarity check: the same crops inverted
    inv_labels, _ = rec.predict(255 - x)
    inv = np.array([alphabet.index(c) for c in inv_labels])
    print(f"accuracy on the same crops inverted: {100 * float((inv == y).mean()):.2f}%")

    # throughput: the whole predict (normalisation included) on one thread,
    # best of 3 passes; and the split between normalisation and the network
    best = dt
    for _ in range(2):
        t = time.perf_counter()
        rec.predict(x)
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    xn = normalize_crops(x)
    tn = time.perf_counter() - t
    t = time.perf_counter()
    for s in range(0, len(xn), 256):
        rec._net.run(xn[s:s + 256, :, :, None])
    tm = time.perf_counter() - t
    print(f"throughput, batched (256), 1 thread, normalisation included: "
          f"{len(x) / best:.0f} crops/s ({1e6 * best / len(x):.0f} us/crop: normalisation "
          f"{1e6 * tn / len(x):.0f}, network {1e6 * tm / len(x):.0f})")
    lat = []
    for i in range(200):
        t = time.perf_counter()
        rec.predict(x[i])
        lat.append(time.perf_counter() - t)
    lat = np.array(lat) * 1e3
    print(f"single-crop latency (predict on one 32x32 crop, 200 runs): median "
          f"{np.median(lat):.2f} ms, p90 {np.percentile(lat, 90):.2f} ms")
    if a.tess and os.path.exists(a.tess):
        report_tess(a.tess, alphabet, y, pred)


def run_tesseract(a):
    import pytesseract
    from PIL import Image
    from ocrkit.charnet import normalize_crops
    alphabet = charnet_data.resolve_alphabet(a.alphabet)
    x, y = load_eval(a.data, alphabet, a.n)
    done = set()
    if os.path.exists(a.out):
        with open(a.out) as f:
            done = {json.loads(line)["i"] for line in f if line.strip()}
    cfg = f"--psm 10 -c tessedit_char_whitelist={alphabet}"
    with open(a.out, "a") as f:
        for i in range(len(x)):
            if i in done:
                continue
            g = (normalize_crops(x[i])[0] * 255 + 0.5).astype(np.uint8)
            img = Image.fromarray(g).resize((96, 96), Image.Resampling.BICUBIC)
            canvas = Image.new("L", (128, 128), 255)
            canvas.paste(img, (16, 16))
            t = time.perf_counter()
            text = pytesseract.image_to_string(canvas, config=cfg).strip()
            dt = time.perf_counter() - t
            f.write(json.dumps({"i": i, "truth": alphabet[y[i]], "read": text, "s": dt}) + "\n")
            f.flush()


def report_tess(path, alphabet, y=None, pred=None):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    rows.sort(key=lambda r: r["i"])
    ok = [r["read"][:1] == r["truth"] and len(r["read"]) == 1 for r in rows]
    secs = np.array([r["s"] for r in rows])
    print(f"tesseract --psm 10 + whitelist on {len(rows)} crops: {100 * np.mean(ok):.2f}% "
          f"(empty answers: {sum(not r['read'] for r in rows)}), "
          f"{1e3 * np.median(secs):.0f} ms/crop median, {1e3 * secs.mean():.0f} ms mean "
          f"(one process per crop, niced, on a shared machine)")
    c = collections.Counter((r["truth"], r["read"] or "∅") for r, k in zip(rows, ok) if not k)
    print("tesseract top confusions:", ", ".join(f"{t}->{p}: {k}" for (t, p), k in c.most_common(10)))
    if y is not None:
        idx = np.array([r["i"] for r in rows])
        print(f"CNN on the same {len(idx)} crops: {100 * float((pred[idx] == y[idx]).mean()):.2f}%")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("cnn", "tesseract", "report"):
        p = sub.add_parser(name)
        p.add_argument("--data", default="/tmp/charnet")
        p.add_argument("--alphabet", default="36")
        p.add_argument("--n", type=int, default=6000)
        p.add_argument("--model", default=None, help="default: the bundled model")
        p.add_argument("--tess", default=None, help="tesseract results (.jsonl) to report")
        p.add_argument("--out", default="/tmp/charnet/tess.jsonl")
    a = ap.parse_args(argv)
    if a.cmd == "cnn":
        run_cnn(a)
    elif a.cmd == "tesseract":
        run_tesseract(a)
    else:
        report_tess(a.tess or a.out, charnet_data.resolve_alphabet(a.alphabet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
