import numpy
import pytest

from kusari import backend
from kusari.dataset import (
    ConcatWithAsyncTransfer,
    Converter,
    concat_examples,
    convert,
    converter,
    to_device,
)


def test_arrays_are_stacked():
    batch = [numpy.full((2, 3), i, dtype=numpy.float32) for i in range(4)]
    out = concat_examples(batch)
    assert out.shape == (4, 2, 3) and out.dtype == numpy.float32
    numpy.testing.assert_array_equal(out[:, 0, 0], [0, 1, 2, 3])


def test_tuples_and_scalars():
    batch = [(numpy.arange(2) + i, numpy.int32(i), i * 0.5) for i in range(3)]
    x, t, f = concat_examples(batch)
    numpy.testing.assert_array_equal(x, [[0, 1], [1, 2], [2, 3]])
    assert t.dtype == numpy.int32 and list(t) == [0, 1, 2]
    assert f.dtype == numpy.float64 and list(f) == [0.0, 0.5, 1.0]


def test_dicts_with_per_key_padding():
    batch = [
        {"x": numpy.arange(1), "y": numpy.arange(2)},
        {"x": numpy.arange(3), "y": numpy.arange(1)},
    ]
    out = concat_examples(batch, padding={"x": -1, "y": 9})
    numpy.testing.assert_array_equal(out["x"], [[0, -1, -1], [0, 1, 2]])
    numpy.testing.assert_array_equal(out["y"], [[0, 1], [0, 9]])


def test_padding_2d_and_tuple_padding():
    batch = [(numpy.ones((1, 2)), numpy.arange(1)), (numpy.ones((2, 1)), numpy.arange(2))]
    x, t = concat_examples(batch, padding=(0, -1))
    assert x.shape == (2, 2, 2)
    numpy.testing.assert_array_equal(x[0], [[1, 1], [0, 0]])
    numpy.testing.assert_array_equal(x[1], [[1, 0], [1, 0]])
    numpy.testing.assert_array_equal(t, [[0, -1], [0, 1]])


def test_padding_ndim_mismatch():
    with pytest.raises(ValueError, match="different ndim"):
        concat_examples([numpy.zeros(2), numpy.zeros((2, 2))], padding=0)


def test_empty_batch():
    with pytest.raises(ValueError, match="concat_examples: batch is empty"):
        concat_examples([])


@pytest.mark.parametrize("device", [None, -1, "@numpy", backend.CpuDevice()])
def test_device_specs_on_cpu(device):
    out = concat_examples([numpy.zeros(2)], device)
    assert isinstance(out, numpy.ndarray) and out.shape == (1, 2)
    out = concat_examples([numpy.zeros(2)], device=device)
    assert isinstance(out, numpy.ndarray)


def test_bad_device():
    with pytest.raises(ValueError, match="invalid device"):
        concat_examples([numpy.zeros(2)], "@nowhere")


def test_to_device():
    x = numpy.zeros(3)
    assert to_device(None, x) is x
    assert to_device(-1, x) is x
    out = to_device("@numpy", (x, [x], {"a": x, "b": None}))
    assert out[0] is x and out[1][0] is x and out[2]["b"] is None


def test_converter_decorator_normalises_device():
    seen = []

    @converter()
    def conv(batch, device=None):
        seen.append(device)
        return batch

    conv([1], -1)
    conv([1], device="@numpy")
    conv([1])
    assert seen == [backend.CpuDevice(), backend.CpuDevice(), None]
    assert conv.__name__ == "conv"


def test_call_converter_old_and_new_style():
    calls = []

    def old(batch, device=None):
        calls.append(device)

    class New(Converter):
        def __call__(self, batch, device):
            calls.append(device)

    convert._call_converter(old, [1], None)
    convert._call_converter(old, [1], backend.CpuDevice())
    convert._call_converter(New(), [1], "@numpy")
    convert._call_converter(concat_examples, [numpy.zeros(1)], -1)
    assert calls == [None, -1, backend.CpuDevice()]


def test_converter_base_raises():
    with pytest.raises(NotImplementedError, match="Converter.__call__"):
        Converter()([1], None)


def test_concat_with_async_transfer_on_cpu():
    out = ConcatWithAsyncTransfer()([(numpy.zeros(2), 1), (numpy.ones(2), 2)], None)
    numpy.testing.assert_array_equal(out[1], [1, 2])


def test_concat_examples_fast_stack_matches_stack() -> None:
    rng = numpy.random.RandomState(0)
    rows = [rng.randn(5).astype(numpy.float32) for _ in range(7)]
    labels = [numpy.int32(i) for i in range(7)]
    x, t = concat_examples(list(zip(rows, labels)))
    numpy.testing.assert_array_equal(x, numpy.stack(rows))
    assert x.dtype == numpy.float32 and x.flags.c_contiguous
    assert t.dtype == numpy.int32 and t.tolist() == list(range(7))
    # a copy: the batch does not alias the examples
    x[0, 0] = 100.0
    assert rows[0][0] != 100.0
    with pytest.raises(ValueError, match="same shape"):  # stack's message for ragged rows
        concat_examples([numpy.zeros(3), numpy.zeros(4)])
