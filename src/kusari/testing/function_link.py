"""``FunctionTestCase``: forward, backward and double-backward tests from three methods.

A subclass provides ``generate_inputs`` (a tuple of NumPy arrays), ``forward(inputs,
device)`` (the function under test on Variables) and ``forward_expected(inputs)`` (a
plain-NumPy reference). The base class then checks the forward values, the gradients
(numerically, in float64) and the second-order gradients.
"""

from __future__ import annotations

import os
import unittest
from typing import Any

import numpy

from kusari import backend, gradient_check
from kusari.testing.array import assert_allclose
from kusari.variable import Variable


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def test_device() -> Any:
    """The device tests run on: ``KUSARI_TEST_DEVICE`` (e.g. ``@cupy:0``) or the CPU."""
    return backend.get_device(os.environ.get("KUSARI_TEST_DEVICE", "@numpy"))


class FunctionTestCase(unittest.TestCase):
    """Base of function tests; see the module docstring.

    Attributes:
        skip_forward_test: Skip :meth:`test_forward`.
        skip_backward_test: Skip :meth:`test_backward`.
        skip_double_backward_test: Skip :meth:`test_double_backward`.
        dodge_nondifferentiable: Redraw inputs that lie on a kink.
        numerical_grad_dtype: dtype of the numerical gradient (float64).
        check_forward_options: Keyword arguments of ``assert_allclose``.
        check_backward_options: Keyword arguments of ``check_backward``.
        check_double_backward_options: Keyword arguments of ``check_double_backward``.
    """

    skip_forward_test = False
    skip_backward_test = False
    skip_double_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype: Any = numpy.float64
    check_forward_options: dict = {}
    check_backward_options: dict = {}
    check_double_backward_options: dict = {}

    @property
    def device(self) -> Any:
        cfg = getattr(self, "backend_config", None)
        return cfg.device if cfg is not None else test_device()

    def generate_inputs(self) -> tuple:
        raise NotImplementedError

    def forward(self, inputs: tuple, device: Any) -> tuple:
        raise NotImplementedError

    def forward_expected(self, inputs: tuple) -> tuple:
        raise NotImplementedError

    def generate_grad_outputs(self, outputs_template: tuple) -> tuple:
        return tuple(numpy.random.uniform(-1, 1, y.shape).astype(y.dtype)
                     for y in outputs_template)

    def generate_grad_grad_inputs(self, inputs_template: tuple) -> tuple:
        return tuple(numpy.random.uniform(-1, 1, x.shape).astype(x.dtype)
                     for x in inputs_template)

    def before_test(self, test_name: str) -> None:
        """Hook run before each test."""

    # -- helpers -------------------------------------------------------------------------------
    def _inputs(self) -> tuple:
        inputs = _as_tuple(self.generate_inputs())
        for x in inputs:
            if not isinstance(x, numpy.ndarray):
                raise TypeError(f"{type(self).__name__}.generate_inputs must return NumPy "
                                f"arrays, got {type(x).__name__}")
        return inputs

    def _forward(self, inputs: tuple) -> tuple:
        dev = self.device
        xs = tuple(Variable(dev.send(x)) for x in inputs)
        ys = _as_tuple(self.forward(xs, dev))
        for y in ys:
            if not isinstance(y, Variable):
                raise TypeError(f"{type(self).__name__}.forward must return Variables")
        return ys

    def _backward_func(self, device: Any) -> Any:
        def f(*xs: Variable) -> tuple:
            return _as_tuple(self.forward(xs, device))

        return f

    # -- tests -----------------------------------------------------------------------------------
    def test_forward(self) -> None:
        self.before_test("test_forward")
        if self.skip_forward_test:
            raise unittest.SkipTest("skip_forward_test is set")
        inputs = self._inputs()
        ys = self._forward(tuple(x.copy() for x in inputs))
        expected = _as_tuple(self.forward_expected(tuple(x.copy() for x in inputs)))
        self.assertEqual(len(ys), len(expected),
                         "forward and forward_expected return different numbers of outputs")
        for y, e in zip(ys, expected):
            e = numpy.asarray(e)
            self.assertEqual(y.shape, e.shape, "output shape differs from the expected")
            self.assertEqual(y.dtype, e.dtype, "output dtype differs from the expected")
            assert_allclose(y.array, e, **self.check_forward_options)

    def _retry(self, check: Any) -> None:
        tries = 20 if self.dodge_nondifferentiable else 1
        for i in range(tries):
            inputs = self._inputs()
            try:
                check(inputs)
                return
            except gradient_check.NondifferentiableError:
                if i == tries - 1:
                    raise

    def test_backward(self) -> None:
        self.before_test("test_backward")
        if self.skip_backward_test:
            raise unittest.SkipTest("skip_backward_test is set")
        dev = self.device

        def check(inputs: tuple) -> None:
            ys = self._forward(inputs)
            gys = self.generate_grad_outputs(tuple(y.array for y in ys))
            gradient_check.check_backward(
                self._backward_func(dev), tuple(dev.send(x) for x in inputs),
                tuple(dev.send(g) for g in gys), dtype=self.numerical_grad_dtype,
                detect_nondifferentiable=self.dodge_nondifferentiable,
                **self.check_backward_options,
            )

        self._retry(check)

    def test_double_backward(self) -> None:
        self.before_test("test_double_backward")
        if self.skip_double_backward_test:
            raise unittest.SkipTest("skip_double_backward_test is set")
        dev = self.device

        def check(inputs: tuple) -> None:
            ys = self._forward(inputs)
            gys = self.generate_grad_outputs(tuple(y.array for y in ys))
            ggxs = self.generate_grad_grad_inputs(inputs)
            gradient_check.check_double_backward(
                self._backward_func(dev), tuple(dev.send(x) for x in inputs),
                tuple(dev.send(g) for g in gys), tuple(dev.send(g) for g in ggxs),
                dtype=self.numerical_grad_dtype,
                detect_nondifferentiable=self.dodge_nondifferentiable,
                **self.check_double_backward_options,
            )

        self._retry(check)
