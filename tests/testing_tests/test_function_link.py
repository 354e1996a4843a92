"""FunctionTestCase / LinkTestCase / LinkInitializersTestCase catch what they should."""

import numpy
import pytest

from kusari.testing.array import _as_noncontiguous_array
from tests.testing_tests._util import make_module, run_module

HEADER = """
import unittest
import numpy
import kusari
import kusari.functions as F
import kusari.links as L
from kusari import testing, initializers
"""


def _run(*sources):
    return run_module(make_module(HEADER, *sources))


def test_correct_function_passes_on_every_config():
    out = _run("""
        seen = []

        @testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
        class TestTanh(testing.FunctionTestCase):
            def generate_inputs(self):
                return numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32),

            def forward(self, inputs, device):
                x, = inputs
                seen.append(x.array.flags.c_contiguous)
                return F.tanh(x),

            def forward_expected(self, inputs):
                return numpy.tanh(inputs[0]),
    """)
    assert out["run"] == 6 and not out["failures"], out["failures"]


def test_bare_function_test_case_runs_on_the_test_device():
    mod = make_module(HEADER, """
        devices = []

        class TestExp(testing.FunctionTestCase):
            contiguous = 'C'
            check_forward_options = {'atol': 1e-6}

            def generate_inputs(self):
                return numpy.random.uniform(-1, 1, (2,)).astype(numpy.float64),

            def forward(self, inputs, device):
                devices.append((device, inputs[0].array.flags.c_contiguous))
                return F.exp(inputs[0]),

            def forward_expected(self, inputs):
                return numpy.exp(inputs[0]),
    """)
    out = run_module(mod)
    assert out["run"] == 3 and not out["failures"], out["failures"]
    assert {d for d, _ in mod.devices} == {kusari_numpy_device()}
    assert all(c for _, c in mod.devices)


def kusari_numpy_device():
    import kusari

    return kusari.get_device("@numpy")


def test_inputs_are_non_contiguous_by_default():
    mod = make_module(HEADER, """
        flags = []

        class TestC(testing.FunctionTestCase):
            skip_backward_test = True
            skip_double_backward_test = True

            def generate_inputs(self):
                return numpy.ones((2, 3), numpy.float32),

            def forward(self, inputs, device):
                flags.append(inputs[0].array.flags.c_contiguous)
                return inputs[0] * 1,

            def forward_expected(self, inputs):
                return inputs[0].copy(),
    """)
    out = run_module(mod)
    assert not out["failures"] and mod.flags == [False]
    assert len(out["skipped"]) == 2 and "skip_backward_test is set" in out["skipped"][0][1]


def test_wrong_backward_is_reported():
    out = _run("""
        class BadSquare(kusari.FunctionNode):
            def forward(self, inputs):
                self.retain_inputs((0,))
                return inputs[0] ** 2,

            def backward(self, indexes, grad_outputs):
                x, = self.get_retained_inputs()
                return 3 * x * grad_outputs[0],  # should be 2 * x

        class TestBad(testing.FunctionTestCase):
            skip_double_backward_test = True

            def generate_inputs(self):
                return numpy.random.uniform(0.5, 1, (3,)).astype(numpy.float64),

            def forward(self, inputs, device):
                return BadSquare().apply(inputs)

            def forward_expected(self, inputs):
                return inputs[0] ** 2,
    """)
    assert len(out["failures"]) == 1
    test, text = out["failures"][0]
    assert "test_backward" in str(test)
    assert "FunctionTestError: backward is not implemented correctly" in text


def test_wrong_forward_shape_dtype_and_values_are_reported():
    out = _run("""
        @testing.parameterize(
            {'mode': 'value'}, {'mode': 'dtype'}, {'mode': 'count'})
        class TestWrong(testing.FunctionTestCase):
            skip_backward_test = True
            skip_double_backward_test = True

            def generate_inputs(self):
                return numpy.arange(1, 5, dtype=numpy.float32),

            def forward(self, inputs, device):
                return inputs[0] * 2,

            def forward_expected(self, inputs):
                x = inputs[0]
                if self.mode == 'value':
                    return x * 3,
                if self.mode == 'dtype':
                    return (x * 2).astype(numpy.float64),
                return x * 2, x * 2
    """)
    texts = sorted(t for _, t in out["failures"])
    assert len(texts) == 3
    assert any("Outputs do not match the expected values" in t for t in texts)
    assert any("Shapes and/or dtypes do not match" in t for t in texts)
    assert any("Number of outputs (1, 2) does not match" in t for t in texts)


def test_input_modification_is_reported():
    out = _run("""
        class Mutating(kusari.FunctionNode):
            def forward(self, inputs):
                inputs[0][...] = 0
                return inputs[0].copy(),

        class TestMutate(testing.FunctionTestCase):
            skip_backward_test = True
            skip_double_backward_test = True

            def generate_inputs(self):
                return numpy.ones(3, numpy.float32),

            def forward(self, inputs, device):
                return Mutating().apply(inputs)

            def forward_expected(self, inputs):
                return numpy.zeros(3, numpy.float32),
    """)
    assert len(out["failures"]) == 1
    assert "Input arrays have been modified during forward" in out["failures"][0][1]


