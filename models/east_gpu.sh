#!/usr/bin/env bash
# EAST on one GPU machine, from a bare checkout: build ocrkit, render training
# data on every core for GEN_SECONDS, then train (train_east_torch.py) for
# TRAIN_MINUTES. Weights and logs go to $OUT (default ./gpu_out).
#
# The machine needs Python with PyTorch (CUDA), NumPy, Pillow, Cython and a C
# compiler. What it may lack travels in the checkout:
#   .whl/       keras==3.15.1 (the Keras of tensorflow-cpu 2.21), namex, optree wheels
#   .carry/fonts.tar.xz  the training-split fonts (paths under /usr/share/fonts)
#   .carry/words         /usr/share/dict/words (Debian wamerican)
# Then, here: python models/train_east.py export --weights $OUT/east_torch.npz --run DIR --out DIR
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu_out}
GEN_SECONDS=${GEN_SECONDS:-150}
TRAIN_MINUTES=${TRAIN_MINUTES:-5}
# With TOTAL_SECONDS set, training gets what is left of it (less 30 s to save and
# exit) instead of TRAIN_MINUTES: the job then fits a fixed wall-clock limit.
TOTAL_SECONDS=${TOTAL_SECONDS:-}
T_START=$(date +%s)
GEN_PROCS=${GEN_PROCS:-$(nproc)}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1

if [ -d .whl ]; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl
    export PYTHONPATH=/tmp/site
fi
if [ -f .carry/fonts.tar.xz ]; then tar xJf .carry/fonts.tar.xz -C /; fi
if [ -f .carry/words ] && [ ! -f /usr/share/dict/words ]; then
    mkdir -p /usr/share/dict && cp .carry/words /usr/share/dict/words
fi
t0=$(date +%s)
python3 setup.py -q build_ext --inplace -j "$(nproc)" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
python3 -c "import ocrkit, ocrkit.synth as s; print('ocrkit ok,', len(s.fonts.faces('train')), 'training faces')"
echo "build $(( $(date +%s) - t0 )) s"

# Data: one generator per core, seeds 101.., shards of 128 samples, for GEN_SECONDS.
DATA=/tmp/east_gpu_data
mkdir -p $DATA
for k in $(seq 1 "$GEN_PROCS"); do
    timeout "$GEN_SECONDS" python3 models/east_data.py $DATA --seed $((100 + k)) --count 100000 \
        --shard-size 128 > "$OUT/gen_$k.log" 2>&1 &
done
wait || true
n=$(ls $DATA | grep -c _mask.npy)
echo "data: $n shards of 128 after $GEN_SECONDS s on $GEN_PROCS processes"

if [ -n "$TOTAL_SECONDS" ]; then
    TRAIN_MINUTES=$(python3 -c "print(max(0.5, ($T_START + $TOTAL_SECONDS - 30 - $(date +%s)) / 60))")
fi
echo "training for $TRAIN_MINUTES min"
KERAS_BACKEND=torch python3 models/train_east_torch.py --data $DATA --out "$OUT/east_torch.npz" \
    --minutes "$TRAIN_MINUTES" --workers "${WORKERS:-12}" "$@" 2>&1 | tee "$OUT/train.log"
