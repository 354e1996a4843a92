"""spatial_transformer_grid: forward against NumPy, gradients, type errors, kwargs."""

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


@testing.parameterize(*testing.product({
    "output_shape": [(5, 6), (1, 1), (2, 1)],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSpatialTransformerGrid(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 5e-3, "rtol": 5e-3}
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3, 2, 3)).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.spatial_transformer_grid(inputs[0], self.output_shape),)

    def forward_expected(self, inputs):
        theta, = inputs
        h, w = self.output_shape
        ys = numpy.linspace(-1, 1, h)
        xs = numpy.linspace(-1, 1, w)
        grid = numpy.empty((theta.shape[0], 2, h, w))
        for i in range(h):
            for j in range(w):
                grid[:, :, i, j] = theta.astype(numpy.float64) @ [xs[j], ys[i], 1.0]
        return (grid.astype(self.dtype),)


def test_spatial_transformer_grid_identity():
    theta = numpy.array([[[1, 0, 0], [0, 1, 0]]], numpy.float32)
    grid = F.spatial_transformer_grid(theta, (3, 2)).array
    numpy.testing.assert_allclose(grid[0, 0], [[-1, 1]] * 3)
    numpy.testing.assert_allclose(grid[0, 1], [[-1, -1], [0, 0], [1, 1]])


def test_spatial_transformer_grid_int_theta():
    with pytest.raises(InvalidType) as e:
        F.spatial_transformer_grid(numpy.zeros((1, 2, 3), numpy.int32), (2, 2))
    assert "SpatialTransformerGrid (Forward)" in str(e.value)
    assert "theta.dtype.kind == f" in str(e.value)


@pytest.mark.parametrize("shape,expect", [((1, 3, 3), "theta.shape[1] == 2"),
                                          ((1, 2, 2), "theta.shape[2] == 3"),
                                          ((2, 3), "theta.ndim == 3")])
def test_spatial_transformer_grid_bad_shape(shape, expect):
    with pytest.raises(InvalidType) as e:
        F.spatial_transformer_grid(numpy.zeros(shape, numpy.float32), (2, 2))
    assert expect in str(e.value)


def test_spatial_transformer_grid_kwargs():
    theta = numpy.zeros((1, 2, 3), numpy.float32)
    with pytest.raises(ValueError, match="use_cudnn"):
        F.spatial_transformer_grid(theta, (2, 2), use_cudnn=True)
    with pytest.raises(TypeError, match="foo"):
        F.spatial_transformer_grid(theta, (2, 2), foo=1)
