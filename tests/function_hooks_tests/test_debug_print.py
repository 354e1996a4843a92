"""PrintHook: what it prints before forward and backward."""

import io
import re

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.function_hooks import PrintHook
from tests.function_hooks_tests._graphs import fake_node


def _var(shape, stats, grad="None", dtype="float32"):
    return ["<variable at 0x?>", "- device: CPU", "- backend: <class 'numpy.ndarray'>",
            f"- shape: {shape}", f"- dtype: {dtype}", f"- statistics: {stats}",
            f"- grad: {grad}"]


def _lines(text):
    return re.sub(r"at 0x[0-9a-f]+>", "at 0x?>", text).splitlines()


def test_prints_inputs_before_forward_and_output_gradients_before_backward():
    buf = io.StringIO()
    x = kusari.Variable(numpy.array([-1.0, 3.0], numpy.float32))
    with PrintHook(file=buf):
        y = F.sum(F.relu(x))
        assert _lines(buf.getvalue()) == (
            ["function\tReLU", "input data"]
            + _var((2,), "mean=1.00000000, std=2.00000000")
            + ["function\tSum", "input data"]
            + _var((2,), "mean=1.50000000, std=1.50000000"))
        buf.seek(0)
        buf.truncate()
        y.backward()
    assert _lines(buf.getvalue()) == (
        # Sum's input is ReLU's retained output; the gradient shows as a variable of
        # zeros holding it
        ["function\tSum", "input data"] + _var((2,), "mean=1.50000000, std=1.50000000")
        + ["output gradient"]
        + _var((), "mean=0.00000000, std=0.00000000", "mean=1.00000000, std=0.00000000")
        # ReLU's input was not retained
        + ["function\tReLU", "input data", "(removed)", "output gradient"]
        + _var((2,), "mean=0.00000000, std=0.00000000", "mean=1.00000000, std=0.00000000"))


def test_absent_zero_and_empty_arrays():
    buf = io.StringIO()
    hook = PrintHook(file=buf)
    zeros = numpy.zeros((2, 1), numpy.float64)
    empty = numpy.zeros((0,), numpy.float32)
    hook.backward_preprocess(fake_node("Node", "a label"), (empty,), (None, zeros))
    assert _lines(buf.getvalue()) == (
        ["function\ta label", "input data"]
        + _var((0,), "mean=nan, std=nan")  # quietly: warnings are errors in the tests
        + ["output gradient", "<variable at 0x?>"]
        + [f"- {k}: None" for k in ("device", "backend", "shape", "dtype", "statistics",
                                    "grad")]
        + _var((2, 1), "mean=0.00000000, std=0.00000000", "0", "float64"))


class _Out(io.StringIO):
    flushes = 0

    def flush(self):
        self.flushes += 1


def test_end_file_and_flush_arguments():
    out = _Out()
    hook = PrintHook(end="|", file=out, flush=False)
    node = fake_node("F")
    hook.forward_preprocess(node, (None,))
    assert out.getvalue() == "function\tF|input data|(removed)|"
    assert out.flushes == 0
    PrintHook(file=out).forward_preprocess(node, ())
    assert out.flushes == 1
    assert out.getvalue().endswith("|function\tF\ninput data\n")


def test_default_file_is_the_current_stdout(capsys):
    PrintHook().forward_preprocess(fake_node("F"), ())
    assert capsys.readouterr().out == "function\tF\ninput data\n"


def test_sep_is_deprecated_and_ignored():
    with pytest.warns(DeprecationWarning, match="sep argument"):
        hook = PrintHook(sep=" ")
    assert hook.sep == " "
    assert PrintHook().name == "PrintHook"
