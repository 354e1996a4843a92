import unittest

import numpy

import chainer
from chainer import testing
from chainer.testing import attr
from chainer.utils import type_check
import chainer.functions as F


@testing.parameterize(*testing.product({
    'shape': [(3, 2), ()],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(
    None,
    # CPU tests
    [{}]
    # GPU tests
    + testing.product({
        'use_cuda': [True],
        'use_cudnn': ['never', 'always'],
    }))
class TestSigmoid(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-3, 'rtol': 1e-2}
            self.check_backward_options = {'atol': 1e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 1e-2, 'rtol': 5e-2}

    def generate_inputs(self):
        x = numpy.random.uniform(-.5, .5, self.shape).astype(self.dtype)
        return x,

    def forward(self, inputs, device):
        x, = inputs
        return F.sigmoid(x),

    def forward_expected(self, inputs):
        x, = inputs
        y = 0.5 * numpy.tanh(0.5 * x) + 0.5
        return numpy.asarray(y, dtype=x.dtype),


class Square(chainer.FunctionNode):

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 1)
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f')

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 2 * x * gy,


def square(x):
    return Square().apply((x,))[0]


@testing.parameterize(*testing.product({
    'dtype': [numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestSquare(testing.FunctionTestCase):

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (2, 3)).astype(self.dtype),

    def forward(self, inputs, device):
        x, = inputs
        return square(x),

    def forward_expected(self, inputs):
        x, = inputs
        return x * x,


class TestSquareTypeError(unittest.TestCase):

    def test_int_input(self):
        with self.assertRaises(type_check.InvalidType):
            square(numpy.arange(3, dtype=numpy.int32))


@testing.inject_backend_tests(
    ['test_forward'], [{}, {'use_cuda': True}])
class TestReLUDevice(unittest.TestCase):

    def setUp(self):
        self.x = numpy.array([-1, 0.5, 2], numpy.float32)

    def test_forward(self, backend_config):
        x = backend_config.get_array(self.x)
        with backend_config:
            y = F.relu(x)
        assert backend_config.device == chainer.backend.get_device_from_array(y.array)
        testing.assert_allclose(y.array, [0, 0.5, 2])

    def test_no_backend(self):
        y = F.relu(self.x)
        assert y.array[0] == 0


class TestSumCuda(unittest.TestCase):

    @attr.gpu
    def test_sum_gpu(self):
        import cupy
        x = chainer.Variable(cupy.arange(6, dtype=cupy.float32))
        assert float(F.sum(x).array) == 15

    def test_sum_cpu(self):
        x = chainer.Variable(numpy.arange(6, dtype=numpy.float32))
        assert float(F.sum(x).array) == 15


testing.run_module(__name__, __file__)
