"""Test bases for functions and links: ``FunctionTestCase``, ``LinkTestCase`` and
``LinkInitializersTestCase``.

A :class:`FunctionTestCase` subclass provides ``generate_inputs`` (a tuple of NumPy
arrays), ``forward(inputs, device)`` (the function under test on Variables) and
``forward_expected(inputs)`` (a plain-NumPy reference). The base class then checks the
forward values, the gradients (numerically, in float64) and the second-order gradients.

Used alone, the tests run on :func:`test_device` (the CPU, or ``KUSARI_TEST_DEVICE`` /
pytest's ``--device``); with :func:`~kusari.testing.inject_backend_tests` they run once
per backend configuration and each test method receives the ``backend_config``.
"""

from __future__ import annotations

import contextlib
import os
import unittest
from collections.abc import Iterator
from typing import Any

import numpy

from kusari import backend, gradient_check
from kusari.testing.array import _as_noncontiguous_array, assert_allclose
from kusari.testing.backend import BackendConfig
from kusari.variable import Variable

_MAX_DODGE_TRIES = 100


class _TestError(AssertionError):
    """Base of the errors the test bases raise for a wrong implementation."""

    @classmethod
    def check(cls, expr: bool, message: str) -> None:
        if not expr:
            raise cls(message)

    @classmethod
    def fail(cls, message: str, exc: BaseException | None = None) -> None:
        if exc is not None:
            raise cls(f"{message}\n\n{type(exc).__name__}: {exc}") from exc
        raise cls(message)

    @classmethod
    @contextlib.contextmanager
    def raise_if_fail(cls, message: str,
                      error_types: type | tuple = AssertionError) -> Iterator[None]:
        try:
            yield
        except error_types as e:
            cls.fail(message, e)


class FunctionTestError(_TestError):
    """The function under test is implemented incorrectly."""


class LinkTestError(_TestError):
    """The link under test is implemented incorrectly."""


class InitializerArgument:
    """An initializer argument paired with the initializer the link actually uses.

    For ``LinkInitializersTestCase.get_initializers`` when the constructor argument
    (e.g. ``None``) is not itself an initializer.

    Args:
        argument_value: What is passed to the link's constructor.
        expected_initializer: The initializer-like the link should use for it.
    """

    def __init__(self, argument_value: Any, expected_initializer: Any) -> None:
        from kusari import initializers

        if expected_initializer is None:
            raise ValueError("Expected initialized cannot be None.")
        initializers._check_is_initializer_like(expected_initializer)
        self.argument_value = argument_value
        self.expected_initializer = expected_initializer


def test_device() -> Any:
    """The device tests run on: ``KUSARI_TEST_DEVICE`` (e.g. ``@cupy:0``) or the CPU."""
    return backend.get_device(os.environ.get("KUSARI_TEST_DEVICE") or "@numpy")


test_device.__test__ = False  # type: ignore[attr-defined]


def _default_backend_config() -> BackendConfig:
    return BackendConfig.from_device(test_device())


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _check_array_types(arrays: Any, func_name: str, allow_none: bool = False) -> tuple:
    arrays = _as_tuple(arrays)
    for a in arrays:
        if a is None and allow_none:
            continue
        if not isinstance(a, numpy.ndarray):
            raise TypeError(f"{func_name}() must return a tuple of NumPy arrays"
                            f"{' or None' if allow_none else ''}; got "
                            f"{tuple(type(x).__name__ for x in arrays)}")
    return arrays


def _check_variable_types(outputs: Any, device: Any, func_name: str,
                          error: type[_TestError]) -> tuple:
    outputs = _as_tuple(outputs)
    if not all(isinstance(y, Variable) for y in outputs):
        error.fail(f"{func_name}() must return a tuple of Variables.\nActual: "
                   + ", ".join(type(y).__name__ for y in outputs))
    for y in outputs:
        if not device.is_array_supported(y.array):
            error.fail(f"{func_name}() must return Variables of arrays supported by "
                       f"device {device}.\nActual: {type(y.array)}")
    return outputs


def _props(arrays: Any) -> str:
    return ", ".join(f"{a.shape}:{a.dtype}" for a in arrays)


