"""How separable are DejaVu Sans Mono's O and Noto Sans' 0 in the CNN's frame?

A diagnostic for the charnet card (``models/CHARNET.md``), not part of training.
Most of the shipped model's held-out errors are O read as 0 on DejaVu Sans Mono,
whose O is as narrow as the 0 of a proportional sans. This script puts an upper
bound on what any single-crop reader could do on that pair: it renders the two
held-out classes from *other* seeds of the validation split (the same fonts and
distortions as the evaluation chunk, other crops), trains a binary CNN of the
charnet trunk on them alone, and reads the evaluation chunk's DejaVu Sans Mono
O's and Noto Sans (+ Display) 0's with it. A reader that was allowed to train
on these very fonts is an oracle; where it errs, the crops do not hold the
answer.

    PYTHONPATH=. python models/charnet_o0.py          # TensorFlow (the [train] extra)
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import charnet_data  # noqa: E402

PAIR = (("O", ("DejaVu Sans Mono",)), ("0", ("Noto Sans", "Noto Sans Display")))


def render_pair(seed, n):
    """Crops of the two classes from the validation fonts, kept where the font is
    the pair's (class O from DejaVu Sans Mono, class 0 from Noto Sans)."""
    x, y, fams = charnet_data.render_with_families(np.random.default_rng([0, 2, seed]), n, "O0", "val")
    keep = np.zeros(len(y), bool)
    for k, (_, families) in enumerate(PAIR):
        keep |= (y == k) & np.isin(fams, families)
    return x[keep], y[keep]


def eval_pair(data, n):
    """The evaluation chunk's crops of the pair (first n crops), labels 0 = O, 1 = 0."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from eval_charnet import crop_families
    alphabet = charnet_data.ALPHABETS["36"]
    x, y = charnet_data.load_chunks(data, alphabet, "val", [0])
    x, y = x[:n], y[:n]
    fam = crop_families(data, alphabet, n)
    xs, ys = [], []
    for k, (c, families) in enumerate(PAIR):
        m = (y == alphabet.index(c)) & np.isin(fam, families)
        xs.append(x[m])
        ys.append(np.full(m.sum(), k))
    return np.concatenate(xs), np.concatenate(ys)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/tmp/charnet")
    ap.add_argument("--n", type=int, default=6000, help="evaluation crops (as eval_charnet.py)")
    ap.add_argument("--seeds", type=int, default=6, help="chunks of 8,000 O/0 crops rendered")
    ap.add_argument("--epochs", type=int, default=30)
    a = ap.parse_args(argv)

    import keras
    import tensorflow as tf
    from keras import layers

    from ocrkit.charnet import normalize_crops
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(0)

    parts = [render_pair(100 + s, 8000) for s in range(a.seeds)]
    x = normalize_crops(np.concatenate([p[0] for p in parts]))[..., None]
    y = np.concatenate([p[1] for p in parts])
    xe, ye = eval_pair(a.data, a.n)
    xe = normalize_crops(xe)[..., None]
    print(f"oracle training crops: {len(y)} ({int((y == 0).sum())} O, {int((y == 1).sum())} 0); "
          f"evaluation pair: {len(ye)} ({int((ye == 0).sum())} O, {int((ye == 1).sum())} 0)")

    def block(h, ch, stride):
        h = layers.Conv2D(ch, 3, strides=stride, padding="same", use_bias=False)(h)
        return layers.ReLU()(layers.BatchNormalization()(h))
    inp = keras.Input((32, 32, 1))
    h = inp
    for ch, stride in ((32, 2), (32, 1), (64, 2), (64, 1), (96, 2), (128, 1)):
        h = block(h, ch, stride)
    out = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling2D()(h))
    model = keras.Model(inp, out)
    steps = a.epochs * (len(y) // 128)
    model.compile(keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps)),
                  "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=128, epochs=a.epochs, verbose=0, shuffle=True)
    acc_train = model.evaluate(x, y, verbose=0)[1]
    p = model.predict(xe, verbose=0)[:, 0] > 0.5
    wrong = p != (ye == 1)
    print(f"oracle accuracy on its own training crops: {100 * acc_train:.1f} %")
    print(f"oracle on the evaluation pair: {100 * (1 - wrong.mean()):.1f} % "
          f"({int(wrong.sum())} of {len(ye)} wrong: {int(wrong[ye == 0].sum())} O, "
          f"{int(wrong[ye == 1].sum())} 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
