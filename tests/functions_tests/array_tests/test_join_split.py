"""concat, stack, hstack, vstack, dstack, split_axis, separate, pad_sequence,
transpose_sequence."""

import re

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

JOIN = {
    "concat0": (lambda xs: F.concat(xs, axis=0), lambda xs: numpy.concatenate(xs, 0),
                [(2, 3), (1, 3), (4, 3)]),
    "concat1": (F.concat, lambda xs: numpy.concatenate(xs, 1), [(2, 3), (2, 1)]),
    "concat_neg": (lambda xs: F.concat(xs, axis=-1), lambda xs: numpy.concatenate(xs, -1),
                   [(2, 2, 3), (2, 2, 1)]),
    "concat_one": (lambda xs: F.concat(xs, axis=0), lambda xs: numpy.concatenate(xs, 0),
                   [(2, 3)]),
    "stack0": (F.stack, numpy.stack, [(2, 3), (2, 3), (2, 3)]),
    "stack_last": (lambda xs: F.stack(xs, axis=2), lambda xs: numpy.stack(xs, 2),
                   [(2, 3), (2, 3)]),
    "stack_neg": (lambda xs: F.stack(xs, axis=-3), lambda xs: numpy.stack(xs, -3),
                  [(2, 3), (2, 3)]),
    "hstack1d": (F.hstack, numpy.hstack, [(2,), (3,)]),
    "hstack0d": (F.hstack, numpy.hstack, [(), ()]),
    "hstack2d": (F.hstack, numpy.hstack, [(2, 3), (2, 1)]),
    "vstack1d": (F.vstack, numpy.vstack, [(3,), (3,)]),
    "vstack2d": (F.vstack, numpy.vstack, [(2, 3), (1, 3)]),
    "dstack1d": (F.dstack, numpy.dstack, [(3,), (3,)]),
    "dstack2d": (F.dstack, numpy.dstack, [(2, 3), (2, 3)]),
    "dstack3d": (F.dstack, numpy.dstack, [(2, 3, 1), (2, 3, 2)]),
}


@testing.parameterize(*testing.product({
    "name": sorted(JOIN),
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestJoin(testing.FunctionTestCase):
    def setUp(self):
        self.func, self.ref, self.shapes = JOIN[self.name]
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype) for s in self.shapes)

    def forward(self, inputs, device):
        return (self.func(list(inputs)),)

    def forward_expected(self, inputs):
        return (self.ref(list(inputs)),)


SPLIT = {
    "sections": (lambda x: F.split_axis(x, 3, 1), lambda x: numpy.split(x, 3, 1), (2, 6)),
    "indices": (lambda x: F.split_axis(x, [1, 4], 1), lambda x: numpy.split(x, [1, 4], 1),
                (2, 6)),
    "indices_empty_part": (lambda x: F.split_axis(x, [2, 2], 0),
                           lambda x: numpy.split(x, [2, 2], 0), (3, 2)),
    "neg_axis": (lambda x: F.split_axis(x, 2, -1), lambda x: numpy.split(x, 2, -1),
                 (2, 3, 4)),
    "separate": (lambda x: F.separate(x, 1), lambda x: [x[:, i] for i in range(3)], (2, 3)),
    "separate0": (F.separate, lambda x: list(x), (3, 2)),
}


@testing.parameterize(*testing.product({
    "name": sorted(SPLIT),
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
}))
class TestSplit(testing.FunctionTestCase):
    def setUp(self):
        self.func, self.ref, self.shape = SPLIT[self.name]
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        return (numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),)

    def forward(self, inputs, device):
        return tuple(self.func(inputs[0]))

    def forward_expected(self, inputs):
        return tuple(numpy.asarray(y) for y in self.ref(inputs[0]))


def test_split_axis_backward_with_unused_outputs():
    x = kusari.Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    a, b, c = F.split_axis(x, 3, 1)
    F.sum(b * 2).backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 2, 0], [0, 2, 0]])