def _check_arrays_equal(actual: tuple, expected: tuple, error: type[_TestError],
                        **options: Any) -> None:
    """Compare outputs with the expected arrays: count, shapes, dtypes, values."""
    header = ""
    detail = ""
    if len(actual) != len(expected):
        header = f"Number of outputs ({len(actual)}, {len(expected)}) does not match"
    elif any(a.shape != e.shape or a.dtype != e.dtype for a, e in zip(actual, expected)):
        header = "Shapes and/or dtypes do not match"
    else:
        failed = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            try:
                assert_allclose(a, e, **options)
            except AssertionError as ex:
                failed.append(i)
                detail += f"Error details of output [{i}]:\n{ex}\n"
        if failed:
            header = ("Outputs do not match the expected values.\n"
                      f"Indices of outputs that do not match: {', '.join(map(str, failed))}")
    if header:
        error.fail(f"{header}\nExpected shapes and dtypes: {_props(expected)}\n"
                   f"Actual shapes and dtypes:   {_props(actual)}\n"
                   + (f"\n\n{detail}" if detail else ""))


def _dodging(check: Any, dodge: bool) -> None:
    """Run ``check()``; when dodging kinks, redraw (rerun) on a nondifferentiable point."""
    tries = _MAX_DODGE_TRIES if dodge else 1
    for i in range(tries):
        try:
            check()
            return
        except gradient_check.NondifferentiableError:
            if not dodge or i == tries - 1:
                raise


class _Contiguity:
    contiguous: str | None = None

    def _to_noncontiguous_as_needed(self, arrays: Any) -> Any:
        if self.contiguous is None:
            return _as_noncontiguous_array(arrays)
        if self.contiguous == "C":
            return arrays
        raise ValueError(f"Invalid value of `contiguous`: {self.contiguous!r}")


