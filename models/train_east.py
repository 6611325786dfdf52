"""Train ocrkit's compact EAST text detector on CPU and export it to TFLite.

Data: shards written by ``models/east_data.py`` (run it in the background; the
trainer memory-maps whatever complete shards exist and picks up new ones every
``--reload`` steps). Everything random is seeded by ``--seed``.

Model: a MobileNet-like backbone from scratch (depthwise-separable 3x3 convs,
BN, ReLU6; strides 2..32) and EAST's feature-merging branch (bilinear x2
upsampling, concat, 1x1 then separable 3x3 convs), predicting at 1/4 resolution:

- ``score``: 1 channel, sigmoid;
- ``geometry``: 5 channels, all sigmoids in [0, 1]: distances top, right,
  bottom, left = 512 * g, angle = (g - 0.5) * pi radians. They stay in [0, 1]
  so the int8 model quantises them with one scale; the detector rescales them
  (``ocrkit.east.OCRKIT_GEOMETRY``) while decoding.

Loss (EAST paper): dice on the score map, IoU of the rotated box's axis-aligned
form plus 10 * (1 - cos(angle error)) on positive cells; ignored cells masked.

    # data (background) and training (background), from the repository root:
    python models/east_data.py models/east/runs/data --seed 1 &
    python models/train_east.py train --run models/east/runs/r1 --steps 6000
    python models/train_east.py train --run models/east/runs/r1 --steps 6000 --resume
    python models/train_east.py export --run models/east/runs/r1 --out ocrkit/models
"""
import argparse
import glob
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ocrkit  # noqa: E402  (resamples zoomed samples)

STRIDE = 4                  # label cell (i, j) stands for input pixel (4j, 4i)
DIST_SCALE = 512.0
ANGLE_RANGE = math.pi


def _tf(threads_intra=2, threads_inter=1):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads_intra)
    tf.config.threading.set_inter_op_parallelism_threads(threads_inter)
    return tf


