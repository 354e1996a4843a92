"""spatial_transformer_sampler: forward against a per-pixel reference, gradients, errors."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _sampler_reference(x, grid):
    n, c, h, w = x.shape
    xp = numpy.pad(x.astype(numpy.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = numpy.zeros((n, c) + grid.shape[2:])
    for b in range(n):
        for i in range(grid.shape[2]):
            for j in range(grid.shape[3]):
                u = min(max((grid[b, 0, i, j] + 1) * (w - 1) / 2 + 1, 0), w + 1)
                v = min(max((grid[b, 1, i, j] + 1) * (h - 1) / 2 + 1, 0), h + 1)
                u0, v0 = min(int(numpy.floor(u)), w), min(int(numpy.floor(v)), h)
                fu, fv = u - u0, v - v0
                y[b, :, i, j] = ((1 - fv) * (1 - fu) * xp[b, :, v0, u0]
                                 + (1 - fv) * fu * xp[b, :, v0, u0 + 1]
                                 + fv * (1 - fu) * xp[b, :, v0 + 1, u0]
                                 + fv * fu * xp[b, :, v0 + 1, u0 + 1])
    return y.astype(x.dtype)


@testing.parameterize(*testing.product({
    "shapes": [((2, 3, 4, 5), (3, 2)), ((1, 2, 1, 3), (2, 2)), ((2, 1, 3, 3), (1, 4))],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSpatialTransformerSampler(testing.FunctionTestCase):
    # Chainer's sampler is a legacy Function: no double backprop
    skip_double_backward_test = True
    dodge_nondifferentiable = True

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        x_shape, out_hw = self.shapes
        x = numpy.random.uniform(-1, 1, x_shape).astype(self.dtype)
        # points inside, near and beyond the border (zero padding); the kinks at pixel
        # centres and at the padding edge are dodged by the test base
        grid = numpy.random.uniform(-1.3, 1.3, (x_shape[0], 2) + out_hw).astype(self.dtype)
        return x, grid

    def forward(self, inputs, device):
        return (F.spatial_transformer_sampler(*inputs),)

    def forward_expected(self, inputs):
        return (_sampler_reference(*inputs),)


def test_sampler_with_grid_matches_affine_warp():
    # identity transform reproduces the image; a horizontal flip reverses the columns
    x = numpy.random.uniform(-1, 1, (2, 3, 4, 5)).astype(numpy.float64)
    eye = numpy.tile(numpy.array([[1.0, 0, 0], [0, 1, 0]]), (2, 1, 1))
    y = F.spatial_transformer_sampler(x, F.spatial_transformer_grid(eye, (4, 5)))
    numpy.testing.assert_allclose(y.array, x, atol=1e-12)
    flip = numpy.tile(numpy.array([[-1.0, 0, 0], [0, 1, 0]]), (2, 1, 1))
    y = F.spatial_transformer_sampler(x, F.spatial_transformer_grid(flip, (4, 5)))
    numpy.testing.assert_allclose(y.array, x[..., ::-1], atol=1e-12)


def test_sampler_outside_is_zero_with_zero_grid_gradient():
    x = kusari.Variable(numpy.ones((1, 1, 3, 3)))
    grid = kusari.Variable(numpy.full((1, 2, 1, 2), 3.0))
    y = F.spatial_transformer_sampler(x, grid)
    numpy.testing.assert_array_equal(y.array, 0)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    numpy.testing.assert_array_equal(grid.grad, 0)
    numpy.testing.assert_array_equal(x.grad, 0)


def test_sampler_gradient_has_no_graph():
    x = kusari.Variable(numpy.random.uniform(-1, 1, (1, 1, 3, 3)))
    grid = kusari.Variable(numpy.random.uniform(-0.9, 0.9, (1, 2, 2, 2)))
    y = F.spatial_transformer_sampler(x, grid)
    y.grad = numpy.ones_like(y.array)
    y.backward(enable_double_backprop=True)
    assert x.grad_var.creator is None and grid.grad_var.creator is None


def test_sampler_dtype_mismatch():
    with pytest.raises(InvalidType) as e:
        F.spatial_transformer_sampler(numpy.zeros((1, 1, 2, 2), numpy.float32),
                                      numpy.zeros((1, 2, 2, 2), numpy.float64))
    assert "SpatialTransformerSampler (Forward)" in str(e.value)
    assert "grid.dtype == x.dtype" in str(e.value)


@pytest.mark.parametrize("x_shape,g_shape,expect", [
    ((1, 1, 2, 2), (1, 3, 2, 2), "grid.shape[1] == 2"),
    ((2, 1, 2, 2), (1, 2, 2, 2), "x.shape[0] == grid.shape[0]"),
    ((1, 2, 2), (1, 2, 2, 2), "x.ndim == 4"),
])
def test_sampler_bad_shapes(x_shape, g_shape, expect):
    with pytest.raises(InvalidType) as e:
        F.spatial_transformer_sampler(numpy.zeros(x_shape, numpy.float32),
                                      numpy.zeros(g_shape, numpy.float32))
    assert expect in str(e.value)


def test_sampler_int_input():
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.spatial_transformer_sampler(numpy.zeros((1, 1, 2, 2), numpy.int32),
                                      numpy.zeros((1, 2, 2, 2), numpy.int32))


def test_sampler_kwargs():
    x, g = numpy.zeros((1, 1, 2, 2), numpy.float32), numpy.zeros((1, 2, 2, 2), numpy.float32)
    with pytest.raises(ValueError, match="use_cudnn"):
        F.spatial_transformer_sampler(x, g, use_cudnn=False)
    with pytest.raises(TypeError):
        F.spatial_transformer_sampler(x, g, bar=1)