class FunctionTestCase(_Contiguity, unittest.TestCase):
    """Base of function tests; see the module docstring.

    Required methods: ``generate_inputs()``, ``forward(inputs, device)``,
    ``forward_expected(inputs)``. Optional: ``before_test(test_name)`` (raise
    ``unittest.SkipTest`` to skip), ``generate_grad_outputs(outputs_template)``,
    ``generate_grad_grad_inputs(inputs_template)``,
    ``check_forward_outputs(outputs, expected_outputs)``.

    Attributes:
        skip_forward_test: Skip :meth:`test_forward`.
        skip_backward_test: Skip :meth:`test_backward`.
        skip_double_backward_test: Skip :meth:`test_double_backward`.
        dodge_nondifferentiable: Redraw inputs that lie on a kink.
        numerical_grad_dtype: dtype of the numerical gradient (float64).
        contiguous: ``None`` (inputs and gradients are made non-contiguous, as Chainer
            does) or ``'C'`` (kept C-contiguous).
        check_forward_options: Keyword arguments of ``assert_allclose``.
        check_backward_options: Keyword arguments of ``check_backward``.
        check_double_backward_options: Keyword arguments of ``check_double_backward``.
        backend_config: The :class:`BackendConfig` of the running test (set by the tests).
        test_name: ``'test_forward'``, ``'test_backward'`` or ``'test_double_backward'``.
    """

    skip_forward_test = False
    skip_backward_test = False
    skip_double_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype: Any = numpy.float64
    check_forward_options: dict = {}
    check_backward_options: dict = {}
    check_double_backward_options: dict = {}
    backend_config: BackendConfig | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per-instance copies: setUp may update them without touching other tests
        cls = type(self)
        self.check_forward_options = dict(cls.check_forward_options or {})
        self.check_backward_options = dict(cls.check_backward_options or {})
        self.check_double_backward_options = dict(cls.check_double_backward_options or {})

    @property
    def device(self) -> Any:
        cfg = self.backend_config
        return cfg.device if cfg is not None else test_device()

    # -- methods a subclass provides ---------------------------------------------------------
    def generate_inputs(self) -> tuple:
        raise NotImplementedError("generate_inputs() is not implemented.")

    def forward(self, inputs: tuple, device: Any) -> tuple:
        raise NotImplementedError("forward() is not implemented.")

    def forward_expected(self, inputs: tuple) -> tuple:
        raise NotImplementedError("forward_expected() is not implemented.")

    def generate_grad_outputs(self, outputs_template: tuple) -> tuple:
        return tuple(numpy.random.uniform(-1, 1, y.shape).astype(y.dtype)
                     for y in outputs_template)

    def generate_grad_grad_inputs(self, inputs_template: tuple) -> tuple:
        return tuple(numpy.random.uniform(-1, 1, x.shape).astype(x.dtype)
                     for x in inputs_template)

    def before_test(self, test_name: str) -> None:
        """Hook run before each test (raise ``unittest.SkipTest`` to skip it)."""

    def check_forward_outputs(self, outputs: tuple, expected_outputs: tuple) -> None:
        """Compare the forward outputs (arrays) with the expected ones."""
        _check_arrays_equal(outputs, expected_outputs, FunctionTestError,
                            **self.check_forward_options)

    # -- helpers -------------------------------------------------------------------------------
    def _start(self, test_name: str, skip: bool, backend_config: Any) -> BackendConfig:
        if skip:
            raise unittest.SkipTest(f"skip_{test_name[5:]}_test is set")
        cfg = backend_config if backend_config is not None else _default_backend_config()
        self.backend_config = cfg
        self.test_name = test_name
        self.before_test(test_name)
        return cfg

    def _inputs(self) -> tuple:
        return _check_array_types(self.generate_inputs(), "generate_inputs")

    def _forward_expected(self, inputs: tuple) -> tuple:
        expected = tuple(numpy.asarray(e) for e in _as_tuple(self.forward_expected(inputs)))
        return _check_array_types(expected, "forward_expected")

    def _forward(self, inputs: tuple, cfg: BackendConfig) -> tuple:
        with cfg:
            outputs = self.forward(inputs, cfg.device)
        return _check_variable_types(outputs, cfg.device, "forward", FunctionTestError)

    def _to_device(self, arrays: tuple, cfg: BackendConfig) -> tuple:
        out = tuple(None if a is None else cfg.get_array(a) for a in arrays)
        return self._to_noncontiguous_as_needed(out)

    # -- tests -----------------------------------------------------------------------------------
    def run_test_forward(self, backend_config: Any = None) -> None:
        cfg = self._start("test_forward", self.skip_forward_test, backend_config)
        cpu_inputs = self._to_noncontiguous_as_needed(self._inputs())
        originals = [x.copy() for x in cpu_inputs]
        expected = self._forward_expected(tuple(x.copy() for x in cpu_inputs))
        inputs = self._to_device(cpu_inputs, cfg)
        outputs = self._forward(
            tuple(Variable(x, requires_grad=x.dtype.kind == "f") for x in inputs), cfg)
        modified = [i for i, (x, o) in enumerate(zip(inputs, originals))
                    if not numpy.array_equal(backend.CpuDevice().send(x), o, equal_nan=True)]
        if modified:
            FunctionTestError.fail(
                "Input arrays have been modified during forward.\n"
                f"Indices of modified inputs: {', '.join(map(str, modified))}\n"
                f"Input array shapes and dtypes: {_props(inputs)}")
        self.check_forward_outputs(tuple(y.array for y in outputs), expected)

    def run_test_backward(self, backend_config: Any = None) -> None:
        cfg = self._start("test_backward", self.skip_backward_test, backend_config)

        def f(*xs: Variable) -> tuple:
            return self._forward(xs, cfg)

        def check() -> None:
            inputs = self._inputs()
            gys = _check_array_types(
                self.generate_grad_outputs(self._forward_expected(inputs)),
                "generate_grad_outputs", allow_none=True)
            with FunctionTestError.raise_if_fail("backward is not implemented correctly"):
                gradient_check.check_backward(
                    f, self._to_device(inputs, cfg), self._to_device(gys, cfg),
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)

        _dodging(check, self.dodge_nondifferentiable)

    def run_test_double_backward(self, backend_config: Any = None) -> None:
        cfg = self._start("test_double_backward", self.skip_double_backward_test,
                          backend_config)

        def f(*xs: Variable) -> tuple:
            return self._forward(xs, cfg)

        def check() -> None:
            inputs = self._inputs()
            gys = _check_array_types(
                self.generate_grad_outputs(self._forward_expected(inputs)),
                "generate_grad_outputs", allow_none=True)
            ggxs = _check_array_types(self.generate_grad_grad_inputs(inputs),
                                      "generate_grad_grad_inputs", allow_none=True)
            # non-float inputs get no gradient, so they take no grad-grad either
            ggxs = tuple(g for g in ggxs if g is None or g.dtype.kind == "f")
            with cfg, FunctionTestError.raise_if_fail(
                    "double backward is not implemented correctly"):
                gradient_check.check_double_backward(
                    f, self._to_device(inputs, cfg), self._to_device(gys, cfg),
                    self._to_device(ggxs, cfg), dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_double_backward_options)

        _dodging(check, self.dodge_nondifferentiable)

    def test_forward(self, backend_config: Any = None) -> None:
        """Forward values equal ``forward_expected``'s, and inputs are left unchanged."""
        self.run_test_forward(backend_config)

    def test_backward(self, backend_config: Any = None) -> None:
        """Backward matches the numerical gradient."""
        self.run_test_backward(backend_config)

    def test_double_backward(self, backend_config: Any = None) -> None:
        """Double backward matches the numerical gradient of the gradient."""
        self.run_test_double_backward(backend_config)


