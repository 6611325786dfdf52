"""Train the EAST model of train_east.py on a GPU: Keras 3 on its PyTorch backend.

The network is `train_east.build_model` itself (same layers, same weight order),
so the weights this script saves load into the TensorFlow model that
``train_east.py export --weights`` converts to .tflite. The loss, label maps,
batch sampler and zoom augmentation are train_east.py's; only the loop, the
optimizer and the data loading (worker processes) are here.

It trains for a wall-clock budget rather than a step count: after a short
timing phase it fixes the number of steps that fit and runs one warm-up plus
cosine schedule over them, then saves (and every ``--save-seconds`` before
that, so a killed job still leaves weights). The log records the step count
reached, which with the seed reproduces the schedule.

    KERAS_BACKEND=torch python models/train_east_torch.py --data DIR... --out W.npz --minutes 5

The .npz holds ``ema_0..ema_N`` (the weight EMA, BN statistics included, in
``model.weights`` order), ``raw_0..raw_N`` and ``meta`` (JSON: arguments, steps).
"""
import argparse
import json
import os
import sys
import time
import types

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_east  # noqa: E402

DIST_SCALE, ANGLE_RANGE = train_east.DIST_SCALE, train_east.ANGLE_RANGE


def build(width=1.0):
    import keras
    # build_model only touches tf.keras (and tf.nn / tf.image in the upsampling
    # layers that training does not use: UpSampling2D is the bilinear x2).
    return train_east.build_model(types.SimpleNamespace(keras=keras), width, upsample="bilinear")


def losses(score_t, geo_t, mask, score_p, geo_p):
    """train_east.losses in torch: dice + BCE on the score, IoU + angle on the box."""
    eps = 1e-5
    inter = (score_t * score_p * mask).sum()
    union = (score_t * mask).sum() + (score_p * mask).sum() + eps
    dice = 1.0 - 2.0 * inter / union
    p = score_p.clamp(1e-7, 1 - 1e-7)          # Keras' binary_crossentropy clips the same way
    bce = -(score_t * torch.log(p) + (1 - score_t) * torch.log(1 - p))
    bce = (bce * mask).sum() / (mask.sum() + eps)
    d_p = geo_p[..., :4] * DIST_SCALE
    a_p = (geo_p[..., 4:5] - 0.5) * ANGLE_RANGE
    t1, r1, b1, l1 = geo_t[..., :4].split(1, -1)
    t2, r2, b2, l2 = d_p.split(1, -1)
    area_t = (t1 + b1) * (r1 + l1)
    area_p = (t2 + b2) * (r2 + l2)
    a_i = (torch.minimum(r1, r2) + torch.minimum(l1, l2)) * (torch.minimum(t1, t2) + torch.minimum(b1, b2))
    a_u = area_t + area_p - a_i
    l_aabb = -torch.log((a_i + 1.0) / (a_u + 1.0))
    l_theta = 1.0 - torch.cos(a_p - geo_t[..., 4:5])
    pos = score_t * mask
    l_geo = ((l_aabb + 10.0 * l_theta) * pos).sum() / (pos.sum() + eps)
    return dice, bce, l_geo


class Stream(torch.utils.data.IterableDataset):
    """Endless batches from train_east.ShardPool, one seeded pool per loader worker."""

    def __init__(self, data, seed, batch, zoom, zoom_max):
        self.args = (data, seed, batch, zoom, zoom_max)

    def __iter__(self):
        data, seed, batch, zoom, zoom_max = self.args
        info = torch.utils.data.get_worker_info()
        pool = train_east.ShardPool(data, [seed, info.id if info else 0], zoom=zoom, zoom_max=zoom_max)
        while True:
            yield pool.batch(batch)


