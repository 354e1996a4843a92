"""reshape, transpose, broadcast_to, broadcast, expand_dims, squeeze, swapaxes, flatten,
rollaxis, moveaxis, flip, fliplr, flipud, tile, repeat, cast, diagonal, as_strided."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

# name: (function of a Variable, NumPy reference, input shape)
CASES = {
    "reshape": (lambda x: F.reshape(x, (4, -1)), lambda x: x.reshape(4, -1), (2, 3, 4)),
    "transpose": (lambda x: F.transpose(x, (2, 0, 1)), lambda x: x.transpose(2, 0, 1),
                  (2, 3, 4)),
    "transpose_none": (F.transpose, numpy.transpose, (2, 3, 4)),
    "transpose_neg": (lambda x: F.transpose(x, (-1, 0, 1)), lambda x: x.transpose(2, 0, 1),
                      (2, 3, 4)),
    "broadcast_to": (lambda x: F.broadcast_to(x, (2, 3, 4)),
                     lambda x: numpy.broadcast_to(x, (2, 3, 4)), (3, 1)),
    "expand_dims": (lambda x: F.expand_dims(x, 1), lambda x: numpy.expand_dims(x, 1),
                    (2, 3)),
    "expand_dims_neg": (lambda x: F.expand_dims(x, -1), lambda x: x[..., None], (2, 3)),
    "squeeze": (F.squeeze, numpy.squeeze, (1, 3, 1)),
    "squeeze_axis": (lambda x: F.squeeze(x, (0, 2)), lambda x: x.squeeze((0, 2)),
                     (1, 3, 1, 1)),
    "swapaxes": (lambda x: F.swapaxes(x, 0, -1), lambda x: x.swapaxes(0, -1), (2, 3, 4)),
    "flatten": (F.flatten, numpy.ravel, (2, 3)),
    "rollaxis": (lambda x: F.rollaxis(x, 2, 1), lambda x: numpy.rollaxis(x, 2, 1),
                 (2, 3, 4)),
    "rollaxis_end": (lambda x: F.rollaxis(x, 0, 3), lambda x: numpy.rollaxis(x, 0, 3),
                     (2, 3, 4)),
    "moveaxis": (lambda x: F.moveaxis(x, (0, 1), (2, 0)),
                 lambda x: numpy.moveaxis(x, (0, 1), (2, 0)), (2, 3, 4)),
    "flip": (lambda x: F.flip(x, -1), lambda x: numpy.flip(x, -1), (2, 3)),
    "fliplr": (F.fliplr, numpy.fliplr, (2, 3)),
    "flipud": (F.flipud, numpy.flipud, (2, 3)),
    "tile": (lambda x: F.tile(x, (2, 1, 3)), lambda x: numpy.tile(x, (2, 1, 3)), (2, 3)),
    "tile_int": (lambda x: F.tile(x, 2), lambda x: numpy.tile(x, 2), (2, 3)),
    "repeat": (lambda x: F.repeat(x, 2, axis=1), lambda x: numpy.repeat(x, 2, 1), (2, 3)),
    "repeat_none": (lambda x: F.repeat(x, 2), lambda x: numpy.repeat(x, 2), (2, 3)),
    "repeat_tuple": (lambda x: F.repeat(x, (1, 0, 2), axis=1),
                     lambda x: numpy.repeat(x, (1, 0, 2), 1), (2, 3)),
    "diagonal": (lambda x: F.diagonal(x, 1, 2, 0), lambda x: numpy.diagonal(x, 1, 2, 0),
                 (3, 2, 4)),
    "as_strided": (lambda x: F.as_strided(x, (3, 2), (1, 2)),
                   lambda x: numpy.lib.stride_tricks.as_strided(
                       x.ravel(), (3, 2), (x.itemsize, 2 * x.itemsize)).copy(), (6,)),
}


@testing.parameterize(*testing.product({
    "name": sorted(CASES),
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestShapeOps(testing.FunctionTestCase):
    def setUp(self):
        self.func, self.ref, self.shape = CASES[self.name]
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return (self.func(inputs[0]),)

    def forward_expected(self, inputs):
        return (numpy.asarray(self.ref(inputs[0])),)


class TestBroadcast(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 1)), numpy.random.uniform(-1, 1, (3,))

    def forward(self, inputs, device):
        return F.broadcast(*inputs)

    def forward_expected(self, inputs):
        return tuple(numpy.broadcast_arrays(*inputs))


def test_broadcast_single_input_returns_variable():
    y = F.broadcast(numpy.ones(2))
    assert isinstance(y, kusari.Variable)


def test_broadcast_to_incompatible_shape():
    with pytest.raises(InvalidType):
        F.broadcast_to(numpy.zeros((2, 3), numpy.float32), (3, 3))


def test_reshape_errors():
    with pytest.raises(InvalidType, match="Reshape"):
        F.reshape(numpy.zeros(6, numpy.float32), (4, 2))
    with pytest.raises(ValueError):
        F.reshape(numpy.zeros(6, numpy.float32), (-1, -1))


def test_reshape_to_same_shape_returns_input_variable():
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    assert F.reshape(x, (2, 3)) is x


def test_transpose_wrong_axes_length():
    with pytest.raises(InvalidType, match="Transpose"):
        F.transpose(numpy.zeros((2, 3), numpy.float32), (0, 1, 2))


def test_expand_dims_out_of_range():
    with pytest.raises(InvalidType) as e:
        F.expand_dims(numpy.zeros((2, 3)), -4)
    assert "ExpandDims (Forward)" in str(e.value)
    assert "x.ndim >= 3" in str(e.value)
    with pytest.raises(InvalidType, match="x.ndim >= 4"):
        F.expand_dims(numpy.zeros((2, 3)), 4)


def test_squeeze_errors():
    with pytest.raises(ValueError, match="size not equal to one"):
        F.squeeze(numpy.zeros((1, 2, 1)), axis=1)
    with pytest.raises(InvalidType, match="Squeeze"):
        F.squeeze(numpy.zeros((1, 2, 1)), axis=3)
    with pytest.raises(TypeError):
        F.squeeze(numpy.zeros((1, 2, 1)), axis=[0])
    assert F.squeeze(numpy.zeros((1, 1))).shape == ()


def test_swapaxes_out_of_range():
    with pytest.raises(numpy.exceptions.AxisError):
        F.swapaxes(numpy.zeros((2, 3)), 0, 3)


def test_flip_family_errors():
    with pytest.raises(InvalidType, match="x.ndim > 2"):
        F.flip(numpy.zeros((2, 3)), 2)
    with pytest.raises(TypeError):
        F.flip(numpy.zeros((2, 3)), (0, 1))
    with pytest.raises(InvalidType, match="FlipLR"):
        F.fliplr(numpy.zeros(2))
    with pytest.raises(InvalidType, match="FlipUD"):
        F.flipud(numpy.zeros(()))


def test_rollaxis_moveaxis_errors():
    with pytest.raises(InvalidType, match="Rollaxis"):
        F.rollaxis(numpy.zeros((2, 3, 4)), 3)
    with pytest.raises(InvalidType, match="Moveaxis"):
        F.moveaxis(numpy.zeros((2, 3, 4)), 5, 1)
    with pytest.raises(ValueError):
        F.moveaxis(numpy.zeros((2, 3, 4)), (0, 1), (1,))


def test_tile_repeat_argument_errors():
    x = numpy.zeros((2, 3))
    with pytest.raises(ValueError):
        F.tile(x, -1)
    with pytest.raises(TypeError):
        F.tile(x, 1.5)
    with pytest.raises(TypeError):
        F.repeat(x, [1, 2], axis=0)
    with pytest.raises(ValueError):
        F.repeat(x, -1)


def test_as_strided_out_of_buffer():
    with pytest.raises(ValueError, match="Out of buffer"):
        F.as_strided(numpy.arange(6, dtype=numpy.float32), (2, 2), (8, 4))


@pytest.mark.parametrize("src,dst", [
    (numpy.float32, numpy.float16), (numpy.float16, numpy.float64),
    (numpy.float64, numpy.float32),
])
def test_cast_gradient_is_cast_back(src, dst):
    x = kusari.Variable(numpy.ones(3, src))
    y = F.cast(x, dst)
    assert y.dtype == dst
    y.grad = numpy.full(3, 2, dst)
    y.backward()
    assert x.grad.dtype == src
    numpy.testing.assert_array_equal(x.grad, [2, 2, 2])


def test_cast_same_dtype_and_int_input():
    x = kusari.Variable(numpy.ones(3, numpy.float32))
    assert F.cast(x, numpy.float32) is x
    assert F.cast(x, "f") is x
    assert F.cast(numpy.ones(2, numpy.int32), numpy.float32).dtype == numpy.float32


class TestCastDoubleBackward(testing.FunctionTestCase):
    # the output is float32: computing the numerical side in float64 would feed float64
    # output gradients to it, so keep each array's own dtype
    numerical_grad_dtype = None
    check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
    check_double_backward_options = {"atol": 1e-2, "rtol": 1e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3,)),)

    def forward(self, inputs, device):
        return (F.cast(inputs[0], numpy.float32) * 2.0,)

    def forward_expected(self, inputs):
        return ((inputs[0] * 2).astype(numpy.float32),)
