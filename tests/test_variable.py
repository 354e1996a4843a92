import copy
import pickle

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import Parameter, Variable, initializers


def arr(*shape, dtype=numpy.float32):
    return numpy.random.uniform(-1, 1, shape).astype(dtype)


def test_attributes():
    a = arr(2, 3)
    x = Variable(a, name="x")
    assert x.array is a and x.data is a
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.dtype == numpy.float32
    assert len(x) == 2
    assert x.name == "x" and x.requires_grad
    assert x.grad is None and x.grad_var is None
    assert x.creator is None and x.creator_node is None
    assert x.xp is numpy


def test_rejects_non_arrays():
    with pytest.raises(TypeError, match="numpy.ndarray or cupy.ndarray"):
        Variable([1, 2, 3])
    with pytest.raises(TypeError):
        Variable(3.0)


def test_grad_setter_checks_shape_and_dtype():
    x = Variable(arr(2, 3))
    with pytest.raises(ValueError, match="shape"):
        x.grad = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(TypeError, match="dtype"):
        x.grad = numpy.zeros((2, 3), numpy.float64)
    g = numpy.ones((2, 3), numpy.float32)
    x.grad = g
    assert x.grad is g
    assert isinstance(x.grad_var, Variable)


def test_repr_and_str():
    x = Variable(numpy.array([[1.0, 2.0]], numpy.float32))
    assert repr(x) == "variable([[1., 2.]])"
    assert str(x) == "variable([[1. 2.]])"
    x.name = "w"
    assert repr(x).startswith("variable w(")


def test_cleargrad_and_zerograd():
    x = Variable(arr(3))
    x.zerograd()
    assert (x.grad == 0).all()
    g = x.grad
    x.zerograd()
    assert x.grad is g  # reused: the array is owned by x
    x.cleargrad()
    assert x.grad is None


def test_backward_simple_and_accumulates():
    a = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    x = Variable(a)
    y = F.sum(x * x)
    y.backward()
    numpy.testing.assert_allclose(x.grad, 2 * a)
    assert y.grad is not None and float(y.grad) == 1.0
    y2 = F.sum(x * 3.0)
    y2.backward()
    numpy.testing.assert_allclose(x.grad, 2 * a + 3)


def test_backward_non_scalar_needs_grad():
    x = Variable(arr(3))
    y = x * 2
    with pytest.raises(TypeError, match="must be set"):
        y.backward()
    y.grad = numpy.ones(3, numpy.float32)
    y.backward()
    numpy.testing.assert_allclose(x.grad, 2 * numpy.ones(3))


def test_shared_gradient_is_not_corrupted_by_accumulation():
    # add's backward returns the same gradient for both inputs; accumulating
    # into one leaf must not modify the other's gradient
    x = Variable(numpy.ones(3, numpy.float32))
    w = Variable(numpy.ones(3, numpy.float32))
    y = x + w
    z = y * 1.0 + x
    F.sum(z).backward()
    numpy.testing.assert_allclose(x.grad, [2, 2, 2])
    numpy.testing.assert_allclose(w.grad, [1, 1, 1])


def test_retain_grad():
    x = Variable(arr(3))
    h = x * 2
    y = F.sum(h * h)
    y.backward()
    assert h.grad is None
    h2 = x * 2
    y2 = F.sum(h2 ** 2)
    y2.backward(retain_grad=True)
    numpy.testing.assert_allclose(h2.grad, 2 * h2.array, rtol=1e-6)


def test_requires_grad_false():
    x = Variable(arr(3), requires_grad=False)
    w = Variable(arr(3))
    F.sum(x * w).backward()
    assert x.grad is None
    numpy.testing.assert_allclose(w.grad, x.array)


def test_unchain_and_unchain_backward():
    x = Variable(arr(3))
    h = x * 2
    y = h * 3
    h.unchain()
    assert h.creator is None
    F.sum(y).backward()
    assert x.grad is None
    x2 = Variable(arr(3))
    h2 = x2 * 2
    y2 = h2 * 3
    y2.unchain_backward()  # as in Chainer: every node behind y2 becomes a leaf
    assert y2.creator_node is None and h2.creator_node is None


def test_reshape_transpose_T_getitem():
    a = arr(2, 3)
    x = Variable(a)
    assert x.reshape(3, 2).shape == (3, 2)
    assert x.reshape((6,)).shape == (6,)
    assert x.T.shape == (3, 2)
    assert x.transpose(1, 0).shape == (3, 2)
    numpy.testing.assert_array_equal(x[1].array, a[1])
    numpy.testing.assert_array_equal(x[:, ::-1].array, a[:, ::-1])


def test_operators_with_scalars_arrays_and_reflected():
    a = numpy.array([1.0, 2.0], numpy.float32)
    x = Variable(a)
    c = numpy.array([3.0, 4.0], numpy.float32)
    cases = [
        (x + 1, a + 1), (1 + x, 1 + a), (x - 1, a - 1), (1 - x, 1 - a), (x * 2, a * 2),
        (2 * x, 2 * a), (x / 2, a / 2), (2 / x, 2 / a), (x ** 2, a ** 2), (2 ** x, 2 ** a),
        (-x, -a), (abs(-x), a), (x + c, a + c), (c + x, c + a), (c - x, c - a),
        (c * x, c * a), (c / x, c / a), (x ** x, a ** a),
    ]
    for v, e in cases:
        assert v.dtype == numpy.float32
        numpy.testing.assert_allclose(v.array, e, rtol=1e-6)
    m = Variable(arr(2, 3))
    n = arr(3, 4)
    numpy.testing.assert_allclose((m @ n).array, m.array @ n, rtol=1e-5)
    numpy.testing.assert_allclose((n.T @ m.T).array, n.T @ m.array.T, rtol=1e-5)