def schedule(lr, warmup, total):
    """train_east's learning-rate curve (its Keras schedule object itself) over `total` steps."""
    import keras
    return train_east._schedule(types.SimpleNamespace(keras=keras),
                                types.SimpleNamespace(lr=lr, warmup=warmup, schedule_steps=total))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=5.0, help="wall-clock training budget")
    ap.add_argument("--max-steps", type=int, default=None, help="cap on the steps (tests)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--zoom", type=float, default=0.35)
    ap.add_argument("--zoom-max", type=float, default=2.2)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--time-steps", type=int, default=100, help="steps timed to size the schedule")
    ap.add_argument("--save-seconds", type=float, default=60.0)
    a = ap.parse_args(argv)

    import keras
    keras.utils.set_random_seed(a.seed)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    model = build()
    weights = list(model.weights)
    params = [w.value for w in model.trainable_weights]
    opt = torch.optim.Adam(params, lr=a.lr * 0.1, eps=1e-7)
    ema = [w.value.detach().clone() for w in weights]
    loader = torch.utils.data.DataLoader(
        Stream(a.data, a.seed, a.batch, a.zoom, a.zoom_max), batch_size=None,
        # spawn, not fork: a forked worker deadlocks in OpenMP (libgomp) once the
        # parent's torch has started its thread pool
        multiprocessing_context="spawn" if a.workers else None,
        num_workers=a.workers, pin_memory=dev == "cuda", prefetch_factor=4 if a.workers else None,
        persistent_workers=a.workers > 0)
    print(f"device {dev} ({torch.cuda.get_device_name() if dev == 'cuda' else 'cpu'}), "
          f"{model.count_params()} params, args {vars(a)}", flush=True)

    def save(step, total, final=False):
        arrays = {f"ema_{k}": e.cpu().numpy() for k, e in enumerate(ema)}
        arrays.update({f"raw_{k}": w.value.detach().cpu().numpy() for k, w in enumerate(weights)})
        meta = dict(vars(a), steps=step, total_steps=total, final=final,
                    names=[w.path for w in weights])
        tmp = a.out + ".tmp.npz"
        np.savez(tmp, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, a.out)

    t_start = time.time()
    budget = a.minutes * 60
    total = a.max_steps or 10 ** 9
    sched = schedule(a.lr, a.warmup, total)     # until the timing fixes the length
    acc, t_log, t_save = np.zeros(4), time.time(), time.time()
    step = 0
    for x, s, g, m in loader:
        if step == 20:
            t_mark = time.time()           # after the workers' start and the first batches
        if step == 20 + a.time_steps and not a.max_steps:
            # Size the schedule: the steps that fit in what is left of the budget.
            rate = a.time_steps / (time.time() - t_mark)
            total = step + int(0.97 * rate * (budget - (time.time() - t_start)))
            sched = schedule(a.lr, a.warmup, total)
            print(f"{rate:.2f} steps/s: schedule of {total} steps", flush=True)
        if step >= total or time.time() - t_start > 1.03 * budget:
            break
        lr = float(sched(step))
        for grp in opt.param_groups:
            grp["lr"] = lr
        x, s, g, m = (torch.as_tensor(v).to(dev, non_blocking=True) for v in (x, s, g, m))
        sp, gp = model(x, training=True)
        dice, bce, l_geo = losses(s, g, m, sp, gp)
        loss = dice + 0.5 * bce + l_geo
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            d = min(a.ema, (1.0 + step) / (10.0 + step))
            for e, w in zip(ema, weights):
                e.mul_(d).add_(w.value.detach(), alpha=1.0 - d)
        step += 1
        acc += [float(v.detach()) for v in (loss, dice, bce, l_geo)] if step % 20 == 0 else 0
        if step % 100 == 0:
            mm = acc / 5
            print(f"{time.strftime('%H:%M:%S')} step {step} loss {mm[0]:.4f} dice {mm[1]:.4f} "
                  f"bce {mm[2]:.4f} geo {mm[3]:.4f} lr {lr:.2e} {100 / (time.time() - t_log):.1f} steps/s",
                  flush=True)
            acc, t_log = np.zeros(4), time.time()
        if time.time() - t_save > a.save_seconds:
            save(step, total)
            t_save = time.time()
    save(step, total, final=True)
    print(f"done: {step} steps in {time.time() - t_start:.0f} s, saved {a.out}", flush=True)
    # Leave without tearing the loader down: its workers, killed mid-batch, abort
    # in OpenMP and would turn a finished run into a failed exit status.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
