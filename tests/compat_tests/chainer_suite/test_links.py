import unittest

import numpy

from chainer import initializers
from chainer import testing
from chainer.testing import attr
from chainer.testing import condition
import chainer.links as L


class LinearTestBase(object):

    param_names = ('W', 'b')

    def setUp(self):
        self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def generate_params(self):
        initialW = numpy.random.uniform(
            -1, 1, (self.out_size, self.in_size)).astype(numpy.float32)
        initial_bias = numpy.random.uniform(
            -1, 1, (self.out_size,)).astype(numpy.float32)
        return initialW, initial_bias

    def generate_inputs(self):
        x = numpy.random.uniform(
            -1, 1, (self.batch, self.in_size)).astype(numpy.float32)
        return x,

    def create_link(self, initializers):
        initialW, initial_bias = initializers
        return L.Linear(
            self.in_size, self.out_size,
            initialW=initialW, initial_bias=initial_bias)


@testing.parameterize(*testing.product({
    'in_size': [2, 3],
    'out_size': [4],
    'batch': [1, 5],
}))
@testing.inject_backend_tests(
    None, [{}, {'use_cuda': True}, {'use_cuda': True, 'cuda_device': 1}])
class TestLinear(LinearTestBase, testing.LinkTestCase):

    def forward_expected(self, link, inputs):
        x, = inputs
        W = link.W.array
        b = link.b.array
        return x.dot(W.T) + b,


@testing.parameterize(*testing.product({
    'in_size': [3],
    'out_size': [2],
    'batch': [2],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLinearInitializers(LinearTestBase, testing.LinkInitializersTestCase):

    def get_initializers(self):
        initialW = [initializers.Constant(1), 2]
        initial_bias = [initializers.Constant(2), 3,
                        testing.InitializerArgument(None, 0)]
        return initialW, initial_bias


class TestLinearLazy(unittest.TestCase):

    def setUp(self):
        self.link = L.Linear(None, 3)

    def test_lazy_init(self):
        assert self.link.W.array is None
        self.link(numpy.ones((2, 5), numpy.float32))
        assert self.link.W.shape == (3, 5)

    @attr.gpu
    def test_to_gpu(self):
        self.link.to_gpu()
        y = self.link(self.link.xp.ones((2, 5), numpy.float32))
        assert isinstance(y.array, self.link.xp.ndarray)

    def test_serialize(self):
        self.link(numpy.ones((2, 5), numpy.float32))
        dst = L.Linear(5, 3)
        testing.save_and_load_npz(self.link, dst)
        numpy.testing.assert_array_equal(dst.W.array, self.link.W.array)


class TestInitializerStatistics(unittest.TestCase):

    @testing.fix_random()
    @condition.retry(3)
    def test_normal_mean(self):
        # statistical: may fail by bad luck, hence retry
        link = L.Linear(100, 100, initialW=initializers.Normal(1.0))
        assert abs(float(link.W.array.mean())) < 0.03

    @attr.slow
    @condition.repeat(2)
    def test_uniform_range(self):
        link = L.Linear(50, 50, initialW=initializers.Uniform(0.1))
        assert float(abs(link.W.array).max()) <= 0.1


testing.run_module(__name__, __file__)