def build_model(tf, width=1.0, dynamic=False, upsample="bilinear", fold_merge=False):
    """The Keras model: BGR float32 [0, 255] in, (score, geometry) out at 1/4 size.

    `upsample` "bilinear": Keras' UpSampling2D, and with `dynamic` a
    tf.image.resize layer computing the same bilinear x2 (half-pixel centres) on
    unknown H, W, for export. In TFLite that resize takes its size from SHAPE ops,
    so XNNPACK cannot take it and the graph runs in pieces.
    "d2s": the same bilinear x2 as four fixed 3x3 depthwise filters (one per output
    phase) and DEPTH_TO_SPACE: no shape arithmetic, one XNNPACK partition at any
    input size. It differs from "bilinear" only on the outermost output rows and
    columns (zero padding instead of edge clamping). Neither has weights, so a
    run can switch between them.
    """
    L = tf.keras.layers
    if upsample not in ("bilinear", "d2s"):
        raise ValueError(f"upsample must be 'bilinear' or 'd2s', not {upsample!r}")

    class UpD2S(L.Layer):
        def call(self, x):
            c = x.shape[-1]
            taps = (np.array([0.25, 0.75, 0.0]), np.array([0.0, 0.75, 0.25]))
            phases = []
            for ky in taps:                     # output row 2i, then 2i + 1
                for kx in taps:                 # output column 2j, then 2j + 1
                    k = np.tile(np.outer(ky, kx)[:, :, None, None], (1, 1, c, 1))
                    phases.append(tf.nn.depthwise_conv2d(
                        x, tf.constant(k, x.dtype), [1, 1, 1, 1], "SAME"))
            return tf.nn.depth_to_space(tf.concat(phases, -1), 2)

        def compute_output_shape(self, shape):
            return (shape[0], None if shape[1] is None else 2 * shape[1],
                    None if shape[2] is None else 2 * shape[2], shape[3])

    class Up2(L.Layer):
        def call(self, x):
            s = tf.shape(x)
            return tf.image.resize(x, tf.stack([s[1] * 2, s[2] * 2]), method="bilinear")

        def compute_output_shape(self, shape):
            return (shape[0], None if shape[1] is None else 2 * shape[1],
                    None if shape[2] is None else 2 * shape[2], shape[3])
    c = lambda n: max(8, int(round(n * width / 8)) * 8)  # noqa: E731

    def conv_bn(x, ch, k=3, s=1, name=None):
        x = L.Conv2D(ch, k, s, padding="same", use_bias=False, name=name)(x)
        x = L.BatchNormalization(momentum=0.99, name=name and name + "_bn")(x)
        return L.ReLU(6.0)(x)

    def sep(x, ch, s=1):
        y = L.DepthwiseConv2D(3, s, padding="same", use_bias=False)(x)
        y = L.BatchNormalization(momentum=0.99)(y)
        y = L.ReLU(6.0)(y)
        y = L.Conv2D(ch, 1, use_bias=False)(y)
        y = L.BatchNormalization(momentum=0.99)(y)
        y = L.ReLU(6.0)(y)
        if s == 1 and x.shape[-1] == ch:
            y = L.Add()([x, y])
        return y

    inp = L.Input((None, None, 3), name="image")
    x = L.Rescaling(1 / 127.5, offset=-1.0)(inp)
    x = conv_bn(x, c(16), 3, 2)                            # 1/2
    x = sep(x, c(24), 2); x = sep(x, c(24)); f4 = x         # 1/4
    x = sep(x, c(48), 2); x = sep(x, c(48)); f8 = x         # 1/8
    x = sep(x, c(128), 2); x = sep(x, c(128)); x = sep(x, c(128)); f16 = x   # 1/16
    x = sep(x, c(256), 2); x = sep(x, c(256)); x = sep(x, c(256)); f32 = x  # 1/32

    def up(x):
        if upsample == "d2s":
            return UpD2S()(x)
        return Up2()(x) if dynamic else L.UpSampling2D(2, interpolation="bilinear")(x)

    h = f32
    for k, (f, ch) in enumerate(((f16, c(64)), (f8, c(48)), (f4, c(32))), 1):
        if fold_merge:
            # 1x1 conv of concat(up(h), f) = up(1x1 conv of h) + 1x1 conv of f: the
            # upsampled half of the conv runs at a quarter of the pixels (BN folded
            # in by fold_weights; the bias goes after the upsampling).
            a = up(L.Conv2D(ch, 1, use_bias=False, name=f"merge{k}_up")(h))
            b = L.Conv2D(ch, 1, use_bias=True, name=f"merge{k}_skip")(f)
            h = L.ReLU(6.0)(L.Add()([a, b]))
        else:
            h = L.Concatenate()([up(h), f])
            h = conv_bn(h, ch, 1, name=f"merge{k}")
        h = sep(h, ch)
    h = conv_bn(h, c(32), 3)
    score = L.Conv2D(1, 1, activation="sigmoid", name="score")(h)
    geometry = L.Conv2D(5, 1, activation="sigmoid", name="geometry")(h)
    return tf.keras.Model(inp, [score, geometry], name="east_ocrkit")


def fold_weights(trained, folded):
    """Copy a trained model's weights into the same network built with
    fold_merge=True (export only): each merge stage's 1x1 conv is split into
    the part applied to the upsampled features and the part applied to the skip
    features, with its batch norm folded into both and its shift as the bias."""
    def weighted(model, merge):
        return [l for l in model.layers if l.weights and l.name.startswith("merge") == merge]
    src, dst = weighted(trained, False), weighted(folded, False)
    assert [type(l) for l in src] == [type(l) for l in dst], "architectures differ"
    for a, b in zip(src, dst):
        b.set_weights(a.get_weights())
    for k in (1, 2, 3):
        w = trained.get_layer(f"merge{k}").get_weights()[0]
        bn = trained.get_layer(f"merge{k}_bn")
        gamma, beta, mean, var = bn.get_weights()
        scale = gamma / np.sqrt(var + bn.epsilon)
        up = folded.get_layer(f"merge{k}_up")
        n_up = up.get_weights()[0].shape[2]
        up.set_weights([w[:, :, :n_up] * scale])
        folded.get_layer(f"merge{k}_skip").set_weights([w[:, :, n_up:] * scale,
                                                        beta - mean * scale])
    return folded


