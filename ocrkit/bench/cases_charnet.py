"""Benchmark cases of the "charnet" family: the character recogniser end to end
(normalisation and the int8 network) on rendered 32×32 crops. No OpenCV rival:
OpenCV has no character recogniser; Tesseract's, per crop, is in models/CHARNET.md."""
from . import Case
from .. import _threads

FAMILY = "charnet"


def _recognizer():
    # one interpreter per thread count: the runner changes it between passes
    from ..charnet import CharRecognizer
    cache = {}

    def get():
        n = _threads.get_num_threads()
        if n not in cache:
            cache[n] = CharRecognizer(num_threads=n)
        return cache[n]
    return get


def _crops(n):
    def make(rng):
        from ..synth import make_char_crops
        return (make_char_crops(rng, n, split="val")[0],)
    return make


def cases():
    from ..runtime import tflite_backend
    if tflite_backend() is None:
        return []
    try:
        from ..synth.fonts import faces
        faces("val")
    except Exception:            # no fonts to render crops with: nothing to time
        return []
    get = _recognizer()
    return [
        Case(FAMILY, "CharRecognizer.predict", "256 crops 32x32", 1, _crops(256),
             ours=lambda c: get().predict(c)),
        Case(FAMILY, "CharRecognizer.predict", "1 crop 32x32", 1, _crops(1),
             ours=lambda c: get().predict(c[0]), quick=False),
    ]
