"""resize_images: forward against a per-pixel NumPy reference, gradients, type errors."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check, testing
from kusari.utils.type_check import InvalidType


def _positions(n_out, n_in, mode, align_corners):
    if mode == "nearest":
        return [min(int(numpy.floor(i * n_in / n_out)), n_in - 1) for i in range(n_out)]
    if align_corners:
        return [0.0 if n_out == 1 else i * (n_in - 1) / (n_out - 1) for i in range(n_out)]
    return [max((i + 0.5) * n_in / n_out - 0.5, 0.0) for i in range(n_out)]


def _resize_reference(x, out_hw, mode, align_corners):
    n, c, h, w = x.shape
    ys = _positions(out_hw[0], h, mode, align_corners)
    xs = _positions(out_hw[1], w, mode, align_corners)
    y = numpy.zeros((n, c) + tuple(out_hw), numpy.float64)
    for i, py in enumerate(ys):
        for j, px in enumerate(xs):
            y0, x0 = int(numpy.floor(py)), int(numpy.floor(px))
            fy, fx = py - y0, px - x0
            y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
            y[:, :, i, j] = ((1 - fy) * (1 - fx) * x[:, :, y0, x0]
                             + (1 - fy) * fx * x[:, :, y0, x1]
                             + fy * (1 - fx) * x[:, :, y1, x0] + fy * fx * x[:, :, y1, x1])
    return y.astype(x.dtype)


@testing.parameterize(*testing.product({
    "in_hw": [(4, 5), (1, 1), (3, 1)],
    "out_hw": [(8, 3), (1, 1), (3, 7)],
    "mode": ["bilinear", "nearest"],
    "align_corners": [True, False],
}))
class TestResizeImages(testing.FunctionTestCase):
    # Chainer accepts float32 only; the float64 numerical check runs separately below with the
    # type check off
    numerical_grad_dtype = numpy.float32
    check_backward_options = {"atol": 2e-3, "rtol": 2e-3}
    check_double_backward_options = {"atol": 2e-3, "rtol": 2e-3}
    check_forward_options = {"atol": 1e-6, "rtol": 1e-5}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (2, 3) + self.in_hw).astype(numpy.float32),)

    def forward(self, inputs, device):
        return (F.resize_images(inputs[0], self.out_hw, mode=self.mode,
                                align_corners=self.align_corners),)

    def forward_expected(self, inputs):
        return (_resize_reference(inputs[0], self.out_hw, self.mode, self.align_corners),)


@pytest.mark.parametrize("mode,align_corners", [("bilinear", True), ("bilinear", False),
                                                ("nearest", True)])
def test_resize_images_float64_gradients(mode, align_corners):
    x = numpy.random.uniform(-1, 1, (2, 2, 3, 4))
    gy = numpy.random.uniform(-1, 1, (2, 2, 5, 2))
    ggx = numpy.random.uniform(-1, 1, x.shape)

    def f(x):
        return F.resize_images(x, (5, 2), mode=mode, align_corners=align_corners)

    with kusari.using_config("type_check", False):
        gradient_check.check_backward(f, x, gy, dtype=numpy.float64, atol=1e-7, rtol=1e-7)
        gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64,
                                             atol=1e-7, rtol=1e-7)


def test_resize_images_adjoint():
    # backward is the exact transpose of the (linear) forward: <R x, g> == <x, R^T g>
    x = kusari.Variable(numpy.random.uniform(-1, 1, (1, 2, 6, 5)).astype(numpy.float32))
    y = F.resize_images(x, (4, 9), align_corners=False)
    g = numpy.random.uniform(-1, 1, y.shape).astype(numpy.float32)
    y.grad = g
    y.backward()
    numpy.testing.assert_allclose(float((y.array * g).sum()), float((x.array * x.grad).sum()),
                                  rtol=1e-5)


def test_resize_images_known_values():
    x = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 2, 2)
    y = F.resize_images(x, (3, 3)).array[0, 0]
    numpy.testing.assert_allclose(y, [[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]])
    y = F.resize_images(x, (4, 4), mode="nearest").array[0, 0]
    numpy.testing.assert_array_equal(y, [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])
    y = F.resize_images(x, (4, 1), align_corners=False).array[0, 0, :, 0]
    numpy.testing.assert_allclose(y, [0.5, 1.0, 2.0, 2.5])  # rows at 0, .25, .75, 1.25; column .5


def test_resize_images_identity():
    x = numpy.random.uniform(-1, 1, (2, 3, 4, 5)).astype(numpy.float32)
    for ac in (True, False):
        numpy.testing.assert_array_equal(F.resize_images(x, (4, 5), align_corners=ac).array, x)


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float64, numpy.int32])
def test_resize_images_rejects_non_float32(dtype):
    with pytest.raises(InvalidType) as e:
        F.resize_images(numpy.zeros((1, 1, 2, 2), dtype), (3, 3))
    assert "ResizeImages (Forward)" in str(e.value)
    assert "x.dtype == <class 'numpy.float32'>" in str(e.value)


def test_resize_images_rejects_3d():
    with pytest.raises(InvalidType, match="x.ndim == 4"):
        F.resize_images(numpy.zeros((1, 2, 2), numpy.float32), (3, 3))


def test_resize_images_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        F.resize_images(numpy.zeros((1, 1, 2, 2), numpy.float32), (3, 3), mode="bicubic")