class _LinkTestBase(_Contiguity):
    backend_config: BackendConfig | None = None
    param_names: tuple | list = ()

    def before_test(self, test_name: str) -> None:
        """Hook run before each test (raise ``unittest.SkipTest`` to skip it)."""

    def generate_params(self) -> tuple:
        raise NotImplementedError("generate_params is not implemented.")

    def generate_inputs(self) -> tuple:
        raise NotImplementedError("generate_inputs is not implemented.")

    def create_link(self, initializers: Any) -> Any:
        raise NotImplementedError("create_link is not implemented.")

    def forward(self, link: Any, inputs: tuple, device: Any) -> tuple:
        return _as_tuple(link(*inputs))

    def check_forward_outputs(self, outputs: tuple, expected_outputs: tuple) -> None:
        """Compare the forward outputs (arrays) with the expected ones."""
        _check_arrays_equal(outputs, expected_outputs, LinkTestError,
                            **self.check_forward_options)

    def _start(self, test_name: str, backend_config: Any) -> BackendConfig:
        cfg = backend_config if backend_config is not None else _default_backend_config()
        self.backend_config = cfg
        self.test_name = test_name
        self.before_test(test_name)
        return cfg

    def _generate_params(self) -> tuple:
        inits = self.generate_params()
        if not isinstance(inits, (tuple, list)):
            raise TypeError("`generate_params` must return a tuple or a list.")
        for init in inits:
            _check_generated_initializer(init)
        return tuple(inits)

    def _generate_inputs(self) -> tuple:
        return _check_array_types(self.generate_inputs(), "generate_inputs")

    def _create_link(self, inits: Any, cfg: BackendConfig) -> Any:
        from kusari.link import Link

        link = self.create_link(inits)
        if not isinstance(link, Link):
            raise TypeError("`create_link` must return a kusari.Link object.")
        link.to_device(cfg.device)
        return link

    def _forward(self, link: Any, inputs: tuple, cfg: BackendConfig) -> tuple:
        with cfg:
            outputs = self.forward(link, inputs, cfg.device)
        return _check_variable_types(outputs, cfg.device, "forward", LinkTestError)

    def _create_initialized_link(self, inits: Any, cfg: BackendConfig) -> tuple:
        """A link whose (possibly lazy) parameters are initialized by one forward pass."""
        link = self._create_link([_argument_value(i) for i in inits], cfg)
        inputs = self._to_noncontiguous_as_needed(
            tuple(cfg.get_array(x) for x in self._generate_inputs()))
        outputs = self._forward(link, tuple(Variable(x) for x in inputs), cfg)
        link.cleargrads()
        return link, inputs, [y.array for y in outputs]


class LinkTestCase(_LinkTestBase, unittest.TestCase):
    """Base of link forward/backward tests.

    Required methods: ``generate_params()`` (initializer-likes for the constructor),
    ``create_link(initializers)``, ``generate_inputs()``, and
    ``forward_expected(link, inputs)`` (NumPy reference; the link is on the CPU).
    Optional: ``forward(link, inputs, device)`` (default ``link(*inputs)``),
    ``before_test``, ``generate_grad_outputs``, ``check_forward_outputs``.

    Attributes:
        param_names: Names of the link's parameters whose gradients are checked.
        skip_forward_test: Skip :meth:`test_forward`.
        skip_backward_test: Skip :meth:`test_backward`.
        dodge_nondifferentiable: Redraw on a kink.
        numerical_grad_dtype: dtype of the numerical gradient (float64).
        contiguous: ``None`` (non-contiguous arrays) or ``'C'``.
        check_forward_options: Keyword arguments of ``assert_allclose``.
        check_backward_options: Keyword arguments of ``check_backward``.
    """

    check_forward_options: dict = {}
    check_backward_options: dict = {}
    skip_forward_test = False
    skip_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype: Any = numpy.float64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_forward_options = dict(type(self).check_forward_options or {})
        self.check_backward_options = dict(type(self).check_backward_options or {})

    def forward_expected(self, link: Any, inputs: tuple) -> tuple:
        raise NotImplementedError("forward_expected() is not implemented.")

    def generate_grad_outputs(self, outputs_template: tuple) -> tuple:
        return tuple(numpy.random.uniform(-1, 1, y.shape).astype(y.dtype)
                     for y in outputs_template)

    def test_forward(self, backend_config: Any = None) -> None:
        """The link's outputs equal ``forward_expected``'s."""
        if self.skip_forward_test:
            raise unittest.SkipTest("skip_forward_test is set")
        cfg = self._start("test_forward", backend_config)
        link = self._create_link([_argument_value(i) for i in self._generate_params()], cfg)
        inputs_np = self._generate_inputs()
        inputs = self._to_noncontiguous_as_needed(tuple(cfg.get_array(x) for x in inputs_np))
        outputs = [y.array for y in self._forward(link, tuple(Variable(x) for x in inputs),
                                                  cfg)]
        link.to_device(backend.CpuDevice())
        expected = _check_array_types(
            tuple(numpy.asarray(e) for e in _as_tuple(self.forward_expected(link, inputs_np))),
            "forward_expected")
        self.check_forward_outputs(tuple(outputs), expected)

    def test_backward(self, backend_config: Any = None) -> None:
        """Gradients of the inputs and of ``param_names`` match numerical ones."""
        if self.skip_backward_test:
            raise unittest.SkipTest("skip_backward_test is set")
        cfg = self._start("test_backward", backend_config)

        def check() -> None:
            link, inputs, outputs = self._create_initialized_link(
                self._generate_params(), cfg)
            params = _get_link_params(link, self.param_names)
            for p in params:
                p.array = self._to_noncontiguous_as_needed(p.array)
            gys = _check_array_types(
                self.generate_grad_outputs(tuple(backend.CpuDevice().send(y)
                                                 for y in outputs)),
                "generate_grad_outputs", allow_none=True)
            gys = self._to_noncontiguous_as_needed(tuple(cfg.get_array(g) for g in gys))

            def f(*xs: Variable) -> tuple:
                return self._forward(link, xs, cfg)

            with LinkTestError.raise_if_fail("backward is not implemented correctly"):
                gradient_check.check_backward(
                    f, inputs, gys, params=params, dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)

        _dodging(check, self.dodge_nondifferentiable)


