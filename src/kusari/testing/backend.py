"""Backend-parameterized tests: ``inject_backend_tests`` and ``BackendConfig``.

``@inject_backend_tests(None, [{}, {'use_cuda': True}])`` makes one test class per
backend configuration and passes the :class:`BackendConfig` to each ``test_*`` method
as its first argument. CUDA configurations carry the ``gpu`` mark (and ``cudnn`` /
``multi_gpu`` where they apply) and are skipped when CUDA is unavailable; ChainerX and
iDeep configurations are skipped, since kusari has neither.
"""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import Any

from kusari import backend
from kusari.configuration import using_config
from kusari.testing import attr
from kusari.testing._generate import make_decorator


class BackendConfig:
    """A backend configuration: the device and the cuDNN/iDeep settings a test runs with.

    Args:
        params: A dict of the options below (others raise ``ValueError``).

    Options:
        use_chainerx, chainerx_device: ChainerX (not supported by kusari; such tests skip).
        use_cuda, cuda_device: Run on CuPy GPU ``cuda_device`` (0 by default).
        use_cudnn, cudnn_deterministic, autotune, cudnn_fast_batch_normalization: config
            values set while the test's forward runs.
        use_ideep: iDeep mode (not supported; anything but ``'never'`` skips).

    Example:
        >>> BackendConfig({}).device
        <CpuDevice @numpy>
        >>> with BackendConfig({'use_cudnn': 'always'}):
        ...     import kusari; kusari.config.use_cudnn
        'always'
    """

    _props = (
        ("use_chainerx", False),
        ("chainerx_device", None),
        ("use_cuda", False),
        ("cuda_device", None),
        ("use_cudnn", "never"),
        ("cudnn_deterministic", False),
        ("autotune", False),
        ("cudnn_fast_batch_normalization", False),
        ("use_ideep", "never"),
    )

    def __init__(self, params: dict) -> None:
        if not isinstance(params, dict):
            raise TypeError("params must be a dict.")
        for k, v in self._props:
            setattr(self, k, v)
        for k, v in params.items():
            if k not in dict(self._props):
                raise ValueError(f"Parameter {k} is not defined")
            setattr(self, k, v)
        if self.use_chainerx and not isinstance(self.chainerx_device, str):
            raise ValueError("'chainerx_device' parameter is expected to be a string "
                             "representing a ChainerX device specifier")
        if self.use_cuda and self.cuda_device is None:
            self.cuda_device = 0
        self._device: Any = None
        self._contexts: list = []

    @classmethod
    def from_device(cls, device: Any) -> BackendConfig:
        """The configuration running on ``device`` (a spec such as ``'@cupy:0'``)."""
        device = backend.get_device(device)
        if device.xp.__name__ == "numpy":
            return cls({})
        return cls({"use_cuda": True, "cuda_device": int(device.device.id)})

    def skip_reason(self) -> str | None:
        """Why this configuration cannot run here, or ``None`` when it can."""
        if self.use_chainerx:
            return "ChainerX is not available in kusari"
        if self.use_ideep != "never":
            return "iDeep is not available in kusari"
        if self.use_cuda:
            from kusari.backends import cuda

            if not cuda.available:
                return "CUDA is not available"
            if self.cuda_device >= cuda.cupy.cuda.runtime.getDeviceCount():
                return f"{self.cuda_device + 1} GPUs required"
        return None

    @property
    def xp(self) -> Any:
        return self.device.xp

    @property
    def device(self) -> Any:
        if self._device is None:
            reason = self.skip_reason()
            if reason is not None:
                raise unittest.SkipTest(reason)
            if self.use_cuda:
                self._device = backend.get_device(f"@cupy:{self.cuda_device}")
            else:
                self._device = backend.CpuDevice()
        return self._device

    def __enter__(self) -> BackendConfig:
        contexts = [
            using_config("use_cudnn", self.use_cudnn),
            using_config("cudnn_deterministic", self.cudnn_deterministic),
            using_config("autotune", self.autotune),
            using_config("cudnn_fast_batch_normalization", self.cudnn_fast_batch_normalization),
            using_config("use_ideep", self.use_ideep),
            backend.using_device(self.device),
        ]
        for c in contexts:
            c.__enter__()
        self._contexts.append(contexts)
        return self

    def __exit__(self, *exc: Any) -> None:
        for c in reversed(self._contexts.pop()):
            c.__exit__(*exc)

    def __repr__(self) -> str:
        body = " ".join(f"{k}={getattr(self, k)!r}" for k, _ in self._props)
        return f"<BackendConfig {body}>"

    def get_func_str(self) -> str:
        """A string for test names: ``use_chainerx_false__..._use_ideep_never``."""
        def text(v: Any) -> str:
            return "true" if v is True else "false" if v is False else str(v)

        return "__".join(f"{k}_{text(getattr(self, k))}" for k, _ in self._props)

    def get_pytest_marks(self) -> list:
        """The pytest marks of tests run with this configuration."""
        marks = []
        if self.use_chainerx:
            marks.append(attr.chainerx)
        elif self.use_cuda:
            marks.append(attr.gpu)
            if self.use_cudnn != "never":
                marks.append(attr.cudnn)
            if self.cuda_device >= 1:
                marks.append(attr.multi_gpu(self.cuda_device + 1))
        elif self.use_ideep != "never":
            marks.append(attr.ideep)
        return marks

    def get_array(self, np_array: Any) -> Any:
        """Send an array (or a tuple/list of them) to this configuration's device."""
        return self.device.send(np_array)