def test_forward_must_return_variables_and_inputs_numpy():
    out = _run("""
        class TestNotVariable(testing.FunctionTestCase):
            skip_backward_test = True
            skip_double_backward_test = True

            def generate_inputs(self):
                return numpy.ones(3, numpy.float32),

            def forward(self, inputs, device):
                return inputs[0].array,

            def forward_expected(self, inputs):
                return inputs[0],

        class TestNotNumpy(TestNotVariable):
            def generate_inputs(self):
                return [1.0, 2.0],
    """)
    texts = sorted(t for _, t in out["failures"])
    assert any("forward() must return a tuple of Variables" in t for t in texts)
    assert any("generate_inputs() must return a tuple of NumPy arrays" in t for t in texts)


def test_dodge_nondifferentiable_and_before_test_skip():
    out = _run("""
        class TestAbs(testing.FunctionTestCase):
            dodge_nondifferentiable = True

            def before_test(self, test_name):
                if test_name == 'test_double_backward':
                    raise unittest.SkipTest('no double backward here')

            def generate_inputs(self):
                # half the draws sit on the kink at 0
                x = numpy.random.choice([0.0, 0.5], (1,)).astype(numpy.float64)
                return x,

            def forward(self, inputs, device):
                return F.absolute(inputs[0]),

            def forward_expected(self, inputs):
                return numpy.abs(inputs[0]),
    """)
    assert out["run"] == 3 and not out["failures"], out["failures"]
    assert [s[1] for s in out["skipped"]] == ["no double backward here"]


def test_check_options_are_per_instance():
    mod = make_module(HEADER, """
        class TestOpts(testing.FunctionTestCase):
            check_forward_options = {'atol': 1}
    """)
    a, b = mod.TestOpts("test_forward"), mod.TestOpts("test_forward")
    a.check_forward_options.update(rtol=5)
    assert b.check_forward_options == {"atol": 1}
    assert mod.TestOpts.check_forward_options == {"atol": 1}


LINK_BASE = """
    class LinearBase:
        param_names = ('W', 'b')

        def generate_params(self):
            return (numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32),
                    numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32))

        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (4, 2)).astype(numpy.float32),

        def create_link(self, initializers):
            initialW, initial_bias = initializers
            return L.Linear(2, 3, initialW=initialW, initial_bias=initial_bias)
"""


def test_link_test_case_passes_for_linear():
    out = _run(LINK_BASE, """
        @testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
        class TestLinear(LinearBase, testing.LinkTestCase):
            check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

            def forward_expected(self, link, inputs):
                x, = inputs
                return x.dot(link.W.array.T) + link.b.array,
    """)
    assert out["run"] == 4 and not out["failures"], out["failures"]


def test_link_test_case_catches_wrong_expectations_and_bad_params():
    out = _run(LINK_BASE, """
        class TestWrongExpected(LinearBase, testing.LinkTestCase):
            skip_backward_test = True

            def forward_expected(self, link, inputs):
                x, = inputs
                return x.dot(link.W.array.T),  # forgot the bias

        class TestMissingParam(LinearBase, testing.LinkTestCase):
            skip_forward_test = True
            param_names = ('W', 'gamma')
    """)
    texts = sorted(t for _, t in out["failures"])
    assert len(texts) == 2
    assert any("LinkTestError: Outputs do not match" in t for t in texts)
    assert any("Link does not have a parameter named 'gamma'" in t for t in texts)


def test_link_backward_check_detects_a_wrong_parameter_gradient():
    out = _run("""
        class BadScale(kusari.FunctionNode):
            def forward(self, inputs):
                x, w = inputs
                self.retain_inputs((0, 1))
                return x * w,

            def backward(self, indexes, grad_outputs):
                x, w = self.get_retained_inputs()
                gy, = grad_outputs
                return gy * w, F.sum(gy * x, axis=0) * 2  # gW is doubled

        class Scale(kusari.Link):
            def __init__(self, initialW):
                super().__init__()
                with self.init_scope():
                    self.W = kusari.Parameter(initialW)

            def forward(self, x):
                return BadScale().apply((x, self.W))[0]

        class TestScale(testing.LinkTestCase):
            param_names = ('W',)
            skip_forward_test = True

            def generate_params(self):
                return numpy.random.uniform(0.5, 1, (3,)).astype(numpy.float32),

            def generate_inputs(self):
                return numpy.random.uniform(0.5, 1, (2, 3)).astype(numpy.float32),

            def create_link(self, initializers):
                return Scale(initializers[0])
    """)
    assert len(out["failures"]) == 1
    assert "LinkTestError: backward is not implemented correctly" in out["failures"][0][1]


def test_link_initializers_test_case():
    out = _run(LINK_BASE, """
        class TestInit(LinearBase, testing.LinkInitializersTestCase):
            def get_initializers(self):
                return ([initializers.Constant(1), 2],
                        [initializers.Constant(2), 3,
                         testing.InitializerArgument(None, 0)])

        class BrokenLinear(L.Linear):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.b.array[...] = 7  # ignores initial_bias

        class TestBrokenInit(TestInit):
            def create_link(self, initializers):
                initialW, initial_bias = initializers
                return BrokenLinear(2, 3, initialW=initialW, initial_bias=initial_bias)
    """)
    assert out["run"] == 2 and len(out["failures"]) == 1
    test, text = out["failures"][0]
    assert "TestBrokenInit" in str(test) and "LinkTestError" in text


def test_initializer_argument_validation():
    from kusari import testing

    with pytest.raises(ValueError):
        testing.InitializerArgument(None, None)


def test_noncontiguous_helper():
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    b = _as_noncontiguous_array(a)
    assert not b.flags.c_contiguous and (b == a).all()
    assert _as_noncontiguous_array(numpy.ones(1)).flags.c_contiguous
    x, y = _as_noncontiguous_array((a, None))
    assert y is None and (x == a).all()