class ShardPool:
    """Memory-mapped shards; draws seeded random batches across all complete shards."""

    def __init__(self, data_dirs, seed, zoom=0.0, zoom_max=2.2):
        self.dirs = data_dirs
        self.rng = np.random.default_rng(seed)
        self.zoom, self.zoom_max = zoom, zoom_max
        self.shards = {}
        self.reload()

    def reload(self):
        for d in self.dirs:
            for mpath in sorted(glob.glob(os.path.join(d, "shard_*_mask.npy"))):
                base = mpath[:-len("_mask.npy")]
                if base in self.shards:
                    continue
                self.shards[base] = {k: np.load(f"{base}_{k}.npy", mmap_mode="r")
                                     for k in ("x", "score", "geo", "mask")}
        self.keys = sorted(self.shards)
        self.sizes = np.array([len(self.shards[k]["mask"]) for k in self.keys])
        return int(self.sizes.sum())

    def batch(self, n):
        # Newer shards a bit more often: they are seen fewer times in total.
        w = np.linspace(1.0, 2.0, len(self.keys)) * self.sizes
        pick = self.rng.choice(len(self.keys), size=n, p=w / w.sum())
        xs, ss, gs, ms = [], [], [], []
        for k in pick:
            sh = self.shards[self.keys[k]]
            i = int(self.rng.integers(self.sizes[k]))
            x = np.array(sh["x"][i])
            s, g, m = np.array(sh["score"][i]), np.array(sh["geo"][i], np.float32), np.array(sh["mask"][i])
            if self.zoom and self.rng.random() < self.zoom:
                x, s, g, m = zoom_sample(self.rng, x, s, g, m, self.zoom_max)
            x, s, g, m = self._augment(x, s, g, m)
            xs.append(x), ss.append(s), gs.append(g), ms.append(m)
        return (np.stack(xs).astype(np.float32), np.stack(ss)[..., None].astype(np.float32),
                np.stack(gs), np.stack(ms)[..., None].astype(np.float32))

    def _augment(self, x, s, g, m):
        r = self.rng.random(3)
        if r[0] < 0.2:                      # grey input: the detector accepts grey images
            y = (0.114 * x[..., 0] + 0.587 * x[..., 1] + 0.299 * x[..., 2]).astype(np.uint8)
            x = np.repeat(y[..., None], 3, -1)
        if r[1] < 0.5:                      # channel order varies (RGB callers, colour casts)
            x = x[..., self.rng.permutation(3)]
        if r[2] < 0.15:                     # negative image: light text on dark backgrounds
            x = 255 - x
        return x, s, g, m


