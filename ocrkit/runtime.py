"""Runtime settings and the TFLite model loader shared by every model of ocrkit.

The kernel thread count (:func:`set_num_threads`) also sets how many threads a
model loaded afterwards uses. Models run through the first interpreter found of
``ai_edge_litert`` (LiteRT, TFLite's successor), ``tflite_runtime`` and
``tensorflow.lite``; none of them is needed by the image kernels.

>>> from ocrkit.runtime import load_model, model_path
>>> net = load_model(model_path("charnet.tflite"))        # doctest: +SKIP
>>> probs = net.run(batch)[0]                              # doctest: +SKIP
"""
import os
from importlib import resources

import numpy as np

from ._threads import get_num_threads, have_openmp, set_num_threads

__all__ = ["set_num_threads", "get_num_threads", "have_openmp", "TFLiteModel",
           "load_model", "tflite_backend", "model_path", "RuntimeMissingError",
           "ModelFileError"]

_INSTALL_HINT = ("no TFLite interpreter is installed: pip install ai-edge-litert "
                 "(or tflite-runtime, or tensorflow)")

# A model file starts with a 4-byte root offset, then the "TFL3" identifier.
_TFLITE_MAGIC = b"TFL3"


class RuntimeMissingError(ImportError):
    """No TFLite interpreter package is importable; the message says what to install."""


class ModelFileError(ValueError):
    """The file is missing, unreadable, or not a TFLite model."""


def _interpreter_class():
    """(name, Interpreter class) of the first interpreter package found."""
    try:
        from ai_edge_litert.interpreter import Interpreter
        return "ai_edge_litert", Interpreter
    except ImportError:
        pass
    try:
        from tflite_runtime.interpreter import Interpreter
        return "tflite_runtime", Interpreter
    except ImportError:
        pass
    try:
        from tensorflow import lite
        return "tensorflow.lite", lite.Interpreter
    except ImportError:
        pass
    raise RuntimeMissingError(_INSTALL_HINT)


def tflite_backend():
    """Name of the interpreter package models run on, or None when none is installed."""
    try:
        return _interpreter_class()[0]
    except RuntimeMissingError:
        return None


def model_path(name):
    """Path of a model carried in the package (``ocrkit/models/<name>``)."""
    path = resources.files("ocrkit").joinpath("models", name)
    if not path.is_file():
        raise ModelFileError(f"model: bundled model {name!r} is not installed with ocrkit")
    return os.fspath(path)


def _read_model(model):
    if isinstance(model, (bytes, bytearray, memoryview)):
        content, where = bytes(model), "model bytes"
    else:
        where = os.fspath(model)
        try:
            with open(where, "rb") as f:
                content = f.read()
        except OSError as e:
            raise ModelFileError(f"model: cannot read {where!r}: {e.strerror or e}") from None
    if len(content) < 8 or content[4:8] != _TFLITE_MAGIC:
        raise ModelFileError(f"model: {where!r} is not a TFLite model "
                             "(no 'TFL3' identifier)")
    return content, where


class TFLiteModel:
    """One loaded .tflite model: inputs are quantised and outputs dequantised for you.

    Use :func:`load_model` to make one. :meth:`run` takes float32 arrays in the
    model's real units (int8 models included) and returns float32 arrays; a batch
    size other than the model's is handled by resizing the input tensors.
    """

    def __init__(self, content, where, num_threads=None):
        self.backend, interpreter = _interpreter_class()
        self.source = where
        self.num_threads = int(num_threads or get_num_threads())
        try:
            self._it = interpreter(model_content=content, num_threads=self.num_threads)
        except (ValueError, RuntimeError) as e:
            raise ModelFileError(f"model: {where!r} could not be loaded: {e}") from None
        self._allocated = True
        try:
            self._it.allocate_tensors()
        except (ValueError, RuntimeError) as e:
            # A model with free input dimensions (H, W of a fully convolutional
            # net) is stored at a 1-pixel default shape that it may not run at
            # (an upsampling branch no longer meets its skip connection there):
            # its tensors are allocated for the first real input instead.
            free = any(-1 in list(d.get("shape_signature", ()))
                       for d in self._it.get_input_details())
            if not free:
                raise ModelFileError(f"model: {where!r} could not be loaded: {e}") from None
            self._allocated = False
        self._inputs = self._it.get_input_details()
        self._outputs = self._it.get_output_details()
        self._shapes = [tuple(d["shape"]) for d in self._inputs]

    @property
    def input_details(self):
        return [dict(d) for d in self._inputs]

    @property
    def output_details(self):
        return [dict(d) for d in self._outputs]

    @property
    def input_shape(self):
        """Shape of the first input as the model was built (batch dimension included)."""
        return tuple(int(v) for v in self._inputs[0]["shape_signature"]) \
            if "shape_signature" in self._inputs[0] else self._shapes[0]

    @property
    def input_dtype(self):
        return np.dtype(self._inputs[0]["dtype"])

    def _set_input(self, i, x):
        d = self._inputs[i]
        x = np.asarray(x)
        if x.ndim != len(self._shapes[i]):
            raise ValueError(f"input {i}: expected {len(self._shapes[i])} dimensions "
                             f"{self._shapes[i]}, got shape {x.shape}")
        if tuple(x.shape) != self._shapes[i] or not self._allocated:
            self._it.resize_tensor_input(d["index"], list(x.shape))
            try:
                self._it.allocate_tensors()
            except (ValueError, RuntimeError) as e:
                raise ValueError(f"input {i}: the model cannot run on shape {x.shape}: "
                                 f"{str(e).strip().splitlines()[0]}") from None
            self._allocated = True
            self._shapes[i] = tuple(x.shape)
            self._inputs = self._it.get_input_details()
            self._outputs = self._it.get_output_details()
            d = self._inputs[i]
        dtype = np.dtype(d["dtype"])
        scale, zero = d["quantization"]
        if dtype.kind in "iu" and scale:
            info = np.iinfo(dtype)
            q = np.rint(np.asarray(x, np.float32) / np.float32(scale)) + zero
            x = np.clip(q, info.min, info.max).astype(dtype)
        else:
            x = np.ascontiguousarray(x, dtype=dtype)
        self._it.set_tensor(d["index"], x)

    def run(self, *inputs):
        """Run the model; returns the outputs as a list of float32 arrays."""
        if len(inputs) != len(self._inputs):
            raise ValueError(f"inputs: the model takes {len(self._inputs)} input(s), "
                             f"got {len(inputs)}")
        for i, x in enumerate(inputs):
            self._set_input(i, x)
        self._it.invoke()
        outs = []
        for d in self._outputs:
            y = self._it.get_tensor(d["index"])
            scale, zero = d["quantization"]
            if y.dtype.kind in "iu" and scale:
                y = (y.astype(np.float32) - np.float32(zero)) * np.float32(scale)
            outs.append(np.array(y, dtype=np.float32, copy=True))
        return outs


def load_model(model, num_threads=None):
    """Load a .tflite model from a path or from bytes.

    Parameters
    ----------
    model : str, os.PathLike or bytes
        The model file, or its content.
    num_threads : int, optional
        Interpreter threads; default :func:`get_num_threads`.

    Raises
    ------
    RuntimeMissingError
        No interpreter package is installed (the message names what to install).
    ModelFileError
        The file cannot be read or is not a TFLite model.
    """
    content, where = _read_model(model)
    return TFLiteModel(content, where, num_threads)
