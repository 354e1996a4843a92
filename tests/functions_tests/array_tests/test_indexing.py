"""get_item (every index kind), select_item, permutate, scatter_add, where, pad, copy."""

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

SLICES = {
    "int": 1,
    "negative_int": -1,
    "slice": slice(1, None),
    "negative_step": slice(None, None, -2),
    "tuple": (1, slice(None, 2)),
    "ellipsis": (Ellipsis, 0),
    "none": (None, slice(None), None, 1),
    "list": [0, 2, 0],
    "array": numpy.array([[0, 2], [1, 1]]),
    "tuple_with_list": (slice(None), [0, 0, 2]),
    "two_lists": ([0, 2], [1, 3]),
    "bool_mask": numpy.array([True, False, True]),
    "bool_mask_full": "full_mask",
    "empty": slice(3, 3),
}


@testing.parameterize(*testing.product({
    "name": sorted(SLICES),
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestGetItem(testing.FunctionTestCase):
    def setUp(self):
        self.slices = SLICES[self.name]
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (3, 4, 2)).astype(self.dtype)
        if isinstance(self.slices, str):
            self.slices = x > 0
        return (x,)

    def forward(self, inputs, device):
        return (F.get_item(inputs[0], self.slices),)

    def forward_expected(self, inputs):
        return (numpy.asarray(inputs[0][self.slices]),)


def test_get_item_operator_and_repeated_indices_accumulate():
    x = kusari.Variable(numpy.arange(4, dtype=numpy.float32))
    y = x[[0, 0, 3]]
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, [2, 0, 0, 1])


def test_get_item_variable_index():
    x = numpy.arange(4, dtype=numpy.float32)
    idx = kusari.Variable(numpy.array([1, 2]))
    numpy.testing.assert_array_equal(F.get_item(x, idx).array, [1, 2])


def test_get_item_out_of_range():
    with pytest.raises(IndexError):
        F.get_item(numpy.zeros(3, numpy.float32), 3)


class TestSelectItem(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (4, 3)), numpy.array([0, 2, 1, -1], numpy.int32)

    def forward(self, inputs, device):
        return (F.select_item(*inputs),)

    def forward_expected(self, inputs):
        x, t = inputs
        return (x[numpy.arange(4), t],)


def test_select_item_errors():
    x = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.select_item(x, numpy.array([1, 0], numpy.int32))
    assert "SelectItem (Forward)" in str(e.value)
    assert "x.shape[0] == t.shape[0]" in str(e.value)
    with pytest.raises(InvalidType, match="t.dtype.kind == i"):
        F.select_item(x, numpy.array([1, 0, 1], numpy.float32))
    with pytest.raises(IndexError):
        F.select_item(x, numpy.array([1, 0, 2], numpy.int32))


@testing.parameterize(*testing.product({"axis": [0, 1, -1], "inv": [False, True]}))
class TestPermutate(testing.FunctionTestCase):
    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3, 3)),)

    def forward(self, inputs, device):
        return (F.permutate(inputs[0], numpy.array([2, 0, 1], numpy.int32), self.axis,
                            self.inv),)

    def forward_expected(self, inputs):
        idx = numpy.array([2, 0, 1])
        if self.inv:
            idx = numpy.argsort(idx)
        return (numpy.take(inputs[0], idx, axis=self.axis),)


def test_permutate_errors():
    x = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(ValueError, match="one-dimensional int array"):
        F.permutate(x, numpy.array([2, 0, 1], numpy.float32))
    with pytest.raises(InvalidType, match="Permutate"):
        F.permutate(x, numpy.array([1, 0], numpy.int32), axis=2)
    with kusari.using_config("debug", True):
        with pytest.raises(ValueError, match="duplicate"):
            F.permutate(x, numpy.array([2, 0, 0], numpy.int32))


@testing.parameterize(
    {"slices": [0, 0, 2], "b_shape": (3, 2)},
    {"slices": (slice(None), 1), "b_shape": (3,)},
    {"slices": 1, "b_shape": (2,)},
)
class TestScatterAdd(testing.FunctionTestCase):
    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3, 2)), numpy.random.uniform(-1, 1, self.b_shape)

    def forward(self, inputs, device):
        return (F.scatter_add(inputs[0], self.slices, inputs[1]),)

    def forward_expected(self, inputs):
        a, b = inputs
        y = a.copy()
        numpy.add.at(y, self.slices, b)
        return (y,)


def test_scatter_add_no_broadcasting():
    with pytest.raises(ValueError, match="broadcasting"):
        F.scatter_add(numpy.zeros((3, 2), numpy.float32), slice(None),
                      numpy.ones(2, numpy.float32))


@testing.parameterize(*testing.product({
    "shapes": [((2, 3), (2, 3), (2, 3)), ((2, 1), (1, 3), (2, 3)), ((), (2,), (2,))],
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestWhere(testing.FunctionTestCase):
    def setUp(self):
        self.cond = numpy.random.uniform(size=self.shapes[0]) > 0.5
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes[1:])

    def forward(self, inputs, device):
        return (F.where(self.cond, *inputs),)

    def forward_expected(self, inputs):
        return (numpy.where(self.cond, *inputs),)


def test_where_errors():
    f = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.where(f, f, f)
    assert "Where (Forward)" in str(e.value)
    assert "condition.dtype ==" in str(e.value)
    with pytest.raises(InvalidType, match="x.dtype == y.dtype"):
        F.where(numpy.zeros((2, 3), bool), f, f.astype(numpy.float64))
    with pytest.raises(InvalidType):
        F.where(numpy.zeros((2, 5), bool), numpy.zeros((1, 3), numpy.float32), f)
    c = kusari.Variable(numpy.array([True, False, True]))
    assert F.where(c, f[0], f[1]).shape == (3,)


@testing.parameterize(*testing.product({
    "mode": ["constant", "edge", "reflect", "symmetric", "wrap"],
    "pad_width": [1, (1, 2), ((0, 1), (2, 1))],
    "dtype": [numpy.float32, numpy.float64],
}))
class TestPad(testing.FunctionTestCase):
    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_backward_options = {"atol": 1e-3, "rtol": 1e-3}
            self.check_double_backward_options = {"atol": 1e-3, "rtol": 1e-3}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype),)

    def forward(self, inputs, device):
        return (F.pad(inputs[0], self.pad_width, self.mode),)

    def forward_expected(self, inputs):
        return (numpy.pad(inputs[0], self.pad_width, mode=self.mode),)


def test_pad_constant_values_and_errors():
    y = F.pad(numpy.zeros(2, numpy.float32), 1, "constant", constant_values=2)
    numpy.testing.assert_array_equal(y.array, [2, 0, 0, 2])
    with pytest.raises(InvalidType, match="Pad"):
        F.pad(numpy.zeros(2, numpy.int32), 1, "constant")
    x = kusari.Variable(numpy.ones(3, numpy.float32))
    y = F.pad(x, 1, "mean")
    with pytest.raises(NotImplementedError):
        y.grad = numpy.ones(5, numpy.float32)
        y.backward()


def test_copy_to_cpu_is_differentiable():
    x = kusari.Variable(numpy.ones(2, numpy.float32))
    y = F.copy(x, -1)
    assert y.array is not x.array
    F.sum(y * 3).backward()
    numpy.testing.assert_array_equal(x.grad, [3, 3])
    assert F.copy(x, "@numpy").shape == (2,)