def zoom_sample(rng, x, s, g, m, zmax=2.2):
    """Magnify a random part of a sample by z in [1.25, zmax] (log-uniform), with its
    label maps resampled exactly: the shards' 256x256 scenes hold text up to 57 px
    high, while a 512x512 scene has text up to 114 px, which the detector otherwise
    never sees in training (it broke such words into fragments).

    New cell (i, j) stands for new pixel (4j, 4i), i.e. old point o = c + 4(j, i)/z.
    It takes the labels of the old cell nearest o, with its distances moved from
    that cell's pixel to o (along the box's right and down axes) and scaled by z.
    Cells whose box is less than 80 % inside the new crop are ignored, as the
    data generator does for cut words."""
    z = float(np.exp(rng.uniform(np.log(1.25), np.log(zmax))))
    size = x.shape[0]
    span = size / z
    cx, cy = rng.uniform(0, size - span, 2)
    mat = np.array([[z, 0, -z * cx], [0, z, -z * cy]], np.float64)
    x = ocrkit.warp_affine(np.ascontiguousarray(x), mat, (size, size), border="replicate")
    n = s.shape[0]
    jj, ii = np.meshgrid(np.arange(n), np.arange(n))
    ox, oy = cx + STRIDE * jj / z, cy + STRIDE * ii / z
    sj = np.clip(np.rint(ox / STRIDE), 0, n - 1).astype(int)
    si = np.clip(np.rint(oy / STRIDE), 0, n - 1).astype(int)
    s2, g2, m2 = s[si, sj].copy(), g[si, sj].astype(np.float32), m[si, sj].copy()
    dx, dy = ox - STRIDE * sj, oy - STRIDE * si
    a = g2[..., 4]
    du = dx * np.cos(a) - dy * np.sin(a)
    dv = dx * np.sin(a) + dy * np.cos(a)
    g2[..., 0] += dv
    g2[..., 2] -= dv
    g2[..., 3] += du
    g2[..., 1] -= du
    pos = s2 > 0
    bad = pos & (g2[..., :4].min(-1) < 0)       # o fell outside the word's box
    g2[..., :4] *= z
    # Share of each positive cell's box inside the crop, from its axis-aligned hull.
    t, r, b, l = (g2[..., k] for k in range(4))
    ca, sa = np.cos(a), np.sin(a)
    px, py = STRIDE * jj.astype(np.float32), STRIDE * ii.astype(np.float32)
    xs = [px + u * ca + v * sa for u, v in ((-l, -t), (r, -t), (r, b), (-l, b))]
    ys = [py - u * sa + v * ca for u, v in ((-l, -t), (r, -t), (r, b), (-l, b))]
    x0, x1 = np.min(xs, 0), np.max(xs, 0)
    y0, y1 = np.min(ys, 0), np.max(ys, 0)
    full = np.maximum(x1 - x0, 1e-3) * np.maximum(y1 - y0, 1e-3)
    cut = (np.clip(x1, 0, size - 1) - np.clip(x0, 0, size - 1)).clip(0) * \
          (np.clip(y1, 0, size - 1) - np.clip(y0, 0, size - 1)).clip(0)
    m2[pos & (cut < 0.8 * full)] = 0
    s2[bad] = 0
    m2[bad] = 0
    g2[~pos | bad] = 0
    return x, s2, g2, m2


def losses(tf, score_t, geo_t, mask, score_p, geo_p):
    eps = 1e-5
    inter = tf.reduce_sum(score_t * score_p * mask)
    union = tf.reduce_sum(score_t * mask) + tf.reduce_sum(score_p * mask) + eps
    dice = 1.0 - 2.0 * inter / union
    bce = tf.keras.losses.binary_crossentropy(score_t, score_p)[..., None]
    bce = tf.reduce_sum(bce * mask) / (tf.reduce_sum(mask) + eps)

    d_p = geo_p[..., :4] * DIST_SCALE
    a_p = (geo_p[..., 4:5] - 0.5) * ANGLE_RANGE
    t1, r1, b1, l1 = tf.split(geo_t[..., :4], 4, -1)
    t2, r2, b2, l2 = tf.split(d_p, 4, -1)
    area_t = (t1 + b1) * (r1 + l1)
    area_p = (t2 + b2) * (r2 + l2)
    w_i = tf.minimum(r1, r2) + tf.minimum(l1, l2)
    h_i = tf.minimum(t1, t2) + tf.minimum(b1, b2)
    a_i = w_i * h_i
    a_u = area_t + area_p - a_i
    l_aabb = -tf.math.log((a_i + 1.0) / (a_u + 1.0))
    l_theta = 1.0 - tf.cos(a_p - geo_t[..., 4:5])
    pos = score_t * mask
    npos = tf.reduce_sum(pos) + eps
    l_geo = tf.reduce_sum((l_aabb + 10.0 * l_theta) * pos) / npos
    return dice, bce, l_geo


def _schedule(tf, a):
    """Cosine decay to 2 % of ``--lr`` over ``--schedule-steps``, after a linear
    warm-up from 10 % of it over ``--warmup`` steps. It is a function of the
    optimizer's iteration count, which the checkpoint restores, so a resumed run
    continues the same curve (no second warm-up) whatever its ``--steps``."""
    warm = max(0, min(a.warmup, a.schedule_steps - 1))
    if warm == 0:
        return tf.keras.optimizers.schedules.CosineDecay(a.lr, a.schedule_steps, alpha=0.02)
    return tf.keras.optimizers.schedules.CosineDecay(
        0.1 * a.lr, a.schedule_steps - warm, alpha=0.02, warmup_target=a.lr, warmup_steps=warm)


