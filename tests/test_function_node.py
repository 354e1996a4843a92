import gc
import threading
import weakref

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import Function, FunctionNode, Variable
from kusari.utils import type_check


def arr(*shape, dtype=numpy.float32):
    return numpy.random.uniform(0.5, 1.5, shape).astype(dtype)


class Record(FunctionNode):
    """Identity that records the order of backward calls and the gradient it got."""

    def __init__(self, log, name):
        self.log, self.name = log, name

    def forward(self, inputs):
        return inputs[0].copy(),

    def backward(self, indexes, grad_outputs):
        self.log.append(self.name)
        self.received = weakref.ref(grad_outputs[0].array)
        return grad_outputs[0] * 1.0,


def test_backward_order_is_by_rank_on_a_diamond():
    log = []
    x = Variable(arr(3))
    a, = Record(log, "a").apply((x,))
    b, = Record(log, "b").apply((a,))
    c, = Record(log, "c").apply((a,))
    d, = Record(log, "d").apply((b,))
    y = F.sum(d + c)
    y.backward()
    # a runs only after both of its consumers (b through d, and c)
    assert log.index("a") > log.index("b") and log.index("a") > log.index("c")
    assert log.index("b") > log.index("d")
    numpy.testing.assert_allclose(x.grad, numpy.full(3, 2.0))


def test_backward_order_on_a_chain_with_a_side_branch():
    # the engine runs a lone pending function without the heap; once a second one is
    # pending, the order is the heap's: decreasing rank, then first scheduled first
    log = []
    x = Variable(arr(3))
    a, = Record(log, "a").apply((x,))
    b, = Record(log, "b").apply((a,))
    c, = Record(log, "c").apply((b,))
    d, = Record(log, "d").apply((x,))
    y = F.sum(c + d)
    y.backward()
    assert log == ["c", "b", "d", "a"]
    numpy.testing.assert_allclose(x.grad, numpy.full(3, 2.0))


def test_intermediate_gradients_are_freed_once_consumed():
    log = []
    nodes = []
    h = Variable(arr(4))
    x = h
    for i in range(4):
        f = Record(log, i)
        nodes.append(f)
        h, = f.apply((h,))
    seen_alive = []

    class Probe(FunctionNode):
        def forward(self, inputs):
            return inputs[0].copy(),

        def backward(self, indexes, grad_outputs):
            gc.collect()
            # the gradient handed to node 2 was consumed two steps earlier
            seen_alive.append(nodes[2].received() is not None)
            return grad_outputs[0] * 1.0,

    z, = Probe().apply((x,))
    # re-route: build the chain on top of the probe
    h = z
    log.clear()
    nodes.clear()
    for i in range(4):
        f = Record(log, i)
        nodes.append(f)
        h, = f.apply((h,))
    F.sum(h).backward()
    assert seen_alive == [False]


def test_grad_function_and_double_backprop():
    x = Variable(numpy.array([2.0, 3.0]))
    y = x ** 3
    gx, = kusari.grad([y], [x], enable_double_backprop=True)
    numpy.testing.assert_allclose(gx.array, 3 * x.array ** 2)
    assert x.grad is None  # grad() leaves .grad alone
    ggx, = kusari.grad([gx], [x])
    numpy.testing.assert_allclose(ggx.array, 6 * x.array)


def test_backward_with_enable_double_backprop():
    x = Variable(numpy.array([1.5]))
    y = F.sum(F.exp(x) * x)
    y.backward(enable_double_backprop=True)
    gx = x.grad_var
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    # d/dx (e^x (x + 1)) = e^x (x + 2)
    numpy.testing.assert_allclose(x.grad, numpy.exp(1.5) * 3.5)


def test_grad_with_intermediate_input_and_grad_inputs():
    x = Variable(numpy.array([1.0, 2.0]))
    h = x * 2.0
    y = F.sum(h * h)
    gh, gx = kusari.grad([y], [h, x], grad_inputs=[None, Variable(numpy.ones(2))])
    numpy.testing.assert_allclose(gh.array, 2 * h.array)
    numpy.testing.assert_allclose(gx.array, 8 * x.array + 1)


def test_retained_outputs_survive_dropping_the_output_variable():
    x = Variable(arr(3))
    y = F.exp(x)  # retains its output
    z = F.sum(y * 1.0)
    del y
    gc.collect()
    z.backward()
    numpy.testing.assert_allclose(x.grad, numpy.exp(x.array), rtol=1e-6)


def test_legacy_function():
    class Square(Function):
        def forward(self, inputs):
            return inputs[0] ** 2,

        def backward(self, inputs, grad_outputs):
            return 2 * inputs[0] * grad_outputs[0],

    x = Variable(numpy.array([3.0], numpy.float32))
    f = Square()
    y = f(x)
    assert y.creator is f
    y.backward()
    numpy.testing.assert_allclose(x.grad, [6.0])