def test_comparison_is_not_supported():
    x = Variable(arr(2))
    with pytest.raises(NotImplementedError):
        x < x  # noqa: B015
    with pytest.raises(NotImplementedError):
        x == x  # noqa: B015


def test_copy_deepcopy_and_pickle_drop_graph():
    x = Variable(arr(3), name="x")
    y = x * 2
    for z in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        numpy.testing.assert_array_equal(z.array, y.array)
        assert z.creator is None
    s = copy.copy(x)
    assert s.array is x.array and s.name == "x"


def test_parameter_lazy_and_eager():
    p = Parameter(initializers.Constant(2.0), (2, 3))
    assert p.shape == (2, 3) and (p.array == 2).all()
    q = Parameter(initializers.Zero())
    assert q.array is None and not q.is_initialized
    q.zerograd()
    q.initialize((4,))
    assert q.shape == (4,) and (q.grad == 0).all()
    a = numpy.ones((2,), numpy.float32)
    r = Parameter(a)
    assert r.array is a
    s = Parameter(3.0, (2,))
    assert (s.array == 3).all()
    assert Parameter(shape=(1,)).array.dtype == numpy.float32
    assert numpy.isnan(Parameter(shape=(1,)).array).all()


def test_as_variable_and_as_array():
    a = arr(2)
    v = kusari.as_variable(a)
    assert isinstance(v, Variable) and not v.requires_grad and v.array is a
    assert kusari.as_variable(v) is v
    assert kusari.as_array(v) is a and kusari.as_array(a) is a


def test_node_holds_data_only_when_retained():
    x = Variable(arr(3))
    y = F.relu(x)  # relu retains its output, not its input
    assert x.node.data is None
    assert y.node.data is y.array
    z = x * 2  # MulConstant retains nothing
    assert z.node.data is None


def test_forward_arrays_freed_when_variables_dropped():
    import gc
    import weakref

    x = Variable(arr(100))
    h = x * 2.0  # nothing retained
    ref = weakref.ref(h.array) if hasattr(h.array, "__weakref__") else None
    y = F.sum(h * 3.0)
    del h
    gc.collect()
    if ref is not None:
        assert ref() is None
    y.backward()
    numpy.testing.assert_allclose(x.grad, numpy.full(100, 6.0), rtol=1e-6)


def test_backward_from_several_outputs_like_chainer():
    import warnings

    x = kusari.Variable(numpy.array([1.0, 2.0]))
    y, z = x * 2, x * x
    kusari.backward([y, z], [numpy.ones(2), None])  # a None gradient is skipped
    numpy.testing.assert_array_equal(x.grad, [2.0, 2.0])
    x.cleargrad()
    y, z = x * 2, x * x
    y.grad = numpy.full(2, 3.0)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        kusari.backward([y, z])  # grad_var of each output; z has none: a warning
    assert y.grad_var is None  # taken and cleared, as Chainer does
    assert any("without grad" in str(m.message) for m in w)
    numpy.testing.assert_array_equal(x.grad, [6.0, 6.0])
    x.cleargrad()
    kusari.backward([x], [numpy.ones(2)])  # a leaf as an output gets the gradient
    numpy.testing.assert_array_equal(x.grad, [1.0, 1.0])
    x.cleargrad()
    y = x * x
    kusari.backward([y], [numpy.ones(2)], enable_double_backprop=True)
    gx = x.grad_var
    x.cleargrad()
    kusari.backward([gx], [numpy.ones(2)])
    numpy.testing.assert_array_equal(x.grad, [2.0, 2.0])  # d(2x)/dx
    with pytest.raises(TypeError, match="tuple or a list"):
        kusari.backward(y)
    with pytest.raises(TypeError, match="must be a Variable"):
        kusari.backward([numpy.ones(2)])
    with pytest.raises(ValueError, match="same length"):
        kusari.backward([y], [])
    with pytest.raises(ValueError, match="loss_scale"):
        kusari.backward([y], loss_scale=2.0)
    with pytest.raises(ValueError, match="retain_grad"):
        kusari.backward([y], retain_grad=True)


def test_chainer_top_level_names():
    assert kusari.get_cpu_array_types() == (numpy.ndarray,)
    assert kusari.should_use_cudnn("==always") is False
    with pytest.raises(ValueError, match="cuDNN use level"):
        kusari.should_use_cudnn("auto")
    with kusari.using_config("use_cudnn_tensor_core", "always"):
        assert kusari.should_use_cudnn_tensor_core(numpy.float16) is True
    with kusari.using_config("use_cudnn_tensor_core", "sometimes"):
        with pytest.raises(ValueError, match="use_cudnn_tensor_core"):
            kusari.should_use_cudnn_tensor_core(numpy.float16)
    assert kusari.Initializer is kusari.initializers.Initializer
    assert kusari.DeviceResident is kusari.backend.DeviceResident
    assert kusari.disable_experimental_feature_warning is False