def _resolve_schedule(a):
    """The schedule's horizon, peak and warm-up belong to the run: a resumed run
    takes them from its args.json (a larger --steps then just trains further along
    the same curve); pass --schedule-steps to stretch it deliberately."""
    saved = {}
    path = os.path.join(a.run, "args.json")
    if a.resume and os.path.exists(path):
        saved = json.load(open(path))
    if a.schedule_steps is None:
        a.schedule_steps = saved.get("schedule_steps") or saved.get("steps") or a.steps
    if a.upsample is None:
        a.upsample = saved.get("upsample", "d2s" if not saved else "bilinear")
    if a.resume and saved:
        for k in ("lr", "warmup", "width", "ema", "seed", "batch"):
            if k in saved and getattr(a, k) != saved[k]:
                print(f"resume: keeping the run's --{k} {saved[k]} (given {getattr(a, k)})")
                setattr(a, k, saved[k])
    return a


def train(a):
    a = _resolve_schedule(a)
    tf = _tf(a.threads, 1)
    tf.keras.utils.set_random_seed(a.seed)
    os.makedirs(a.run, exist_ok=True)
    log = open(os.path.join(a.run, "train.log"), "a")

    def say(msg):
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
        print(line, flush=True)
        log.write(line + "\n"), log.flush()

    model = build_model(tf, a.width, upsample=a.upsample)
    sched = _schedule(tf, a)
    opt = tf.keras.optimizers.Adam(sched)
    step = tf.Variable(0, dtype=tf.int64, trainable=False)
    # Exponential moving average of all weights (BN statistics included): a
    # mid-schedule checkpoint, taken at a high learning rate, exports its EMA.
    ema = [tf.Variable(w.numpy(), trainable=False) for w in model.weights] if a.ema else []
    parts = dict(model=model, opt=opt, step=step)
    if ema:
        parts["ema"] = ema
    ckpt = tf.train.Checkpoint(**parts)
    mgr = tf.train.CheckpointManager(ckpt, os.path.join(a.run, "ckpt"), max_to_keep=3)
    if a.resume and mgr.latest_checkpoint:
        ckpt.restore(mgr.latest_checkpoint)
        say(f"resumed {mgr.latest_checkpoint} at step {int(step.numpy())}")
    elif mgr.latest_checkpoint and not a.resume:
        sys.exit(f"{a.run} has checkpoints: pass --resume, or use a new --run")
    elif a.init:
        # Warm start: the model's weights only (fresh optimizer, step 0).
        src = a.init if not os.path.isdir(a.init) else tf.train.latest_checkpoint(
            os.path.join(a.init, "ckpt"))
        tf.train.Checkpoint(model=model).restore(src).expect_partial().assert_existing_objects_matched()
        for e, w in zip(ema, model.weights):
            e.assign(w)
        say(f"initialised from {src}")
    json.dump(vars(a), open(os.path.join(a.run, "args.json"), "w"), indent=1)
    say(f"params {model.count_params()} args {vars(a)}")
    say(f"schedule: lr {float(sched(0)):.2e} at 0, {float(sched(a.warmup)):.2e} at {a.warmup}, "
        f"{float(sched(a.schedule_steps)):.2e} from {a.schedule_steps}; "
        f"now (iteration {int(opt.iterations.numpy())}) {float(sched(int(opt.iterations.numpy()))):.2e}")

    # Resumed runs draw a fresh but reproducible batch stream from seed + step.
    pool = ShardPool(a.data, [a.seed, int(step.numpy())], zoom=a.zoom, zoom_max=a.zoom_max)
    say(f"{pool.reload()} samples in {len(pool.keys)} shards")

    @tf.function(jit_compile=False)
    def train_step(x, s, g, m):
        with tf.GradientTape() as tape:
            sp, gp = model(x, training=True)
            dice, bce, l_geo = losses(tf, s, g, m, sp, gp)
            loss = dice + 0.5 * bce + l_geo
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        if ema:
            # The usual EMA warm-up: short memory at first, then a.ema.
            n = tf.cast(step, tf.float32)
            d = tf.minimum(a.ema, (1.0 + n) / (10.0 + n))
            for e, w in zip(ema, model.weights):
                e.assign(d * e + (1.0 - d) * tf.convert_to_tensor(w))
        return loss, dice, bce, l_geo

    t_save = time.time()
    t0, acc = time.time(), np.zeros(4)
    start = int(step.numpy())
    while int(step.numpy()) < a.steps:
        i = int(step.numpy())
        if i % a.reload == 0 and i > start:
            say(f"{pool.reload()} samples in {len(pool.keys)} shards")
        out = train_step(*pool.batch(a.batch))
        step.assign_add(1)
        acc += [float(v) for v in out]
        if (i + 1) % a.log_every == 0:
            dt = (time.time() - t0) / a.log_every
            m = acc / a.log_every
            it = int(opt.iterations.numpy())
            say(f"step {i + 1} loss {m[0]:.4f} dice {m[1]:.4f} bce {m[2]:.4f} geo {m[3]:.4f} "
                f"lr {float(sched(it - 1)):.2e} {dt:.2f}s/step")
            t0, acc = time.time(), np.zeros(4)
        if time.time() - t_save > a.save_minutes * 60 or int(step.numpy()) == a.steps:
            say(f"saved {mgr.save(checkpoint_number=int(step.numpy()))}")
            t_save = time.time()
        if a.stop_file and os.path.exists(a.stop_file):
            say(f"saved {mgr.save(checkpoint_number=int(step.numpy()))}; stop file found")
            break
    say("done")


