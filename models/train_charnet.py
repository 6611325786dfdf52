"""Train the character CNN of ocrkit and export it as int8 and float16 TFLite.

The network: 32×32 gray in, six 3×3 conv + batch-norm + ReLU blocks (three of
them stride 2: 32→16→8→4; 32-32-64-64-96-128 channels), global average pooling,
dropout, one dense softmax. About 8.6 M multiply-adds and 0.24 M weights: fast
on one CPU thread in int8, and under 300 KB on disk.

Input normalisation (the same as ``ocrkit.charnet``): dark ink on a light ground,
pixel values divided by 255 (0 = ink, 1 = paper). Training crops come from
``models/charnet_data.py`` (rendered by ``ocrkit.synth.make_char_crops``, light-on-
dark crops included); they are put into that polarity with the runtime's own
``normalize_crops`` so training and inference see identical inputs.

    PYTHONPATH=/work/main python models/train_charnet.py --data /tmp/charnet \\
        --alphabet 36 --train-chunks 10 --epochs 2 --out /tmp/charnet/run36

Writes to --out: train.log (one line per epoch), model.keras, charnet_int8.tflite,
charnet_f16.tflite and charnet_int8.json (the alphabet and the input
normalisation, read by ``ocrkit.CharRecognizer``).
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import charnet_data  # noqa: E402


def build_model(n_classes, width=1.0, dropout=0.2, stem_stride=2):
    import keras
    from keras import layers

    def block(x, ch, stride):
        x = layers.Conv2D(int(ch * width), 3, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        return layers.ReLU()(x)

    inp = keras.Input((32, 32, 1), name="crop")
    # a stride-2 stem: full-resolution feature maps cost most of the training time
    # on a CPU for little accuracy at this input size
    if stem_stride == 2:
        x = block(inp, 32, 2)       # 16×16
        x = block(x, 32, 1)
    else:
        # full-resolution first layer (hairline strokes), the same 16×16 after it
        x = block(inp, 32, 1)
        x = block(x, 32, 2)
    x = block(x, 64, 2)             # 8×8
    x = block(x, 64, 1)
    x = block(x, 96, 2)             # 4×4
    x = block(x, 128, 1)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(dropout)(x)
    out = layers.Dense(n_classes, activation="softmax", name="probs")(x)
    return keras.Model(inp, out, name="charnet")


def prepare(data, alphabet, split, indices, wide=False):
    """Chunks -> float32 (n,32,32,1) in the runtime's normalisation, int64 labels.

    The normalised chunks are cached beside the rendered ones (``*_n<version>.npy``,
    the version of ocrkit.charnet's normalisation):
    normalising costs about as much CPU as a tenth of an epoch."""
    from ocrkit.charnet import NORM_VERSION, normalize_crops
    xs, ys = [], []
    for i in indices:
        px, py = charnet_data.chunk_paths(data, alphabet, split, i, wide)
        pn = px[:-len("_x.npy")] + f"_n{NORM_VERSION}.npy"
        if not os.path.exists(pn):
            tmp = pn + ".part.npy"
            np.save(tmp, normalize_crops(np.load(px)).astype(np.float16))
            os.replace(tmp, pn)
        xs.append(np.load(pn).astype(np.float32))
        ys.append(np.load(py).astype(np.int64))
    return np.concatenate(xs)[..., None], np.concatenate(ys)


def metadata(alphabet):
    """What ocrkit.CharRecognizer reads from the .json beside the model."""
    return {"alphabet": alphabet, "input_size": 32,
            "normalization": "ocrkit.charnet.normalize_crops: float32, ink 0, ground 1, "
                             "ink's tight box centred, aspect kept, longer side 26/32"}


def export(model, out, alphabet, rep, log):
    import tensorflow as tf
    paths = {}
    os.makedirs(out, exist_ok=True)
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]

    def representative():
        for i in range(0, len(rep), 1):
            yield [rep[i:i + 1]]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    paths["int8"] = os.path.join(out, "charnet_int8.tflite")
    with open(paths["int8"], "wb") as f:
        f.write(conv.convert())

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.target_spec.supported_types = [tf.float16]
    paths["f16"] = os.path.join(out, "charnet_f16.tflite")
    with open(paths["f16"], "wb") as f:
        f.write(conv.convert())

    meta = metadata(alphabet)
    for name in ("charnet_int8.json", "charnet_f16.json"):
        with open(os.path.join(out, name), "w") as f:
            json.dump(meta, f, indent=1)
    for k, p in paths.items():
        log(f"exported {k}: {p} ({os.path.getsize(p)} bytes)")
    return paths


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder of the rendered chunks (rendered if missing)")
    ap.add_argument("--alphabet", default="36", help="'36' (0-9A-Z), '94' (printable ASCII) or the characters")
    ap.add_argument("--train-chunks", type=int, default=10, help="chunks of 20,000 crops")
    ap.add_argument("--wide", action="store_true",
                    help="training chunks from the wide font set (charnet_data.py --wide)")
    ap.add_argument("--train-split", choices=("train", "val"), default="train",
                    help="'val': a ceiling run that trains on the held-out fonts (val chunks 1..N, "
                         "never chunk 0, which is evaluated): how well the network could read "
                         "these fonts had it seen them. Never shipped")
    ap.add_argument("--val-crops", type=int, default=5000)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--width", type=float, default=1.0, help="channel multiplier")
    ap.add_argument("--stem-stride", type=int, choices=(1, 2), default=2,
                    help="1: the first conv at full resolution (experimental)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke runs)")
    ap.add_argument("--init", default=None, help="a model.keras to continue training from")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="TF intra- and inter-op threads")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)

    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras
    keras.utils.set_random_seed(a.seed)

    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, "train.log"), "a")

    def log(msg):
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    alphabet = charnet_data.resolve_alphabet(a.alphabet)
    log(f"args {vars(a)}; alphabet {alphabet!r} ({len(alphabet)} classes)")
    if a.train_split == "val":
        a.wide = False  # the held-out fonts are one set
        # chunk 0 is the evaluation chunk: a ceiling run trains on later ones only
        train_idx = range(1, 1 + a.train_chunks)
        log("ceiling run: trains on held-out fonts (val chunks "
            f"{train_idx.start}..{train_idx.stop - 1}); not a model to ship")
    else:
        train_idx = range(a.train_chunks)
    for i in train_idx:
        charnet_data.render_chunk(a.data, alphabet, a.train_split, i, a.seed, a.wide)
    charnet_data.render_chunk(a.data, alphabet, "val", 0, a.seed)
    xva, yva = prepare(a.data, alphabet, "val", [0])
    xva, yva = xva[:a.val_crops], yva[:a.val_crops]
    xtr, ytr = prepare(a.data, alphabet, a.train_split, train_idx, a.wide)
    log(f"data: train {len(xtr)}, val {len(xva)} (held-out fonts)")

    if a.init:
        # continue from a saved run (its weights; a fresh schedule from --lr)
        model = keras.models.load_model(a.init)
        if model.output_shape[-1] != len(alphabet):
            raise SystemExit(f"--init {a.init}: {model.output_shape[-1]} classes, "
                             f"the alphabet has {len(alphabet)}")
        log(f"initialised from {a.init}")
    else:
        model = build_model(len(alphabet), a.width, stem_stride=a.stem_stride)
    steps_per_epoch = len(xtr) // a.batch
    total = steps_per_epoch * a.epochs
    if a.max_steps:
        total = min(total, a.max_steps)
    sched = keras.optimizers.schedules.CosineDecay(0.0, total, warmup_target=a.lr,
                                                   warmup_steps=max(1, total // 30), alpha=0.01)
    model.compile(optimizer=keras.optimizers.AdamW(sched, weight_decay=1e-4),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    log(f"model: {model.count_params()} parameters, {total} steps")

    rng = np.random.default_rng(a.seed)
    rep = xtr[rng.choice(len(xtr), 500, replace=False)]

    class Log(keras.callbacks.Callback):
        t0 = time.time()

        def on_train_batch_end(self, batch, logs=None):
            if (batch + 1) % 200 == 0:
                dt = time.time() - self.t0
                log(f"step {batch + 1}/{spe}: loss {logs['loss']:.4f}, acc {logs['accuracy']:.4f}, "
                    f"{(batch + 1) * a.batch / dt:.0f} samples/s")

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.time()

        def on_epoch_end(self, epoch, logs=None):
            log(f"epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items()))
            if epoch + 1 < epochs:
                # an early model the runtime can load while training goes on
                export(self.model, os.path.join(a.out, f"epoch{epoch + 1}"), alphabet, rep, log)

    epochs = a.epochs if not a.max_steps else max(1, -(-a.max_steps // steps_per_epoch))
    spe = steps_per_epoch if not a.max_steps else min(steps_per_epoch, a.max_steps)
    t = time.time()
    # steps_per_epoch only for smoke runs: given with arrays, Keras stops the second
    # epoch at once ("input ran out of data") instead of starting a new pass
    model.fit(xtr, ytr, batch_size=a.batch, epochs=epochs,
              steps_per_epoch=spe if a.max_steps else None,
              validation_data=(xva, yva), shuffle=True, verbose=0, callbacks=[Log()])
    log(f"trained in {time.time() - t:.0f} s")
    model.save(os.path.join(a.out, "model.keras"))
    export(model, a.out, alphabet, rep, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
