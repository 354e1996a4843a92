"""Every function in ``kusari.functions`` on GPU inputs against the same call on NumPy.

The list is built from the package: a function without an entry in ``SPECIAL`` is tried
with one ``(3, 4)`` float32 input in ``[0.2, 0.8]``, then with two; one that accepts
neither is skipped with "needs special args". Outputs are compared, then the gradients of
``sum(outputs * w)`` for random ``w``. Functions that draw random numbers are checked
for shapes, dtypes and finiteness only.
"""

from __future__ import annotations

import inspect

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.utils import type_check
from tests.gpu_tests import _harness as h

pytestmark = h.PYTESTMARK

NAMES = sorted(n for n in dir(F) if not n.startswith("_") and inspect.isfunction(getattr(F, n)))


class _R:
    """Input makers with one fixed random state per test."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = numpy.random.RandomState(seed)

    def u(self, *shape: int) -> numpy.ndarray:
        return self.rng.uniform(0.2, 0.8, shape).astype(numpy.float32)

    def n(self, *shape: int) -> numpy.ndarray:
        return self.rng.randn(*shape).astype(numpy.float32)

    def i(self, hi: int, *shape: int) -> numpy.ndarray:
        return self.rng.randint(0, hi, shape).astype(numpy.int32)

    def spd(self, b: int, n: int) -> numpy.ndarray:
        a = self.rng.randn(b, n, n).astype(numpy.float32)
        return (a @ a.transpose(0, 2, 1) + n * numpy.eye(n, dtype=numpy.float32))


class Raw:
    """An array passed as a plain array (a copy on the device), never as a Variable."""

    def __init__(self, a: numpy.ndarray) -> None:
        self.a = a


def _rnn_args(r: _R, n_gates: int, bi: bool, cell: bool) -> tuple:
    n_layers, units, in_size = 1, 3, 4
    ndir = 2 if bi else 1
    hx = r.n(n_layers * ndir, 2, units)
    ws = [[r.n(units, in_size if k < n_gates else units) for k in range(2 * n_gates)]
          for _ in range(n_layers * ndir)]
    bs = [[r.n(units) for _ in range(2 * n_gates)] for _ in range(n_layers * ndir)]
    xs = [r.n(2, in_size), r.n(1, in_size)]
    if cell:
        return (n_layers, 0.0, hx, r.n(n_layers * ndir, 2, units), ws, bs, xs), {}
    return (n_layers, 0.0, hx, ws, bs, xs), {}


# name -> (lambda r: (args, kwargs))
SPECIAL = {
    "accuracy": lambda r: ((r.n(6, 4), r.i(4, 6)), {}),
    "argmax": lambda r: ((r.n(3, 4),), {"axis": 1}),
    "argmin": lambda r: ((r.n(3, 4),), {"axis": 1}),
    "as_strided": lambda r: ((r.n(12),), {"shape": (3, 4), "strides": (4, 1)}),
    "average_pooling_1d": lambda r: ((r.n(2, 3, 8), 2), {}),
    "average_pooling_2d": lambda r: ((r.n(2, 3, 6, 6), 3, 2, 1), {}),
    "average_pooling_3d": lambda r: ((r.n(1, 2, 4, 4, 4), 2), {}),
    "average_pooling_nd": lambda r: ((r.n(2, 3, 6, 6), 2), {}),
    "batch_det": lambda r: ((r.spd(2, 3),), {}),
    "batch_inv": lambda r: ((r.spd(2, 3),), {}),
    "batch_matmul": lambda r: ((r.n(2, 3, 4), r.n(2, 4, 5)), {}),
    "batch_normalization": lambda r: ((r.n(5, 3, 2, 2), r.u(3), r.n(3)), {}),
    "batch_renormalization": lambda r: ((r.n(5, 3), r.u(3), r.n(3), 2.0, 1.0),
                                        {"running_mean": Raw(r.n(3)), "running_var": Raw(r.u(3))}),
    "bernoulli_nll": lambda r: ((r.u(3, 4), r.n(3, 4)), {}),
    "bias": lambda r: ((r.n(3, 4, 2), r.n(4)), {}),
    "binary_accuracy": lambda r: ((r.n(3, 4), r.i(2, 3, 4)), {}),
    "broadcast_to": lambda r: ((r.n(1, 4), (3, 4)), {}),
    "cast": lambda r: ((r.n(3, 4), numpy.float64), {}),
    "cholesky": lambda r: ((r.spd(1, 3)[0],), {}),
    "classification_summary": lambda r: ((r.n(6, 3), r.i(3, 6)), {"label_num": 3}),
    "clip": lambda r: ((r.n(3, 4), -0.5, 0.5), {}),
    "concat": lambda r: (([r.n(3, 4), r.n(3, 2)],), {}),
    "contrastive": lambda r: ((r.n(4, 3), r.n(4, 3), r.i(2, 4)), {}),
    "convolution_1d": lambda r: ((r.n(2, 3, 7), r.n(4, 3, 3), r.n(4)), {"pad": 1}),
    "convolution_2d": lambda r: ((r.n(2, 3, 6, 5), r.n(4, 3, 3, 3), r.n(4)),
                                 {"stride": 2, "pad": 1}),
    "convolution_3d": lambda r: ((r.n(1, 2, 4, 4, 4), r.n(3, 2, 2, 2, 2)), {}),
    "convolution_nd": lambda r: ((r.n(2, 4, 6, 6), r.n(6, 2, 3, 3)), {"groups": 2}),
    "copy": lambda r: ((r.n(3, 4), -1), {}),
    "crelu": lambda r: ((r.n(3, 4),), {}),
    "cross_covariance": lambda r: ((r.n(4, 3), r.n(4, 2)), {}),
    "cumprod": lambda r: ((r.u(3, 4),), {"axis": 1}),
    "cumsum": lambda r: ((r.n(3, 4),), {"axis": 1}),
    "deconvolution_1d": lambda r: ((r.n(2, 3, 5), r.n(3, 4, 3)), {"stride": 2}),
    "deconvolution_2d": lambda r: ((r.n(2, 3, 4, 4), r.n(3, 2, 3, 3), r.n(2)),
                                   {"stride": 2, "pad": 1}),
    "deconvolution_3d": lambda r: ((r.n(1, 2, 3, 3, 3), r.n(2, 3, 2, 2, 2)), {}),
    "deconvolution_nd": lambda r: ((r.n(2, 3, 4, 4), r.n(3, 2, 3, 3)), {}),
    "decov": lambda r: ((r.n(4, 3),), {}),
    "depth2space": lambda r: ((r.n(2, 8, 3, 3), 2), {}),
    "depthwise_convolution_2d": lambda r: ((r.n(2, 3, 5, 5), r.n(2, 3, 3, 3), r.n(6)), {}),
    "det": lambda r: ((r.spd(1, 3)[0],), {}),
    "diagonal": lambda r: ((r.n(3, 4),), {}),
    "dilated_convolution_2d": lambda r: ((r.n(2, 3, 7, 7), r.n(4, 3, 3, 3)),
                                         {"dilate": 2, "pad": 2}),
    "dstack": lambda r: (([r.n(3, 4), r.n(3, 4)],), {}),
    "einsum": lambda r: (("ij,jk->ik", r.n(3, 4), r.n(4, 2)), {}),
    "embed_id": lambda r: ((r.i(5, 3, 2), r.n(5, 4)), {}),
    "erfcinv": lambda r: ((r.u(3, 4) * 1.5 + 0.1,), {}),
    "expand_dims": lambda r: ((r.n(3, 4), 1), {}),
    "f1_score": lambda r: ((r.n(6, 3), r.i(3, 6)), {"label_num": 3}),
    "fft": lambda r: (((r.n(3, 4), r.n(3, 4)),), {}),
    "fixed_batch_normalization": lambda r: ((r.n(5, 3), r.u(3), r.n(3), r.n(3), r.u(3)), {}),
    "flip": lambda r: ((r.n(3, 4), 1), {}),
    "fmod": lambda r: ((r.n(3, 4) * 3, r.u(3, 4) + 0.5), {}),
    "gaussian_nll": lambda r: ((r.n(3, 4), r.n(3, 4), r.n(3, 4) * 0.1), {}),
    "get_item": lambda r: ((r.n(3, 4), (slice(None), [0, 2, 2])), {}),
    "group_normalization": lambda r: ((r.n(2, 4, 3), 2, r.u(4), r.n(4)), {}),
    "hinge": lambda r: ((r.n(4, 3), r.i(3, 4)), {}),
    "hstack": lambda r: (([r.n(3, 4), r.n(3, 2)],), {}),
    "huber_loss": lambda r: ((r.n(3, 4), r.n(3, 4), 1.0), {}),
    "ifft": lambda r: (((r.n(3, 4), r.n(3, 4)),), {}),
    "im2col": lambda r: ((r.n(2, 3, 5, 5), 3), {"pad": 1}),
    "inv": lambda r: ((r.spd(1, 3)[0],), {}),
    "layer_normalization": lambda r: ((r.n(3, 4), r.u(4), r.n(4)), {}),
    "linear": lambda r: ((r.n(3, 4), r.n(5, 4), r.n(5)), {}),
    "linear_interpolate": lambda r: ((r.u(3, 4), r.n(3, 4), r.n(3, 4)), {}),
    "local_response_normalization": lambda r: ((r.n(2, 7, 3, 3),), {}),
    "lstm": lambda r: ((r.n(3, 4), r.n(2, 16)), {}),
    "matmul": lambda r: ((r.n(3, 4), r.n(4, 5)), {}),
    "max_pooling_1d": lambda r: ((r.n(2, 3, 8), 2), {}),
    "max_pooling_2d": lambda r: ((r.n(2, 3, 7, 6), 3, 2, 1), {}),
    "max_pooling_3d": lambda r: ((r.n(1, 2, 4, 4, 4), 2), {}),
    "max_pooling_nd": lambda r: ((r.n(2, 3, 6, 6), 2), {}),
    "maxout": lambda r: ((r.n(3, 6), 2), {}),
    "moveaxis": lambda r: ((r.n(2, 3, 4), 0, 2), {}),
    "n_step_bigru": lambda r: _rnn_args(r, 3, True, False),
    "n_step_bilstm": lambda r: _rnn_args(r, 4, True, True),
    "n_step_birnn": lambda r: _rnn_args(r, 1, True, False),
    "n_step_gru": lambda r: _rnn_args(r, 3, False, False),
    "n_step_lstm": lambda r: _rnn_args(r, 4, False, True),
    "n_step_rnn": lambda r: _rnn_args(r, 1, False, False),
    "pad": lambda r: ((r.n(3, 4), ((1, 0), (2, 1)), "constant"), {}),
    "pad_sequence": lambda r: (([r.n(3, 2), r.n(1, 2)],), {}),
    "permutate": lambda r: ((r.n(3, 4), numpy.array([2, 0, 1], numpy.int32)), {}),
    "polygamma": lambda r: ((numpy.full((3, 4), 1, numpy.int32), r.u(3, 4) + 1), {}),
    "precision": lambda r: ((r.n(6, 3), r.i(3, 6)), {"label_num": 3}),
    "prelu": lambda r: ((r.n(3, 4), r.u(4)), {}),
    "r2_score": lambda r: ((r.n(6, 3), r.n(6, 3)), {}),
    "recall": lambda r: ((r.n(6, 3), r.i(3, 6)), {"label_num": 3}),
    "repeat": lambda r: ((r.n(3, 4), 2), {"axis": 1}),
    "reshape": lambda r: ((r.n(3, 4), (2, 6)), {}),
    "rollaxis": lambda r: ((r.n(2, 3, 4), 2), {}),
    "scale": lambda r: ((r.n(3, 4, 2), r.n(4)), {}),
    "scatter_add": lambda r: ((r.n(3, 4), ([0, 2, 0], slice(None)), r.n(3, 4)), {}),
    "select_item": lambda r: ((r.n(3, 4), r.i(4, 3)), {}),
    "sigmoid_cross_entropy": lambda r: ((r.n(3, 4), r.i(2, 3, 4)), {}),
    "slstm": lambda r: ((r.n(3, 4), r.n(3, 4), r.n(3, 16), r.n(3, 16)), {}),
    "softmax_cross_entropy": lambda r: ((r.n(5, 4), r.i(4, 5)), {}),
    "space2depth": lambda r: ((r.n(2, 2, 4, 4), 2), {}),
    "sparse_matmul": None,  # needs a CooMatrix (covered by its own tests)
    "spatial_pyramid_pooling_2d": lambda r: ((r.n(2, 3, 8, 8), 2), {"pooling": "max"}),
    "split_axis": lambda r: ((r.n(3, 4), 2, 1), {}),
    "squeeze": lambda r: ((r.n(3, 1, 4),), {}),
    "stack": lambda r: (([r.n(3, 4), r.n(3, 4)],), {}),
    "sum_to": lambda r: ((r.n(3, 4), (1, 4)), {}),
    "swapaxes": lambda r: ((r.n(2, 3, 4), 0, 2), {}),
    "swish": lambda r: ((r.n(3, 4), r.u(4)), {}),
    "tensordot": lambda r: ((r.n(3, 4, 2), r.n(4, 2, 5)), {}),
    "tile": lambda r: ((r.n(3, 4), (2, 1)), {}),
    "transpose_sequence": lambda r: (([r.n(3, 2), r.n(2, 2)],), {}),
    "tree_lstm": lambda r: ((r.n(3, 4), r.n(3, 4), r.n(3, 20)), {}),
    "triplet": lambda r: ((r.n(4, 3), r.n(4, 3), r.n(4, 3)), {}),
    "unpooling_1d": lambda r: ((r.n(2, 3, 4), 2), {"cover_all": False}),
    "unpooling_2d": lambda r: ((r.n(2, 3, 3, 3), 2), {"cover_all": False}),
    "unpooling_3d": lambda r: ((r.n(1, 2, 2, 2, 2), 2), {"cover_all": False}),
    "unpooling_nd": lambda r: ((r.n(2, 3, 3, 3), 2), {"cover_all": False}),
    "upsampling_2d": lambda r: ((r.n(1, 2, 2, 2), r.i(4, 1, 2, 2, 2), 2), {"outsize": (4, 4)}),
    "vstack": lambda r: (([r.n(3, 4), r.n(2, 4)],), {}),
    "where": lambda r: ((r.n(3, 4) > 0, r.n(3, 4), r.n(3, 4)), {}),
    "zeta": lambda r: ((r.u(3, 4) + 2, r.u(3, 4) + 1), {}),
}

# functions that draw random numbers: the CPU and GPU draws differ
# deprecated aliases (they warn, and warnings are errors)
DEPRECATED = {"fixed_batch_renormalization"}
RANDOM = {"dropout", "gaussian", "gumbel_softmax", "rrelu", "simplified_dropconnect", "zoneout"}
RANDOM_ARGS = {
    "gaussian": lambda r: ((r.n(3, 4), r.n(3, 4)), {}),
    "gumbel_softmax": lambda r: ((r.n(3, 4),), {}),
    "simplified_dropconnect": lambda r: ((r.n(3, 4), r.n(5, 4), r.n(5)), {}),
    "zoneout": lambda r: ((r.n(3, 4), r.n(3, 4)), {}),
}
# looser tolerances where float32 libraries legitimately differ more
LOOSE = {"cholesky", "det", "batch_det", "inv", "batch_inv", "erfcinv", "erfinv", "ndtri",
         "polygamma", "zeta", "digamma", "lgamma", "log_ndtr", "erfcx", "fft", "ifft",
         "cumprod", "local_response_normalization", "r2_score", "batch_renormalization",
         "group_normalization", "batch_normalization", "layer_normalization", "normalize",
         "decov", "cross_covariance", "n_step_gru", "n_step_bigru", "n_step_lstm",
         "n_step_bilstm", "n_step_rnn", "n_step_birnn"}


def _inputs(name: str, r: _R):
    """``(args, kwargs)`` for ``name`` that work on the CPU, or None."""
    if name in RANDOM_ARGS:
        return RANDOM_ARGS[name](r)
    if name in SPECIAL:
        make = SPECIAL[name]
        return None if make is None else make(r)
    f = getattr(F, name)
    for n_in in (1, 2):
        args = tuple(r.u(3, 4) for _ in range(n_in))
        try:
            with numpy.errstate(all="ignore"):
                f(*args)
        except (TypeError, ValueError, type_check.InvalidType, IndexError):
            continue
        return args, {}
    return None


def _wrap(value, device, variables: list):
    """Float arrays become Variables on ``device`` (collected in ``variables``)."""
    if isinstance(value, Raw):
        return device.send(value.a.copy())
    if isinstance(value, numpy.ndarray):
        a = device.send(value)
        if value.dtype.kind == "f":
            v = kusari.Variable(a)
            variables.append(v)
            return v
        return a
    if isinstance(value, list):
        return [_wrap(v, device, variables) for v in value]
    if isinstance(value, tuple) and any(isinstance(v, numpy.ndarray) for v in value):
        return tuple(_wrap(v, device, variables) for v in value)
    return value


def _outputs(out) -> list:
    """The Variables in a function's result (nested tuples and lists flattened)."""
    if isinstance(out, kusari.Variable):
        return [out]
    if isinstance(out, (tuple, list)):
        return [v for o in out for v in _outputs(o)]
    return []