def test_split_axis_force_tuple_and_empty_indices():
    x = numpy.zeros((2, 3), numpy.float32)
    assert isinstance(F.split_axis(x, 1, 1, force_tuple=False), kusari.Variable)
    assert len(F.split_axis(x, 1, 1)) == 1
    assert F.split_axis(x, [], 1)[0].shape == (2, 3)


def test_split_axis_errors():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.split_axis(x, 2, 1)
    assert "SplitAxis (Forward)" in str(e.value)
    # (kusari's type_check currently parenthesizes the name: "% (sections)"; reported)
    assert re.search(r"in_types\[0\]\.shape\[1\] % \(?sections\)? == 0", str(e.value))
    with pytest.raises(InvalidType, match="in_types\\[0\\].ndim > 2"):
        F.split_axis(x, 2, 2)
    with pytest.raises(InvalidType, match="max_index"):
        F.split_axis(x, [1, 5], 1)
    with pytest.raises(TypeError):
        F.split_axis(x, 1.5, 1)


def test_concat_errors():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.concat([a, numpy.zeros((3, 3), numpy.float32)])
    assert "Concat (Forward)" in str(e.value)
    assert "in_types[0].shape[0] == in_types[1].shape[0]" in str(e.value)
    assert "2 != 3" in str(e.value)
    with pytest.raises(InvalidType, match="in_types\\[0\\].dtype == in_types\\[1\\].dtype"):
        F.concat([a, a.astype(numpy.float64)])
    with pytest.raises(InvalidType, match="in_types\\[0\\].ndim > axis"):
        F.concat([a], axis=2)
    with pytest.raises(InvalidType):
        F.concat([])


def test_stack_errors():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match="Stack"):
        F.stack([a, numpy.zeros((3, 3), numpy.float32)])
    with pytest.raises(InvalidType, match="Stack"):
        F.stack([a, a.astype(numpy.float64)])
    with pytest.raises(InvalidType, match="in_types\\[0\\].ndim >= 3"):
        F.stack([a], axis=3)


def test_hvdstack_errors():
    with pytest.raises(InvalidType, match="x0.shape\\[0\\] == x1.shape\\[0\\]"):
        F.hstack([numpy.zeros((2, 3)), numpy.zeros((3, 3))])
    with pytest.raises(InvalidType, match="in_types\\[0\\].shape\\[1\\] == "):
        F.vstack([numpy.zeros((2, 3)), numpy.zeros((3, 2))])
    with pytest.raises(InvalidType, match="Dstack"):
        F.dstack([numpy.zeros((2, 3)), numpy.zeros((2, 2))])
    with pytest.raises(InvalidType, match="Vstack"):
        F.vstack([numpy.zeros(2), numpy.zeros((1, 2))])


class TestPadSequence(testing.FunctionTestCase):
    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (n, 2)) for n in (3, 1, 2))

    def forward(self, inputs, device):
        return (F.pad_sequence(inputs, length=4, padding=-1.0),)

    def forward_expected(self, inputs):
        y = numpy.full((3, 4, 2), -1.0)
        for i, x in enumerate(inputs):
            y[i, :len(x)] = x
        return (y,)


def test_pad_sequence_errors():
    xs = [numpy.zeros((2, 3)), numpy.zeros((1, 3))]
    assert F.pad_sequence(xs).shape == (2, 2, 3)
    with pytest.raises(InvalidType, match="x0.shape\\[0\\] <= 1"):
        F.pad_sequence(xs, length=1)
    with pytest.raises(InvalidType, match="PadSequence"):
        F.pad_sequence([numpy.zeros((2, 3)), numpy.zeros((1, 2))])


class TestTransposeSequence(testing.FunctionTestCase):
    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, (n, 2)) for n in (3, 3, 1))

    def forward(self, inputs, device):
        return F.transpose_sequence(inputs)

    def forward_expected(self, inputs):
        return tuple(numpy.stack([x[t] for x in inputs if len(x) > t]) for t in range(3))


def test_transpose_sequence_errors():
    assert F.transpose_sequence([]) == ()
    with pytest.raises(InvalidType, match="TransposeSequence"):
        F.transpose_sequence([numpy.zeros((2, 2)), numpy.zeros((3, 2))])