def _restore(tf, run, width, use_ema=True):
    """The run's latest checkpoint as a Keras model: its EMA weights when the run
    kept them and `use_ema`, else the raw weights."""
    model = build_model(tf, width)   # upsampling has no weights: any mode restores
    latest = tf.train.latest_checkpoint(os.path.join(run, "ckpt"))
    if not latest:
        sys.exit(f"no checkpoint under {run}/ckpt")
    names = {n for n, _ in tf.train.list_variables(latest)}
    has_ema = any(n.startswith("ema/") for n in names)
    if use_ema and has_ema:
        ema = [tf.Variable(w.numpy(), trainable=False) for w in model.weights]
        tf.train.Checkpoint(model=model, ema=ema).restore(latest).expect_partial()
        for w, e in zip(model.weights, ema):
            w.assign(e.numpy())
        return model, latest + " (EMA)"
    tf.train.Checkpoint(model=model).restore(latest).expect_partial()
    return model, latest


def _int8(tf, converter, representative, float_model=None):
    """Full-integer int8 model (float32 input and outputs).

    With `float_model` (the float32 conversion) the stem, i.e. the input
    rescaling and the first 3x3/2 convolution, stays float32 and the int8 part
    starts at its output. XNNPACK's int8 convolutions pad each filter tap's input
    channels to a multiple of 8, so on 3 input channels most of the int8 stem's
    work is padding: on an AVX2 x86 it took 1.1 ms of 1.5 ms at 320x320 input,
    where float32 takes 0.3 ms. Float input also skips the quantise-multiply-add
    chain that rounds the pixels twice.
    """
    conv = converter()
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if float_model is None:
        return conv.convert()
    # Selective quantisation (what tf.lite.experimental.QuantizationDebugger does):
    # calibrate only, then quantise with the stem's tensors denylisted.
    from tensorflow.lite.python import convert as lite_convert
    it = tf.lite.Interpreter(model_content=float_model)
    names = {t["index"]: t["name"] for t in it.get_tensor_details()}
    stem = []
    for op in it._get_ops_details():
        stem.append(names[op["outputs"][0]])
        if op["op_name"] == "CONV_2D":
            break
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8,
                                      tf.lite.OpsSet.TFLITE_BUILTINS]
    conv.experimental_mlir_quantizer = True
    conv._experimental_calibrate_only = True
    calibrated = conv.convert()
    return lite_convert.mlir_quantize(calibrated, disable_per_channel=False, fully_quantize=False,
                                      enable_numeric_verify=False, denylisted_nodes=stem)


