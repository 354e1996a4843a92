"""roi_average_align_2d and roi_max_align_2d: per-sample NumPy reference, gradients, errors."""

import math

import numpy
import pytest

import kusari
from kusari import gradient_check, testing
from kusari.functions.pooling.roi_average_align_2d import roi_average_align_2d
from kusari.functions.pooling.roi_max_align_2d import roi_max_align_2d
from kusari.utils.type_check import InvalidType


def _bilinear(img, y, x):
    """The value at (y, x) with RoIAlign's border rules, or None beyond one pixel out."""
    h, w = img.shape
    if y < -1 or y > h or x < -1 or x > w:
        return None
    y, x = min(max(y, 0.0), h - 1.0), min(max(x, 0.0), w - 1.0)
    y0, x0 = min(int(math.floor(y)), h - 1), min(int(math.floor(x)), w - 1)
    y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
    fy, fx = y - y0, x - x0
    return ((1 - fy) * (1 - fx) * img[y0, x0] + (1 - fy) * fx * img[y0, x1]
            + fy * (1 - fx) * img[y1, x0] + fy * fx * img[y1, x1])


def _reference(x, rois, idx, outsize, scale, ratio, reduce):
    oh, ow = outsize
    out = numpy.zeros((len(rois), x.shape[1], oh, ow))
    for r, (roi, n) in enumerate(zip(rois.astype(numpy.float64) * scale, idx)):
        rh, rw = max(roi[2] - roi[0], 1.0), max(roi[3] - roi[1], 1.0)
        gh = ratio[0] or math.ceil(rh / oh)
        gw = ratio[1] or math.ceil(rw / ow)
        for c in range(x.shape[1]):
            for i in range(oh):
                for j in range(ow):
                    vals = [_bilinear(x[n, c], roi[0] + (i + (a + 0.5) / gh) * rh / oh,
                                      roi[1] + (j + (b + 0.5) / gw) * rw / ow)
                            for a in range(gh) for b in range(gw)]
                    if reduce == "avg":
                        out[r, c, i, j] = sum(v for v in vals if v is not None) / (gh * gw)
                    else:
                        out[r, c, i, j] = max((v for v in vals if v is not None),
                                              default=-numpy.inf)
    return out


_FUNCS = {"avg": roi_average_align_2d, "max": roi_max_align_2d}


@testing.parameterize(*testing.product({
    "reduce": ["avg", "max"],
    "outsize": [2, (3, 2)],
    "sampling_ratio": [None, 2, (1, 3)],
    "spatial_scale": [1.0, 0.6],
}))
class TestROIAlign2D(testing.FunctionTestCase):
    # Chainer accepts float32 only and its gradient has no graph (a legacy Function);
    # float64 numerical checks run below with the type check off
    numerical_grad_dtype = numpy.float32
    skip_double_backward_test = True
    dodge_nondifferentiable = True
    check_forward_options = {"atol": 1e-5, "rtol": 1e-4}
    check_backward_options = {"atol": 5e-3, "rtol": 5e-3}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (2, 3, 6, 7)).astype(numpy.float32)
        # ROIs inside, across the border and degenerate (forced to 1 x 1)
        self.rois = (numpy.array([[1, 1, 4, 5], [-1.2, 2, 3, 8.5], [3, 3, 3.2, 2.5],
                                  [0.5, 0.2, 5.6, 6.6]], numpy.float32)
                     / numpy.float32(self.spatial_scale))
        self.roi_indices = numpy.array([0, 1, 1, 0], numpy.int32)
        return (x,)

    def _ratio(self):
        r = self.sampling_ratio
        return (r, r) if not isinstance(r, tuple) else r

    def forward(self, inputs, device):
        f = _FUNCS[self.reduce]
        return (f(inputs[0], device.send(self.rois), device.send(self.roi_indices),
                  self.outsize, self.spatial_scale, self.sampling_ratio),)

    def forward_expected(self, inputs):
        outsize = self.outsize if isinstance(self.outsize, tuple) else (self.outsize,) * 2
        y = _reference(inputs[0], self.rois, self.roi_indices, outsize, self.spatial_scale,
                       self._ratio(), self.reduce)
        return (y.astype(numpy.float32),)