def _call(name: str, args, kwargs, device):
    variables: list = []
    a = tuple(_wrap(x, device, variables) for x in args)
    k = {key: _wrap(x, device, variables) for key, x in kwargs.items()}
    with numpy.errstate(all="ignore"):
        out = getattr(F, name)(*a, **k)
    return variables, _outputs(out)


def _backward(variables: list, outputs: list, seed: int) -> bool:
    rng = numpy.random.RandomState(seed)
    loss = None
    for y in outputs:
        if y.dtype.kind != "f" or y.creator is None:
            continue
        w = y.xp.asarray(rng.uniform(0.5, 1.5, y.shape).astype(y.dtype))
        term = F.sum(y * w)
        loss = term if loss is None else loss + term
    if loss is None:
        return False
    loss.backward()
    return True


@pytest.mark.parametrize("name", NAMES)
def test_function_on_device(name, device):
    if name in DEPRECATED:
        pytest.skip(f"{name}: deprecated alias")
    made = _inputs(name, _R())
    if made is None:
        pytest.skip(f"{name}: needs special args")
    args, kwargs = made
    cpu = kusari.backend.CpuDevice()
    numpy.random.seed(0)
    cv, co = _call(name, args, kwargs, cpu)
    numpy.random.seed(0)
    gv, go = _call(name, args, kwargs, device)
    assert len(go) == len(co)
    for y in go:
        assert h.on_device(y.array, device), name
    rtol, atol = (1e-3, 1e-4) if name in LOOSE else (1e-4, 1e-5)
    for k, (g, c) in enumerate(zip(go, co)):
        assert g.shape == c.shape and g.dtype == c.dtype, (name, k)
        if name in RANDOM:
            if g.dtype.kind == "f":
                assert numpy.isfinite(h.host(g.array)).all(), (name, k)
            continue
        h.assert_close(g.array, c.array, rtol, atol, f"{name} output {k}")
    if name in RANDOM:
        return
    try:
        with numpy.errstate(all="ignore"):
            has_grad = _backward(cv, co, 1)
    except (NotImplementedError, TypeError, ValueError):
        return  # no backward on the CPU either
    if not has_grad:
        return
    with numpy.errstate(all="ignore"):
        _backward(gv, go, 1)
    for k, (g, c) in enumerate(zip(gv, cv)):
        if c.grad is None:
            assert g.grad is None, (name, k)
            continue
        assert h.on_device(g.grad, device), (name, k)
        h.assert_close(g.grad, c.grad, rtol * 10, atol * 10, f"{name} grad of input {k}")


def test_dropout_statistics_on_device(device):
    x = device.send(numpy.ones((200, 500), numpy.float32))
    with kusari.using_config("train", True):
        y, mask = F.dropout(x, 0.3, return_mask=True)
    a = h.host(y.array)
    assert h.on_device(y.array, device)
    zero = (a == 0).mean()
    assert abs(zero - 0.3) < 0.01
    numpy.testing.assert_allclose(a[a != 0], 1 / 0.7, rtol=1e-6)
    y2 = F.dropout(x, 0.3, mask=mask)
    numpy.testing.assert_array_equal(h.host(y2.array), a)