def export(a):
    tf = _tf(a.threads, 1)
    tf.keras.utils.set_random_seed(a.seed)
    if a.weights:
        # Weights trained elsewhere (train_east_torch.py): same network, same weight
        # order; the run folder only receives the float32 copies.
        os.makedirs(a.run, exist_ok=True)
        npz = np.load(a.weights)
        meta = json.loads(str(npz["meta"]))
        args = {"width": meta.get("width", 1.0), "upsample": "d2s", "data": [a.calib_data]}
        trained = build_model(tf, args["width"])
        key = "raw" if a.no_ema else "ema"
        trained.set_weights([npz[f"{key}_{k}"] for k in range(len(trained.weights))])
        latest = f"{a.weights} ({key}, {meta['steps']} steps)"
    else:
        args = json.load(open(os.path.join(a.run, "args.json")))
        trained, latest = _restore(tf, a.run, args.get("width", 1.0), not a.no_ema)
    upsample = a.upsample or args.get("upsample", "bilinear")
    model = fold_weights(trained, build_model(tf, args.get("width", 1.0), dynamic=True,
                                              upsample=upsample, fold_merge=True))

    # Fixed 1x320x320 signature would force one size; keep H and W free so the
    # interpreter can be resized to any multiple of 32.
    @tf.function(input_signature=[tf.TensorSpec([1, None, None, 3], tf.float32, name="image")])
    def serve(image):
        s, g = model(image, training=False)
        return {"score": s, "geometry": g}

    # Variables frozen into constants first (Keras 3 models otherwise keep
    # READ_VARIABLE ops that the int8 calibrator cannot run).
    from tensorflow.python.framework.convert_to_constants import (
        convert_variables_to_constants_v2)
    frozen = convert_variables_to_constants_v2(serve.get_concrete_function())
    os.makedirs(a.out, exist_ok=True)

    def converter():
        return tf.lite.TFLiteConverter.from_concrete_functions([frozen])

    conv = converter()
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.target_spec.supported_types = [tf.float16]
    f16 = conv.convert()
    open(os.path.join(a.out, "east_f16.tflite"), "wb").write(f16)

    # Calibration draws from the run's first data folder only: folders still being
    # written by east_data.py would make the int8 model depend on when it is exported.
    pool = ShardPool(args["data"][:1], [a.seed, 999])

    def representative():
        # Training crops (256x256) and 2x2 mosaics of them (512x512): activations
        # at both scales set the int8 ranges.
        for k in range(a.calib):
            x = pool.batch(4)[0]
            if k % 2:
                yield [x[:1]]
            else:
                yield [np.concatenate([np.concatenate(x[:2], 1), np.concatenate(x[2:], 1)], 0)[None]]

    f32 = converter().convert()
    i8 = _int8(tf, converter, representative, f32 if a.int8_stem == "float" else None)
    open(os.path.join(a.out, "east_int8.tflite"), "wb").write(i8)

    # float32 copy for OpenCV's dnn rival and for reference accuracy
    open(os.path.join(a.run, "east_f32.tflite"), "wb").write(f32)
    # Fixed-size float32 copies: OpenCV's TFLite importer has no SHAPE op, so the
    # rival (cv2.dnn on the same weights) needs static shapes; it has no
    # DEPTH_TO_SPACE either, so they upsample with RESIZE_BILINEAR (same weights,
    # same function but for edge clamping on the outermost rows and columns). They
    # get the folded merge convs too: the rival runs the same graph as ours.
    for size in a.static_sizes:
        st = fold_weights(trained, build_model(tf, args.get("width", 1.0), dynamic=False,
                                               upsample="bilinear", fold_merge=True))

        @tf.function(input_signature=[tf.TensorSpec([1, size, size, 3], tf.float32, name="image")])
        def serve_static(image):
            s, g = st(image, training=False)
            return {"score": s, "geometry": g}

        fz = convert_variables_to_constants_v2(serve_static.get_concrete_function())
        data = tf.lite.TFLiteConverter.from_concrete_functions([fz]).convert()
        open(os.path.join(a.run, f"east_f32_{size}.tflite"), "wb").write(data)
    print(f"exported {latest}: f16 {len(f16)} B, int8 {len(i8)} B, f32 {len(f32)} B")