@pytest.mark.parametrize("reduce", ["avg", "max"])
def test_roi_align_float64_gradient(reduce):
    x = numpy.random.uniform(-1, 1, (2, 2, 5, 6))
    rois = numpy.array([[0.3, 0.7, 3.9, 4.2], [-0.5, 1.1, 4.6, 6.5]])
    idx = numpy.array([1, 0], numpy.int32)
    gy = numpy.random.uniform(-1, 1, (2, 2, 2, 3))

    def f(x):
        return _FUNCS[reduce](x, rois, idx, (2, 3), 1.0, 2)

    with kusari.using_config("type_check", False):
        gradient_check.check_backward(f, x, gy, dtype=numpy.float64, atol=1e-7, rtol=1e-7)


def test_roi_align_gradient_is_the_transpose():
    x = kusari.Variable(numpy.random.uniform(-1, 1, (2, 3, 6, 6)).astype(numpy.float32))
    rois = numpy.array([[0, 0, 6, 6], [1.5, 0.5, 4.5, 5.5], [2, 2, 9, 9]], numpy.float32)
    idx = numpy.array([0, 1, 0], numpy.int32)
    y = roi_average_align_2d(x, rois, idx, 3, 1.0)
    g = numpy.random.uniform(-1, 1, y.shape).astype(numpy.float32)
    y.grad = g
    y.backward()
    numpy.testing.assert_allclose(float((y.array * g).sum()), float((x.array * x.grad).sum()),
                                  rtol=1e-5)


def test_roi_max_align_outside_is_neg_inf_without_gradient():
    x = kusari.Variable(numpy.random.uniform(-1, 1, (1, 1, 4, 4)).astype(numpy.float32))
    rois = numpy.array([[10, 10, 12, 12], [0, 0, 3, 3]], numpy.float32)
    y = roi_max_align_2d(x, rois, numpy.zeros(2, numpy.int32), 2, 1.0)
    assert numpy.isneginf(y.array[0]).all() and numpy.isfinite(y.array[1]).all()
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert numpy.isfinite(x.grad).all()
    avg = roi_average_align_2d(x.array, rois, numpy.zeros(2, numpy.int32), 2, 1.0)
    numpy.testing.assert_array_equal(avg.array[0], 0)


def test_roi_align_no_rois():
    x = numpy.zeros((1, 2, 4, 4), numpy.float32)
    for f in _FUNCS.values():
        y = f(x, numpy.zeros((0, 4), numpy.float32), numpy.zeros(0, numpy.int32), 2, 1.0)
        assert y.shape == (0, 2, 2, 2)


@pytest.mark.parametrize("kwargs,match", [
    ({"outsize": 0, "spatial_scale": 1.0}, "outsize\\[0\\] must be positive integer"),
    ({"outsize": (2, 2.0), "spatial_scale": 1.0}, "outsize\\[1\\] must be positive integer"),
    ({"outsize": 2, "spatial_scale": -1.0}, "spatial_scale must be a positive float"),
    ({"outsize": 2, "spatial_scale": 1.0, "sampling_ratio": 0},
     "sampling_ratio must be integer >= 1"),
])
def test_roi_align_argument_errors(kwargs, match):
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    rois, idx = numpy.zeros((1, 4), numpy.float32), numpy.zeros(1, numpy.int32)
    for f in _FUNCS.values():
        with pytest.raises(TypeError, match=match):
            f(x, rois, idx, **kwargs)


@pytest.mark.parametrize("x_dtype,r_dtype,i_dtype,expect", [
    (numpy.float64, numpy.float32, numpy.int32, "x.dtype == <class 'numpy.float32'>"),
    (numpy.float32, numpy.float64, numpy.int32, "rois.dtype == <class 'numpy.float32'>"),
    (numpy.float32, numpy.float32, numpy.int64, "roi_indices.dtype == <class 'numpy.int32'>"),
])
def test_roi_align_type_errors(x_dtype, r_dtype, i_dtype, expect):
    x = numpy.zeros((1, 1, 4, 4), x_dtype)
    rois, idx = numpy.zeros((1, 4), r_dtype), numpy.zeros(1, i_dtype)
    for name, f in (("ROIAverageAlign2D", roi_average_align_2d),
                    ("ROIMaxAlign2D", roi_max_align_2d)):
        with pytest.raises(InvalidType) as e:
            f(x, rois, idx, 2, 1.0)
        assert f"{name} (Forward)" in str(e.value)
        assert expect in str(e.value)