class LinkInitializersTestCase(_LinkTestBase, unittest.TestCase):
    """Base of tests that a link initializes its parameters as its initializers say.

    Required methods: those of :class:`LinkTestCase` except ``forward_expected``, plus
    ``get_initializers()``: per constructor initializer argument, a list of
    initializer-likes to try (wrap non-initializer arguments such as ``None`` in
    :class:`InitializerArgument`).

    Attributes:
        param_names: The parameters, in the order of ``generate_params``.
        check_initializers_options: Keyword arguments of ``assert_allclose``.
    """

    check_initializers_options: dict = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_initializers_options = dict(type(self).check_initializers_options or {})

    def get_initializers(self) -> tuple:
        raise NotImplementedError("get_initializers is not implemented.")

    def test_initializers(self, backend_config: Any = None) -> None:
        """Each parameter equals what its initializer fills in."""
        cfg = self._start("test_initializers", backend_config)
        params_inits = self.get_initializers()
        if not isinstance(params_inits, (tuple, list)):
            raise TypeError("`get_initializers` must return a tuple or a list.")
        for param_inits in params_inits:
            if not isinstance(param_inits, (tuple, list)):
                raise TypeError("`get_initializers` must return a tuple or a list of "
                                "tuples or lists.")
            for init in param_inits:
                _check_generated_initializer(init)
        for i, param_inits in enumerate(params_inits):
            inits = list(self._generate_params())
            for init in param_inits:
                inits[i] = init
                self._check_one(i, inits, cfg)

    def _check_one(self, i: int, inits: list, cfg: BackendConfig) -> None:
        from kusari import initializers

        link, _, _ = self._create_initialized_link(inits, cfg)
        actual = backend.CpuDevice().send(_get_link_params(link, self.param_names)[i].array)
        expected_init = inits[i]
        if isinstance(expected_init, InitializerArgument):
            expected_init = expected_init.expected_initializer
        if not isinstance(expected_init, initializers.Initializer):
            expected_init = initializers._get_initializer(expected_init)
        expected = numpy.empty_like(actual)
        expected_init(expected)
        _check_arrays_equal((actual,), (expected,), LinkTestError,
                            **self.check_initializers_options)


def _check_generated_initializer(init: Any) -> None:
    from kusari import initializers

    if isinstance(init, InitializerArgument):
        init = init.expected_initializer
    elif init is None:
        raise ValueError("A None initializer must be wrapped in a InitializerArgument "
                         "along with the expected initializer fallen back to.")
    initializers._check_is_initializer_like(init)


def _argument_value(init: Any) -> Any:
    return init.argument_value if isinstance(init, InitializerArgument) else init


def _get_link_params(link: Any, names: Any) -> list:
    params = []
    for name in names:
        p = getattr(link, name, None)
        if p is None:
            LinkTestError.fail(f"Link does not have a parameter named '{name}'.")
        params.append(p)
    return params
