"""The TFLite loader: quantisation handled, batch resizing, clear errors."""
import builtins
import os

import numpy as np
import pytest

from ocrkit import runtime

DATA = os.path.join(os.path.dirname(__file__), "data")
X = np.load(os.path.join(DATA, "tiny_x.npy"))   # 5 inputs, 8x8x1
Y = np.load(os.path.join(DATA, "tiny_y.npy"))   # Keras' own softmax outputs for them


@pytest.mark.parametrize("name,tol", [("tiny_f32.tflite", 1e-5), ("tiny_i8.tflite", 0.02)])
def test_model_matches_keras(name, tol):
    m = runtime.load_model(os.path.join(DATA, name))
    assert m.backend == runtime.tflite_backend()
    out = m.run(X)[0]
    assert out.dtype == np.float32 and out.shape == (5, 3)
    assert np.abs(out - Y).max() < tol
    # another batch size after the first: the input tensor is resized again
    assert np.abs(m.run(X[:2])[0] - Y[:2]).max() < tol


def test_model_from_bytes_and_threads():
    with open(os.path.join(DATA, "tiny_f32.tflite"), "rb") as f:
        m = runtime.load_model(f.read(), num_threads=1)
    assert m.num_threads == 1
    assert np.abs(m.run(X[:1])[0] - Y[:1]).max() < 1e-5


def test_bad_inputs(tmp_path):
    with pytest.raises(runtime.ModelFileError, match="cannot read"):
        runtime.load_model(tmp_path / "missing.tflite")
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"this is not a model at all")
    with pytest.raises(runtime.ModelFileError, match="not a TFLite model"):
        runtime.load_model(bad)
    # right identifier, broken body
    trunc = tmp_path / "trunc.tflite"
    trunc.write_bytes(open(os.path.join(DATA, "tiny_f32.tflite"), "rb").read()[:64])
    with pytest.raises(runtime.ModelFileError):
        runtime.load_model(trunc)
    m = runtime.load_model(os.path.join(DATA, "tiny_f32.tflite"))
    with pytest.raises(ValueError, match="input"):
        m.run(X, X)
    with pytest.raises(ValueError, match="dimensions"):
        m.run(X[0])
    with pytest.raises(runtime.ModelFileError, match="bundled"):
        runtime.model_path("no-such-model.tflite")



@pytest.mark.parametrize("name", ["east_int8.tflite", "east_f16.tflite"])
def test_free_size_model_allocated_at_first_input(name):
    # The bundled EAST models have free H, W and cannot run at their stored
    # 1x1 default (the upsampling branch would not meet its skip connection).
    m = runtime.load_model(runtime.model_path(name), num_threads=1)
    assert m.input_shape == (1, -1, -1, 3)
    score, geo = sorted(m.run(np.zeros((1, 64, 96, 3), np.float32)), key=lambda a: a.shape[-1])
    assert score.shape == (1, 16, 24, 1) and geo.shape == (1, 16, 24, 5)
    with pytest.raises(ValueError, match="input 0: the model cannot run on shape"):
        m.run(np.zeros((1, 33, 33, 3), np.float32))
    # a good shape after a bad one still runs
    assert m.run(np.zeros((1, 32, 32, 3), np.float32))[0].shape[1:3] == (8, 8)

def test_missing_interpreter_names_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_tflite(name, *a, **k):
        if name.split(".")[0] in ("ai_edge_litert", "tflite_runtime", "tensorflow"):
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_tflite)
    assert runtime.tflite_backend() is None
    with pytest.raises(runtime.RuntimeMissingError, match="pip install ai-edge-litert"):
        runtime.load_model(os.path.join(DATA, "tiny_f32.tflite"))