def test_user_node_check_type_forward_message():
    class Needs2D(FunctionNode):
        def check_type_forward(self, in_types):
            type_check.argname(in_types, ("x",))
            type_check.expect(in_types[0].ndim == 2)

        def forward(self, inputs):
            return inputs[0],

    with pytest.raises(type_check.InvalidType) as e:
        Needs2D().apply((arr(3),))
    msg = str(e.value)
    assert "Invalid operation is performed in: Needs2D (Forward)" in msg
    assert "Expect: x.ndim == 2" in msg and "Actual: 1 != 2" in msg


def test_matmul_shape_mismatch_message():
    with pytest.raises(type_check.InvalidType) as e:
        F.matmul(arr(64, 1000), arr(100, 10))
    msg = str(e.value)
    assert "MatMul (Forward)" in msg
    assert "a.shape[-1] == b.shape[-2]" in msg and "1000 != 100" in msg


def test_relu_int_message():
    with pytest.raises(type_check.InvalidType, match=r"ReLU \(Forward\)"):
        F.relu(numpy.zeros(3, numpy.int32))


def test_type_check_can_be_disabled():
    with kusari.using_config("type_check", False):
        y = F.relu(numpy.array([-1, 2], numpy.int32))
    assert y.array.tolist() == [0, 2]


def test_forward_must_return_tuple():
    class Bad(FunctionNode):
        def forward(self, inputs):
            return inputs[0]

    with pytest.raises(TypeError, match="tuple"):
        Bad().apply((arr(2),))


def test_non_array_input_names_function():
    with pytest.raises(TypeError, match="ReLU: input 0"):
        F.relu([1.0, 2.0])


def test_backward_wrong_gradient_shape_is_reported():
    class BadGrad(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, indexes, grad_outputs):
            return Variable(numpy.zeros(5, numpy.float32)),

    x = Variable(arr(3))
    y, = BadGrad().apply((x,))
    with pytest.raises(ValueError, match="BadGrad.backward"):
        F.sum(y).backward()


def test_no_backprop_mode_and_force_backprop_mode():
    x = Variable(arr(2))
    with kusari.no_backprop_mode():
        y = x * 2
        with kusari.force_backprop_mode():
            z = x * 2
    assert y.creator is None and y.requires_grad
    assert z.creator is not None


def test_using_config_is_thread_local():
    seen = []
    with kusari.using_config("train", False):
        t = threading.Thread(target=lambda: seen.append(kusari.config.train))
        t.start()
        t.join()
        assert kusari.config.train is False
    assert seen == [True]
    assert kusari.config.train is True


def test_debug_mode_detects_nan():
    x = Variable(numpy.array([-1.0], numpy.float32))
    with kusari.using_config("debug", True), numpy.errstate(invalid="ignore"):
        with pytest.raises(RuntimeError, match="NaN is detected in forward of log"):
            F.log(x)
    with numpy.errstate(invalid="ignore"):
        y = F.log(x)  # without debug mode NaN passes silently
    assert numpy.isnan(y.array).all()


def test_loss_scale_is_divided_out_by_update_rule():
    import kusari.links as L
    from kusari import optimizers

    numpy.random.seed(0)
    m1 = L.Linear(3, 2)
    m2 = m1.copy("copy")
    x = arr(4, 3)
    o1 = optimizers.SGD(0.1).setup(m1)
    o2 = optimizers.SGD(0.1).setup(m2)
    o1.update(lambda: F.sum(m1(x)))
    loss = F.sum(m2(x))
    m2.cleargrads()
    loss.backward(loss_scale=128.0)
    o2.update()
    numpy.testing.assert_allclose(m1.W.array, m2.W.array, rtol=1e-6)


def test_grad_when_a_target_is_also_an_output():
    x = Variable(numpy.array([1.0, 2.0]))
    g = Variable(numpy.array([0.5, 0.25]))
    gx, = kusari.grad([x * 2.0, x], [x], [None, g])
    numpy.testing.assert_allclose(gx.array, 2.0 + g.array)
    h = x * 3.0
    gh, gx = kusari.grad([h * h, h], [h, x], [None, None])
    numpy.testing.assert_allclose(gh.array, 2 * h.array + 1)
    numpy.testing.assert_allclose(gx.array, 3 * (2 * h.array + 1))


def test_backward_through_indexing():
    x = Variable(numpy.arange(6.0).reshape(2, 3))
    (F.sum(x[0] * 2.0) + F.sum(x[:, [0, 0]])).backward()
    numpy.testing.assert_allclose(x.grad, [[4.0, 2.0, 2.0], [2.0, 0.0, 0.0]])