def tiny(a):
    """A 2 kB EAST-shaped model (fixed 64x64 input, random weights) for the tests:
    it lets tests/test_east.py run the same weights through TFLite and cv2.dnn."""
    tf = _tf(1, 1)
    tf.keras.utils.set_random_seed(a.seed)
    L = tf.keras.layers
    inp = L.Input((64, 64, 3), batch_size=1, name="image")
    x = L.Rescaling(1 / 127.5, offset=-1.0)(inp)
    x = L.Conv2D(8, 3, 4, padding="same", activation="relu")(x)
    score = L.Conv2D(1, 1, activation="sigmoid", name="score")(x)
    geometry = L.Conv2D(5, 1, activation="sigmoid", name="geometry")(x)
    model = tf.keras.Model(inp, [score, geometry])

    @tf.function(input_signature=[tf.TensorSpec([1, 64, 64, 3], tf.float32, name="image")])
    def serve(image):
        s, g = model(image, training=False)
        return {"score": s, "geometry": g}

    from tensorflow.python.framework.convert_to_constants import (
        convert_variables_to_constants_v2)
    fz = convert_variables_to_constants_v2(serve.get_concrete_function())
    data = tf.lite.TFLiteConverter.from_concrete_functions([fz]).convert()
    open(a.out, "wb").write(data)
    print(f"{a.out}: {len(data)} B")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--run", required=True)
    t.add_argument("--data", nargs="+", default=["models/east/runs/data"])
    t.add_argument("--steps", type=int, default=6000)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=2e-3)
    t.add_argument("--width", type=float, default=1.0)
    t.add_argument("--seed", type=int, default=7)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--reload", type=int, default=200)
    t.add_argument("--log-every", type=int, default=20)
    t.add_argument("--save-minutes", type=float, default=4.0)
    t.add_argument("--stop-file", default=None)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--schedule-steps", type=int, default=None,
                   help="cosine horizon (default: the run's saved one, else --steps)")
    t.add_argument("--warmup", type=int, default=0, help="linear warm-up steps")
    t.add_argument("--init", default=None,
                   help="warm start: a run folder or checkpoint with the same architecture")
    t.add_argument("--upsample", choices=("bilinear", "d2s"), default=None,
                   help="x2 upsampling (weight-free; default: the run's, d2s for a new run)")
    t.add_argument("--ema", type=float, default=0.999, help="weight EMA decay (0: none)")
    t.add_argument("--zoom", type=float, default=0.0,
                   help="share of samples magnified 1.25x..--zoom-max (large text; see zoom_sample)")
    t.add_argument("--zoom-max", type=float, default=2.2)
    e = sub.add_parser("export")
    e.add_argument("--run", required=True)
    e.add_argument("--out", default="ocrkit/models")
    e.add_argument("--seed", type=int, default=7)
    e.add_argument("--threads", type=int, default=2)
    e.add_argument("--calib", type=int, default=200)
    e.add_argument("--upsample", choices=("bilinear", "d2s"), default=None,
                   help="default: the one the run trained with")
    e.add_argument("--int8-stem", choices=("float", "int8"), default="float",
                   help="the int8 model's input rescaling and first conv: float32 (faster "
                        "with XNNPACK on 3 channels) or int8")
    e.add_argument("--no-ema", action="store_true", help="export the raw weights, not their EMA")
    e.add_argument("--weights", default=None,
                   help="export these weights (.npz of train_east_torch.py) instead of --run's checkpoint")
    e.add_argument("--calib-data", default="models/east/runs/data",
                   help="calibration shards for --weights")
    e.add_argument("--static-sizes", type=int, nargs="*", default=[320, 640])
    tn = sub.add_parser("tiny")
    tn.add_argument("--out", default="tests/data/east_tiny_64.tflite")
    tn.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    {"train": train, "export": export, "tiny": tiny}[a.cmd](a)


if __name__ == "__main__":
    main()