def _without_first_arg(method: Any) -> inspect.Signature | None:
    try:
        sig = inspect.signature(method)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if len(params) < 2:
        return None
    return sig.replace(parameters=[params[0], *params[2:]])


def _backend_cases(base: type, method_names: list | None, params: list) -> Any:
    if method_names is not None:
        def keep_others(method: Any) -> Any:
            return None if method.__name__ in method_names else method

        yield f"{base.__name__}_without_backend", {}, keep_others

    for param in params:
        config = BackendConfig(param)
        marks = config.get_pytest_marks()

        def wrap(method: Any, _config: BackendConfig = config, _marks: list = marks) -> Any:
            if method_names is not None and method.__name__ not in method_names:
                return None

            @functools.wraps(method)
            def run(self: Any, *args: Any, **kwargs: Any) -> Any:
                reason = _config.skip_reason()
                if reason is not None:
                    raise unittest.SkipTest(reason)
                return method(self, _config, *args, **kwargs)

            sig = _without_first_arg(method)
            if sig is not None:
                run.__signature__ = sig  # type: ignore[attr-defined]
            for mark in _marks:
                run = mark(run)
            return run

        yield f"{base.__name__}_{config.get_func_str()}", {}, wrap


def inject_backend_tests(method_names: list | None, params: list) -> Callable[[type], type]:
    """Run the test methods once per backend configuration.

    Args:
        method_names: The ``test_*`` methods to parameterize (``None``: all). The others
            stay in a class of the original name.
        params: A list of :class:`BackendConfig` option dicts, e.g.
            ``[{}, {'use_cuda': True}]``.

    Returns:
        A class decorator.

    Raises:
        TypeError: The arguments have the wrong types.

    Example:
        >>> import unittest, numpy
        >>> @inject_backend_tests(None, [{}, {'use_cuda': True}])
        ... class TestDouble(unittest.TestCase):
        ...     def test_double(self, backend_config):
        ...         x = backend_config.get_array(numpy.ones(2))
        ...         assert (x * 2).sum() == 4
    """
    if not (method_names is None or isinstance(method_names, list)):
        raise TypeError("method_names must be either None or a list.")
    if not isinstance(params, list) or not all(isinstance(d, dict) for d in params):
        raise TypeError("params must be a list of dicts.")
    for d in params:
        BackendConfig(d)  # validate the options now
    return make_decorator(lambda base: _backend_cases(base, method_names, params))
